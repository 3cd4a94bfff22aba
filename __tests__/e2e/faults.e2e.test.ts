/**
 * The bundled Action against a GitHub that misbehaves: missing permissions, rate limits, server errors, a review
 * comment GitHub refuses, a dropped connection. Every run must end with the best result it could publish, say in
 * its log what went wrong, and never crash: no unhandled rejection, no stack trace.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub, type FaultRule, type RecordedRequest, githubFaults } from './fake-github.js';
import type { RepoFixture } from './git-fixture.js';
import { type ActionRun, runAction } from './run-action.js';
import { HARDENED_APP, insecureWorker } from './manifests.js';
import { type Scenario, pullRequestScenario } from './scenario.js';

const scenarios: Scenario[] = [];
afterEach(async () => {
  for (const scenario of scenarios.splice(0)) await scenario.dispose();
});

/** A pull request adding `head` (default one insecure worker) to a repository with a hardened app, and its run. */
async function runWithFaults(
  faults: FaultRule[],
  head: Record<string, string> = { 'deploy/worker.yaml': insecureWorker('worker') },
  inputs: Record<string, string> = {},
): Promise<{ run: ActionRun; fake: FakeGitHub; repo: RepoFixture }> {
  const scenario = await pullRequestScenario({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head,
    fake: { faults },
  });
  scenarios.push(scenario);
  const { repo, fake, eventPath } = scenario;
  const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs });
  return { run, fake, repo };
}

/**
 * The run ended by itself with `status` (1: the new finding blocks), and nothing crashed on the way: no unhandled
 * rejection, no stack trace in either stream, no failure of the Action's own.
 */
function expectOrderlyEnd(run: ActionRun, status: number): void {
  const output = run.stdout + run.stderr;
  expect(run.signal, output).toBeNull();
  expect(run.status, output).toBe(status);
  expect(output).not.toMatch(/unhandled/i);
  expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  // What went wrong is said in the Actions log (stdout), not dumped on stderr.
  expect(run.stderr.trim()).toBe('');
  expect(run.stdout).not.toContain('kube-token-guard failed');
  // The step's usual end: outputs, summary and SARIF written.
  expect(run.stdout).toContain('Done in');
  expect(run.outputs).toMatchObject({ conclusion: status === 0 ? 'success' : 'failure' });
  expect(run.summary).toContain('<h2>kube-token-guard</h2>');
}

function requestsOf(fake: FakeGitHub, operationId: string): RecordedRequest[] {
  return fake.requests.filter((request) => request.operationId === operationId);
}

/** The review comments a create-review request carried. */
function commentsOf(request: RecordedRequest): { path: string; body: string }[] {
  return (request.body as { comments?: { path: string; body: string }[] }).comments ?? [];
}

describe('a token without a permission (403 Resource not accessible by integration)', () => {
  it('without checks: write: the review is posted, annotations replace the check run, the log names the permission', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'checks/create', respond: githubFaults.forbidden('checks=write') },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments).toHaveLength(2);
    expect(run.stdout).toMatch(
      /::warning::The check run was not created: .*HTTP 403.*grant it `checks: write`/,
    );
    expect(run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml,line=\d+/);
    expect(run.summary).toContain('grant it `checks: write`');
  });

  it('without pull-requests: write: the check run carries the findings, the log names the permission', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/create-review', respond: githubFaults.forbidden('pull_requests=write') },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.reviews).toEqual([]);
    // Refused once: a 403 is not retried.
    expect(requestsOf(fake, 'pulls/create-review')).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(fake.checkRuns[0]!.annotations.map((annotation) => annotation.title)).toEqual(
      expect.arrayContaining([expect.stringContaining('automount-token')]),
    );
    expect(run.stdout).toMatch(
      /::warning::The review was not posted: .*HTTP 403.*grant it `pull-requests: write`/,
    );
    expect(fake.checkRuns[0]!.output.summary).toContain('grant it `pull-requests: write`');
    expect(run.summary).toContain('`automount-token` `deploy/worker.yaml:');
  });

  it('without either: workflow annotations and the job summary carry the findings', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/create-review', respond: githubFaults.forbidden('pull_requests=write') },
      { operationId: 'checks/create', respond: githubFaults.forbidden('checks=write') },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.reviews).toEqual([]);
    expect(fake.checkRuns).toEqual([]);
    expect(run.stdout).toContain('grant it `pull-requests: write`');
    expect(run.stdout).toContain('grant it `checks: write`');
    expect(run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml,line=\d+/);
    expect(run.summary).toContain('`automount-token` `deploy/worker.yaml:');
    expect(run.summary).toContain('grant it `checks: write`');
  });
});

