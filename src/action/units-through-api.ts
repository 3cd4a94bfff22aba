/**
 * Chart and overlay folders at a commit the checkout lacks and git could not fetch, written into a scratch folder
 * through the contents API. Each folder is listed at the commit (every entry carries git's blob id); a file the
 * workspace holds in the same version is copied from it, any other is read through the API. Nothing is written
 * outside the scratch folder, and the requests are bounded: a folder that would take more is not rendered.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { MAX_FILE_BYTES, under } from '../adapters/files.js';
import { insidePath, resolvesInside } from '../adapters/links.js';
import { type GitHub, statusOf } from '../api/client.js';
import { getFileContent, listFolder } from '../api/contents.js';
import { logText } from './annotations.js';
import { permissionHint } from './hints.js';

/** Requests one run may spend listing and reading folders through the API (the rate limit is 1,000 an hour). */
export const MAX_FOLDER_REQUESTS = 150;

export interface ApiSource {
  github: GitHub;
  owner: string;
  repo: string;
  /** The commit whose files are wanted. */
  ref: string;
  /** The workspace, whose files serve when their blob id is the commit's. */
  workspace: string;
  /** Requests left; shared by the folders of one call (`unitsAtCommit`, or the head's in `read-head.ts`). */
  budget: { requests: number };
}

export interface FolderCopy {
  /** Files written. */
  files: number;
  /** Files read through the API (the others came from the workspace). */
  fetched: number;
}

/**
 * Writes the files below each of `dirs` at `source.ref` into `dest` (same relative paths); a folder absent there
 * writes nothing. Throws, naming the folder, when a request fails or the budget runs out: a partial folder would
 * render as something the commit is not.
 */
export async function copyFoldersAt(
  source: ApiSource,
  dirs: readonly string[],
  dest: string,
): Promise<FolderCopy> {
  const copy: FolderCopy = { files: 0, fetched: 0 };
  const requested = new Set(dirs);
  const pending = [...requested];
  for (let dir = pending.shift(); dir !== undefined; dir = pending.shift()) {
    const folder = dir;
    const entries = await spend(source, folder, () =>
      listFolder(source.github, source.owner, source.repo, folder, source.ref).catch((error: unknown) => {
        // A chart or overlay the commit does not have yet: nothing to write (a subfolder just listed must exist).
        if (statusOf(error) === 404 && requested.has(folder)) return [];
        throw error;
      }),
    );
    for (const entry of entries) {
      if (entry.type === 'dir') {
        pending.push(entry.path);
        continue;
      }
      // The API lists a link to a file of the repository as a file (and reads it through the link); a link it cannot
      // (to a folder, or out of the repository) or a submodule would be rendered otherwise than the commit is.
      if (entry.type !== 'file')
        throw new Error(`${entry.path} is a ${entry.type}, which cannot be read through the contents API`);
      const target = insidePath(dest, entry.path);
      if (target === null) continue;
      const local = await regularFile(source.workspace, entry.path);
      let bytes = local && gitBlobId(local) === entry.sha ? local : null;
      if (bytes === null) {
        bytes = await spend(source, entry.path, () =>
          getFileContent(source.github, source.owner, source.repo, entry.path, source.ref),
        );
        if (bytes === null)
          throw new Error(`${entry.path} is listed at ${source.ref.slice(0, 7)} but cannot be read`);
        copy.fetched += 1;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
      copy.files += 1;
    }
  }
  return copy;
}

/**
 * The charts and overlays `units` as they are at `ref`, in a scratch folder the caller removes; null (logged) when they
 * cannot all be read.
 */
export async function unitsAtCommit(
  github: GitHub,
  repository: { owner: string; repo: string },
  ref: string,
  workspace: string,
  units: { charts: readonly string[]; kustomizations: readonly string[] },
): Promise<string | null> {
  const dirs = outermost([...units.charts, ...units.kustomizations]);
  const dest = await mkdtemp(join(tmpdir(), 'ktg-at-'));
  const started = performance.now();
  const source = { github, ...repository, ref, workspace, budget: { requests: MAX_FOLDER_REQUESTS } };
  try {
    const copy = await copyFoldersAt(source, dirs, dest);
    core.info(
      `Read ${dirs.length} chart and overlay folder(s) at ${ref.slice(0, 7)} for rendering: ${copy.files} file(s), ` +
        `${copy.fetched} through the API (the others are the workspace's), in ${Math.round(performance.now() - started)} ms.`,
    );
    return dest;
  } catch (error) {
    core.info(
      `Cannot read the charts and overlays at ${ref.slice(0, 7)}: ${logText(permissionHint(error, 'contents: read'))}`,
    );
    await rm(dest, { recursive: true, force: true });
    return null;
  }
}

/** The folders of `dirs` that are not inside another of them. */
export function outermost(dirs: readonly string[]): string[] {
  const unique = [...new Set(dirs)];
  return unique.filter((dir) => !unique.some((other) => other !== dir && under(dir, other)));
}

/**
 * Writes the files below `dir` in the workspace into `dest`, in place of whatever `dest` held there, all or nothing: a
 * link to a file inside the workspace is written as that file (helm reads through it); a link out of the workspace or
 * to a folder leaves the folder out (its render then fails and names it, as the render from the workspace refuses
 * those too) rather than rendered from part of its files. The reason it was left out, or null.
 */
export async function copyFolderWhole(workspace: string, dir: string, dest: string): Promise<string | null> {
  await emptyFolder(dest, dir);
  try {
    await copyFromWorkspace(workspace, dir, dest);
    return null;
  } catch (error) {
    await emptyFolder(dest, dir);
    return error instanceof Error ? error.message : String(error);
  }
}

async function copyFromWorkspace(workspace: string, top: string, dest: string): Promise<void> {
  const pending = [top];
  for (let dir = pending.shift(); dir !== undefined; dir = pending.shift()) {
    const source = insidePath(workspace, dir);
    if (source === null) continue;
    for (const entry of await readdir(source, { withFileTypes: true }).catch(() => [])) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== '.git') pending.push(path);
      let bytes: Buffer | null = null;
      if (entry.isFile()) bytes = await readFile(join(source, entry.name));
      else if (entry.isSymbolicLink()) {
        bytes = (await resolvesInside(workspace, path).catch(() => false))
          ? await readFile(join(source, entry.name)).catch(() => null)
          : null;
        if (bytes === null) throw new Error(`${path} is a link out of the repository or to a folder`);
      }
      const target = bytes === null ? null : insidePath(dest, path);
      if (target === null) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes!);
    }
  }
}

