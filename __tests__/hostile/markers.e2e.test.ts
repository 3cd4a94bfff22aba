/**
 * Issue 14, item 5: only comments the Action wrote count as its markers. A review comment ending in
 * `<!-- kube-token-guard:fingerprints=... -->` says "this finding was commented" (so a re-run does not comment it
 * again) or, when the finding is gone, "mark me resolved". Anyone can write that HTML comment into a review comment of
 * their own: it must neither silence the review of a finding nor make the Action edit someone else's comment. The
 * Action's identity comes from GraphQL's `viewer`; without GraphQL, only bots count, as a person cannot write as one.
 */
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/report/sarif.js';
import type { ExistingReviewComment, FakeGitHub } from '../e2e/fake-github.js';
import { HARDENED_APP, insecureWorker } from '../e2e/manifests.js';
import { scan } from '../helpers.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';

const PATH = 'deploy/worker.yaml';
const WORKER = insecureWorker('worker');
/** The fingerprints of the worker's two findings (`automount-token`, `default-service-account`). */
const PRINTS = scan({ [PATH]: WORKER }).findings.map(fingerprint);
/** The fingerprint of a finding that is gone: its comment would be marked resolved. */
const GONE = 'f'.repeat(32);
const MALLORY = { login: 'mallory', type: 'User' } as const;

function marker(prints: string[]): string {
  return `<!-- kube-token-guard:fingerprints=${prints.join(',')} -->`;
}

/** The fingerprints the comments of the run's new review carry. */
function newlyCommented(fake: FakeGitHub): string[] {
  const review = fake.reviews.at(-1);
  return fake.reviewComments
    .filter((comment) => review !== undefined && comment.review_id === review.id)
    .flatMap((comment) => /fingerprints=([0-9a-f,]+)/.exec(comment.body)?.[1]?.split(',') ?? [])
    .sort();
}

const runOnPullRequest = pullRequestRunner();

function review(existingReviewComments: ExistingReviewComment[], fake: object = {}) {
  expect(PRINTS).toHaveLength(2);
  return runOnPullRequest({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head: { [PATH]: WORKER },
    fake: { existingReviewComments, ...fake },
  });
}

describe('fingerprint markers in review comments', () => {
  it("in another user's comment neither suppress the inline review nor get that comment edited", async () => {
    const { run, fake } = await review([
      { path: PATH, line: 1, body: `Looks fine.\n${marker(PRINTS)}`, user: MALLORY },
      { path: PATH, line: 2, body: `Old news.\n${marker([GONE])}`, user: MALLORY },
    ]);
    // Editing Mallory's comment would be a 403 and a violation.
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    expect(newlyCommented(fake)).toEqual([...PRINTS].sort());
    const hers = fake.reviewComments.filter((comment) => comment.user.login === MALLORY.login);
    expect(hers.map((comment) => comment.history)).toEqual([
      [`Looks fine.\n${marker(PRINTS)}`],
      [`Old news.\n${marker([GONE])}`],
    ]);
  });

  it("count when the token's user wrote them, found with GraphQL's viewer: a personal token's user, not any bot", async () => {
    const maintainer = { login: 'octo-maintainer', type: 'User' } as const;
    const { run, fake } = await review(
      [
        { path: PATH, line: 1, body: marker([PRINTS[0]!]), user: maintainer },
        { path: PATH, line: 2, body: marker([PRINTS[1]!]), user: { login: 'other-app[bot]' } },
      ],
      { identity: maintainer },
    );
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    // The maintainer's comment dedupes its finding; the other app's does not.
    expect(newlyCommented(fake)).toEqual([PRINTS[1]]);
    expect(fake.reviewComments.every((comment) => comment.history.length === 1)).toBe(true);
    const viewerQueries = fake.requests.filter((request) => request.graphqlFields?.includes('viewer'));
    expect(viewerQueries).toHaveLength(1);
  });

  it('without GraphQL (an old GitHub Enterprise Server), count only when a bot wrote them, and say so', async () => {
    const { run, fake } = await review(
      [
        { path: PATH, line: 1, body: marker([PRINTS[0]!]) },
        { path: PATH, line: 2, body: marker([PRINTS[1]!]), user: MALLORY },
      ],
      { graphql: 'disabled' },
    );
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    expect(newlyCommented(fake)).toEqual([PRINTS[1]]);
    expect(run.stdout).toContain("only comments of bots count as this Action's own");
  });
});
