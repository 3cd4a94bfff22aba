import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../bench/generate-corpus.js';
import { defaultConfig, parseConfig, type ResolvedConfig } from '../src/config/config.js';
import { type ScanResult, scanFiles } from '../src/core/scan.js';
import type { Finding, SourceFile } from '../src/core/types.js';
import { runCli } from '../src/cli/main.js';
import { afterEach } from 'vitest';

/** Strips the common indentation of a template literal, so manifests can be written indented in tests. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce(
    (text, part, index) => text + part + (index < values.length ? String(values[index]) : ''),
    '',
  );
  const lines = raw.replace(/^\n/, '').split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines
    .map((line) => line.slice(cut))
    .join('\n')
    .replace(/[ \t]+$/, '');
}

export function config(text?: string): ResolvedConfig {
  return text === undefined ? defaultConfig() : parseConfig(text, '.github/kube-token-guard.yml');
}

/** Scans one or more files (a string is one file, `manifest.yaml`) with the given config text (default config). */
export function scan(files: string | Record<string, string> | SourceFile[], configText?: string): ScanResult {
  const list: SourceFile[] =
    typeof files === 'string'
      ? [{ path: 'manifest.yaml', text: files }]
      : Array.isArray(files)
        ? files
        : Object.entries(files).map(([path, text]) => ({ path, text }));
  return scanFiles(list, config(configText));
}

/** The unsuppressed findings of one rule. */
export function findingsOf(result: ScanResult, ruleId: string): Finding[] {
  return result.findings.filter((finding) => finding.ruleId === ruleId && !finding.suppressed);
}

/** The CLI run in-process on `args` from `cwd`, with only `env` as environment: its exit code and what it wrote. */
export async function runCliCaptured(
  args: string[],
  cwd: string,
  stdoutIsTTY = false,
  env: Record<string, string | undefined> = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd,
    env,
    stdout: { write: (text: string) => (stdout += text), isTTY: stdoutIsTTY },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** The YAML and JSON files below a folder, in path order, as a scan reads them. */
export function filesIn(folder: string): SourceFile[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path, 'utf8') };
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * The manifests the readers' differential tests run on: a generated corpus of `documents` documents (written to a
 * temporary folder, read and removed), the fixtures (real install manifests among them) and the examples.
 */
export function manifestFiles(documents = 600): SourceFile[] {
  const corpus = mkdtempSync(join(tmpdir(), 'ktg-corpus-'));
  generateCorpus(documents, corpus);
  const generated = filesIn(corpus);
  rmSync(corpus, { recursive: true, force: true });
  return [
    ...generated,
    ...filesIn(join(import.meta.dirname, 'fixtures')),
    ...filesIn(join(import.meta.dirname, '../examples')),
  ];
}

/**
 * Makes folders of files (path relative to the folder, and content) for the tests of one test file, each removed
 * after its test. Call it at the top level of the test file.
 */
export function temporaryTrees(prefix: string): (files: Record<string, string | Buffer>) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };
}
