import type { components } from '@octokit/openapi-types';
import type { GitHub } from './client.js';

export type PullRequest = components['schemas']['pull-request'];

export async function getPullRequest(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<PullRequest> {
  const { data } = await github.rest.pulls.get({ owner, repo, pull_number: pullNumber });
  return data as PullRequest;
}
