/**
 * The git objects of the fake GitHub's repository: blobs, trees and commits hashed as git hashes them, and the
 * branches. Enough to compute the files of any commit the client makes with `createCommitOnBranch` or the Git
 * Data API, and to tell a fast-forward from a rewrite.
 */
import { createHash } from 'node:crypto';
import { gitBlobSha } from './github-objects.js';

/** One file of a tree: its mode (`100644`, `100755`, `120000`) and its blob. */
export interface TreeFile {
  mode: string;
  sha: string;
}

/** A tree as the fake keeps it: every file under it by its path relative to the tree, subtrees flattened. */
export type FlatTree = Map<string, TreeFile>;

export interface GitPerson {
  name: string;
  email: string;
  /** `2024-01-03T00:00:01Z` */
  date: string;
}

export interface GitCommit {
  oid: string;
  tree: string;
  parents: string[];
  message: string;
  author: GitPerson;
  committer: GitPerson;
}

/** A top-level entry of a tree, as `POST /git/trees` lists them. */
export interface TreeListing {
  path: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
  size?: number;
}

const DIRECTORY_MODE = '40000';

export class GitStore {
  readonly blobs = new Map<string, Buffer>();
  readonly trees = new Map<string, FlatTree>();
  readonly commits = new Map<string, GitCommit>();
  /** Branch name (unqualified) to the commit it points to. */
  readonly branches = new Map<string, string>();
  /**
   * Trees whose files the fake does not know in full: those of commits a test gave no `contents` for, and trees
   * made from them. Checks that a path exists are skipped for them.
   */
  readonly incompleteTrees = new Set<string>();

  putBlob(content: Buffer | string): string {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const sha = gitBlobSha(bytes);
    this.blobs.set(sha, bytes);
    return sha;
  }

  /** Stores a tree and all its subtrees; returns the tree's git sha. */
  putTree(files: FlatTree): string {
    const directories = new Map<string, FlatTree>();
    const entries: { name: string; mode: string; sha: string; directory: boolean }[] = [];
    for (const [path, file] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        entries.push({ name: path, mode: file.mode, sha: file.sha, directory: false });
        continue;
      }
      const name = path.slice(0, slash);
      const directory = directories.get(name) ?? new Map<string, TreeFile>();
      directory.set(path.slice(slash + 1), file);
      directories.set(name, directory);
    }
    for (const [name, directory] of directories) {
      entries.push({ name, mode: DIRECTORY_MODE, sha: this.putTree(directory), directory: true });
    }
    // git sorts tree entries by name, a directory as if its name ended with a slash.
    const key = (entry: { name: string; directory: boolean }) => entry.name + (entry.directory ? '/' : '');
    entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const body = Buffer.concat(
      entries.map((entry) =>
        Buffer.concat([Buffer.from(`${entry.mode} ${entry.name}\0`), Buffer.from(entry.sha, 'hex')]),
      ),
    );
    const sha = hashObject('tree', body);
    this.trees.set(sha, new Map(files));
    return sha;
  }

  /** Stores text files (mode 100644) as blobs and a tree. */
  putFiles(files: ReadonlyMap<string, string>): string {
    const tree: FlatTree = new Map();
    for (const [path, content] of files) tree.set(path, { mode: '100644', sha: this.putBlob(content) });
    return this.putTree(tree);
  }

  /** Stores a commit; its oid is its git hash unless `oid` is given (the commits a test names). */
  putCommit(commit: Omit<GitCommit, 'oid'>, oid?: string): string {
    const person = (who: GitPerson) =>
      `${who.name} <${who.email}> ${Math.floor(Date.parse(who.date) / 1000)} +0000`;
    const text =
      `tree ${commit.tree}\n` +
      commit.parents.map((parent) => `parent ${parent}\n`).join('') +
      `author ${person(commit.author)}\ncommitter ${person(commit.committer)}\n\n${commit.message}`;
    const sha = oid ?? hashObject('commit', Buffer.from(text));
    if (!this.commits.has(sha)) this.commits.set(sha, { ...commit, oid: sha });
    return sha;
  }

  /** Whether the fake knows every file of a tree (or of a commit's tree). */
  isComplete(treeOrCommit: string): boolean {
    const tree = this.commits.get(treeOrCommit)?.tree ?? treeOrCommit;
    return !this.incompleteTrees.has(tree);
  }

  /** The files of a tree: path to blob. */
  treeFiles(tree: string): FlatTree {
    return new Map(this.trees.get(tree) ?? []);
  }

  /** The files of a commit, decoded as UTF-8. */
  filesOf(oid: string): Map<string, string> {
    const commit = this.commits.get(oid);
    const files = new Map<string, string>();
    if (!commit) return files;
    for (const [path, file] of this.treeFiles(commit.tree)) {
      files.set(path, this.blobs.get(file.sha)?.toString('utf8') ?? '');
    }
    return files;
  }

  /** Whether `ancestor` is `oid` or one of its ancestors. */
  isAncestor(ancestor: string, oid: string): boolean {
    const seen = new Set<string>();
    const queue = [oid];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  /** The commits reachable from `oid` but not from `base`, oldest first. */
  commitsBetween(base: string, oid: string): string[] {
    const result: string[] = [];
    const seen = new Set<string>();
    const visit = (sha: string) => {
      if (seen.has(sha) || this.isAncestor(sha, base)) return;
      seen.add(sha);
      for (const parent of this.commits.get(sha)?.parents ?? []) visit(parent);
      result.push(sha);
    };
    visit(oid);
    return result;
  }

  /** The top-level entries of a tree (directories as `tree` entries), as GitHub lists a tree. */
  listTree(tree: string): TreeListing[] {
    const files = this.treeFiles(tree);
    const listing = new Map<string, TreeListing>();
    const directories = new Map<string, FlatTree>();
    for (const [path, file] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) {
        listing.set(path, {
          path,
          mode: file.mode,
          type: 'blob',
          sha: file.sha,
          size: this.blobs.get(file.sha)?.length ?? 0,
        });
        continue;
      }
      const name = path.slice(0, slash);
      const directory = directories.get(name) ?? new Map<string, TreeFile>();
      directory.set(path.slice(slash + 1), file);
      directories.set(name, directory);
    }
    for (const [name, directory] of directories) {
      listing.set(name, { path: name, mode: '040000', type: 'tree', sha: this.putTree(directory) });
    }
    return [...listing.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Whether a blob with this sha exists: one stored, or a file of a known tree. */
  hasBlob(sha: string): boolean {
    return this.blobs.has(sha);
  }
}

function hashObject(type: 'tree' | 'commit', body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

/** The headline and body of a commit message, as GitHub splits them. */
export function splitMessage(message: string): { headline: string; body: string } {
  const newline = message.indexOf('\n');
  if (newline < 0) return { headline: message, body: '' };
  return {
    headline: message.slice(0, newline).trimEnd(),
    body: message.slice(newline + 1).replace(/^\s*\n/, ''),
  };
}
