/**
 * Pull requests changing more files than GitHub lists (3,000, in path order): a manifest named to sort after them must
 * not be left out of the check, in a plain run, in the fork-safe pair, or when the checkout cannot list the rest.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HARDENED_APP, insecureWorker } from './manifests.js';
import { forkPublish, forkScan } from './fork-pair.js';
import { runAction } from './run-action.js';
import { pullRequestScenario } from './scenario.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** 3,000 files that sort before `zz/`, and an insecure worker in `zz/worker.yaml`. */
function manyFiles(): Record<string, string> {
  const head: Record<string, string> = {};
  for (let index = 0; index < 3000; index++)
    head[`aaa/f${String(index).padStart(4, '0')}.txt`] = `${index}\n`;
  head['zz/worker.yaml'] = insecureWorker();
  return head;
}

async function scenario() {
  const made = await pullRequestScenario({ base: { 'deploy/web.yaml': HARDENED_APP }, head: manyFiles() });
  cleanups.push(() => made.dispose());
  return made;
}

// Each case makes a repository of 3,001 files and lists them through the fake GitHub, 100 a page.
describe('a pull request of more than 3,000 files', { timeout: 300_000 }, () => {
  it('reads the files GitHub does not list from git and fails on the finding in the last one', async () => {
    const { repo, fake, eventPath } = await scenario();
    expect(repo.files.length).toBe(3001);
    const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {} });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain('Pull request #7 changes 3,001 files; GitHub lists the first 3,000');
    expect(run.stdout).toContain("Read 1 more changed file from git's diff of the merge base");
    expect(run.outputs['new-findings']).not.toBe('0');
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(fake.checkRuns[0]!.output.summary).toContain('zz/worker.yaml');
    // GitHub showed no patch of the file: no inline comment is placed on it.
    expect(fake.reviewComments.filter((comment) => comment.path === 'zz/worker.yaml')).toEqual([]);
  });

  it('fails, saying why, when the checkout holds neither the head nor the merge base to list the rest', async () => {
    const { fake, eventPath } = await scenario();
    const workspace = mkdtempSync(join(tmpdir(), 'ktg-no-checkout-'));
    const run = await runAction({ workspace, eventPath, apiUrl: fake.url, inputs: {} });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '::error::pull request #7 changes 3,001 files, GitHub lists only the first 3,000, and the checkout lacks the commits',
    );
    expect(fake.checkRuns.filter((check) => check.conclusion === 'success')).toEqual([]);
  });

  it('in the fork-safe pair, the publisher keeps the findings of files past the list', async () => {
    const scanned = await forkScan(cleanups, { head: manyFiles() });
    expect(scanned.run.status, scanned.run.stdout + scanned.run.stderr).toBe(1);
    const { run, fake } = await forkPublish(cleanups, scanned.repo, scanned.results);
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(fake.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(fake.checkRuns[0]!.output.summary).toContain('zz/worker.yaml');
  });
});
