/**
 * Issue 14.6, the API side: however many findings a pull request produces, a run makes a bounded number of requests.
 * Before the fix, 5,000 pods cost 203 requests (a check-run update per 50 annotations), and a tampered results file
 * in the fork-safe pair could cost about 800. The bundled Action runs against the fake GitHub, as the runner runs it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CHECK_ANNOTATIONS } from '../../src/action/publish.js';
import { type Cleanups, forkPublish, forkScan } from '../e2e/fork-pair.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const runPullRequest = pullRequestRunner();

/** The most requests a run may make, whatever the pull request holds. */
const REQUEST_BOUND = 60;

const pods = (count: number) =>
  Array.from(
    { length: count },
    (_, index) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${index}\n  namespace: shop\nspec:\n  containers:\n    - name: a\n      image: busybox:1.36\n`,
  ).join('---\n');

describe('requests to GitHub', () => {
  it('stay under 60 for a pull request adding 5,000 insecure pods; annotations beyond the cap are counted', async () => {
    const { run, fake } = await runPullRequest({
      base: { 'deploy/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: readme}\n' },
      head: { 'deploy/pods.yaml': pods(5_000) },
    });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stderr).toBe(1);
    expect(fake.requests.length).toBeLessThan(REQUEST_BOUND);
    expect(fake.checkRuns).toHaveLength(1);
    const checkRun = fake.checkRuns[0]!;
    expect(checkRun.conclusion).toBe('failure');
    expect(checkRun.annotations).toHaveLength(MAX_CHECK_ANNOTATIONS);
    expect(checkRun.annotations.every((annotation) => annotation.annotation_level === 'failure')).toBe(true);
    expect(checkRun.output.summary).toMatch(
      /\d+ more findings are not annotated: a check run carries at most 200/,
    );
  }, 300_000);

  it('stay under 60 when a tampered results file carries 20,000 findings to the publisher', async () => {
    const scanned = await forkScan(cleanups, { head: { 'deploy/pods.yaml': pods(1) } });
    const results = JSON.parse(scanned.results) as { introduced: Record<string, unknown>[] };
    const original = results.introduced[0]!;
    results.introduced = Array.from({ length: 20_000 }, (_, index) => ({
      ...original,
      identity: `forged-${index}`,
    }));
    const { run, fake } = await forkPublish(cleanups, scanned.repo, JSON.stringify(results));
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stderr).toBe(1);
    expect(fake.requests.length).toBeLessThan(REQUEST_BOUND);
    expect(fake.checkRuns[0]!.annotations).toHaveLength(MAX_CHECK_ANNOTATIONS);
  }, 300_000);
});
