import type { GitHub } from './client.js';
import { statusOf } from './client.js';

/** A file's bytes at `ref`, or null when it does not exist there. */
export async function getFileContent(
  github: GitHub,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<Buffer | null> {
  try {
    const response = await github.rest.repos.getContent({ owner, repo, path, ref });
    const data = response.data;
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    return Buffer.from(data.content, 'base64');
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/** The merge base of the pull request, which the differential compares with (not the base branch's tip). */
export async function getMergeBase(
  github: GitHub,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<string> {
  const response = await github.rest.repos.compareCommitsWithBasehead({
    owner,
    repo,
    basehead: `${base}...${head}`,
    per_page: 1,
  });
  return response.data.merge_base_commit.sha;
}
