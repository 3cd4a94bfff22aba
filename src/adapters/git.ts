import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { insidePath } from './links.js';

const run = promisify(execFile);

/**
 * Reads a local git repository without a shell: PR-controlled text (paths, refs) is only ever an argument.
 */
export class GitRepository {
  constructor(readonly dir: string) {}

  private async git(args: string[]): Promise<string> {
    const { stdout } = await run('git', ['-C', this.dir, ...args], {
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
    });
    return stdout;
  }

  async isRepository(): Promise<boolean> {
    return this.git(['rev-parse', '--git-dir']).then(
      () => true,
      () => false,
    );
  }

  /** Whether git ignores `path` (relative to the folder; a tracked file never is); false outside a repository. */
  async ignores(path: string): Promise<boolean> {
    return this.git(['check-ignore', '--quiet', '--', path]).then(
      () => true,
      () => false,
    );
  }

  async head(): Promise<string | null> {
    return this.git(['rev-parse', 'HEAD']).then(
      (out) => out.trim(),
      () => null,
    );
  }

  async hasCommit(sha: string): Promise<boolean> {
    if (!/^[0-9a-f]{7,64}$/i.test(sha)) return false;
    return this.git(['cat-file', '-e', `${sha}^{commit}`]).then(
      () => true,
      () => false,
    );
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    return this.git(['merge-base', a, b]).then(
      (out) => out.trim() || null,
      () => null,
    );
  }

  /** True when the clone is shallow (`actions/checkout`'s default `fetch-depth: 1`). */
  async isShallow(): Promise<boolean> {
    return this.git(['rev-parse', '--is-shallow-repository']).then(
      (out) => out.trim() === 'true',
      () => false,
    );
  }

  /**
   * Fetches commits by their full ids from the `origin` remote the checkout configured (with the credentials it
   * kept), one commit deep when the clone is shallow. Only objects arrive: no ref, branch or file of the workspace
   * changes, no submodule is fetched, no credential is prompted for. Returns the ids git has afterwards.
   */
  async fetchCommits(shas: readonly string[], timeoutMs = 120_000): Promise<string[]> {
    const wanted = [...new Set(shas)].filter((sha) => /^[0-9a-f]{40}$/.test(sha));
    if (wanted.length === 0) return [];
    const remotes = await this.git(['remote']).catch(() => '');
    if (!remotes.split('\n').includes('origin')) return [];
    const depth = (await this.isShallow()) ? ['--depth=1'] : [];
    await run(
      'git',
      [
        '-C',
        this.dir,
        'fetch',
        '--quiet',
        '--no-tags',
        '--no-recurse-submodules',
        '--no-write-fetch-head',
        ...depth,
        'origin',
        ...wanted,
      ],
      { timeout: timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
    ).catch(() => undefined);
    const present: string[] = [];
    for (const sha of wanted) if (await this.hasCommit(sha)) present.push(sha);
    return present;
  }

  /** The full message of commit `sha`, or null when git does not have it. */
  async commitMessage(sha: string): Promise<string | null> {
    if (!(await this.hasCommit(sha))) return null;
    return this.git(['log', '-1', '--format=%B', sha]).then(
      (out) => out,
      () => null,
    );
  }

  /**
   * The files that differ from commit `from` to commit `to`, as `git diff --raw` lists them with renames found (as
   * GitHub lists a pull request's files): status, path, the path before a rename and the blob id at `to`. No diff
   * driver or text conversion the repository configures runs: only trees are compared.
   */
  async changedFiles(from: string, to: string): Promise<DiffEntry[]> {
    if (![from, to].every((sha) => /^[0-9a-f]{40,64}$/i.test(sha))) return [];
    const out = await this.git([
      'diff',
      '--raw',
      '-z',
      '-M',
      '--no-abbrev',
      '--no-ext-diff',
      '--no-textconv',
      from,
      to,
      '--',
    ]);
    return parseRawDiff(out);
  }

  /** Paths of every file at `rev`. */
  async listFiles(rev: string): Promise<string[]> {
    const out = await this.git(['ls-tree', '-r', '-z', '--name-only', rev]);
    return out.split('\0').filter((path) => path !== '');
  }

  /**
   * Contents of `paths` at `rev`, read in one `git cat-file --batch` process; paths absent at `rev` are left out.
   */
  async readFiles(rev: string, paths: readonly string[]): Promise<Map<string, Buffer>> {
    const result = new Map<string, Buffer>();
    if (paths.length === 0) return result;
    const child = spawn('git', ['-C', this.dir, 'cat-file', '--batch'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const done = new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`git cat-file exited with ${code}`)),
      );
    });
    const valid = paths.filter((path) => !path.includes('\n'));
    child.stdin.end(valid.map((path) => `${rev}:${path}\n`).join(''));
    await done;
    const output = Buffer.concat(chunks);
    let offset = 0;
    for (const path of valid) {
      const headerEnd = output.indexOf(0x0a, offset);
      if (headerEnd === -1) break;
      const header = output.subarray(offset, headerEnd).toString('utf8');
      offset = headerEnd + 1;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
      const size = Number(header.split(' ')[2]);
      const type = header.split(' ')[1];
      if (type === 'blob') result.set(path, output.subarray(offset, offset + size));
      offset += size + 1;
    }
    return result;
  }
}

export interface DiffEntry {
  status: 'added' | 'removed' | 'modified' | 'renamed';
  path: string;
  /** The path at `from`, for a rename. */
  previousPath?: string;
  /** The blob id at `to`; zeros for a removed file. */
  blob: string;
}

/** Reads `git diff --raw -z` output: `:<modes> <blobs> <status>\0<path>\0`, a second path after a rename or copy. */
export function parseRawDiff(out: string): DiffEntry[] {
  const fields = out.split('\0');
  const entries: DiffEntry[] = [];
  for (let index = 0; index + 1 < fields.length;) {
    const header = fields[index]!.split(' ');
    const letter = (header[4] ?? '').charAt(0);
    const blob = header[3] ?? '';
    const first = fields[index + 1]!;
    if (letter === 'R' || letter === 'C') {
      const second = fields[index + 2] ?? '';
      entries.push(
        letter === 'R'
          ? { status: 'renamed', path: second, previousPath: first, blob }
          : { status: 'added', path: second, blob },
      );
      index += 3;
      continue;
    }
    const status = letter === 'A' ? 'added' : letter === 'D' ? 'removed' : 'modified';
    entries.push({ status, path: first, blob });
    index += 2;
  }
  return entries;
}

/** Writes the files below `prefix` at `rev` into `dest` (same relative paths), for tools that read a folder. */
export async function materialize(
  repo: GitRepository,
  rev: string,
  prefix: string,
  dest: string,
): Promise<number> {
  const below = prefix === '' ? '' : `${prefix}/`;
  const paths = (await repo.listFiles(rev)).filter((path) => path.startsWith(below));
  const contents = await repo.readFiles(rev, paths);
  for (const [path, buffer] of contents) {
    // git refuses `..` in tree entries, but a path is still only ever written inside the scratch folder.
    const target = insidePath(dest, path);
    if (target === null) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, buffer);
  }
  return contents.size;
}
