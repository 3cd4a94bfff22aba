/**
 * The fake GitHub has teeth: with @octokit/rest as the client, what GitHub accepts succeeds and what GitHub
 * rejects fails the same way, and is recorded as a violation.
 */
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub, type FakeGitHubOptions, type PullFile, githubFaults } from './fake-github.js';

const OWNER = 'octo-org';
const REPO = 'manifests';
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const MERGE_BASE = 'c'.repeat(40);
const NUMBER = 7;

/** Two hunks: RIGHT lines 1-5 and 21-24, LEFT lines 1-4 and 20-22. */
const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' apiVersion: apps/v1',
  ' kind: Deployment',
  '+# managed by kube-token-guard',
  ' metadata:',
  '   name: web',
  '@@ -20,3 +21,4 @@ spec:',
  '   template:',
  '     spec:',
  '+      automountServiceAccountToken: false',
  '       containers:',
].join('\n');

function file(filename: string, patch?: string, extra: Partial<PullFile> = {}): PullFile {
  return {
    sha: 'd'.repeat(40),
    filename,
    status: 'modified',
    additions: 2,
    deletions: 0,
    changes: 2,
    blob_url: `https://github.com/${OWNER}/${REPO}/blob/${HEAD}/${filename}`,
    raw_url: `https://github.com/${OWNER}/${REPO}/raw/${HEAD}/${filename}`,
    contents_url: `https://api.github.com/repos/${OWNER}/${REPO}/contents/${filename}?ref=${HEAD}`,
    ...(patch !== undefined ? { patch } : {}),
    ...extra,
  };
}

let fake: FakeGitHub | undefined;

async function start(
  options: Partial<FakeGitHubOptions> = {},
): Promise<{ fake: FakeGitHub; octokit: Octokit }> {
  fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    pull: {
      number: NUMBER,
      headSha: HEAD,
      baseSha: BASE,
      mergeBaseSha: MERGE_BASE,
      files: [file('deploy/app.yaml', PATCH), file('charts/logo.png')],
    },
    validateResponses: true,
    ...options,
  });
  return { fake, octokit: client(fake, 'ghs_test') };
}

