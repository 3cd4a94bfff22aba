import { lstat, readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** More entries than any chart or overlay has; a folder beyond it is not walked further (and not refused for it). */
const MAX_ENTRIES = 20_000;

/**
 * The first symbolic link below `dir` (or `dir` itself) that resolves outside `root`, as a path relative to `root`,
 * or null. helm follows links inside a chart (`.Files.Get` reads them into the output) and kustomize follows them in
 * an overlay, so a link a pull request adds could otherwise pull any file of the runner into rendered manifests.
 */
export async function linkLeaving(root: string, dir: string): Promise<string | null> {
  const top = await realpath(resolve(root));
  let visited = 0;
  const walk = async (path: string): Promise<string | null> => {
    if (++visited > MAX_ENTRIES) return null;
    const stats = await lstat(path).catch(() => null);
    if (!stats) return null;
    if (stats.isSymbolicLink()) {
      const target = await realpath(path).catch(() => null);
      // A dangling link reads nothing; one that resolves must stay inside the repository.
      return target !== null && !within(top, target) ? relative(root, path).split(sep).join('/') : null;
    }
    if (!stats.isDirectory()) return null;
    for (const entry of await readdir(path)) {
      const found = await walk(join(path, entry));
      if (found) return found;
    }
    return null;
  };
  return walk(resolve(root, dir));
}

/**
 * Whether `file` (relative to `root`, or absolute) resolves, links followed, to a place inside `root`. A file that
 * does not exist is judged by its path.
 */
export async function resolvesInside(root: string, file: string): Promise<boolean> {
  const top = await realpath(resolve(root));
  const target = await realpath(resolve(root, file)).catch(() => null);
  if (target !== null) return within(top, target);
  const path = relative(resolve(root), resolve(root, file));
  return !path.startsWith('..') && !isAbsolute(path);
}

/** Whether `path` is `top` or below it (both real paths). */
function within(top: string, path: string): boolean {
  return path === top || path.startsWith(top + sep);
}
