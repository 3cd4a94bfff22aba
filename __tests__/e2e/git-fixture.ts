/**
 * Temporary git repositories for end-to-end tests: a base commit, a head commit on a branch, the head checked
 * out (as actions/checkout leaves the workspace), and the pull request's files as GitHub lists them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PullFile } from './fake-github.js';
import { SERVER_URL } from './github-objects.js';

export interface MakeRepoOptions {
  /** Files of the base commit. */
  base: Record<string, string | Buffer>;
  /** Changes of the head commit: new content (text, or bytes), or `null` to delete the file. */
  head: Record<string, string | Buffer | null>;
  /** Files the head commit renames (`git mv`), before `head` applies (so a renamed file can change too). */
  renames?: Record<string, string>;
  /** Changes committed on the base branch after the head branched off: the base then differs from the merge base. */
  baseAfterBranch?: Record<string, string | null>;
  /** For the URLs of the files; default `octo-org/manifests`. */
  owner?: string;
  repo?: string;
  /** Default `main` and `feature`. */
  baseRef?: string;
  headRef?: string;
}

export interface RepoFixture {
  dir: string;
  baseSha: string;
  headSha: string;
  /** Equal to `baseSha` unless `baseAfterBranch` moved the base on. */
  mergeBaseSha: string;
  baseRef: string;
  headRef: string;
  /** What `GET /pulls/{n}/files` returns: the diff from the merge base to the head. */
  files: PullFile[];
  /** Removes the repository. */
  remove(): void;
}

/** Git with no user or system configuration, so diffs and commits look the same on every machine. */
function git(dir: string, args: string[], date?: string): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      LC_ALL: 'C',
      ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
    },
  });
}

