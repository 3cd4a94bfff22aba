/**
 * The repository at the pull request's head, whatever the checkout. A plain `actions/checkout` of a `pull_request`
 * event checks out the test merge commit, one commit deep: its files are the head's merged with the base branch's later
 * changes, so a file both changed reads otherwise than the head GitHub shows. Lines of such content must never carry a
 * comment, a suggestion or an annotation: the head's version is read through the API, or the file is not judged.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { judgeCandidate } from '../adapters/candidates.js';
import { type CollectedFiles, collectFiles, collectFromGit, under } from '../adapters/files.js';
import type { GitRepository } from '../adapters/git.js';
import type { GitHub } from '../api/client.js';
import { getFileContent } from '../api/contents.js';
import type { PullFile } from '../api/pull-files.js';
import type { ResolvedConfig } from '../config/config.js';
import type { Finding } from '../core/types.js';
import { logText } from './annotations.js';
import type { PullRequestContext } from './context.js';
import type { ActionInputs } from './inputs.js';
import { permissionHint } from './hints.js';
import { fetchMissing } from './checkout.js';
import {
  MAX_FOLDER_REQUESTS,
  blobId,
  copyFoldersAt,
  copyFolderWhole,
  outermost,
} from './units-through-api.js';

/** Head files read one request each when the workspace holds other versions of them. */
const MAX_HEAD_FILES_THROUGH_API = 50;

export interface HeadFiles {
  collected: CollectedFiles;
  /** Read from git's objects at the head (the workspace is elsewhere): charts are rendered from there too. */
  fromGit: boolean;
  /**
   * A scratch folder holding every chart and overlay at the head, some read through the API, when the workspace holds
   * other versions of their files: they are rendered from there. The caller removes it.
   */
  renderRoot: string | null;
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
  if (checkedOut !== null && checkedOut !== pr.headSha)
    await fetchMissing(git, pr.headSha, 'the pull request head');
  if (checkedOut !== pr.headSha && (await git.hasCommit(pr.headSha))) {
    core.info(
      `The workspace is at ${checkedOut?.slice(0, 7) ?? 'no commit'}; reading the pull request head ${pr.headSha.slice(0, 7)} from git.`,
    );
    return {
      collected: await collectFromGit(git, pr.headSha, config.include, config.exclude),
      fromGit: true,
      renderRoot: null,
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
  if (checkedOut === pr.headSha) return { collected, fromGit: false, renderRoot: null, notAtHead };

  // Not the head, and git lacks it (a merge commit checked out one commit deep): each changed file is compared with
  // the head's by its blob id, and a differing one is read at the head through the API.
  const plain = new Map(collected.files.map((file, index) => [file.path, index]));
  // Left out as holding no Kubernetes object in the workspace's version: the head's may hold one.
  const skipped = new Set(collected.skipped);
  const inUnit = (path: string) =>
    [...collected.charts, ...collected.kustomizations].some((dir) => under(path, dir));
  const differing: PullFile[] = [];
  for (const file of files) {
    const known = plain.has(file.filename) || skipped.has(file.filename) || inUnit(file.filename);
    if (file.status === 'removed' || !known) continue;
    if ((await blobId(root, file.filename)) !== file.sha) differing.push(file);
  }
  if (differing.length === 0) {
    core.info(
      `The workspace is at ${checkedOut?.slice(0, 7) ?? 'no commit'}, not the pull request head ${pr.headSha.slice(0, 7)}, ` +
        'but holds the head version of every file the pull request changes.',
    );
    return { collected, fromGit: false, renderRoot: null, notAtHead };
  }
  const { renderRoot, unjudged } = await unitsAtHead(github, pr, root, collected, differing);
  let requests = 0;
  for (const file of differing) {
    const index = plain.get(file.filename);
    const readable = index !== undefined || skipped.has(file.filename);
    if (!readable && !unjudged.has(file.filename)) continue; // its chart or overlay was read at the head
    let atHead: ReturnType<typeof judgeCandidate> | null = null;
    if (readable && requests < MAX_HEAD_FILES_THROUGH_API) {
      requests += 1;
      const buffer = await getFileContent(github, pr.owner, pr.repo, file.filename, pr.headSha).catch(
        (error: unknown) => {
          core.info(
            `Cannot read ${logText(file.filename)} at the head: ${logText(permissionHint(error, 'contents: read'))}`,
          );
          return null;
        },
      );
      // Judged as a walked file is: left out when the head's version provably holds no object either.
      atHead = buffer ? judgeCandidate(file.filename, buffer, false) : null;
    }
    if (atHead !== null && 'skipped' in atHead) continue;
    if (atHead !== null && 'message' in atHead) {
      collected.errors.push(atHead); // the head's own version cannot be judged (binary, too large)
      notAtHead.add(file.filename);
      continue;
    }
    if (atHead !== null && 'text' in atHead) {
      if (index !== undefined) collected.files[index] = { ...collected.files[index]!, text: atHead.text };
      else collected.files.push(atHead);
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
  return { collected, fromGit: false, renderRoot, notAtHead };
}

/**
 * The charts and overlays to render when the workspace holds other versions of some of their files: a scratch folder
 * with each such folder as it is at the head (through the API) and the others copied from the workspace. Files of a
 * folder that could not be read at the head are `unjudged`; that folder is copied from the workspace, and its output
 * is the merge's (nothing is anchored on those files). Null when no chart or overlay file differs.
 */
async function unitsAtHead(
  github: GitHub,
  pr: PullRequestContext,
  root: string,
  collected: CollectedFiles,
  differing: readonly PullFile[],
): Promise<{ renderRoot: string | null; unjudged: Set<string> }> {
  const units = [...collected.charts, ...collected.kustomizations];
  const plain = new Set(collected.files.map((file) => file.path));
  const stale = new Set(
    differing
      .filter((file) => !plain.has(file.filename))
      .flatMap((file) => units.filter((dir) => under(file.filename, dir))),
  );
  const unjudged = new Set<string>();
  if (stale.size === 0) return { renderRoot: null, unjudged };
  // A folder inside one read at the head comes with it.
  const atHead = outermost([...stale]);
  const renderRoot = await mkdtemp(join(tmpdir(), 'ktg-head-'));
  for (const dir of units.filter((unit) => !atHead.some((other) => unit === other || under(unit, other)))) {
    const refused = await copyFolderWhole(root, dir, renderRoot);
    if (refused) core.info(`Cannot copy ${logText(dir || '.')} for rendering: ${logText(refused)}`);
  }
  const source = {
    github,
    owner: pr.owner,
    repo: pr.repo,
    ref: pr.headSha,
    workspace: root,
    budget: { requests: MAX_FOLDER_REQUESTS },
  };
  for (const dir of atHead) {
    const started = performance.now();
    try {
      const copy = await copyFoldersAt(source, [dir], renderRoot);
      core.info(
        `Read ${logText(dir || '.')} at the head for rendering: ${copy.files} file(s), ${copy.fetched} through the API ` +
          `(the others are the workspace's), in ${Math.round(performance.now() - started)} ms.`,
      );
    } catch (error) {
      core.info(
        `Cannot read ${logText(dir || '.')} at the head: ${logText(permissionHint(error, 'contents: read'))}`,
      );
      await copyFolderWhole(root, dir, renderRoot);
      for (const file of differing) if (under(file.filename, dir)) unjudged.add(file.filename);
    }
  }
  return { renderRoot, unjudged };
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