describe('rate limits', () => {
  it('waits out the primary rate limit (403, x-ratelimit-remaining: 0) until its reset, then goes on', async () => {
    const started = Date.now();
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/list-files', times: 1, respond: githubFaults.rateLimit(1) },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'pulls/list-files').map((request) => request.status)).toEqual([403, 200]);
    expect(run.stdout).toMatch(/GitHub rate limit hit on GET \S+\/pulls\/7\/files\S*; retrying in [12] s/);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('waits out secondary rate limits (429 and 403 with retry-after) on writes, then posts once', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/create-review', times: 1, respond: githubFaults.secondaryRateLimit(429, 1) },
      { operationId: 'checks/create', times: 1, respond: githubFaults.secondaryRateLimit(403, 1) },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'pulls/create-review').map((request) => request.status)).toEqual([429, 200]);
    expect(requestsOf(fake, 'checks/create').map((request) => request.status)).toEqual([403, 201]);
    expect(run.stdout).toContain(
      '::warning::GitHub secondary rate limit on POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews; retrying in 1 s',
    );
    expect(run.stdout).toContain(
      'secondary rate limit on POST /repos/{owner}/{repo}/check-runs; retrying in 1 s',
    );
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments).toHaveLength(2);
    expect(fake.checkRuns).toHaveLength(1);
  });

  it('does not hold the runner for a rate limit that lifts in an hour: it reports through annotations instead', async () => {
    const started = Date.now();
    const { run, fake } = await runWithFaults([
      { operationId: 'checks/create', respond: githubFaults.rateLimit(3600) },
    ]);
    expectOrderlyEnd(run, 1);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'checks/create')).toHaveLength(1);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.reviews).toHaveLength(1);
    expect(run.stdout).toMatch(/rate limit hit on POST \S+ lifts in 36\d\d s, later than this run waits/);
    expect(run.stdout).toMatch(
      /::warning::The check run was not created: GitHub's rate limit did not lift in time/,
    );
    expect(run.stdout).not.toContain('grant it `checks: write`');
    expect(run.stdout).toMatch(/::error title=automount-token,file=deploy\/worker\.yaml,line=\d+/);
  });
});

describe('server errors', () => {
  it('retries a 502 and a 500 with backoff, and publishes everything once', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/list-review-comments', times: 1, respond: githubFaults.serverError(502) },
      { operationId: 'checks/create', times: 1, respond: githubFaults.serverError(500) },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.faultHits).toEqual([1, 1]);
    expect(requestsOf(fake, 'pulls/list-review-comments').map((request) => request.status)).toEqual([
      502, 200,
    ]);
    const checks = requestsOf(fake, 'checks/create');
    expect(checks.map((request) => request.status)).toEqual([500, 201]);
    // Each request's backoff starts at its first step (1 s), whatever other requests were retried before it.
    expect(checks[1]!.time - checks[0]!.time).toBeGreaterThanOrEqual(900);
    expect(checks[1]!.time - checks[0]!.time).toBeLessThan(3000);
    expect(run.stdout).toContain(
      'GitHub answered HTTP 502 on GET /repos/octo-org/manifests/pulls/7/comments; trying again (attempt 2 of 4).',
    );
    // A check run is not made twice: before it is made again, GitHub is asked whether it made it.
    expect(run.stdout).toContain(
      'GitHub answered HTTP 500 on POST /repos/octo-org/manifests/check-runs; looking whether GitHub made the check run before trying again.',
    );
    expect(run.stdout).toContain('GitHub had not made the check run; trying again.');
    expect(fake.reviews).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });
});

describe('a GitHub that keeps failing', () => {
  it('gives up after the retries with one clear error naming the request, and no stack trace', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/list-files', respond: githubFaults.serverError(503) },
    ]);
    const output = run.stdout + run.stderr;
    expect(run.signal, output).toBeNull();
    expect(run.status, output).toBe(1);
    expect(fake.violations).toEqual([]);
    // The first try and the retries, then nothing more is asked of the files endpoint.
    expect(requestsOf(fake, 'pulls/list-files').length).toBeGreaterThan(1);
    expect(run.stdout).toMatch(
      /::error::kube-token-guard could not finish: GitHub answered HTTP 503 to GET \S+\/pulls\/7\/files\S* after retrying/,
    );
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output).not.toMatch(/unhandled/i);
    expect(fake.reviews).toEqual([]);
  }, 60_000);
});

