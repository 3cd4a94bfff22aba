import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { ConfigurationError } from '../config/errors.js';

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
  errors: ScanError[];
  notices: ScanNotice[];
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Reads the files to scan below `root`: named files always, folders walked with the include/exclude globs. Nothing
 * outside `root` is read, whatever symlinks say; Helm charts are left to the chart renderer.
 */
export async function collectFiles(options: CollectOptions): Promise<CollectedFiles> {
  const root = await realpath(resolve(options.root));
  const result: CollectedFiles = { files: [], errors: [], notices: [] };
  const seen = new Set<string>();
  const matches = (path: string, globs: string[]) =>
    globs.some((glob) => minimatch(path, glob, { dot: true }));

  const addFile = async (absolute: string, explicit: boolean) => {
    const path = toPosix(relative(root, absolute));
    if (seen.has(path)) return;
    if (!explicit && (!matches(path, options.include) || matches(path, options.exclude))) return;
    seen.add(path);
    const real = await realpath(absolute);
    if (real !== root && !real.startsWith(root + sep)) {
      result.notices.push({ file: path, message: 'links outside the scanned root; skipped' });
      return;
    }
    const info = await stat(real);
    if (info.size > MAX_FILE_BYTES) {
      result.errors.push({
        file: path,
        line: null,
        message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; not scanned`,
      });
      return;
    }
    const buffer = await readFile(real);
    if (buffer.includes(0)) {
      result.errors.push({ file: path, line: null, message: 'binary content (NUL bytes); not scanned' });
      return;
    }
    result.files.push({ path, text: buffer.toString('utf8').replace(/^\uFEFF/, '') });
  };

  const walk = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    if (entries.some((entry) => entry.name === 'Chart.yaml' && entry.isFile())) {
      result.notices.push({
        file: toPosix(relative(root, directory)) || '.',
        message: 'Helm chart: not scanned, rendering charts with helm is not supported yet',
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(absolute);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (entry.isSymbolicLink() && !(await stat(absolute).catch(() => null))?.isFile()) continue;
        await addFile(absolute, false);
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
    if ((await stat(real)).isDirectory()) await walk(real);
    else await addFile(real, true);
  }
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}
