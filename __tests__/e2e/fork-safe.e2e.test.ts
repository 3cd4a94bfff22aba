/**
 * The fork-safe pair, run as the runner runs it: `mode: scan` in a `pull_request` job of a fork's pull request with
 * a read-only token, then `mode: publish` in a `workflow_run` job with a write token, in a workspace that holds only
 * the downloaded results file (no checkout of the pull request). The publisher trusts nothing in the file that GitHub
 * can tell it: tampered results are refused or filtered.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insecureWorker } from './manifests.js';
import { NUMBER, type PublishEvent, forkPublish, forkScan } from './fork-pair.js';
import type { RepoFixture } from './git-fixture.js';
import { runAction } from './run-action.js';

const WORKER = insecureWorker();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const scan = () => forkScan(cleanups, { head: { 'deploy/worker.yaml': WORKER } });
const publish = (repo: RepoFixture, results: string, event: PublishEvent = {}) =>
  forkPublish(cleanups, repo, results, event);

describe('fork-safe mode', () => {
  it('scan writes the results without a single write to GitHub; publish posts the review and the check run', async () => {
    const scanned = await scan();
    expect(scanned.run.status, scanned.run.stdout + scanned.run.stderr).toBe(1);
    expect(scanned.fake.violations).toEqual([]);
    expect(scanned.fake.requests.map((request) => request.method)).toEqual(
      scanned.fake.requests.map(() => 'GET'),
    );
    expect(scanned.run.stdout).toContain('Wrote the results for the publishing job to');
    // The read-only job still reports what it found in its own log.
    expect(scanned.run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml,line=\d+/);

    const { run, fake } = await publish(scanned.repo, scanned.results);
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain(
      `Publishing the results of workflow run 4242424242 for pull request #${NUMBER}`,
    );
    expect(fake.reviews).toHaveLength(1);
    const paths = fake.reviewComments.map((comment) => comment.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths)).toEqual(new Set(['deploy/worker.yaml']));
    expect(fake.reviewComments.some((comment) => comment.body.includes('```suggestion'))).toBe(true);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: scanned.repo.headSha, conclusion: 'failure' });
    expect(run.outputs).toMatchObject({ conclusion: 'failure' });
    expect(run.summary).toContain('automount-token');
  });

  it('refuses results for another commit than the one the workflow run scanned', async () => {
    const scanned = await scan();
    const tampered = JSON.parse(scanned.results) as { pullRequest: { headSha: string } };
    tampered.pullRequest.headSha = 'f'.repeat(40);
    const { run, fake } = await publish(scanned.repo, JSON.stringify(tampered));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::the results do not belong to this workflow run');
    expect(fake.reviews).toEqual([]);
    expect(fake.checkRuns).toEqual([]);
  });

  it('refuses results when the workflow run names another pull request', async () => {
    const scanned = await scan();
    const { run, fake } = await publish(scanned.repo, scanned.results, { pullRequests: [NUMBER + 1] });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error::the results are for pull request #${NUMBER}, but workflow run`);
    expect(fake.reviews).toEqual([]);
  });

  it('drops malformed findings, unknown rules and files outside the pull request; escapes what it passes on', async () => {
    const scanned = await scan();
    const results = JSON.parse(scanned.results) as {
      introduced: Record<string, unknown>[];
      notes: string[];
    };
    const original = results.introduced[0]!;
    results.introduced.push(
      { ...original, ruleId: 'not-a-rule' },
      { ...original, file: '.github/workflows/ci.yml', identity: 'elsewhere' },
      { ...original, file: '../../etc/passwd', identity: 'traversal' },
      { ...original, line: 'one' },
    );
    results.notes.push('Sign in again at [GitHub](https://evil.example) @octo-org/admins');
    const { run, fake } = await publish(scanned.repo, JSON.stringify(results));
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(1);
    const everything = JSON.stringify(fake.requests.map((request) => request.body));
    expect(everything).not.toContain('not-a-rule');
    expect(everything).not.toContain('etc/passwd');
    expect(everything).not.toContain('](https://evil.example)');
    expect(everything).not.toMatch(/(^|[^\\])@octo-org\/admins/);
    // A new finding in a file the pull request does not change is kept (a change elsewhere can cause one): a results
    // file adding some can only fail its own check. It gets no review comment.
    expect(fake.reviewComments.map((comment) => comment.path)).not.toContain('.github/workflows/ci.yml');
    expect(run.stdout).toContain('3 finding(s) of the results file were left out');
    expect(fake.checkRuns).toHaveLength(1);
  });

  it('says what to do when the results file is missing or the event is not a workflow run', async () => {
    const scanned = await scan();
    const missing = await publish(scanned.repo, '');
    rmSync(join(missing.run.env.GITHUB_WORKSPACE!, 'kube-token-guard-results.json'), { force: true });
    const again = await runAction({
      workspace: missing.run.env.GITHUB_WORKSPACE!,
      eventPath: missing.run.env.GITHUB_EVENT_PATH!,
      apiUrl: missing.fake.url,
      inputs: { mode: 'publish' },
      env: { GITHUB_EVENT_NAME: 'workflow_run' },
    });
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(
      /::error::cannot read the results file .*download the scanning run's artifact/,
    );

    const wrongEvent = await runAction({
      workspace: scanned.repo.dir,
      eventPath: missing.run.env.GITHUB_EVENT_PATH!,
      apiUrl: missing.fake.url,
      inputs: { mode: 'publish' },
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    expect(wrongEvent.status).toBe(1);
    expect(wrongEvent.stdout).toContain('::error::mode publish runs on workflow_run events (this is push)');
  });
});