describe('a dropped connection', () => {
  it('retries a read and a write whose connection was reset, and publishes everything once', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/list-files', times: 1, respond: 'reset' },
      { operationId: 'pulls/create-review', times: 1, respond: 'reset' },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.faultHits).toEqual([1, 1]);
    expect(requestsOf(fake, 'pulls/list-files').map((request) => request.status)).toEqual([0, 200]);
    expect(requestsOf(fake, 'pulls/create-review').map((request) => request.status)).toEqual([0, 200]);
    expect(run.stdout).toContain(
      'The connection to GitHub failed (other side closed) on GET /repos/octo-org/manifests/pulls/7/files; trying again (attempt 2 of 4).',
    );
    expect(run.stdout).toContain(
      'The connection to GitHub failed (other side closed) on POST /repos/octo-org/manifests/pulls/7/reviews; looking whether GitHub made the review before trying again.',
    );
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments).toHaveLength(2);
    expect(fake.checkRuns).toHaveLength(1);
  });
});

describe('a review comment GitHub refuses (422, naming no comment)', () => {
  it('finds the refused comment, posts the others inline and lists its finding in the review body', async () => {
    const refused = (comment: { path: string; body: string }) =>
      comment.path === 'deploy/b.yaml' && comment.body.includes('````suggestion');
    const { run, fake } = await runWithFaults(
      [
        {
          operationId: 'pulls/create-review',
          when: (request) => commentsOf(request).some(refused),
          respond: githubFaults.unplaceableReviewComment(),
        },
      ],
      { 'deploy/a.yaml': insecureWorker('a'), 'deploy/b.yaml': insecureWorker('b') },
    );
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    // One review, published; the probes it took to find the refused comment left no pending review behind.
    expect(fake.reviews.map((review) => review.state)).toEqual(['COMMENTED']);
    const review = fake.reviews[0]!;
    const inline = fake.reviewComments.filter((comment) => comment.review_id === review.id);
    expect(inline).toHaveLength(3);
    expect(inline.some(refused)).toBe(false);
    expect(review.body).toMatch(/`automount-token` `deploy\/b\.yaml:\d+`/);
    expect(review.body).toContain('GitHub refused');
    expect(run.stdout).toMatch(
      /::warning::GitHub refused 1 inline comment \(`deploy\/b\.yaml:\d+`\).*listed in the review body/,
    );
    // The first attempt; trial reviews of a.yaml's 2 comments (accepted), of the refused one, of the last one
    // (accepted), each accepted trial deleted at once; the review.
    expect(requestsOf(fake, 'pulls/create-review').map((request) => request.status)).toEqual([
      422, 200, 422, 200, 200,
    ]);
    expect(requestsOf(fake, 'pulls/create-review').map((request) => commentsOf(request).length)).toEqual([
      4, 2, 1, 1, 3,
    ]);
    expect(requestsOf(fake, 'pulls/delete-pending-review')).toHaveLength(2);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.output.summary).toContain('GitHub refused 1 inline comment');
  });

  it('when GitHub refuses every inline comment, posts the review with all findings in its body', async () => {
    const { run, fake } = await runWithFaults([
      {
        operationId: 'pulls/create-review',
        when: (request) => commentsOf(request).length > 0,
        respond: githubFaults.unplaceableReviewComment(),
      },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(fake.reviews.map((review) => review.state)).toEqual(['COMMENTED']);
    expect(fake.reviewComments).toEqual([]);
    expect(fake.reviews[0]!.body).toMatch(/`automount-token` `deploy\/worker\.yaml:\d+`/);
    expect(fake.reviews[0]!.body).toMatch(/`default-service-account` `deploy\/worker\.yaml:\d+`/);
    expect(run.stdout).toContain('GitHub refused 2 inline comments');
    // The first attempt, one probe per comment, the final review.
    expect(requestsOf(fake, 'pulls/create-review')).toHaveLength(4);
  });
});

describe('a review GitHub refuses (422) for something no comment changes', () => {
  const refusal = (said: string) => ({
    status: 422,
    json: { message: 'Unprocessable Entity', errors: [said], status: '422' },
  });

  it('the head moved during the run (commit_id is not part of the pull request): says so, probes nothing', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/create-review', respond: refusal('commit_id is not part of the pull request') },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'pulls/create-review')).toHaveLength(1);
    expect(requestsOf(fake, 'pulls/delete-pending-review')).toEqual([]);
    expect(run.stdout).toMatch(
      /::warning::The review was not posted: the pull request's head moved since \w{7}/,
    );
    expect(run.stdout).not.toContain('trial reviews');
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]!.output.summary).toContain("the pull request's head moved");
  });

  it('was submitted too quickly: reports it, probes nothing', async () => {
    const { run, fake } = await runWithFaults([
      { operationId: 'pulls/create-review', respond: refusal('was submitted too quickly') },
    ]);
    expectOrderlyEnd(run, 1);
    expect(fake.violations).toEqual([]);
    expect(requestsOf(fake, 'pulls/create-review')).toHaveLength(1);
    expect(run.stdout).toMatch(/::warning::The review was not posted: .*submitted too quickly/);
    expect(run.stdout).not.toContain('trial reviews');
    expect(fake.checkRuns).toHaveLength(1);
  });
});
