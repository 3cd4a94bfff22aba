import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { ConfigurationError } from '../config/errors.js';
import type { GitRepository } from './git.js';
import { KUSTOMIZATION_FILES, kustomizationDirs } from './kustomize.js';
import { pooled } from './pool.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface CollectOptions {
  root: string;
  paths: string[];
  include: string[];
  exclude: string[];
}

export interface CollectedFiles {
  files: SourceFile[];
  /** Folders holding a Helm chart (relative to the root): rendered with helm, not read as plain manifests. */
  charts: string[];
  /**
   * Folders holding a kustomization (relative to the root): their files are built by kustomize (patches are partial
   * objects), not read as plain manifests.
   */
  kustomizations: string[];
  errors: ScanError[];
  notices: ScanNotice[];
}

/** Files read at the same time: enough to keep the thread pool busy, few enough to bound open descriptors. */
const READ_CONCURRENCY = 16;

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => minimatch(path, glob, { dot: true }));
}

/** A file's bytes as a SourceFile, or the reason it is not scanned. */
export function decodeFile(path: string, buffer: Buffer): SourceFile | ScanError {
  if (buffer.length > MAX_FILE_BYTES) return tooLarge(path);
  if (buffer.includes(0))
    return { file: path, line: null, message: 'binary content (NUL bytes); not scanned' };
  return { path, text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
}

function tooLarge(path: string): ScanError {
  return { file: path, line: null, message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; not scanned` };
}

export interface PathSelection {
  selected: string[];
  kustomizations: string[];
  /** Folders holding a Helm chart: their files are the renderer's, not plain manifests. */
  charts: string[];
}

/** Picks the files to scan from a repository listing (paths relative to the root, forward slashes). */
export function selectPaths(
  paths: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): PathSelection {
  const charts = paths
    .filter((path) => path === 'Chart.yaml' || path.endsWith('/Chart.yaml'))
    .map((path) => path.slice(0, -'Chart.yaml'.length).replace(/\/$/, ''));
  const inChart = (path: string) => charts.some((chart) => chart === '' || path.startsWith(`${chart}/`));
  const kustomizations = kustomizationDirs(paths).filter((dir) => !inChart(`${dir}/x`));
  const inKustomization = (path: string) =>
    kustomizations.some((dir) => dir === '' || path.startsWith(`${dir}/`));
  const skipped = (path: string) => path.split('/').some((part) => SKIPPED_DIRECTORIES.has(part));
  const selected = paths
    .filter(
      (path) =>
        !skipped(path) &&
        !inChart(path) &&
        !inKustomization(path) &&
        matchesAny(path, include) &&
        !matchesAny(path, exclude),
    )
    .sort();
  return { selected, charts: charts.sort(), kustomizations };
}

/**
 * Reads the files to scan below `root`: named files always, folders walked with the include/exclude globs. Nothing
 * outside `root` is read, whatever symlinks say; Helm charts are left to the chart renderer.
 */
export async function collectFiles(options: CollectOptions): Promise<CollectedFiles> {
  const root = await realpath(resolve(options.root));
  const result: CollectedFiles = { files: [], charts: [], kustomizations: [], errors: [], notices: [] };
  const seen = new Set<string>();

  // Files are found first and read afterwards, several at a time: one at a time, the three file-system calls a file
  // takes (realpath, stat, read) each wait for a round trip through libuv's thread pool.
  const found: Array<{ path: string; absolute: string }> = [];
  const addFile = (absolute: string, explicit: boolean) => {
    const path = toPosix(relative(root, absolute));
    if (seen.has(path)) return;
    if (!explicit && (!matchesAny(path, options.include) || matchesAny(path, options.exclude))) return;
    seen.add(path);
    found.push({ path, absolute });
  };
  const readFound = async ({ path, absolute }: { path: string; absolute: string }) => {
    const real = await realpath(absolute);
    if (real !== root && !real.startsWith(root + sep)) {
      return { file: path, message: 'links outside the scanned root; skipped' } satisfies ScanNotice;
    }
    // Checked before reading, so a huge file is never loaded.
    return (await stat(real)).size > MAX_FILE_BYTES ? tooLarge(path) : decodeFile(path, await readFile(real));
  };

  const walk = async (directory: string, inKustomization: boolean): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    if (entries.some((entry) => entry.name === 'Chart.yaml' && entry.isFile())) {
      result.charts.push(toPosix(relative(root, directory)));
      return;
    }
    if (entries.some((entry) => KUSTOMIZATION_FILES.includes(entry.name) && entry.isFile())) {
      result.kustomizations.push(toPosix(relative(root, directory)));
      inKustomization = true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absolute, inKustomization);
      } else if (!inKustomization && (entry.isFile() || entry.isSymbolicLink())) {
        if (entry.isSymbolicLink() && !(await stat(absolute).catch(() => null))?.isFile()) continue;
        addFile(absolute, false);
      }
    }
  };

  for (const given of options.paths.length > 0 ? options.paths : ['.']) {
    const absolute = resolve(options.root, given);
    const info = await lstat(absolute).catch(() => null);
    if (!info) throw new ConfigurationError(`${given}: no such file or directory`);
    const real = await realpath(absolute);
    if (real !== root && !real.startsWith(root + sep)) {
      throw new ConfigurationError(`${given}: outside the scanned root ${root}`);
    }
    if ((await stat(real)).isDirectory()) await walk(real, false);
    else addFile(real, true);
  }
  for (const outcome of await pooled(found, READ_CONCURRENCY, readFound)) {
    if ('text' in outcome) result.files.push(outcome);
    else if ('line' in outcome) result.errors.push(outcome);
    else result.notices.push(outcome);
  }
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/** The files to scan at a git revision, read from the object store (the working tree may hold another commit). */
export async function collectFromGit(
  repo: GitRepository,
  rev: string,
  include: readonly string[],
  exclude: readonly string[],
): Promise<CollectedFiles> {
  const { selected, charts, kustomizations } = selectPaths(await repo.listFiles(rev), include, exclude);
  const contents = await repo.readFiles(rev, selected);
  const result: CollectedFiles = { files: [], charts, kustomizations, errors: [], notices: [] };
  for (const path of selected) {
    const buffer = contents.get(path);
    if (!buffer) continue;
    const decoded = decodeFile(path, buffer);
    if ('text' in decoded) result.files.push(decoded);
    else result.errors.push(decoded);
  }
  return result;
}
