/**
 * Completing a checkout that lacks the commits a review compares: a plain `actions/checkout` of a `pull_request` event
 * holds only the test merge commit, one commit deep, neither the pull request's head nor its merge base.
 */
import * as core from '@actions/core';
import type { GitRepository } from '../adapters/git.js';

/**
 * Fetches a commit the checkout lacks (a plain `actions/checkout` of a `pull_request` event holds only the test merge
 * commit, one commit deep) from the remote it was cloned from. True when git has it afterwards.
 */
export async function fetchMissing(git: GitRepository, sha: string, what: string): Promise<boolean> {
  if (await git.hasCommit(sha)) return true;
  const started = performance.now();
  const fetched = (await git.fetchCommits([sha])).includes(sha);
  core.info(
    fetched
      ? `Fetched ${what} ${sha.slice(0, 7)}, which the checkout lacked, in ${Math.round(performance.now() - started)} ms.`
      : `The checkout lacks ${what} ${sha.slice(0, 7)} and it could not be fetched from the remote \`origin\`.`,
  );
  return fetched;
}