/** Removes what `dest` holds below `dir` (everything, for the root `''`). */
async function emptyFolder(dest: string, dir: string): Promise<void> {
  const folder = dir === '' ? dest : insidePath(dest, dir);
  if (folder === null) return;
  for (const entry of await readdir(folder).catch(() => []))
    await rm(join(folder, entry), { recursive: true, force: true });
}

async function spend<T>(source: ApiSource, what: string, request: () => Promise<T>): Promise<T> {
  if (source.budget.requests <= 0)
    throw new Error(
      `reading ${what} would take more than ${MAX_FOLDER_REQUESTS} requests to the contents API`,
    );
  source.budget.requests -= 1;
  return request();
}

/** The bytes of a regular file inside the workspace (not a link), or null. */
async function regularFile(root: string, path: string): Promise<Buffer | null> {
  const absolute = insidePath(root, path);
  if (absolute === null || !(await resolvesInside(root, path).catch(() => false))) return null;
  const info = await lstat(absolute).catch(() => null);
  return info?.isFile() && info.size <= MAX_FILE_BYTES ? readFile(absolute) : null;
}

/** Git's blob id of a regular file (or link) in the workspace, or null. */
export async function blobId(root: string, path: string): Promise<string | null> {
  const absolute = insidePath(root, path);
  if (absolute === null || !(await resolvesInside(root, path).catch(() => false))) return null;
  const info = await lstat(absolute).catch(() => null);
  // Git keeps a link as a blob of its target's path.
  const bytes = info?.isSymbolicLink()
    ? Buffer.from(await readlink(absolute))
    : await regularFile(root, path);
  return bytes === null ? null : gitBlobId(bytes);
}

function gitBlobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
