/**
 * The bundled Action (dist/index.js), run as the runner runs it, against a fake GitHub API that validates every
 * request against GitHub's OpenAPI description and enforces GitHub's rules. Under Node 20 (the test runner's) and
 * Node 24 (the Action's declared runtime, installed by .ci/run).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CHECK_ANNOTATIONS } from '../../src/action/publish.js';
import { applyFixes } from '../../src/core/apply.js';
import { scan, yaml } from '../helpers.js';
import { writePullRequestEvent } from './event.js';
import { FakeGitHub, type FakeGitHubOptions } from './fake-github.js';
import { type RepoFixture, makeRepo } from './git-fixture.js';
import { NO_NODE24, because } from '../tools.js';
import { node24, runAction } from './run-action.js';
import { HARDENED_APP, insecureWorker } from './manifests.js';
import { pullRequestScenario } from './scenario.js';

const OWNER = 'octo-org';
const REPO = 'manifests';
const NUMBER = 7;

/** A worker added by the pull request: runs as `default` and mounts its token (high), with a fix. */
const INSECURE_WORKER = insecureWorker();

const fixtures: { repo: RepoFixture; fake: FakeGitHub }[] = [];
afterEach(async () => {
  for (const { repo, fake } of fixtures.splice(0)) {
    await fake.stop();
    repo.remove();
  }
});

async function setUp(
  base: Record<string, string>,
  head: Record<string, string | null>,
  options: Partial<FakeGitHubOptions> & { fork?: boolean } = {},
) {
  const { fork, ...fake } = options;
  const scenario = await pullRequestScenario({ base, head, fork, fake });
  fixtures.push(scenario);
  return scenario;
}

function operations(fake: FakeGitHub): string[] {
  return fake.requests.map((request) => request.operationId ?? `${request.method} ${request.path}`);
}

const runtimes: [string, string | undefined, string | null][] = [
  ['this Node', undefined, null],
  ['node 24', node24() ?? undefined, NO_NODE24],
];

