import type { components } from '@octokit/openapi-types';
import type { GitHub } from './client.js';
import { commentBody } from './create-review.js';

export type ReviewComment = components['schemas']['pull-request-review-comment'];

/** Pages of review comments read (100 each): a pull request's comment count does not set a run's request count. */
export const MAX_REVIEW_COMMENT_PAGES = 10;

export async function listReviewComments(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<ReviewComment[]> {
  const comments: ReviewComment[] = [];
  let pages = 0;
  for await (const page of github.paginate.iterator(github.rest.pulls.listReviewComments, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  })) {
    comments.push(...(page.data as ReviewComment[]));
    if (++pages >= MAX_REVIEW_COMMENT_PAGES) break;
  }
  return comments;
}

export async function updateReviewComment(
  github: GitHub,
  owner: string,
  repo: string,
  commentId: number,
  body: string,
): Promise<void> {
  // Rendered for reviewers: no bidirectional controls, within GitHub's size (see create-review.ts).
  await github.rest.pulls.updateReviewComment({
    owner,
    repo,
    comment_id: commentId,
    body: commentBody(body),
  });
}
