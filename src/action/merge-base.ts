import * as core from '@actions/core';
import { decodeFile } from '../adapters/files.js';
import type { GitRepository } from '../adapters/git.js';
import type { GitHub } from '../api/client.js';
import { getFileContent, getMergeBase } from '../api/contents.js';
import type { PullFile } from '../api/pull-files.js';
import type { PullRequestContext } from './context.js';
import { permissionHint } from './hints.js';
import { fetchMissing } from './checkout.js';

/** Base files read one request each when the checkout lacks the merge base. */
const MAX_BASE_FILES_THROUGH_API = 30;

/** The merge bases found, per checkout and pair of commits. */
const found = new WeakMap<GitRepository, Map<string, Promise<string>>>();

/**
 * The pull request's merge base, which GitHub compares its head with: from git when the checkout holds the base and the
 * head with their history, else from the API; the base branch's tip when neither can say (with a warning). Found once
 * a run: a pull request GitHub lists in part asks for it first (changed-files.ts), then its base files do.
 */
export function findMergeBase(github: GitHub, git: GitRepository, pr: PullRequestContext): Promise<string> {
  let known = found.get(git);
  if (known === undefined) found.set(git, (known = new Map()));
  const key = `${pr.baseSha}...${pr.headSha}`;
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = lookUpMergeBase(github, git, pr)));
  return answer;
}

async function lookUpMergeBase(github: GitHub, git: GitRepository, pr: PullRequestContext): Promise<string> {
  const fromGit = (await git.hasCommit(pr.baseSha)) && (await git.hasCommit(pr.headSha));
  const found = fromGit ? await git.mergeBase(pr.baseSha, pr.headSha) : null;
  if (found) return found;
  return getMergeBase(github, pr.owner, pr.repo, pr.baseSha, pr.headSha).catch((error: unknown) => {
    core.warning(
      `Cannot find the merge base (${permissionHint(error, 'contents: read')}); comparing with the base branch tip.`,
    );
    return pr.baseSha;
  });
}

/**
 * Contents of the changed files at the merge base (the differential's reference, not the base branch's tip): from git
 * when the checkout has it, else from the API. Null for files that did not exist there.
 */
export async function readBase(
  github: GitHub,
  git: GitRepository,
  pr: PullRequestContext,
  files: PullFile[],
): Promise<{ texts: Map<string, string | null>; mergeBase: string }> {
  const paths = files
    .filter((file) => file.status !== 'added')
    .map((file) => file.previous_filename ?? file.filename);
  const result = new Map<string, string | null>(paths.map((path) => [path, null]));
  const mergeBase = await findMergeBase(github, git, pr);
  if ((await git.isRepository()) && (await fetchMissing(git, mergeBase, 'the merge base'))) {
    const contents = await git.readFiles(mergeBase, paths);
    for (const [path, buffer] of contents) {
      const decoded = decodeFile(path, buffer);
      result.set(path, 'text' in decoded ? decoded.text : null);
    }
    return { texts: result, mergeBase };
  }
  // Only files the scan could read matter; the others' base versions would not be scanned anyway. Each is a request,
  // so a bounded number is read: the findings of the rest count as new, which can only fail more, never hide one.
  const readable = paths.filter((path) => /\.(ya?ml|json)$/i.test(path));
  const wanted = readable.slice(0, MAX_BASE_FILES_THROUGH_API);
  core.info(
    `The checkout lacks the merge base ${mergeBase.slice(0, 7)}: reading ${wanted.length} base files through the API` +
      (readable.length > wanted.length
        ? ` (of ${readable.length}: the findings of the other ${readable.length - wanted.length} count as new; check out with \`fetch-depth: 0\`).`
        : '.'),
  );
  for (const path of wanted) {
    const buffer = await getFileContent(github, pr.owner, pr.repo, path, mergeBase);
    if (!buffer) continue;
    const decoded = decodeFile(path, buffer);
    result.set(path, 'text' in decoded ? decoded.text : null);
  }
  return { texts: result, mergeBase };
}