for (const [name, node, skip] of runtimes)
  describe.skipIf(skip)(because(skip, `the Action on a pull request (${name})`), () => {
    it('a clean pull request: no review, a successful check run, nothing blocked', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/web.yaml': HARDENED_APP.replace('nginx:1.27', 'nginx:1.28') },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(fake.reviews).toEqual([]);
      expect(fake.checkRuns).toHaveLength(1);
      expect(fake.checkRuns[0]).toMatchObject({
        name: 'kube-token-guard',
        head_sha: repo.headSha,
        conclusion: 'success',
      });
      expect(run.outputs).toMatchObject({ conclusion: 'success', 'new-findings': '0', blocking: '0' });
      expect(run.summary).toContain('introduces no ServiceAccount token findings');
    });

    it('a pull request with fixable findings: one review with suggestions that equal --fix, a failing check', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/worker.yaml': INSECURE_WORKER },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('::error::1 new finding(s) at or above high');
      expect(fake.reviews).toHaveLength(1);
      expect(fake.reviews[0]).toMatchObject({ event: 'COMMENT', commit_id: repo.headSha });
      const comments = fake.reviewComments;
      expect(comments.map((comment) => comment.path)).toEqual(['deploy/worker.yaml', 'deploy/worker.yaml']);
      const withSuggestion = comments.find((comment) => comment.body.includes('````suggestion'))!;
      expect(withSuggestion.body).toContain('`automount-token`');
      expect(withSuggestion.side).toBe('RIGHT');
      // The suggestion replaces lines start..line with its block: the same result as the CLI's --fix.
      const suggestion = /````suggestion\n([\s\S]*?)\n````/.exec(withSuggestion.body)![1]!;
      const lines = INSECURE_WORKER.split('\n');
      const start = (withSuggestion.start_line ?? withSuggestion.line)!;
      lines.splice(start - 1, withSuggestion.line! - start + 1, ...suggestion.split('\n'));
      const fixable = scan({ 'deploy/worker.yaml': INSECURE_WORKER }).findings.filter(
        (finding) => finding.fix,
      );
      expect(lines.join('\n')).toBe(
        applyFixes(
          INSECURE_WORKER,
          fixable.map((finding) => finding.fix!),
        ).text,
      );

      const check = fake.checkRuns[0]!;
      expect(check.conclusion).toBe('failure');
      expect(check.output?.title).toBe('1 new finding at or above high');
      expect(check.output?.summary).toContain('[`automount-token`]');
      expect(check.annotations.map((annotation) => annotation.annotation_level).sort()).toEqual([
        'failure',
        'warning',
      ]);
      expect(run.outputs).toMatchObject({ conclusion: 'failure', 'new-findings': '2', blocking: '1' });
    });

    it('a re-run posts no duplicate comments and no second review', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/worker.yaml': INSECURE_WORKER },
      );
      await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      const second = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(second.status).toBe(1);
      expect(fake.reviews).toHaveLength(1);
      expect(fake.visibleReviewComments).toHaveLength(2);
      expect(fake.checkRuns).toHaveLength(2);
      expect(second.stdout).toContain('nothing new to comment (2 already commented');
    });

    it('existing findings in a changed file do not block; only what the pull request introduces does', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/worker.yaml': INSECURE_WORKER },
        { 'deploy/worker.yaml': INSECURE_WORKER.replace('busybox:1.36', 'busybox:1.37') },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(run.status).toBe(0);
      expect(fake.reviews).toEqual([]);
      expect(fake.checkRuns[0]!.conclusion).toBe('success');
      expect(fake.checkRuns[0]!.output?.summary).toMatch(
        /\| \[`automount-token`\]\([^)]*\) \| high \| 0 \| 1 \| 0 \|/,
      );
    });

    it('a fork pull request: no review or check run, annotations instead, and one line saying why', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/worker.yaml': INSECURE_WORKER },
        { fork: true, permissions: { checks: 'none', pullRequests: 'read' } },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(run.status).toBe(1);
      expect(fake.reviews).toEqual([]);
      expect(fake.checkRuns).toEqual([]);
      expect(run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml,line=\d+/);
      expect(run.stdout).toContain('comes from a fork');
      expect(run.summary).toContain('comes from a fork');
      expect(operations(fake).filter((operation) => !operation.startsWith('pulls/list'))).toEqual([]);
    });

    it('a token without checks: write: the review is posted and the log names the permission to add', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/worker.yaml': INSECURE_WORKER },
        { permissions: { checks: 'none' } },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(fake.violations).toEqual([]);
      expect(run.status).toBe(1);
      expect(fake.reviews).toHaveLength(1);
      expect(fake.checkRuns).toEqual([]);
      expect(run.stdout).toContain('grant it `checks: write`');
      expect(run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml/);
    });

    it('a leftover pending review is cleared and the review is posted', async () => {
      const { repo, fake, eventPath } = await setUp(
        { 'deploy/web.yaml': HARDENED_APP },
        { 'deploy/worker.yaml': INSECURE_WORKER },
        { existingPendingReview: true },
      );
      const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {}, node });
      expect(run.stdout).toContain('Deleted 1 leftover pending review');
      expect(fake.reviews.filter((review) => review.state !== 'PENDING')).toHaveLength(1);
      // The first attempt is refused (as GitHub does); nothing else may be.
      expect(fake.violations.filter((violation) => !/already has pending review/.test(violation))).toEqual(
        [],
      );
    });
  });

