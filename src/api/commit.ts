import { setTimeout as sleep } from 'node:timers/promises';
import * as core from '@actions/core';
import type { GitHub } from './client.js';
import { apiErrorDetail, isAmbiguousFailure, statusOf } from './client.js';

export interface FileAddition {
  path: string;
  /** New contents of the file. */
  contents: string;
}

export interface CommitRequest {
  owner: string;
  repo: string;
  branch: string;
  /** The head the scan saw: the commit is refused if the branch moved since. */
  expectedHeadOid: string;
  headline: string;
  body: string;
  files: FileAddition[];
}

export type CommitResult =
  | { kind: 'committed'; oid: string; via: 'graphql' | 'git-data' }
  | { kind: 'head-moved'; current: string | null }
  | { kind: 'forbidden'; message: string }
  /** GitHub refused the commit otherwise: a branch protection rule or ruleset, a server error, anything else. */
  | { kind: 'refused'; message: string };

/** GitHub's own commit of file changes: verified (signed by GitHub) and refused when the branch moved. */
const CREATE_COMMIT = `
mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url }
  }
}`;

interface GraphqlFailure {
  status?: number;
  errors?: { type?: string; message?: string }[];
  message?: string;
}

/**
 * Commits the files on the branch with `createCommitOnBranch`; where GraphQL or the mutation is not available (older
 * GitHub Enterprise Server), with the Git Data API (blob-less tree, commit, fast-forward ref update).
 */
export async function commitFiles(github: GitHub, request: CommitRequest): Promise<CommitResult> {
  // The mutation is not repeated by the client (it is not repeatable in general); this one is, once: it names the
  // head it expects, so a second attempt after a lost answer cannot commit twice, and says STALE_DATA instead.
  let answerLost = false;
  for (;;) {
    try {
      return await commitWithGraphql(github, request);
    } catch (error) {
      const failure = error as GraphqlFailure;
      const errors = failure.errors ?? [];
      const types = errors.map((entry) => entry.type);
      if (types.includes('STALE_DATA') || (errors.length === 0 && answerLost && isAmbiguousFailure(error))) {
        // After a lost answer, the branch may have moved by this very commit.
        if (answerLost) {
          const landed = await landedCommit(github, request).catch(() => null);
          if (landed !== null) return { kind: 'committed', oid: landed, via: 'graphql' };
        }
        if (types.includes('STALE_DATA')) return { kind: 'head-moved', current: null };
        return { kind: 'refused', message: apiErrorDetail(error) };
      }
      if (errors.length === 0 && isAmbiguousFailure(error)) {
        answerLost = true;
        core.info(
          `Autofix commit: ${apiErrorDetail(error)}; trying again (a commit already made answers STALE_DATA).`,
        );
        await sleep(COMMIT_AGAIN_AFTER_MS);
        continue;
      }
      if (types.includes('FORBIDDEN')) {
        const forbidden = errors.find((entry) => entry.type === 'FORBIDDEN');
        return { kind: 'forbidden', message: forbidden?.message ?? 'forbidden' };
      }
      const unavailable =
        statusOf(error) === 404 ||
        errors.some((entry) => /createCommitOnBranch|CreateCommitOnBranchInput/.test(entry.message ?? ''));
      // Anything else (BRANCH_PROTECTION_RULE_VIOLATION, a ruleset, UNPROCESSABLE, a server error) leaves the branch
      // as it was: the run goes on without the commit.
      if (!unavailable) return { kind: 'refused', message: graphqlDetail(error) };
      return commitWithGitData(github, request);
    }
  }
}

/** The wait before the commit is tried again after a lost answer. */
const COMMIT_AGAIN_AFTER_MS = 1000;

async function commitWithGraphql(github: GitHub, request: CommitRequest): Promise<CommitResult> {
  const response = await github.graphql<{ createCommitOnBranch: { commit: { oid: string } } }>(
    CREATE_COMMIT,
    {
      input: {
        branch: { repositoryNameWithOwner: `${request.owner}/${request.repo}`, branchName: request.branch },
        expectedHeadOid: request.expectedHeadOid,
        message: { headline: request.headline, body: request.body },
        fileChanges: {
          additions: request.files.map((file) => ({
            path: file.path,
            contents: Buffer.from(file.contents, 'utf8').toString('base64'),
          })),
        },
      },
    },
  );
  return { kind: 'committed', oid: response.createCommitOnBranch.commit.oid, via: 'graphql' };
}

/**
 * The commit this request made, when the branch's head is it: its only parent is the expected head and its message
 * is the request's (which carries the autofix trailer). Null when the branch is elsewhere.
 */
async function landedCommit(github: GitHub, request: CommitRequest): Promise<string | null> {
  const { owner, repo } = request;
  const ref = await github.rest.git.getRef({ owner, repo, ref: `heads/${request.branch}` });
  const head = ref.data.object.sha;
  if (head === request.expectedHeadOid) return null;
  const commit = await github.rest.git.getCommit({ owner, repo, commit_sha: head });
  const parents = commit.data.parents.map((parent) => parent.sha);
  const message = commit.data.message.replace(/\r\n/g, '\n');
  return parents.length === 1 &&
    parents[0] === request.expectedHeadOid &&
    message.startsWith(request.headline) &&
    message.includes(request.body.trim())
    ? head
    : null;
}

/** What GitHub said of a failed mutation: its errors' messages (with their types), else the request's failure. */
function graphqlDetail(error: unknown): string {
  const errors = (error as GraphqlFailure).errors ?? [];
  const listed = errors
    .filter((entry) => entry.message)
    .map((entry) => (entry.type ? `${entry.type}: ${entry.message}` : entry.message!));
  return listed.length > 0 ? listed.join('; ') : apiErrorDetail(error);
}

async function commitWithGitData(github: GitHub, request: CommitRequest): Promise<CommitResult> {
  const { owner, repo } = request;
  try {
    const ref = await github.rest.git.getRef({ owner, repo, ref: `heads/${request.branch}` });
    if (ref.data.object.sha !== request.expectedHeadOid)
      return { kind: 'head-moved', current: ref.data.object.sha };
    const parent = await github.rest.git.getCommit({ owner, repo, commit_sha: request.expectedHeadOid });
    const tree = await github.rest.git.createTree({
      owner,
      repo,
      base_tree: parent.data.tree.sha,
      tree: request.files.map((file) => ({
        path: file.path,
        mode: '100644' as const,
        type: 'blob' as const,
        content: file.contents,
      })),
    });
    const commit = await github.rest.git.createCommit({
      owner,
      repo,
      message: `${request.headline}\n\n${request.body}`,
      tree: tree.data.sha,
      parents: [request.expectedHeadOid],
    });
    try {
      await github.rest.git.updateRef({
        owner,
        repo,
        ref: `heads/${request.branch}`,
        sha: commit.data.sha,
        force: false,
      });
    } catch (error) {
      // Only a branch that moved is no fast-forward; a protected branch or a ruleset refuses with 422 too.
      if (statusOf(error) === 422 && /fast.forward/i.test(apiErrorDetail(error)))
        return { kind: 'head-moved', current: null };
      throw error;
    }
    return { kind: 'committed', oid: commit.data.sha, via: 'git-data' };
  } catch (error) {
    if (statusOf(error) === 403 || statusOf(error) === 404) {
      return { kind: 'forbidden', message: (error as Error).message };
    }
    return { kind: 'refused', message: apiErrorDetail(error) };
  }
}
