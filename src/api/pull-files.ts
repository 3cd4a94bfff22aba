import type { components } from '@octokit/openapi-types';
import type { GitHub } from './client.js';

export type PullFile = components['schemas']['diff-entry'];

/** GitHub lists at most 3000 files of a pull request. */
export const MAX_PULL_FILES = 3000;

export async function listPullFiles(
  github: GitHub,
  owner: string,
  repo: string,
  pullNumber: number,
): Promise<PullFile[]> {
  const files: PullFile[] = [];
  for await (const page of github.paginate.iterator(github.rest.pulls.listFiles, {
    owner,
    repo,
    pull_number: pullNumber,
    per_page: 100,
  })) {
    files.push(...(page.data as PullFile[]));
    if (files.length >= MAX_PULL_FILES) break;
  }
  return files.slice(0, MAX_PULL_FILES);
}
