import { lstat, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_PATHS, type ResolvedConfig, defaultConfig, parseConfig } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';
import { insidePath, resolvesInside } from './links.js';

/**
 * The repository's config: the file named (which must exist; relative to `cwd`, the root unless given), else
 * `.github/kube-token-guard.yml` of the root when present, else the embedded defaults.
 */
export async function loadConfigFile(
  root: string,
  explicit?: string,
  cwd: string = root,
): Promise<ResolvedConfig> {
  const candidates = explicit ? [explicit] : DEFAULT_CONFIG_PATHS;
  for (const candidate of candidates) {
    let text: string;
    // A config in the repository may be a link a pull request made to any file of the runner. (A path outside the
    // repository can only come from the command line or the workflow, which are trusted.)
    const path = resolve(explicit ? cwd : root, candidate);
    if (insidePath(root, path) !== null && (await exists(path)) && !(await resolvesInside(root, path))) {
      throw new ConfigurationError(
        `${candidate}: the config file is a symbolic link leading outside the repository; it is not read`,
      );
    }
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) continue;
      throw new ConfigurationError(`${candidate}: cannot read the config file (${(error as Error).message})`);
    }
    return parseConfig(text, candidate);
  }
  return defaultConfig();
}

/** Whether a path exists (as a file, folder or link, dangling or not). */
async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null)) !== null;
}
