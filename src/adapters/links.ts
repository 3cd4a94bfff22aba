import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The first symbolic link below `dir` (or `dir` itself) that resolves outside `root`, as a path relative to `root`,
 * or null. helm follows links inside a chart (`.Files.Get` reads them into the output) and kustomize follows them in
 * an overlay, so a link a pull request adds could otherwise pull any file of the runner into rendered manifests.
 *
 * The walk is complete, however many entries the folder holds (a check that gave up after some count would let a
 * link hide behind that many files), and costs one directory read per folder and one `realpath` per link.
 */
export async function linkLeaving(root: string, dir: string): Promise<string | null> {
  const top = await realpath(resolve(root));
  const start = resolve(root, dir);
  const outside = async (path: string) => {
    const target = await realpath(path).catch(() => null);
    // A dangling link reads nothing; one that resolves must stay inside the repository.
    return target !== null && !within(top, target);
  };
  const name = (path: string) => relative(root, path).split(sep).join('/');
  if (await outside(start)) return name(start);
  const folders = [start];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isSymbolicLink()) {
        if (await outside(path)) return name(path);
      } else if (entry.isDirectory()) {
        folders.push(path);
      }
    }
  }
  return null;
}

/**
 * Whether `file` (relative to `root`, or absolute) resolves, links followed, to a place inside `root`. A file that
 * does not exist is judged by its path.
 */
export async function resolvesInside(root: string, file: string): Promise<boolean> {
  const top = await realpath(resolve(root));
  const target = await realpath(resolve(root, file)).catch(() => null);
  if (target !== null) return within(top, target);
  return insidePath(root, file) !== null;
}

/**
 * The absolute path of `file` (relative to `root`) when it lies inside `root` by its path alone, else null. Every
 * path that comes from a pull request (a rendered `# Source:`, a fix's file) goes through this before it is read or
 * written.
 */
export function insidePath(root: string, file: string): string | null {
  if (file.includes('\0')) return null;
  const absolute = resolve(root, file);
  const path = relative(resolve(root), absolute);
  return path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path) ? null : absolute;
}

/**
 * Reads or writes a file of the repository by a path that may come from a pull request: refused (an Error naming the
 * path) when the path, or the link it is, leads outside `root`.
 */
export async function readInside(root: string, file: string): Promise<string> {
  return readFile(await checkedPath(root, file), 'utf8');
}

export async function writeInside(root: string, file: string, text: string): Promise<void> {
  await writeFile(await checkedPath(root, file), text);
}

async function checkedPath(root: string, file: string): Promise<string> {
  const path = insidePath(root, file);
  if (path === null || !(await resolvesInside(root, file))) {
    throw new Error(`${file} is outside the repository; not read or written`);
  }
  return path;
}

/** Whether `path` is `top` or below it (both real paths; `top` may be `/`). */
export function within(top: string, path: string): boolean {
  return path === top || path.startsWith(top.endsWith(sep) ? top : top + sep);
}
