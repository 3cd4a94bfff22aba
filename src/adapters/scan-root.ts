import { lstat, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigurationError } from '../config/errors.js';
import { insidePath } from './links.js';

export interface ScanRoot {
  /** The repository the paths belong to (a real path): reports name files relative to it, its config applies. */
  root: string;
  /** The paths to scan, absolute and real (links resolved). */
  paths: string[];
}

/**
 * Where a scan of `paths` (as given, relative to `cwd`; none means `cwd`) is rooted: the repository they are in,
 * the nearest folder at or above them holding `.git` (a folder, or the file of a worktree); outside any repository,
 * the folder given (a file's own folder; the outermost chart holding it, for a path inside a chart), or the deepest
 * folder holding all of them. Paths in two repositories are
 * refused: findings are reported relative to one root, and one config applies.
 */
export async function findScanRoot(cwd: string, paths: readonly string[]): Promise<ScanRoot> {
  const found: Array<{ given: string; path: string; folder: string; repository: string | null }> = [];
  for (const path of paths.length > 0 ? paths : ['.']) {
    const real = await realpath(resolve(cwd, path)).catch(() => null);
    if (real === null) throw new ConfigurationError(`${path}: no such file or directory`);
    const folder = (await stat(real)).isDirectory() ? real : dirname(real);
    const repository = await repositoryAbove(folder);
    // Outside a repository, a path inside a chart is rooted at the chart: what it means shows only in its render.
    const root = repository === null ? ((await chartAbove(real)) ?? folder) : folder;
    found.push({ given: path, path: real, folder: root, repository });
  }
  const inRepository = found.filter((entry) => entry.repository !== null);
  const first = inRepository[0];
  const other = found.find((entry) => first && entry.repository !== first.repository);
  if (first && other) {
    throw new ConfigurationError(
      `${first.given} and ${other.given} are not in the same repository ` +
        `(${first.repository}, ${other.repository ?? 'none'}); scan them one at a time`,
    );
  }
  const root = first?.repository ?? found.map((entry) => entry.folder).reduce(commonFolder);
  return { root, paths: found.map((entry) => entry.path) };
}

/** The deepest folder holding both (absolute, real) folders. */
function commonFolder(a: string, b: string): string {
  let common = a;
  while (insidePath(common, b) === null) common = dirname(common);
  return common;
}

/** The nearest folder at or above `folder` that holds `.git`, or null. */
async function repositoryAbove(folder: string): Promise<string | null> {
  for (let dir = folder; ; dir = dirname(dir)) {
    if ((await lstat(join(dir, '.git')).catch(() => null)) !== null) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/** The outermost folder strictly above `path` holding a `Chart.yaml`, or null. */
async function chartAbove(path: string): Promise<string | null> {
  let found: string | null = null;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((await stat(join(dir, 'Chart.yaml')).catch(() => null))?.isFile()) found = dir;
    if (dirname(dir) === dir) return found;
  }
}