describe('follow-up runs', () => {
  it('marks an earlier comment resolved when a later push fixes its finding', async () => {
    const first = await setUp({ 'deploy/web.yaml': HARDENED_APP }, { 'deploy/worker.yaml': INSECURE_WORKER });
    await runAction({
      workspace: first.repo.dir,
      eventPath: first.eventPath,
      apiUrl: first.fake.url,
      inputs: {},
    });
    const posted = first.fake.visibleReviewComments.map((comment) => ({
      id: comment.id,
      path: comment.path,
      body: comment.body,
      line: null,
    }));
    expect(posted).toHaveLength(2);

    const hardenedWorker = INSECURE_WORKER.replace(
      '      containers:',
      '      serviceAccountName: worker\n      automountServiceAccountToken: false\n      containers:',
    );
    const worker = yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: worker
        namespace: shop
      automountServiceAccountToken: false
    `;
    const second = await setUp(
      { 'deploy/web.yaml': HARDENED_APP },
      { 'deploy/worker.yaml': `${hardenedWorker}---\n${worker}` },
      { existingReviewComments: posted },
    );
    const run = await runAction({
      workspace: second.repo.dir,
      eventPath: second.eventPath,
      apiUrl: second.fake.url,
      inputs: {},
    });
    expect(second.fake.violations).toEqual([]);
    expect(run.status).toBe(0);
    expect(second.fake.reviews).toEqual([]);
    const bodies = second.fake.reviewComments.map((comment) => comment.body);
    expect(bodies.every((body) => body.startsWith('✅ **Resolved**'))).toBe(true);
    expect(bodies.every((body) => !body.includes('````suggestion'))).toBe(true);
  });

  it('with `report: all`, existing findings in changed files block too', async () => {
    const { repo, fake, eventPath } = await setUp(
      { 'deploy/worker.yaml': INSECURE_WORKER, '.github/kube-token-guard.yml': 'report: all\n' },
      { 'deploy/worker.yaml': INSECURE_WORKER.replace('busybox:1.36', 'busybox:1.37') },
    );
    const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {} });
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(1);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(fake.checkRuns[0]!.output?.title).toBe('1 finding at or above high');
    expect(run.stdout).toContain('::error::1 finding(s) at or above high');
    expect(run.outputs).toMatchObject({ 'new-findings': '0', blocking: '1' });
  });
});

describe('a changed file GitHub shows no diff for (no patch)', () => {
  it('lists its findings in the review body instead of commenting lines GitHub would refuse', async () => {
    const repo = makeRepo({
      base: { 'deploy/web.yaml': HARDENED_APP },
      head: { 'deploy/worker.yaml': INSECURE_WORKER },
    });
    const files = repo.files.map((file) => ({ ...file, patch: undefined }));
    const fake = await FakeGitHub.start({
      owner: OWNER,
      repo: REPO,
      pull: {
        number: NUMBER,
        headSha: repo.headSha,
        baseSha: repo.baseSha,
        mergeBaseSha: repo.mergeBaseSha,
        files,
      },
    });
    fixtures.push({ repo, fake });
    const eventPath = writePullRequestEvent({
      owner: OWNER,
      repo: REPO,
      number: NUMBER,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
    });
    const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {} });
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(1);
    expect(fake.reviewComments).toEqual([]);
    expect(fake.reviews[0]!.body).toContain('`automount-token` `deploy/worker.yaml:');
  });
});

describe('a pull request with 300 changed files', () => {
  it('pages through the files, keeps the API calls bounded, and batches annotations by 50 up to the cap', async () => {
    const head: Record<string, string> = {};
    for (let index = 0; index < 300; index++) {
      head[`apps/app-${String(index).padStart(3, '0')}.yaml`] = INSECURE_WORKER.replace(
        /worker/g,
        `worker-${index}`,
      );
    }
    const { repo, fake, eventPath } = await setUp({ 'deploy/web.yaml': HARDENED_APP }, head);
    const run = await runAction({
      workspace: repo.dir,
      eventPath,
      apiUrl: fake.url,
      inputs: { 'max-comments': '10' },
    });
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(1);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments).toHaveLength(10);
    expect(fake.reviews[0]!.body).toContain('over the comment limit');
    // 600 findings; the check run carries the first 200 (all new and failing) and counts the rest.
    const annotations = fake.checkRuns[0]!.annotations.length;
    expect(annotations).toBe(MAX_CHECK_ANNOTATIONS);
    expect(fake.checkRuns[0]!.output.summary).toContain('400 more findings are not annotated');
    // list files (3 pages), list review comments, one review, one check run plus ceil(200 / 50) - 1 updates.
    const counts = new Map<string, number>();
    for (const operation of operations(fake)) counts.set(operation, (counts.get(operation) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({
      'pulls/list-files': 3,
      'pulls/list-review-comments': 1,
      'pulls/create-review': 1,
      'checks/create': 1,
      'checks/update': Math.ceil(annotations / 50) - 1,
    });
  });
});
