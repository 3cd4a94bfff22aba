/**
 * The pieces that complete a pull request's file list past GitHub's 3,000: git's diff read back, and when a list is
 * cut (the end-to-end cases are in e2e/many-files.e2e.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCut } from '../src/action/changed-files.js';
import type { PullRequestContext } from '../src/action/context.js';
import { findMergeBase } from '../src/action/merge-base.js';
import { GitRepository, parseRawDiff } from '../src/adapters/git.js';
import type { GitHub } from '../src/api/client.js';
import { makeRepo } from './e2e/git-fixture.js';

describe('git diff of two commits', () => {
  it('lists additions, removals, changes and renames with their blobs, paths verbatim', async () => {
    const repo = makeRepo({
      base: { 'keep.yaml': 'a: 1\n', 'gone.yaml': 'b: 1\n', 'old/name.yaml': 'c: 1\nd: 2\ne: 3\n' },
      head: { 'keep.yaml': 'a: 2\n', 'gone.yaml': null, 'new\nline "x".yaml': 'f: 1\n' },
      renames: { 'old/name.yaml': 'new/name.yaml' },
    });
    try {
      const entries = await new GitRepository(repo.dir).changedFiles(repo.mergeBaseSha, repo.headSha);
      const byPath = new Map(repo.files.map((file) => [file.filename, file]));
      expect(entries.map(({ status, path, previousPath }) => ({ status, path, previousPath }))).toStrictEqual(
        repo.files.map((file) => ({
          status: file.status,
          path: file.filename,
          previousPath: file.previous_filename,
        })),
      );
      for (const entry of entries.filter((entry) => entry.status !== 'removed'))
        expect(entry.blob).toBe(byPath.get(entry.path)!.sha);
      expect(entries.map((entry) => entry.status).sort()).toEqual([
        'added',
        'modified',
        'removed',
        'renamed',
      ]);
    } finally {
      repo.remove();
    }
  });

  it('refuses anything but two commit ids, and reads nothing into empty output', async () => {
    expect(await new GitRepository('.').changedFiles('HEAD~1', 'HEAD')).toEqual([]);
    expect(parseRawDiff('')).toEqual([]);
  });
});

describe('a cut list', () => {
  it('is one of 3,000 files when GitHub counts more, or does not say', () => {
    expect(isCut(2999, null)).toBe(false);
    expect(isCut(3000, 3000)).toBe(false);
    expect(isCut(3000, 3001)).toBe(true);
    expect(isCut(3000, null)).toBe(true);
  });
});

describe('the merge base', () => {
  it('is asked of GitHub once a run, though a cut list and the base files both need it', async () => {
    const pr: PullRequestContext = {
      ...{ owner: 'o', repo: 'r', number: 1, headRef: 'topic', headRepo: 'o/r', baseRepo: 'o/r' },
      ...{ headSha: 'b'.repeat(40), baseSha: 'a'.repeat(40), fork: false, changedFiles: 3001 },
    };
    const asked: string[] = [];
    const github = {
      rest: {
        repos: {
          compareCommitsWithBasehead: ({ basehead }: { basehead: string }) => {
            asked.push(basehead);
            return Promise.resolve({ data: { merge_base_commit: { sha: 'c'.repeat(40) } } });
          },
        },
      },
    } as unknown as GitHub;
    // A checkout without the commits: git cannot say.
    const git = new GitRepository(mkdtempSync(join(tmpdir(), 'ktg-no-history-')));
    expect(await findMergeBase(github, git, pr)).toBe('c'.repeat(40));
    expect(await findMergeBase(github, git, pr)).toBe('c'.repeat(40));
    expect(asked).toEqual([`${'a'.repeat(40)}...${'b'.repeat(40)}`]);
    // Another checkout asks again.
    await findMergeBase(github, new GitRepository(mkdtempSync(join(tmpdir(), 'ktg-no-history-'))), pr);
    expect(asked).toHaveLength(2);
  });
});
