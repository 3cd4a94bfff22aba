/**
 * The repository at the pull request's head, whatever the checkout. A plain `actions/checkout` of a `pull_request`
 * event checks out the test merge commit, one commit deep: its files are the head's merged with the base branch's later
 * changes, so a file both changed reads otherwise than the head GitHub shows. Lines of such content must never carry a
 * comment, a suggestion or an annotation: the head's version is read through the API, or the file is not judged.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readlink } from 'node:fs/promises';
import * as core from '@actions/core';
import {
  type CollectedFiles,
  MAX_FILE_BYTES,
  collectFiles,
  collectFromGit,
  decodeFile,
} from '../adapters/files.js';
import type { GitRepository } from '../adapters/git.js';
import { insidePath, resolvesInside } from '../adapters/links.js';
import type { GitHub } from '../api/client.js';
import { getFileContent } from '../api/contents.js';
import type { PullFile } from '../api/pull-files.js';
import type { ResolvedConfig } from '../config/config.js';
import type { Finding } from '../core/types.js';
import { logText } from './annotations.js';
import type { PullRequestContext } from './context.js';
import type { ActionInputs } from './inputs.js';
import { permissionHint } from './hints.js';

/** Head files read one request each when the workspace holds other versions of them. */
const MAX_HEAD_FILES_THROUGH_API = 50;

export interface HeadFiles {
  collected: CollectedFiles;
  /** Read from git's objects at the head (the workspace is elsewhere): charts are rendered from there too. */
  fromGit: boolean;
  /** Changed files whose head version could not be read: not judged (an error each), nothing anchored on them. */
  notAtHead: Set<string>;
}

/** The repository at the pull request's head: the workspace when it is checked out there, else git's objects. */
export async function readHead(
  github: GitHub,
  git: GitRepository,
  inputs: ActionInputs,
  config: ResolvedConfig,
  pr: PullRequestContext,
  files: readonly PullFile[],
): Promise<HeadFiles> {
  const checkedOut = await git.head();
  const notAtHead = new Set<string>();
  if (checkedOut !== pr.headSha && (await git.hasCommit(pr.headSha))) {
    core.info(
      `The workspace is at ${checkedOut?.slice(0, 7) ?? 'no commit'}; reading the pull request head ${pr.headSha.slice(0, 7)} from git.`,
    );
    return {
      collected: await collectFromGit(git, pr.headSha, config.include, config.exclude),
      fromGit: true,
      notAtHead,
    };
  }
  const root = inputs.workingDirectory;
  const collected = await collectFiles({
    root,
    paths: inputs.paths,
    include: config.include,
    exclude: config.exclude,
  });
  if (checkedOut === pr.headSha) return { collected, fromGit: false, notAtHead };

  // Not the head, and git lacks it (a merge commit checked out one commit deep): each changed file is compared with
  // the head's by its blob id, and a differing one is read at the head through the API.
  const plain = new Map(collected.files.map((file, index) => [file.path, index]));
  const inUnit = (path: string) =>
    [...collected.charts, ...collected.kustomizations].some(
      (dir) => dir === '' || path.startsWith(`${dir}/`),
    );
  const differing: PullFile[] = [];
  for (const file of files) {
    if (file.status === 'removed' || (!plain.has(file.filename) && !inUnit(file.filename))) continue;
    if ((await blobId(root, file.filename)) !== file.sha) differing.push(file);
  }
  if (differing.length === 0) {
    core.info(
      `The workspace is at ${checkedOut?.slice(0, 7) ?? 'no commit'}, not the pull request head ${pr.headSha.slice(0, 7)}, ` +
        'but holds the head version of every file the pull request changes.',
    );
    return { collected, fromGit: false, notAtHead };
  }
  let requests = 0;
  for (const file of differing) {
    const index = plain.get(file.filename);
    // A chart or overlay is rendered from the workspace: its output would be the merge's, not the head's.
    let text: string | null = null;
    if (index !== undefined && requests < MAX_HEAD_FILES_THROUGH_API) {
      requests += 1;
      const buffer = await getFileContent(github, pr.owner, pr.repo, file.filename, pr.headSha).catch(
        (error: unknown) => {
          core.info(
            `Cannot read ${logText(file.filename)} at the head: ${logText(permissionHint(error, 'contents: read'))}`,
          );
          return null;
        },
      );
      const decoded = buffer ? decodeFile(file.filename, buffer) : null;
      text = decoded && 'text' in decoded ? decoded.text : null;
    }
    if (index !== undefined && text !== null) {
      collected.files[index] = { ...collected.files[index]!, text };
      continue;
    }
    notAtHead.add(file.filename);
    collected.errors.push({
      file: file.filename,
      line: null,
      message:
        `the workspace holds another version of this file than the pull request head ${pr.headSha.slice(0, 7)} ` +
        `(it is at ${checkedOut?.slice(0, 7) ?? 'no commit'}), and the head's ${inUnit(file.filename) ? 'chart or overlay could not be rendered' : 'version could not be read'}: ` +
        'check out `${{ github.event.pull_request.head.sha }}` with `fetch-depth: 0`',
    });
  }
  collected.files = collected.files.filter((file) => !notAtHead.has(file.path));
  core.warning(
    `The workspace is at ${checkedOut?.slice(0, 7) ?? 'no commit'}, not the pull request head ${pr.headSha.slice(0, 7)}: ` +
      `${differing.length - notAtHead.size} changed file(s) differing from the head were read at the head through the API` +
      (notAtHead.size > 0 ? `, ${notAtHead.size} could not be and are not judged` : '') +
      '. Check out `${{ github.event.pull_request.head.sha }}` with `fetch-depth: 0`.',
  );
  return { collected, fromGit: false, notAtHead };
}

/**
 * Findings of the head scan that may be shown: none on a file whose head version was not read (its lines are not the
 * ones GitHub shows), and no fix editing one.
 */
export function onHeadLines(findings: Finding[], notAtHead: ReadonlySet<string>): Finding[] {
  if (notAtHead.size === 0) return findings;
  return findings
    .filter((finding) => !notAtHead.has(finding.file))
    .map((finding) =>
      finding.fix && notAtHead.has(finding.fix.file ?? finding.file) ? { ...finding, fix: null } : finding,
    );
}

/** Git's blob id of a regular file in the workspace (the pull request's files list gives the head's), or null. */
async function blobId(root: string, path: string): Promise<string | null> {
  const absolute = insidePath(root, path);
  if (absolute === null || !(await resolvesInside(root, path).catch(() => false))) return null;
  const info = await lstat(absolute).catch(() => null);
  // Git keeps a link as a blob of its target's path.
  const bytes = info?.isSymbolicLink()
    ? Buffer.from(await readlink(absolute))
    : info?.isFile() && info.size <= MAX_FILE_BYTES
      ? await readFile(absolute)
      : null;
  if (bytes === null) return null;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
