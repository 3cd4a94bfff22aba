import { withoutBidiControls } from '../core/display-text.js';
import { type GitHub, statusOf } from './client.js';

export interface DraftReviewComment {
  path: string;
  line: number;
  start_line?: number;
  side: 'RIGHT';
  start_side?: 'RIGHT';
  body: string;
}

/** Posts one review with all its inline comments at once (event COMMENT: it neither approves nor blocks). */
export async function createReview(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
  commitId: string,
  body: string,
  comments: DraftReviewComment[],
): Promise<number> {
  const response = await github.rest.pulls.createReview({
    owner,
    repo,
    pull_number: pullNumber,
    commit_id: commitId,
    event: 'COMMENT',
    body: withoutBidiControls(body),
    comments: comments.map(renderable),
  });
  return response.data.id;
}

/**
 * A comment as GitHub renders it: without bidirectional controls, whatever its builder let through, so that no text
 * from the pull request can reorder what a reviewer reads (their escapes show instead).
 */
function renderable(comment: DraftReviewComment): DraftReviewComment {
  return { ...comment, body: withoutBidiControls(comment.body) };
}

/** GitHub refuses a new review while the token's user has a pending one on the pull request. */
export function isPendingReviewConflict(error: unknown): boolean {
  return (
    statusOf(error) === 422 && /pending review/i.test(error instanceof Error ? error.message : String(error))
  );
}

/**
 * Whether GitHub accepts these inline comments, found out without publishing anything: they are created as a pending
 * review (which only the token's user sees) and deleted at once. False when GitHub refuses them (422).
 */
export async function acceptsReviewComments(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
  commitId: string,
  comments: DraftReviewComment[],
): Promise<boolean> {
  let reviewId: number;
  try {
    // Without an event the review stays pending.
    const response = await github.rest.pulls.createReview({
      owner,
      repo,
      pull_number: pullNumber,
      commit_id: commitId,
      comments: comments.map(renderable),
    });
    reviewId = response.data.id;
  } catch (error) {
    if (statusOf(error) === 422 && !isPendingReviewConflict(error)) return false;
    throw error;
  }
  await github.rest.pulls.deletePendingReview({ owner, repo, pull_number: pullNumber, review_id: reviewId });
  return true;
}

/**
 * Deletes the token's own pending reviews (only their author can see them): GitHub allows one per user and pull
 * request, and a leftover one from an interrupted run would refuse every new review.
 */
export async function deletePendingReviews(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<number> {
  const reviews = await github.paginate(github.rest.pulls.listReviews, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  const pending = reviews.filter((review) => review.state === 'PENDING');
  for (const review of pending) {
    await github.rest.pulls.deletePendingReview({
      owner,
      repo,
      pull_number: pullNumber,
      review_id: review.id,
    });
  }
  return pending.length;
}
