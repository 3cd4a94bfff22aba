/**
 * Whole trees (issue 20.4): files found by walking a folder that provably hold no Kubernetes object are left out of
 * the scan and out of memory, and counted; files the user names are always read; a broken file that may be a
 * manifest is still an error, and a broken lock file is not. The skip decision itself is tested in
 * kubernetes-candidate.test.ts.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReusing } from '../src/adapters/candidates.js';
import { MAX_FILE_BYTES } from '../src/adapters/decode.js';
import { collectFiles, collectFromGit } from '../src/adapters/files.js';
import { GitRepository } from '../src/adapters/git.js';
import { runCliCaptured, temporaryTrees } from './helpers.js';
import { makeRepo } from './e2e/git-fixture.js';

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: tool, namespace: ops}\nspec:\n  containers: [{name: c, image: x}]\n';
const LOCK = `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { 'node_modules/kind-of': { version: '6.0.3' } } }, null, 2)}\n`;
const MB = 1024 * 1024;

const tree = temporaryTrees('ktg-tree-');

const collect = (root: string, paths: string[] = []) =>
  collectFiles({ root, paths, include: ['**/*.yaml', '**/*.yml', '**/*.json'], exclude: [] });

const cli = runCliCaptured;

describe('files that cannot hold a Kubernetes object', () => {
  it('are skipped and counted when found in a folder, and their texts are not kept', async () => {
    const root = tree({
      'deploy/pod.yaml': POD,
      'app/package-lock.json': LOCK,
      'app/package.json': '{"name": "app", "version": "1.0.0"}\n',
      'app/.vscode/settings.json': '{"editor.formatOnSave": true}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'schema/pod.json': '{"properties": {"apiVersion": {}, "kind": {}}}\n',
      'deploy/escaped.json': '{"apiVersion": "v1", "k\\u0069nd": "Pod", "metadata": {"name": "e"}}\n',
    });
    const collected = await collect(root);
    expect(collected.files.map((file) => file.path)).toEqual(['deploy/escaped.json', 'deploy/pod.yaml']);
    expect(collected.skipped).toHaveLength(5);
    expect(collected.errors).toEqual([]);
  });

  it('are read when named: an explicit path is always judged', async () => {
    const root = tree({ 'app/package-lock.json': LOCK, 'broken.json': '{"name": [\n' });
    const collected = await collect(root, ['app/package-lock.json', 'broken.json']);
    expect(collected.files.map((file) => file.path).sort()).toEqual(['app/package-lock.json', 'broken.json']);
    expect(collected.skipped).toEqual([]);
    const named = await cli(['scan', 'broken.json', '--format', 'json'], root);
    expect(named.code).toBe(2);
    const errors = JSON.parse(named.stdout).errors as Array<{ file: string }>;
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.file === 'broken.json')).toBe(true);
  });

  it('keep the errors of broken files that may be manifests, and drop those of broken lock files', async () => {
    const root = tree({
      'deploy/broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n',
      'deploy/duplicate.yaml': 'apiVersion: v1\nkind: Pod\nkind: Pod\nmetadata: {name: d}\n',
      'app/package-lock.json': LOCK.slice(0, -20),
      'app/pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  a: 1\n  a: 2\n",
    });
    const result = await cli(['scan', '--format', 'json'], root);
    expect(result.code).toBe(2);
    // The JSON contract is unchanged: findings and errors, nothing else.
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report)).toEqual(['findings', 'errors']);
    expect(report.errors.map((error: { file: string }) => error.file).sort()).toEqual([
      'deploy/broken.yaml',
      'deploy/duplicate.yaml',
    ]);
    expect(result.stderr).toContain('Skipped 2 files that cannot hold a Kubernetes object');
  });

  it('keep the errors that are not about keys: binary content, and a manifest over the size limit', async () => {
    const manifestHead = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\n`;
    const root = tree({
      'deploy/binary.json': Buffer.from([0x7b, 0x00, 0x7d]),
      'deploy/big.yaml': manifestHead + `# ${'x'.repeat(80)}\n`.repeat(Math.ceil((21 * MB) / 83)),
      'deploy/utf16.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]),
    });
    const collected = await collect(root);
    expect(collected.errors.map((error) => [error.file, error.message]).sort()).toEqual([
      ['deploy/big.yaml', expect.stringMatching(/larger than 20 MiB/)],
      ['deploy/binary.json', expect.stringMatching(/binary content/)],
    ]);
    expect(collected.files.map((file) => file.path)).toEqual(['deploy/utf16.yaml']);
  }, 60_000);

  it('skip a data file over the size limit that names no key, reading it a chunk at a time', async () => {
    const record = `{"id": 1, "kind": "event", "label": "${'y'.repeat(60)}"},\n`;
    const root = tree({
      'data/records.json': `[\n${record.repeat(Math.ceil((30 * MB) / record.length))}{}]\n`,
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const collected = await collect(root);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(10 * MB);
    expect(collected.errors).toEqual([]);
    expect(collected.skipped).toEqual(['data/records.json']);
    // Named, it is judged: too large to read.
    const named = await collect(root, ['data/records.json']);
    expect(named.errors[0]?.message).toMatch(/larger than 20 MiB/);
  }, 60_000);

  it('are skipped the same way when the head is read from git', async () => {
    const contents = new Map([
      ['deploy/pod.yaml', Buffer.from(POD)],
      ['app/package-lock.json', Buffer.from(LOCK)],
    ]);
    const repo = {
      listFiles: async () => [...contents.keys()],
      readFiles: async (_rev: string, paths: string[]) =>
        new Map(paths.filter((path) => contents.has(path)).map((path) => [path, contents.get(path)!])),
    } as unknown as GitRepository;
    const collected = await collectFromGit(repo, 'HEAD', ['**/*.yaml', '**/*.json'], []);
    expect(collected.files.map((file) => file.path)).toEqual(['deploy/pod.yaml']);
    expect(collected.skipped).toEqual(['app/package-lock.json']);
  });

  it('fails a file whose name git`s batch reader cannot take (a line feed), rather than leave it out', async () => {
    const repo = makeRepo({ base: {}, head: { 'deploy/web\n.yaml': POD, 'deploy/ok.yaml': POD } });
    try {
      const collected = await collectFromGit(new GitRepository(repo.dir), repo.headSha, ['**/*.yaml'], []);
      expect(collected.files.map((file) => file.path)).toEqual(['deploy/ok.yaml']);
      expect(collected.errors).toEqual([
        { file: 'deploy/web\n.yaml', line: null, message: expect.stringContaining('holds a line feed') },
      ]);
    } finally {
      repo.remove();
    }
  });

  it('are read from git a batch at a time, every file of every batch judged', async () => {
    const contents = new Map<string, Buffer>();
    for (let index = 0; index < 1201; index++) {
      contents.set(`deploy/pod-${index}.yaml`, Buffer.from(POD.replace('name: tool', `name: tool-${index}`)));
      contents.set(`app/${index}/package.json`, Buffer.from('{"name": "app"}\n'));
    }
    const batches: number[] = [];
    const repo = {
      listFiles: async () => [...contents.keys()],
      readFiles: async (_rev: string, paths: string[]) => {
        batches.push(paths.length);
        return new Map(paths.filter((path) => contents.has(path)).map((path) => [path, contents.get(path)!]));
      },
    } as unknown as GitRepository;
    const collected = await collectFromGit(repo, 'HEAD', ['**/*.yaml', '**/*.json'], []);
    expect(collected.files).toHaveLength(1201);
    expect(collected.skipped).toHaveLength(1201);
    expect(Math.max(...batches)).toBeLessThanOrEqual(500);
  });
});

