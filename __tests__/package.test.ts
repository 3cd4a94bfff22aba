/**
 * The package as users install it: a `bin` that runs, a tarball holding what it needs, and supported Node versions
 * stated the same in package.json and the README, and allowed by every production dependency.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './tools.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  engines: { node: string };
};

describe('the package', () => {
  it('has the bin kube-token-guard: the bundled CLI, executable, with a shebang', () => {
    expect(pkg.bin).toEqual({ 'kube-token-guard': 'dist/cli/index.js' });
    const bin = join(ROOT, pkg.bin['kube-token-guard']!);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    accessSync(bin, constants.X_OK);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe('0.1.0');
  });

  it('packs the bundle, the schema and action.yml, and no tests', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as [{ files: { path: string }[] }];
    const files = packed.files.map((file) => file.path);
    expect(files).toEqual(
      expect.arrayContaining(['dist/cli/index.js', 'dist/index.js', 'action.yml', 'README.md']),
    );
    expect(files.filter((file) => /^(__tests__|src|node_modules|\.tools)\//.test(file))).toEqual([]);
  });

  it('states the Node versions every production dependency allows, the same in the README', () => {
    expect(pkg.engines.node).toBe('^22.13.0 || >=24');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(
      'It needs Node.js 22.13 or later in the 22 line, or 24 and later',
    );
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } }>;
    };
    const tooNew = Object.entries(lock.packages)
      .filter(([name, entry]) => name !== '' && !entry.dev && entry.engines?.node)
      .filter(([, entry]) =>
        [...entry.engines!.node!.matchAll(/>=\s*(\d+)/g)].some(([, major]) => Number(major) > 22),
      )
      .map(([name, entry]) => `${name}: ${entry.engines!.node}`);
    expect(tooNew).toEqual([]);
  });
});