function client(server: FakeGitHub, auth?: string): Octokit {
  const quiet = () => undefined;
  return new Octokit({
    ...(auth ? { auth } : {}),
    baseUrl: server.url,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

const repo = { owner: OWNER, repo: REPO };
const pull = { ...repo, pull_number: NUMBER };

/** A request with parameters its route's types would not allow: what a buggy client sends. */
function untyped(octokit: Octokit, route: string, parameters: Record<string, unknown>): Promise<unknown> {
  return octokit.request(route, parameters);
}

/** The HTTP status of a failed request (and the request must fail). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    return (error as { status: number }).status;
  }
  throw new Error('the request succeeded');
}

afterEach(async () => {
  if (!fake) return;
  // Whatever a test does, the fake's own responses must match GitHub's description of them.
  expect(fake.responseProblems).toEqual([]);
  await fake.stop();
  fake = undefined;
});

describe('reviews', () => {
  it('accepts a review whose comments are on lines of the diff, and lists its comments', async () => {
    const { fake, octokit } = await start();
    const { data: review } = await octokit.rest.pulls.createReview({
      ...pull,
      commit_id: HEAD,
      event: 'COMMENT',
      body: 'kube-token-guard found 2 problems',
      comments: [
        { path: 'deploy/app.yaml', line: 23, side: 'RIGHT', body: '```suggestion\nfoo\n```' },
        { path: 'deploy/app.yaml', start_line: 21, line: 22, body: 'two lines' },
        { path: 'deploy/app.yaml', line: 20, side: 'LEFT', body: 'old side' },
      ],
    });
    expect(review.state).toBe('COMMENTED');
    const { data: comments } = await octokit.rest.pulls.listReviewComments(pull);
    expect(comments.map((comment) => [comment.id, comment.line, comment.start_line, comment.side])).toEqual([
      [fake.reviewComments[0]!.id, 23, null, 'RIGHT'],
      [fake.reviewComments[1]!.id, 22, 21, 'RIGHT'],
      [fake.reviewComments[2]!.id, 20, null, 'LEFT'],
    ]);
    expect(comments[0]!.diff_hunk).toBe(PATCH.split('\n').slice(6, 10).join('\n'));
    expect(comments[0]!.position).toBe(9);
    expect(fake.reviewComments[1]!.id).toBeGreaterThan(fake.reviewComments[0]!.id);
    expect(fake.reviews).toMatchObject([{ id: review.id, state: 'COMMENTED', event: 'COMMENT' }]);
    expect(fake.violations).toEqual([]);
  });

  it('rejects a comment on a line outside every hunk', async () => {
    const { fake, octokit } = await start();
    const request = octokit.rest.pulls.createReview({
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', line: 10, body: 'not in the diff' }],
    });
    expect(await statusOf(request)).toBe(422);
    expect(fake.violations).toEqual([
      expect.stringMatching(/line 10 \(RIGHT\) is not a line of the diff.*1-5, 21-24/),
    ]);
    expect(fake.reviews).toEqual([]);
  });

  it('rejects a deleted line on the RIGHT side, a file outside the pull request, and a binary file', async () => {
    const { fake, octokit } = await start();
    for (const comment of [
      { path: 'deploy/other.yaml', line: 1, body: 'x' },
      { path: 'charts/logo.png', line: 1, body: 'x' },
      { path: 'deploy/app.yaml', line: 5, side: 'LEFT', body: 'x' },
    ]) {
      const request = octokit.rest.pulls.createReview({
        ...pull,
        event: 'COMMENT',
        body: 'x',
        comments: [comment],
      });
      expect(await statusOf(request)).toBe(422);
    }
    expect(fake.violations).toEqual([
      expect.stringContaining('deploy/other.yaml is not a file of the pull request'),
      expect.stringContaining('charts/logo.png has no patch'),
      expect.stringContaining('line 5 (LEFT) is not a line of the diff'),
    ]);
  });

  it('rejects a start_line in another hunk, or not before line', async () => {
    const { fake, octokit } = await start();
    const spanning = octokit.rest.pulls.createReview({
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', start_line: 4, line: 22, body: 'spans two hunks' }],
    });
    expect(await statusOf(spanning)).toBe(422);
    const reversed = octokit.rest.pulls.createReview({
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', start_line: 22, line: 22, body: 'same line' }],
    });
    expect(await statusOf(reversed)).toBe(422);
    expect(fake.violations).toEqual([
      expect.stringContaining('start_line 4 and line 22 are in different hunks'),
      expect.stringContaining('start_line 22 must precede line 22'),
    ]);
  });

  it('rejects position together with line', async () => {
    const { fake, octokit } = await start();
    const request = octokit.rest.pulls.createReview({
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', position: 3, line: 3, body: 'both' }],
    });
    expect(await statusOf(request)).toBe(422);
    expect(fake.violations).toEqual([expect.stringContaining('position and line cannot be used together')]);
  });

  it('allows one pending review per user: a second review fails until the first is submitted or deleted', async () => {
    const { fake, octokit } = await start();
    const { data: pending } = await octokit.rest.pulls.createReview({ ...pull, body: 'draft' });
    expect(pending.state).toBe('PENDING');
    expect(
      await statusOf(octokit.rest.pulls.createReview({ ...pull, event: 'COMMENT', body: 'again' })),
    ).toBe(422);
    expect(fake.violations).toEqual([expect.stringContaining('already has pending review')]);
    await octokit.rest.pulls.deletePendingReview({ ...pull, review_id: pending.id });
    await octokit.rest.pulls.createReview({ ...pull, event: 'COMMENT', body: 'now it works' });
    expect(fake.reviews.map((review) => review.state)).toEqual(['COMMENTED']);
  });

  it('starts with a pending review left by an earlier run, which a careful client finds and submits', async () => {
    const { fake, octokit } = await start({ existingPendingReview: true });
    const { data: reviews } = await octokit.rest.pulls.listReviews(pull);
    const pending = reviews.find((review) => review.state === 'PENDING');
    expect(pending?.user?.login).toBe('github-actions[bot]');
    await octokit.rest.pulls.submitReview({
      ...pull,
      review_id: pending!.id,
      event: 'COMMENT',
      body: 'done',
    });
    expect(fake.reviews[0]).toMatchObject({ state: 'COMMENTED', body: 'done' });
    expect(fake.violations).toEqual([]);
  });

  it('rejects a body with an unknown property or a value of the wrong type, as the schema says', async () => {
    const { fake, octokit } = await start();
    const unknown = untyped(octokit, 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', line: 3, body: 'x', severity: 'high' }],
    });
    expect(await statusOf(unknown)).toBe(422);
    const wrongType = untyped(octokit, 'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      ...pull,
      event: 'COMMENT',
      body: 'x',
      comments: [{ path: 'deploy/app.yaml', line: 'x', body: 'x' }],
    });
    const error = await wrongType.catch(
      (caught: unknown) => caught as { status: number; response: { data: unknown } },
    );
    expect(error).toMatchObject({
      status: 422,
      response: {
        data: { message: 'Invalid request.', errors: [{ field: 'comments.0.line', code: 'invalid' }] },
      },
    });
    expect(fake.violations).toEqual([
      expect.stringContaining('body.comments.0.severity is not a permitted key'),
      expect.stringContaining('body.comments.0.line must be integer (got "x")'),
    ]);
  });

  it('updates and deletes comments of the workflow token, but not those of people', async () => {
    const { fake, octokit } = await start({
      existingReviewComments: [
        { id: 5, path: 'deploy/app.yaml', line: 23, body: 'old <!-- kube-token-guard:abc -->' },
        { id: 6, path: 'deploy/app.yaml', line: 3, body: 'a human', user: { login: 'alice' } },
      ],
    });
    const { data: listed } = await octokit.rest.pulls.listReviewComments(pull);
    expect(listed.map((comment) => [comment.id, comment.user?.login, comment.line])).toEqual([
      [5, 'github-actions[bot]', 23],
      [6, 'alice', 3],
    ]);
    await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: 5, body: 'new' });
    expect(fake.reviewComments[0]).toMatchObject({
      body: 'new',
      history: ['old <!-- kube-token-guard:abc -->', 'new'],
    });
    expect(
      await statusOf(octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: 6, body: 'x' })),
    ).toBe(403);
    await octokit.rest.pulls.deleteReviewComment({ ...repo, comment_id: 5 });
    expect(fake.reviewComments.map((comment) => comment.id)).toEqual([6]);
    expect(fake.deletedReviewComments.map((comment) => comment.id)).toEqual([5]);
    expect(fake.violations).toEqual([expect.stringContaining('written by alice')]);
  });

  it("answers GraphQL's viewer with the token's user, who authors what the token writes", async () => {
    const viewer = async (octokit: Octokit) =>
      (await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')).viewer.login;
    const workflowToken = await start();
    expect(await viewer(workflowToken.octokit)).toBe('github-actions[bot]');
    await workflowToken.fake.stop();

    const { fake, octokit } = await start({
      identity: { login: 'octo-maintainer' },
      existingReviewComments: [{ id: 5, path: 'deploy/app.yaml', line: 23, body: 'mine' }],
    });
    expect(await viewer(octokit)).toBe('octo-maintainer');
    await octokit.rest.pulls.createReview({
      ...pull,
      commit_id: HEAD,
      event: 'COMMENT',
      comments: [{ path: 'deploy/app.yaml', line: 3, side: 'RIGHT', body: 'new' }],
    });
    await octokit.rest.pulls.updateReviewComment({ ...repo, comment_id: 5, body: 'edited' });
    const { data: listed } = await octokit.rest.pulls.listReviewComments(pull);
    expect(listed.map((comment) => [comment.body, comment.user?.login, comment.user?.type])).toEqual([
      ['edited', 'octo-maintainer', 'User'],
      ['new', 'octo-maintainer', 'User'],
    ]);
    expect(fake.violations).toEqual([]);
  });
});

describe('check runs', () => {
  function annotations(count: number) {
    return Array.from({ length: count }, (_, index) => ({
      path: 'deploy/app.yaml',
      start_line: index + 1,
      end_line: index + 1,
      annotation_level: 'warning' as const,
      message: `finding ${index}`,
    }));
  }

  it('accumulates the annotations of the create request and of every update', async () => {
    const { fake, octokit } = await start();
    const { data: run } = await octokit.rest.checks.create({
      ...repo,
      name: 'kube-token-guard',
      head_sha: HEAD,
      status: 'in_progress',
      output: { title: 'Scanning', summary: 'first batch', annotations: annotations(50) },
    });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: run.id,
      conclusion: 'failure',
      output: { title: '3 findings', summary: 'done', text: 'details', annotations: annotations(20) },
    });
    expect(fake.checkRuns).toMatchObject([
      {
        id: run.id,
        name: 'kube-token-guard',
        head_sha: HEAD,
        status: 'completed',
        conclusion: 'failure',
        output: { title: '3 findings', summary: 'done', text: 'details' },
        updates: 1,
      },
    ]);
    expect(fake.checkRuns[0]!.annotations).toHaveLength(70);
    const { data: got } = await octokit.rest.checks.get({ ...repo, check_run_id: run.id });
    expect(got.output.annotations_count).toBe(70);
    expect(got.pull_requests.map((minimal) => minimal.number)).toEqual([NUMBER]);
    expect(fake.violations).toEqual([]);
  });

  it('rejects 51 annotations in one request', async () => {
    const { fake, octokit } = await start();
    const request = octokit.rest.checks.create({
      ...repo,
      name: 'kube-token-guard',
      head_sha: HEAD,
      output: { title: 't', summary: 's', annotations: annotations(51) },
    });
    expect(await statusOf(request)).toBe(422);
    expect(fake.violations).toEqual([
      expect.stringContaining('body.output.annotations must NOT have more than 50 items'),
    ]);
  });

  it('rejects a summary of 65536 characters, and accepts 65535', async () => {
    const { fake, octokit } = await start();
    const create = (summary: string) =>
      octokit.rest.checks.create({ ...repo, name: 'n', head_sha: HEAD, output: { title: 't', summary } });
    expect(await statusOf(create('x'.repeat(65536)))).toBe(422);
    await create('x'.repeat(65535));
    expect(fake.violations).toEqual([
      expect.stringContaining('body.output.summary must NOT have more than 65535'),
    ]);
  });

  it('afterHandling: does the work, then answers the fault (a lost answer)', async () => {
    const { fake, octokit } = await start({
      faults: [
        {
          operationId: 'checks/create',
          afterHandling: true,
          times: 1,
          respond: githubFaults.serverError(502),
        },
      ],
    });
    const create = () =>
      octokit.rest.checks.create({
        ...repo,
        name: 'n',
        head_sha: HEAD,
        output: { title: 't', summary: 's' },
      });
    expect(await statusOf(create())).toBe(502);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.faultHits).toEqual([1]);
    expect(fake.violations).toEqual([]);
  });

  it('counts a summary in UTF-8 bytes, as GitHub does, and refuses a lone surrogate', async () => {
    const { fake, octokit } = await start();
    const create = (summary: string) =>
      octokit.rest.checks.create({ ...repo, name: 'n', head_sha: HEAD, output: { title: 't', summary } });
    // 65,535 characters, 65,537 bytes.
    expect(await statusOf(create('x'.repeat(65534) + '…'))).toBe(422);
    expect(await statusOf(create('x\ud83d'))).toBe(422);
    await create('x'.repeat(65532) + '…');
    expect(fake.violations).toEqual([
      expect.stringContaining('summary exceeds a maximum bytesize of 65535'),
      expect.stringContaining('output.summary is not valid UTF-8'),
    ]);
  });

  it('rejects an output without a title, and completed without a conclusion', async () => {
    const { fake, octokit } = await start();
    const { data: run } = await octokit.rest.checks.create({ ...repo, name: 'n', head_sha: HEAD });
    const untitled = octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...repo,
      check_run_id: run.id,
      output: { summary: 's' },
    });
    expect(await statusOf(untitled)).toBe(422);
    const request = octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...repo,
      check_run_id: run.id,
      status: 'completed',
    });
    expect(await statusOf(request)).toBe(422);
    expect(fake.violations).toHaveLength(2);
    expect(fake.violations[0]).toContain('output.title is required');
  });

  it('records a check run on the merge commit: GitHub accepts it, but it never shows on the pull request', async () => {
    const { fake, octokit } = await start({ pull: { ...defaultPull(), mergeCommitSha: 'e'.repeat(40) } });
    await octokit.rest.checks.create({ ...repo, name: 'n', head_sha: 'e'.repeat(40) });
    expect(await statusOf(octokit.rest.checks.create({ ...repo, name: 'n', head_sha: 'f'.repeat(40) }))).toBe(
      422,
    );
    expect(fake.violations).toEqual([
      expect.stringContaining(
        '(the test merge commit (GITHUB_SHA of a pull_request run)), not on the pull request head',
      ),
      expect.stringContaining('is not a commit of the repository'),
    ]);
  });

  it('answers 403 without a violation when the token lacks checks: write', async () => {
    const { fake, octokit } = await start({ permissions: { checks: 'none' } });
    const error = await octokit.rest.checks
      .create({ ...repo, name: 'n', head_sha: HEAD })
      .catch((caught: unknown) => caught as { status: number; response: { data: { message: string } } });
    expect(error).toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
    expect(fake.checkRuns).toEqual([]);
    expect(fake.violations).toEqual([]);
  });
});

function defaultPull() {
  return {
    number: NUMBER,
    headSha: HEAD,
    baseSha: BASE,
    mergeBaseSha: MERGE_BASE,
    files: [file('deploy/app.yaml', PATCH)],
  };
}

describe('routing, authentication and pagination', () => {
  it('answers 404 for an endpoint GitHub does not have', async () => {
    const { fake, octokit } = await start();
    expect(
      await statusOf(octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/findings', pull)),
    ).toBe(404);
    expect(fake.violations).toEqual([expect.stringContaining("no operation of GitHub's REST API")]);
  });

  it('answers 404 for another repository or pull request', async () => {
    const { fake, octokit } = await start();
    expect(await statusOf(octokit.rest.pulls.get({ ...pull, repo: 'other' }))).toBe(404);
    expect(await statusOf(octokit.rest.pulls.listFiles({ ...pull, pull_number: 8 }))).toBe(404);
    expect(fake.violations).toEqual([
      expect.stringContaining('repository octo-org/other is not'),
      expect.stringContaining('pull_number 8 is not the pull request #7'),
    ]);
  });

  it('answers 401 without a token', async () => {
    const { fake } = await start();
    expect(await statusOf(client(fake).rest.pulls.get(pull))).toBe(401);
    expect(fake.violations).toEqual([expect.stringContaining('no authorization header')]);
  });

  it('rejects unknown query parameters', async () => {
    const { fake, octokit } = await start();
    expect(
      await statusOf(
        octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...pull, perPage: 100 }),
      ),
    ).toBe(422);
    expect(fake.violations).toEqual([expect.stringContaining('query.perPage is not a permitted key')]);
  });

  it('paginates 250 files over 3 pages with link headers', async () => {
    const files = Array.from({ length: 250 }, (_, index) => file(`deploy/app-${index}.yaml`, PATCH));
    const { fake, octokit } = await start({ pull: { ...defaultPull(), files } });
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pull, per_page: 100 });
    expect(listed.map((entry) => entry.filename)).toEqual(files.map((entry) => entry.filename));
    expect(
      fake.requests.map((request) => [request.operationId, request.query.page ?? '1', request.status]),
    ).toEqual([
      ['pulls/list-files', '1', 200],
      ['pulls/list-files', '2', 200],
      ['pulls/list-files', '3', 200],
    ]);
    const first = await octokit.rest.pulls.listFiles({ ...pull, per_page: 100 });
    expect(first.headers.link).toBe(
      `<${fake.url}/repos/${OWNER}/${REPO}/pulls/${NUMBER}/files?per_page=100&page=2>; rel="next", ` +
        `<${fake.url}/repos/${OWNER}/${REPO}/pulls/${NUMBER}/files?per_page=100&page=3>; rel="last"`,
    );
    const last = await octokit.rest.pulls.listFiles({ ...pull, per_page: 100, page: 3 });
    expect(last.data).toHaveLength(50);
    expect(last.headers.link).toContain('rel="prev"');
    expect(last.headers.link).not.toContain('rel="next"');
    expect(fake.violations).toEqual([]);
  });

  it('lists at most 3000 files, 100 a page at most', async () => {
    const files = Array.from({ length: 3005 }, (_, index) => file(`f${index}.yaml`));
    const { octokit } = await start({ pull: { ...defaultPull(), files }, validateResponses: false });
    const page = await octokit.rest.pulls.listFiles({ ...pull, per_page: 500 });
    expect(page.data).toHaveLength(100);
    const listed = await octokit.paginate(octokit.rest.pulls.listFiles, { ...pull, per_page: 100 });
    expect(listed).toHaveLength(3000);
  });
});

describe('contents, compare and issue comments', () => {
  it('serves files by ref (sha or branch), base64 or raw, and 404 for absent ones', async () => {
    const { fake, octokit } = await start({
      contents: { [HEAD]: { 'deploy/app.yaml': 'kind: Deployment\n' }, [BASE]: {} },
    });
    const { data } = await octokit.rest.repos.getContent({
      ...repo,
      path: 'deploy/app.yaml',
      ref: 'feature',
    });
    expect(data).toMatchObject({ type: 'file', encoding: 'base64', path: 'deploy/app.yaml' });
    const content = (data as { content: string }).content;
    expect(Buffer.from(content, 'base64').toString()).toBe('kind: Deployment\n');
    const raw = await octokit.rest.repos.getContent({
      ...repo,
      path: 'deploy/app.yaml',
      ref: HEAD,
      mediaType: { format: 'raw' },
    });
    expect(raw.data).toBe('kind: Deployment\n');
    const { data: listing } = await octokit.rest.repos.getContent({ ...repo, path: 'deploy', ref: HEAD });
    expect(listing).toMatchObject([{ type: 'file', name: 'app.yaml' }]);
    expect(
      await statusOf(octokit.rest.repos.getContent({ ...repo, path: 'deploy/app.yaml', ref: BASE })),
    ).toBe(404);
    expect(await statusOf(octokit.rest.repos.getContent({ ...repo, path: 'x', ref: 'nope' }))).toBe(404);
    expect(fake.violations).toEqual([]);
  });

  it('compares base and head with the merge base', async () => {
    const { octokit } = await start();
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${BASE}...${HEAD}`,
    });
    expect(data.merge_base_commit.sha).toBe(MERGE_BASE);
    expect(data.status).toBe('diverged');
  });

  it('creates, lists and updates issue comments', async () => {
    const { fake, octokit } = await start();
    const { data: created } = await octokit.rest.issues.createComment({
      ...repo,
      issue_number: NUMBER,
      body: 'a',
    });
    await octokit.rest.issues.updateComment({ ...repo, comment_id: created.id, body: 'b' });
    const { data: listed } = await octokit.rest.issues.listComments({ ...repo, issue_number: NUMBER });
    expect(listed.map((comment) => comment.body)).toEqual(['b']);
    expect(fake.issueComments).toMatchObject([{ id: created.id, history: ['a', 'b'] }]);
    expect(fake.violations).toEqual([]);
  });

  it('serves the pull request and the repository', async () => {
    const { fake, octokit } = await start({
      pull: { ...defaultPull(), headRepoFullName: 'someone/manifests' },
    });
    const { data } = await octokit.rest.pulls.get(pull);
    expect(data).toMatchObject({
      number: NUMBER,
      head: { sha: HEAD, repo: { full_name: 'someone/manifests', fork: true } },
    });
    const { data: repository } = await octokit.rest.repos.get(repo);
    expect(repository.default_branch).toBe('main');
    expect(fake.violations).toEqual([]);
  });
});

interface Failure {
  status: number;
  message: string;
  cause?: Error & { cause?: unknown };
  response: { headers: Record<string, string> };
}

/** The error of a request that must fail. */
async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('the request succeeded');
}

describe('fault injection', () => {
  it('answers matching requests with the fault as many times as asked, then handles them again', async () => {
    const { fake, octokit } = await start({
      faults: [
        { method: 'GET', operationId: 'pulls/list-files', times: 2, respond: githubFaults.serverError() },
      ],
    });
    expect(await statusOf(octokit.rest.pulls.listFiles(pull))).toBe(500);
    // Another operation, or another method on the same path, is not matched.
    await octokit.rest.pulls.get(pull);
    expect(await statusOf(octokit.rest.pulls.listFiles(pull))).toBe(500);
    const { data } = await octokit.rest.pulls.listFiles(pull);
    expect(data.map((entry) => entry.filename)).toEqual(['deploy/app.yaml', 'charts/logo.png']);
    expect(fake.requests.map((request) => [request.operationId, request.status, request.fault])).toEqual([
      ['pulls/list-files', 500, 0],
      ['pulls/get', 200, undefined],
      ['pulls/list-files', 500, 0],
      ['pulls/list-files', 200, undefined],
    ]);
    expect(fake.faultHits).toEqual([2]);
    expect(fake.violations).toEqual([]);
  });

  it('matches by path pattern and by the request body, and takes the first matching rule', async () => {
    const { fake, octokit } = await start();
    fake.addFault({
      path: /\/pulls\/\d+\/reviews$/,
      when: (request) => JSON.stringify(request.body).includes('"line":23'),
      respond: githubFaults.unplaceableReviewComment(),
    });
    fake.addFault({ path: /\/pulls\/\d+\/reviews$/, times: 1, respond: githubFaults.serverError(502) });
    const review = (line: number) =>
      octokit.rest.pulls.createReview({
        ...pull,
        commit_id: HEAD,
        event: 'COMMENT',
        comments: [{ path: 'deploy/app.yaml', line, side: 'RIGHT', body: 'a comment' }],
      });
    const refused = await failureOf(review(23));
    expect(refused).toMatchObject({ status: 422 });
    expect(refused.message).toContain('Pull request review thread line must be part of the diff');
    const unavailable = await failureOf(review(22));
    expect(unavailable.status).toBe(502);
    expect(unavailable.message).toContain('No server is currently available');
    await review(22);
    expect(fake.faultHits).toEqual([1, 1]);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments.map((comment) => comment.line)).toEqual([22]);
    expect(fake.violations).toEqual([]);
  });

  it('still validates a faulted request: what GitHub would reject stays a violation', async () => {
    const { fake, octokit } = await start({ faults: [{ respond: githubFaults.serverError() }] });
    expect(
      await statusOf(
        untyped(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...pull, page: 'x' }),
      ),
    ).toBe(422);
    expect(fake.faultHits).toEqual([0]);
    expect(fake.violations).toEqual([expect.stringContaining('invalid request')]);
  });

  it('resets the connection without an answer', async () => {
    const { fake, octokit } = await start({
      faults: [{ operationId: 'pulls/get', times: 1, respond: 'reset' }],
    });
    const error = await failureOf(octokit.rest.pulls.get(pull));
    // @octokit/request turns a failed fetch into a RequestError of status 500.
    expect(error).toMatchObject({ status: 500 });
    // The fetch failed because the other side closed the socket.
    expect(String(error.cause?.cause)).toMatch(/other side closed/i);
    const { data } = await octokit.rest.pulls.get(pull);
    expect(data.number).toBe(NUMBER);
    expect(fake.requests.map((request) => request.status)).toEqual([0, 200]);
    expect(fake.violations).toEqual([]);
  });

  it('answers rate limits as GitHub does: the primary with its reset time, the secondary with retry-after', async () => {
    const { octokit } = await start({
      faults: [
        { operationId: 'pulls/get', times: 1, respond: githubFaults.rateLimit(30) },
        { operationId: 'pulls/get', times: 1, respond: githubFaults.secondaryRateLimit(429, 2) },
      ],
    });
    const primary = await failureOf(octokit.rest.pulls.get(pull));
    expect(primary.status).toBe(403);
    expect(primary.response.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(primary.response.headers['x-ratelimit-reset']) - Date.now() / 1000;
    expect(reset).toBeGreaterThan(28);
    expect(reset).toBeLessThanOrEqual(30);
    const secondary = await failureOf(octokit.rest.pulls.get(pull));
    expect(secondary.status).toBe(429);
    expect(secondary.message).toMatch(/secondary rate limit/);
    expect(secondary.response.headers['retry-after']).toBe('2');
  });

  it('names the missing permission in a 403', async () => {
    const { fake, octokit } = await start({
      faults: [{ operationId: 'checks/create', respond: githubFaults.forbidden('checks=write') }],
    });
    const error = await failureOf(octokit.rest.checks.create({ ...repo, name: 'n', head_sha: HEAD }));
    expect(error.status).toBe(403);
    expect(error.response.headers['x-accepted-github-permissions']).toBe('checks=write');
    expect(fake.checkRuns).toEqual([]);
  });
});
