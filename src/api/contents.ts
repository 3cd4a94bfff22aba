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
    if (data.encoding === 'base64') return Buffer.from(data.content, 'base64');
    // Over 1 MB the JSON carries no content (encoding `none`): the raw media type gives the bytes (up to 100 MB).
    const raw = await github.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo,
      path,
      ref,
      mediaType: { format: 'raw' },
    });
    // Octokit reads a text or charset response as a string, anything else as bytes.
    const body: unknown = raw.data;
    if (typeof body === 'string') return Buffer.from(body, 'utf8');
    return body instanceof ArrayBuffer ? Buffer.from(new Uint8Array(body)) : null;
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

/** The entries the contents API lists of one folder at most. */
export const MAX_FOLDER_ENTRIES = 1000;

export interface FolderEntry {
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  path: string;
  /** Git's blob (or tree) id. */
  sha: string;
}

/** The entries of a folder at `ref`; an error when it is not a folder there, or holds more than the API lists. */
export async function listFolder(
  github: GitHub,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<FolderEntry[]> {
  const response = await github.rest.repos.getContent({ owner, repo, path, ref });
  if (!Array.isArray(response.data)) throw new Error(`${path} is not a folder at ${ref.slice(0, 7)}`);
  // The API lists the first 1,000 entries of a folder and says nothing of the others: a partial list is refused.
  if (response.data.length >= MAX_FOLDER_ENTRIES)
    throw new Error(`${path} holds ${MAX_FOLDER_ENTRIES} or more entries, more than the contents API lists`);
  return response.data.map((entry) => ({
    type: entry.type as FolderEntry['type'],
    path: entry.path,
    sha: entry.sha,
  }));
}
