import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ResolvedConfig } from '../config/config.js';
import { isRecord } from '../core/model.js';
import type { SecretFilter } from '../core/redact.js';
import { KUSTOMIZATION_FILES } from './kustomize.js';
import { resolvesInside } from './links.js';

/** Larger files are not read for secrets: a generator's source or a values file is far smaller. */
const MAX_SOURCE_BYTES = 1024 * 1024;

/**
 * Teaches the filter the secrets of what is rendered rather than scanned: the credential keys of each chart's values
 * files, and everything a kustomize `secretGenerator` makes a Secret of (literals, files, env files). These never
 * reach the scan when a render fails, yet helm and kustomize quote them in their errors, and a values fix may sit on
 * their line. Reads only inside `root`; what cannot be read is skipped (the render reports it).
 */
export async function learnSecretSources(
  secrets: SecretFilter,
  root: string,
  units: { charts: readonly string[]; kustomizations: readonly string[] },
  config: Pick<ResolvedConfig, 'charts'>,
): Promise<void> {
  const valuesFiles = [
    ...units.charts.map((dir) => join(dir, 'values.yaml')),
    ...config.charts.filter((chart) => units.charts.includes(chart.path)).flatMap((chart) => chart.values),
  ];
  for (const path of valuesFiles) {
    const text = await readInside(root, path);
    if (text !== null) secrets.learnText(text);
  }
  for (const dir of units.kustomizations) {
    for (const name of KUSTOMIZATION_FILES) {
      const text = await readInside(root, join(dir, name));
      if (text !== null) await learnGenerators(secrets, root, dir, text);
    }
  }
}

async function learnGenerators(
  secrets: SecretFilter,
  root: string,
  dir: string,
  text: string,
): Promise<void> {
  secrets.learnText(text);
  let kustomization: unknown;
  try {
    kustomization = parse(text);
  } catch {
    return;
  }
  if (!isRecord(kustomization) || !Array.isArray(kustomization.secretGenerator)) return;
  for (const generator of kustomization.secretGenerator) {
    if (!isRecord(generator)) continue;
    // `key=value`; kustomize refuses a literal without `=` and quotes it whole in its error.
    for (const literal of strings(generator.literals)) secrets.add(literal.slice(literal.indexOf('=') + 1));
    for (const entry of strings(generator.files)) {
      const content = await readInside(root, join(dir, entry.slice(entry.indexOf('=') + 1)));
      if (content === null) continue;
      secrets.add(content);
      secrets.learnText(content);
    }
    for (const entry of [...strings(generator.envs), ...strings([generator.env])]) {
      const content = await readInside(root, join(dir, entry));
      for (const line of content?.split(/\r?\n/) ?? []) {
        // A line without `=` becomes a key of the Secret: kustomize quotes it either way.
        if (line.trim() !== '' && !line.trimStart().startsWith('#'))
          secrets.add(line.slice(line.indexOf('=') + 1));
      }
    }
  }
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** A file's text when it lies inside `root` (links followed) and is small enough; otherwise null. */
async function readInside(root: string, path: string): Promise<string | null> {
  if (!(await resolvesInside(root, path))) return null;
  const absolute = resolve(root, path);
  const info = await stat(absolute).catch(() => null);
  if (!info?.isFile() || info.size > MAX_SOURCE_BYTES) return null;
  return readFile(absolute, 'utf8').catch(() => null);
}
