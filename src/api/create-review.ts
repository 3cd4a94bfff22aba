import { randomBytes } from 'node:crypto';
import { withoutBidiControls } from '../core/display-text.js';
import { fitChars } from '../core/text-limits.js';
import { type GitHub, apiErrorDetail, statusOf, writeOnce } from './client.js';

/** GitHub refuses (422) a review body or a review comment body longer than this (characters). */
export const MAX_REVIEW_BODY_CHARS = 65536;

export interface DraftReviewComment {
  path: string;
  line: number;
  start_line?: number;
  side: 'RIGHT';
  start_side?: 'RIGHT';
  body: string;
}

/**
 * Posts one review with all its inline comments at once (event COMMENT: it neither approves nor blocks). The body
 * starts with an id of this review, in an HTML comment no reader sees: when GitHub's answer is lost, the review is
 * looked for by it, and posted again only when it is not there (never twice).
 */
export async function createReview(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
  commitId: string,
  body: string,
  comments: DraftReviewComment[],
): Promise<number> {
  const marker = `<!-- kube-token-guard:review=${randomBytes(12).toString('hex')} -->`;
  return writeOnce(
    'the review',
    async () => {
      const response = await github.rest.pulls.createReview({
        owner,
        repo,
        pull_number: pullNumber,
        commit_id: commitId,
        event: 'COMMENT',
        body: fitChars(`${marker}\n${withoutBidiControls(body)}`, MAX_REVIEW_BODY_CHARS),
        comments: comments.map(renderable),
      });
      return response.data.id;
    },
    async () => {
      const reviews = await github.paginate(github.rest.pulls.listReviews, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      return reviews.find((review) => review.body?.startsWith(marker))?.id;
    },
  );
}

/**
 * A comment as GitHub renders it: without bidirectional controls, whatever its builder let through, so that no text
 * from the pull request can reorder what a reviewer reads (their escapes show instead); within GitHub's size.
 */
function renderable(comment: DraftReviewComment): DraftReviewComment {
  return { ...comment, body: commentBody(comment.body) };
}

/**
 * A review comment's body as sent: escaped, then cut to GitHub's size when over. A cut comment offers no suggestion
 * (accepting part of one would commit part of a fix: its block is shown as YAML), and keeps its last line, where the
 * Action's marker is, so that later runs still know the comment.
 */
export function commentBody(body: string): string {
  const escaped = withoutBidiControls(body);
  if (escaped.length <= MAX_REVIEW_BODY_CHARS) return escaped;
  const lastBreak = escaped.lastIndexOf('\n');
  const tail = lastBreak >= 0 && escaped.length - lastBreak <= 1024 ? escaped.slice(lastBreak) : '';
  const head = escaped
    .slice(0, escaped.length - tail.length)
    .replace(/^(````+)suggestion(\r?)$/gm, '$1yaml$2');
  return fitChars(head, MAX_REVIEW_BODY_CHARS - tail.length, '\n\n… (truncated)') + tail;
}

/** GitHub refuses a new review while the token's user has a pending one on the pull request. */
export function isPendingReviewConflict(error: unknown): boolean {
  return (
    statusOf(error) === 422 && /pending review/i.test(error instanceof Error ? error.message : String(error))
  );
}

/**
 * What a review refused with 422 was refused for, as far as GitHub's answer tells: `commit` (the commit is no longer
 * part of the pull request: its head moved), `other` (the review body, pacing: nothing a comment changes), else
 * `comments` (a comment GitHub cannot place, which it does not name). Null for another status or a pending review.
 */
export function reviewRefusal(error: unknown): 'commit' | 'comments' | 'other' | null {
  if (statusOf(error) !== 422 || isPendingReviewConflict(error)) return null;
  const said = `${apiErrorDetail(error)} ${error instanceof Error ? error.message : ''}`;
  if (/commit_id|is not part of the pull request/i.test(said)) return 'commit';
  if (/submitted too quickly|review body|body is too long|not permitted to approve/i.test(said))
    return 'other';
  return 'comments';
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
    // Refused for its comments; a refusal for anything else (pacing, the commit) answers nothing about them.
    if (reviewRefusal(error) === 'comments') return false;
    throw error;
  }
  await deletePending(github, owner, repo, pullNumber, reviewId);
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
    await deletePending(github, owner, repo, pullNumber, review.id);
  }
  return pending.length;
}

/**
 * Deletes a pending review; one already gone (404) is what was asked. A deletion is repeated after a lost answer, and
 * the repeat of one GitHub made finds nothing to delete.
 */
async function deletePending(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
  reviewId: number,
): Promise<void> {
  try {
    await github.rest.pulls.deletePendingReview({
      owner,
      repo,
      pull_number: pullNumber,
      review_id: reviewId,
    });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}
