/**
 * The files a pull request changes. GitHub lists at most 3,000 of them; a pull request changing more must not hide a
 * finding in the 3,001st file (files are listed in path order, so naming files to sort first would push any file out).
 */
import * as core from '@actions/core';
import type { GitRepository } from '../adapters/git.js';
import { type GitHub, statusOf } from '../api/client.js';
import { MAX_PULL_FILES, type PullFile, listPullFiles } from '../api/pull-files.js';
import { ConfigurationError } from '../config/errors.js';
import { plural } from '../core/words.js';
import { fetchMissing } from './checkout.js';
import type { PullRequestContext } from './context.js';
import { permissionHint, since } from './hints.js';
import { findMergeBase } from './merge-base.js';

/**
 * Every file the pull request changes: GitHub's list, completed from git's diff of the merge base and the head when
 * GitHub stops at 3,000. The files only git names carry no patch (no inline comment can go on them; their findings
 * are reported in the check run and the summary). When neither can list them all, the run fails: a check that has
 * not read every file of the pull request cannot pass it.
 */
export async function listChangedFiles(
  github: GitHub,
  git: GitRepository,
  pr: PullRequestContext,
): Promise<PullFile[]> {
  const started = performance.now();
  const listed = await listPullFiles(github, pr.owner, pr.repo, pr.number).catch((error: unknown) => {
    // A server error that outlived the retries is reported by run() with the request it was.
    if ((statusOf(error) ?? 0) >= 500) throw error;
    throw new Error(`cannot list the pull request's files: ${permissionHint(error, 'pull-requests: read')}`);
  });
  if (!isCut(listed.length, pr.changedFiles)) {
    core.info(
      `Pull request #${pr.number} changes ${plural(listed.length, 'file')} (listed in ${since(started)}).`,
    );
    return listed;
  }
  const counted = pr.changedFiles === null ? 'more' : pr.changedFiles.toLocaleString('en-US');
  core.info(
    `Pull request #${pr.number} changes ${counted} files; GitHub lists the first ${MAX_PULL_FILES.toLocaleString('en-US')}: ` +
      'the rest are read from git.',
  );
  const mergeBase = await findMergeBase(github, git, pr);
  const present =
    (await fetchMissing(git, pr.headSha, 'the pull request head')) &&
    (await fetchMissing(git, mergeBase, 'the merge base'));
  const diff = present ? await git.changedFiles(mergeBase, pr.headSha).catch(() => null) : null;
  if (diff === null) {
    throw new ConfigurationError(
      `pull request #${pr.number} changes ${counted} files, GitHub lists only the first ${MAX_PULL_FILES.toLocaleString('en-US')}, ` +
        'and the checkout lacks the commits to list the others: they cannot be checked, so the check fails. ' +
        'Check out with `fetch-depth: 0` (actions/checkout) and `persist-credentials` left on, or split the pull request.',
    );
  }
  const known = new Set(listed.map((file) => file.filename));
  const added: PullFile[] = diff
    .filter((entry) => !known.has(entry.path))
    .map((entry) => ({
      sha: entry.blob,
      filename: entry.path,
      status: entry.status,
      ...(entry.previousPath === undefined ? {} : { previous_filename: entry.previousPath }),
      additions: 0,
      deletions: 0,
      changes: 0,
      blob_url: '',
      raw_url: '',
      contents_url: '',
    }));
  core.info(
    `Read ${plural(added.length, 'more changed file')} from git's diff of the merge base ${mergeBase.slice(0, 7)} and ` +
      `the head in ${since(started)}; no inline comment can go on them.`,
  );
  return [...listed, ...added];
}

/** True when GitHub's list of a pull request's files may have stopped short of them all. */
export function isCut(listed: number, changedFiles: number | null): boolean {
  return listed >= MAX_PULL_FILES && (changedFiles === null || changedFiles > listed);
}
