/**
 * The CLI's launcher (`dist/cli/index.js`, from scripts/cli-launcher.js) turns on Node's compile cache in the user's
 * cache folder, never in the shared temporary folder, and the program runs the same when the cache cannot be kept.
 * Node 22 and later have the cache; the launcher does nothing about it on older ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_NODE24, because } from '../tools.js';
import { node24 } from './run-action.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js');
const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as {
  version: string;
};

function run(env: Record<string, string>, args = ['--version']) {
  const clean = { ...process.env };
  for (const name of ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'XDG_CACHE_HOME'])
    delete clean[name];
  const result = spawnSync(node24()!, [CLI, ...args], { env: { ...clean, ...env }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  // Nothing said about the cache, whether it could be kept or not.
  expect(result.stderr).not.toMatch(/cache|warning/i);
  return result.stdout.trim();
}

const filesBelow = (folder: string) =>
  existsSync(folder) ? readdirSync(folder, { recursive: true }).length : 0;

describe.skipIf(NO_NODE24)(because(NO_NODE24, 'the CLI launcher on Node 24'), () => {
  it('keeps the compile cache in $XDG_CACHE_HOME, or ~/.cache when that is unset or relative', () => {
    const cache = mkdtempSync(join(tmpdir(), 'ktg-cache-'));
    const home = mkdtempSync(join(tmpdir(), 'ktg-home-'));
    expect(run({ XDG_CACHE_HOME: cache, HOME: home })).toBe(version);
    expect(filesBelow(join(cache, 'kube-token-guard', 'compile-cache'))).toBeGreaterThan(0);
    expect(run({ XDG_CACHE_HOME: cache, HOME: home })).toBe(version);
    expect(filesBelow(join(home, '.cache'))).toBe(0);
    const homes: Array<Record<string, string>> = [
      { HOME: home },
      { HOME: home, XDG_CACHE_HOME: 'relative/cache' },
    ];
    for (const env of homes) {
      expect(run(env)).toBe(version);
      expect(filesBelow(join(home, '.cache', 'kube-token-guard', 'compile-cache'))).toBeGreaterThan(0);
    }
  });

  it('keeps none when told not to, and runs the same where none can be kept', () => {
    const cache = mkdtempSync(join(tmpdir(), 'ktg-cache-'));
    expect(run({ XDG_CACHE_HOME: cache, NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(version);
    expect(filesBelow(cache)).toBe(0);
    const named = join(cache, 'named');
    expect(run({ XDG_CACHE_HOME: cache, NODE_COMPILE_CACHE: named })).toBe(version);
    expect(filesBelow(named)).toBeGreaterThan(0);
    expect(filesBelow(join(cache, 'kube-token-guard'))).toBe(0);
    // A file where the folder should be.
    const blocked = join(cache, 'blocked');
    writeFileSync(blocked, '');
    expect(run({ XDG_CACHE_HOME: blocked })).toBe(version);
    const examples = resolve(import.meta.dirname, '../../examples');
    const report = run({ XDG_CACHE_HOME: blocked }, [
      'scan',
      examples,
      '--format',
      'json',
      '--fail-on',
      'none',
    ]);
    expect((JSON.parse(report) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });
});
