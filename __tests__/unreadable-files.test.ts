/**
 * Files and folders the file system refuses to read are errors of the scan, which then cannot pass (exit 2): a clean
 * result means every file in scope was read. The refusals are made by a stand-in for `node:fs`, so that the tests
 * hold when they run as root, whom permissions do not stop; one more test uses real permissions when it can.
 */
import * as fs from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectFiles } from '../src/adapters/files.js';
import { runCliCaptured, temporaryTrees } from './helpers.js';

/** Paths (ending with these) that the stand-in refuses to read or list, and the error it throws for each. */
const refused = new Map<string, () => Error>();

vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  const refuse = (path: unknown) => {
    for (const [end, error] of refused) if (String(path).endsWith(end)) throw error();
  };
  const realpathSync = Object.assign(
    (path: fs.PathLike, ...rest: []) => (refuse(path), real.realpathSync(path, ...rest)),
    { native: (path: fs.PathLike) => (refuse(path), real.realpathSync.native(path)) },
  );
  return {
    ...real,
    realpathSync,
    readFileSync: (path: fs.PathOrFileDescriptor, ...rest: []) => (
      refuse(path),
      real.readFileSync(path, ...rest)
    ),
    openSync: (path: fs.PathLike, flags?: fs.OpenMode) => (refuse(path), real.openSync(path, flags ?? 'r')),
    readdirSync: (path: fs.PathLike, ...rest: [never]) => (refuse(path), real.readdirSync(path, ...rest)),
  };
});

const errno = (code: string) => () => Object.assign(new Error(`${code}: refused`), { code });
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers: [{name: c, image: x}]\n';

afterEach(() => refused.clear());

const tree = temporaryTrees('ktg-unreadable-');

describe('files and folders that cannot be read', () => {
  it('are errors naming the file or folder and the reason, and the rest is read', async () => {
    const root = tree({ 'a/ok.yaml': POD, 'a/locked.yaml': POD, 'b/ok.yaml': POD, 'c/gone.yaml': POD });
    refused.set('/a/locked.yaml', errno('EACCES'));
    refused.set('/b', errno('EACCES'));
    refused.set('/c/gone.yaml', errno('EIO'));
    const collected = await collectFiles({ root, paths: [], include: ['**/*.yaml'], exclude: [] });
    expect(collected.files.map((file) => file.path)).toEqual(['a/ok.yaml']);
    expect(collected.errors).toEqual([
      {
        file: 'a/locked.yaml',
        line: null,
        message: 'cannot be read: permission denied (EACCES); not scanned',
      },
      {
        file: 'b',
        line: null,
        message: 'this folder cannot be read: permission denied (EACCES); none of its files is scanned',
      },
      { file: 'c/gone.yaml', line: null, message: 'cannot be read: input/output error (EIO); not scanned' },
    ]);
  });

  it('fail the CLI with exit 2, after the report of what was read', async () => {
    const root = tree({ 'ok.yaml': POD, 'locked.yaml': POD });
    refused.set('/locked.yaml', errno('EPERM'));
    const { code, stdout, stderr } = await runCliCaptured(['scan', '.', '--fail-on', 'none'], root);
    expect(code).toBe(2);
    expect(stdout).toContain('ok.yaml');
    expect(stdout).toContain('locked.yaml: cannot be read: operation not permitted (EPERM); not scanned');
    expect(stderr).toContain('1 file could not be checked');
  });

  it('are refused by the file system itself when the tests are not run as root', async (context) => {
    if (process.getuid?.() === 0) context.skip();
    const root = tree({ 'ok.yaml': POD, 'locked.yaml': POD });
    fs.chmodSync(join(root, 'locked.yaml'), 0o000);
    const collected = await collectFiles({ root, paths: [], include: ['**/*.yaml'], exclude: [] });
    expect(collected.errors.map((error) => error.message)).toEqual([
      'cannot be read: permission denied (EACCES); not scanned',
    ]);
  });
});

describe('a defect of the tool', () => {
  it('is said as one, with exit 2 rather than the 1 of findings', async () => {
    const root = tree({ 'ok.yaml': POD });
    refused.set('/marker-of-a-bug', () => new Error('a bug in the walk'));
    // The scan root itself is resolved outside any per-file guard: a failure there escapes the scan.
    const inner = join(root, 'marker-of-a-bug');
    mkdirSync(inner);
    const { code, stderr } = await runCliCaptured(['scan', '.', '--fail-on', 'none'], inner);
    expect(code).toBe(2);
    expect(stderr).toContain('internal error, nothing was checked: Error: a bug in the walk');
  });
});
