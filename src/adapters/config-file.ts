import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG_PATHS, type ResolvedConfig, defaultConfig, parseConfig } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';

/**
 * The repository's config: the file named (which must exist), else `.github/kube-token-guard.yml` when present,
 * else the embedded defaults.
 */
export async function loadConfigFile(root: string, explicit?: string): Promise<ResolvedConfig> {
  const candidates = explicit ? [explicit] : DEFAULT_CONFIG_PATHS;
  for (const candidate of candidates) {
    let text: string;
    try {
      text = await readFile(resolve(root, candidate), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !explicit) continue;
      throw new ConfigurationError(`${candidate}: cannot read the config file (${(error as Error).message})`);
    }
    return parseConfig(text, candidate);
  }
  return defaultConfig();
}
