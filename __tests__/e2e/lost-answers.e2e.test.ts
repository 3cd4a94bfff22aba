/**
 * Writes GitHub made although their answer was lost (a 502 from a proxy, a dropped connection after the work was
 * done): the Action must not make them twice, nor take a made one for a failure.
 */
import { describe, expect, it } from 'vitest';
import { type FakeGitHub, type FaultRule, type RecordedRequest, githubFaults } from './fake-github.js';
import { HARDENED_APP, WORKER, insecureWorker } from './manifests.js';
import { pullRequestRunner } from './pull-request-run.js';

const runPullRequest = pullRequestRunner();

/** A pull request adding `head` to a repository with a hardened app, GitHub answering with `faults`, and its run. */
async function runWith(
  faults: FaultRule[],
  head: Record<string, string>,
  inputs: Record<string, string> = {},
) {
  const { run, fake, scenario } = await runPullRequest({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head,
    fake: { faults },
    inputs,
  });
  return { run, fake, repo: scenario.repo };
}

function requestsOf(fake: FakeGitHub, operationId: string): RecordedRequest[] {
  return fake.requests.filter((request) => request.operationId === operationId);
}

const isCommit = (request: RecordedRequest) =>
  JSON.stringify(request.body ?? '').includes('createCommitOnBranch');

describe('the review', () => {
  for (const [what, respond] of [
    ['a 502', githubFaults.serverError(502)],
    ['a reset connection', 'reset'],
  ] as const) {
    it(`is posted once when GitHub made it and answered ${what}`, async () => {
      const { run, fake } = await runWith(
        [{ operationId: 'pulls/create-review', afterHandling: true, times: 1, respond }],
        { 'deploy/worker.yaml': insecureWorker() },
      );
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(fake.violations).toEqual([]);
      expect(fake.faultHits).toEqual([1]);
      expect(requestsOf(fake, 'pulls/create-review')).toHaveLength(1);
      expect(fake.reviews.filter((review) => review.state === 'COMMENTED')).toHaveLength(1);
      expect(fake.reviewComments).toHaveLength(2);
      expect(run.stdout).toContain('GitHub had made the review although its answer was lost');
      expect(run.stdout).not.toContain('The review was not posted');
      expect(fake.checkRuns).toHaveLength(1);
    });
  }

  it('is posted again when GitHub did not make it (502 before the work)', async () => {
    const { run, fake } = await runWith(
      [{ operationId: 'pulls/create-review', times: 1, respond: githubFaults.serverError(502) }],
      { 'deploy/worker.yaml': insecureWorker() },
    );
    expect(run.status).toBe(1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'pulls/create-review').map((request) => request.status)).toEqual([502, 200]);
    expect(fake.reviews).toHaveLength(1);
    expect(run.stdout).toContain('GitHub had not made the review; trying again.');
  });
});

describe('a trial review', () => {
  it('deleted by GitHub, which answered 502, is not taken for a failed trial', async () => {
    const refused = (comment: { path: string; body: string }) =>
      comment.path === 'deploy/b.yaml' && comment.body.includes('````suggestion');
    const commentsOf = (request: RecordedRequest) =>
      (request.body as { comments?: { path: string; body: string }[] }).comments ?? [];
    const { run, fake } = await runWith(
      [
        {
          operationId: 'pulls/create-review',
          when: (request) => commentsOf(request).some(refused),
          respond: githubFaults.unplaceableReviewComment(),
        },
        {
          operationId: 'pulls/delete-pending-review',
          afterHandling: true,
          times: 1,
          respond: githubFaults.serverError(502),
        },
      ],
      { 'deploy/a.yaml': insecureWorker('a'), 'deploy/b.yaml': insecureWorker('b') },
    );
    expect(run.status).toBe(1);
    expect(fake.violations).toEqual([]);
    expect(fake.faultHits[1]).toBe(1);
    // The deletion was repeated and found nothing left to delete; the search went on as usual.
    expect(requestsOf(fake, 'pulls/delete-pending-review').map((request) => request.status)).toEqual([
      502, 404, 200,
    ]);
    expect(fake.reviews.map((review) => review.state)).toEqual(['COMMENTED']);
    expect(fake.reviewComments).toHaveLength(3);
    expect(run.stdout).not.toContain('a trial failed');
  });
});

describe('the check run', () => {
  it('is created once when GitHub made it and answered 502', async () => {
    const { run, fake } = await runWith(
      [
        {
          operationId: 'checks/create',
          afterHandling: true,
          times: 1,
          respond: githubFaults.serverError(502),
        },
      ],
      { 'deploy/worker.yaml': insecureWorker() },
    );
    expect(run.status).toBe(1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'checks/create')).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
    expect(run.stdout).not.toContain('The check run was not created');
  });
});

describe('the autofix commit', () => {
  for (const [what, respond] of [
    ['a 502', githubFaults.serverError(502)],
    ['a reset connection', 'reset'],
  ] as const) {
    it(`made by GitHub, which answered ${what}, counts as pushed and gets the check run`, async () => {
      const { run, fake, repo } = await runWith(
        [{ operationId: 'graphql', when: isCommit, afterHandling: true, times: 1, respond }],
        { 'deploy/worker.yaml': WORKER },
        { autofix: 'true' },
      );
      expect(fake.violations).toEqual([]);
      expect(fake.faultHits).toEqual([1]);
      expect(fake.branchCommits).toHaveLength(1);
      const commit = fake.branchCommits[0]!;
      expect(commit).toMatchObject({ parent: repo.headSha, via: 'graphql' });
      expect(fake.branchHead(repo.headRef)).toBe(commit.oid);
      expect(run.outputs).toMatchObject({ 'autofix-commit': commit.oid, fixed: '1' });
      expect(run.stdout).not.toContain('The fixes were not pushed');
      expect(fake.checkRuns).toHaveLength(1);
      expect(fake.checkRuns[0]).toMatchObject({ head_sha: commit.oid, conclusion: 'success' });
      expect(run.status).toBe(0);
    });
  }

  it('not made by GitHub (502 before the work) is tried again once and pushed', async () => {
    const { run, fake, repo } = await runWith(
      [{ operationId: 'graphql', when: isCommit, times: 1, respond: githubFaults.serverError(502) }],
      { 'deploy/worker.yaml': WORKER },
      { autofix: 'true' },
    );
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.branchCommits[0]).toMatchObject({ parent: repo.headSha });
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: fake.branchCommits[0]!.oid });
    expect(run.status).toBe(0);
  });
});