function writeFiles(dir: string, files: Record<string, string | Buffer | null>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    if (content === null) {
      rmSync(file, { force: true });
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
}

function commit(dir: string, message: string, date: string): string {
  git(dir, ['add', '--all']);
  git(dir, ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', message], date);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export function makeRepo(options: MakeRepoOptions): RepoFixture {
  const baseRef = options.baseRef ?? 'main';
  const headRef = options.headRef ?? 'feature';
  const dir = mkdtempSync(join(tmpdir(), 'ktg-repo-'));
  git(dir, ['init', '--quiet', `--initial-branch=${baseRef}`]);
  git(dir, ['config', 'user.name', 'Test Author']);
  git(dir, ['config', 'user.email', 'author@example.com']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  git(dir, ['config', 'tag.gpgsign', 'false']);
  git(dir, ['config', 'core.autocrlf', 'false']);

  writeFiles(dir, options.base);
  const mergeBaseSha = commit(dir, 'Base', '2024-01-01T00:00:00Z');
  git(dir, ['checkout', '--quiet', '-b', headRef]);
  for (const [from, to] of Object.entries(options.renames ?? {})) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    git(dir, ['mv', from, to]);
  }
  writeFiles(dir, options.head);
  const headSha = commit(dir, 'Change manifests', '2024-01-02T00:00:00Z');

  let baseSha = mergeBaseSha;
  if (options.baseAfterBranch) {
    git(dir, ['checkout', '--quiet', baseRef]);
    writeFiles(dir, options.baseAfterBranch);
    baseSha = commit(dir, 'Move the base on', '2024-01-03T00:00:00Z');
  }
  git(dir, ['checkout', '--quiet', '--detach', headSha]);

  const fullName = `${options.owner ?? 'octo-org'}/${options.repo ?? 'manifests'}`;
  return {
    dir,
    baseSha,
    headSha,
    mergeBaseSha,
    baseRef,
    headRef,
    files: pullFiles(dir, mergeBaseSha, headSha, fullName),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The files of a commit of the fixture's repository (UTF-8), as the fake GitHub's `contents` option takes them. */
export function filesOfCommit(repo: RepoFixture, sha: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of git(repo.dir, ['ls-tree', '-r', '-z', '--name-only', sha]).split('\0').filter(Boolean))
    files[path] = git(repo.dir, ['show', `${sha}:${path}`]);
  return files;
}

/**
 * A workspace as a plain `actions/checkout` leaves it on a `pull_request` event: the test merge commit of the head
 * into the base branch, fetched one commit deep, so git has neither the head nor the base. Returns its folder.
 * With `origin`, the fixture's repository is the remote `origin`, as the checkout configures the GitHub repository
 * (with its credentials): the head and merge base can then be fetched by id. Without, nothing can be fetched.
 */
export function mergeCheckout(repo: RepoFixture, options: { origin?: boolean } = {}): string {
  const tree = git(repo.dir, ['merge-tree', '--write-tree', repo.baseSha, repo.headSha]).trim();
  const merge = git(
    repo.dir,
    ['commit-tree', tree, '-p', repo.baseSha, '-p', repo.headSha, '-m', 'Merge into main'],
    '2024-01-04T00:00:00Z',
  ).trim();
  git(repo.dir, ['update-ref', 'refs/pull/merge', merge]);
  const dir = mkdtempSync(join(tmpdir(), 'ktg-merge-'));
  git(dir, ['init', '--quiet']);
  git(dir, ['fetch', '--quiet', '--depth=1', `file://${repo.dir}`, 'refs/pull/merge']);
  git(dir, ['checkout', '--quiet', '--detach', 'FETCH_HEAD']);
  if (options.origin) git(dir, ['remote', 'add', 'origin', `file://${repo.dir}`]);
  return dir;
}

const STATUS: Record<string, PullFile['status']> = {
  A: 'added',
  M: 'modified',
  D: 'removed',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** The files of a pull request from `base` to `head`, as `GET /repos/{o}/{r}/pulls/{n}/files` returns them. */
export function pullFiles(dir: string, base: string, head: string, fullName: string): PullFile[] {
  const diffOptions = ['--find-renames', '--no-color', '--no-ext-diff', '--no-textconv', '--unified=3'];
  // -z: paths verbatim. Records: `:<modes> <old blob> <new blob> STATUS\0path\0` or, for renames and copies,
  // `... R100\0old\0new\0`.
  const raw = git(dir, [
    'diff',
    '--find-renames',
    '--no-ext-diff',
    '-z',
    '--raw',
    '--no-abbrev',
    base,
    head,
  ]).split('\0');
  const numstat = numstats(git(dir, ['diff', ...diffOptions, '-z', '--numstat', base, head]));
  // One diff of every file, in the order of the records above: each file's part starts at a line `diff --git `, which
  // no line of a hunk can be (those start with a space, `+`, `-`, `@` or `\`).
  const parts = git(dir, ['diff', ...diffOptions, base, head]).split(/^(?=diff --git )/m);
  const files: PullFile[] = [];
  for (let index = 0, part = 0; index < raw.length - 1; part++) {
    const [, , oldBlob = '', newBlob = '', code = ''] = raw[index++]!.split(' ');
    const letter = code[0]!;
    const previous = letter === 'R' || letter === 'C' ? raw[index++] : undefined;
    const filename = raw[index++]!;
    const status = STATUS[letter];
    if (!status) throw new Error(`unexpected git diff status ${code} for ${filename}`);
    const stat = numstat.get(filename) ?? { additions: 0, deletions: 0, binary: false };
    const output = parts[part] ?? '';
    const hunks = output.indexOf('\n@@');
    const patch = stat.binary || hunks < 0 ? undefined : output.slice(hunks + 1).replace(/\n$/, '');
    const sha = status === 'removed' ? oldBlob : newBlob;
    const encoded = filename.split('/').map(encodeURIComponent).join('/');
    files.push({
      sha,
      filename,
      status,
      additions: stat.additions,
      deletions: stat.deletions,
      changes: stat.additions + stat.deletions,
      blob_url: `${SERVER_URL}/${fullName}/blob/${head}/${encoded}`,
      raw_url: `${SERVER_URL}/${fullName}/raw/${head}/${encoded}`,
      contents_url: `https://api.github.com/repos/${fullName}/contents/${encoded}?ref=${head}`,
      ...(patch !== undefined ? { patch } : {}),
      ...(previous !== undefined ? { previous_filename: previous } : {}),
    });
  }
  return files;
}

function numstats(output: string): Map<string, { additions: number; deletions: number; binary: boolean }> {
  // Records: `ADDED\tDELETED\tpath\0`, or for renames `ADDED\tDELETED\t\0old\0new\0`; `-` for binary files.
  const stats = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  const fields = output.split('\0');
  for (let index = 0; index < fields.length - 1;) {
    const [added = '0', deleted = '0', path = ''] = fields[index++]!.split('\t');
    let filename = path;
    if (path === '') {
      index += 1; // the old path of a rename
      filename = fields[index++]!;
    }
    stats.set(filename, {
      additions: added === '-' ? 0 : Number(added),
      deletions: deleted === '-' ? 0 : Number(deleted),
      binary: added === '-',
    });
  }
  return stats;
}
