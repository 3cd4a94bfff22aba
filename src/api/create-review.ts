import type { GitHub } from './client.js';

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
    body,
    comments,
  });
  return response.data.id;
}
