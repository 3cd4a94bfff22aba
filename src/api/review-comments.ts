import type { components } from '@octokit/openapi-types';
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
  await github.rest.pulls.updateReviewComment({ owner, repo, comment_id: commentId, body });
}