describe('reading the files of a tree', () => {
  it('reads each file whole through one reused buffer: a large file, then smaller ones, each only its own bytes', async () => {
    const padded = (name: string, bytes: number) =>
      POD.replace('name: tool', `name: ${name}`) + `# ${'y'.repeat(78)}\n`.repeat(Math.ceil(bytes / 81));
    const written: Record<string, string> = {
      'a/large.yaml': padded('large', 700 * 1024),
      'b/small.yaml': POD,
      'c/middle.yaml': padded('middle', 300 * 1024),
      'd/utf8.yaml': POD.replace('name: tool', 'name: tööl'),
      'e/empty.yaml': '',
    };
    const root = tree(written);
    const collected = await collect(root);
    const { 'e/empty.yaml': empty, ...manifests } = written;
    expect(Object.fromEntries(collected.files.map((file) => [file.path, file.text]))).toEqual(manifests);
    // Read as empty (no bytes of the file before it), so it holds no object.
    expect(empty).toBe('');
    expect(collected.skipped).toEqual(['e/empty.yaml']);
    expect(readReusing(join(root, 'b/small.yaml'))?.toString()).toBe(POD);
  });

  it('stops reading a file once it holds more than the size limit', () => {
    const root = tree({
      'huge.yaml': 'x'.repeat(MAX_FILE_BYTES + 1),
      'limit.yaml': 'x'.repeat(MAX_FILE_BYTES),
    });
    expect(readReusing(join(root, 'huge.yaml'))).toBeNull();
    expect(readReusing(join(root, 'limit.yaml'))?.length).toBe(MAX_FILE_BYTES);
  });
});

describe('links met while walking a folder', () => {
  it('are read through when they lead to a file in the root, and left when they loop, dangle or leave', async () => {
    const root = tree({
      'deploy/pod.yaml': POD,
      'shared/pod.yaml': POD.replace('name: tool', 'name: shared'),
    });
    const outside = tree({ 'secret.yaml': POD.replace('name: tool', 'name: outside') });
    symlinkSync(join(root, 'shared/pod.yaml'), join(root, 'deploy/linked.yaml'));
    symlinkSync(join(root, 'deploy/loop-b.yaml'), join(root, 'deploy/loop-a.yaml'));
    symlinkSync(join(root, 'deploy/loop-a.yaml'), join(root, 'deploy/loop-b.yaml'));
    symlinkSync(join(root, 'missing.yaml'), join(root, 'deploy/dangling.yaml'));
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'deploy/outside.yaml'));
    // A link to a folder is not followed: its files are read where they are.
    symlinkSync(join(root, 'shared'), join(root, 'deploy/shared-link'));
    const collected = await collect(root);
    expect(collected.files.map((file) => file.path)).toEqual([
      'deploy/linked.yaml',
      'deploy/pod.yaml',
      'shared/pod.yaml',
    ]);
    expect(collected.files[0]!.text).toContain('name: shared');
    expect(collected.notices).toEqual([
      { file: 'deploy/outside.yaml', message: 'links outside the scanned root; skipped' },
    ]);
    expect(collected.errors).toEqual([]);
    expect(JSON.stringify(collected)).not.toContain('name: outside');
  });
});
