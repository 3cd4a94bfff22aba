import type { components } from '@octokit/openapi-types';
import { withoutBidiControls } from '../core/display-text.js';
import type { GitHub } from './client.js';

export type ReviewComment = components['schemas']['pull-request-review-comment'];

export async function listReviewComments(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<ReviewComment[]> {
  return (await github.paginate(github.rest.pulls.listReviewComments, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  })) as ReviewComment[];
}

export async function updateReviewComment(
  github: GitHub,
  owner: string,
  repo: string,
  commentId: number,
  body: string,
): Promise<void> {
  // Rendered for reviewers: no bidirectional controls (see create-review.ts).
  await github.rest.pulls.updateReviewComment({
    owner,
    repo,
    comment_id: commentId,
    body: withoutBidiControls(body),
  });
}
