import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { type RepoFixture, makeRepo } from './git-fixture.js';

const lines = (count: number, prefix = 'line') =>
  Array.from({ length: count }, (_, index) => `${prefix}${index + 1}\n`).join('');

const fixtures: RepoFixture[] = [];
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.remove();
});

function repo(options: Parameters<typeof makeRepo>[0]): RepoFixture {
  const fixture = makeRepo(options);
  fixtures.push(fixture);
  return fixture;
}

describe('makeRepo', () => {
  it('commits base and head, checks out the head, and lists the files as GitHub does', () => {
    const fixture = repo({
      base: {
        'deploy/app.yaml': lines(10),
        'deploy/gone.yaml': 'kind: Secret\n',
        'deploy/old.yaml': lines(20, 'same'),
        'deploy/tail.yaml': 'a\nb',
      },
      head: {
        'deploy/app.yaml': lines(10).replace('line5\n', 'line5 changed\n'),
        'deploy/gone.yaml': null,
        'deploy/new.yaml': 'kind: Pod\n',
        'deploy/tail.yaml': 'a\nb\nc',
      },
      renames: { 'deploy/old.yaml': 'deploy/moved/old.yaml' },
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: fixture.dir, encoding: 'utf8' }).trim();
    expect(git('rev-parse', 'HEAD')).toBe(fixture.headSha);
    expect(git('rev-parse', 'HEAD^')).toBe(fixture.baseSha);
    expect(fixture.mergeBaseSha).toBe(fixture.baseSha);
    expect(git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(fixture.dir, 'deploy/new.yaml'), 'utf8')).toBe('kind: Pod\n');

    const summary = fixture.files.map(
      ({ filename, status, additions, deletions, changes, previous_filename }) => ({
        filename,
        status,
        additions,
        deletions,
        changes,
        ...(previous_filename ? { previous_filename } : {}),
      }),
    );
    expect(summary).toEqual([
      { filename: 'deploy/app.yaml', status: 'modified', additions: 1, deletions: 1, changes: 2 },
      { filename: 'deploy/gone.yaml', status: 'removed', additions: 0, deletions: 1, changes: 1 },
      {
        filename: 'deploy/moved/old.yaml',
        status: 'renamed',
        additions: 0,
        deletions: 0,
        changes: 0,
        previous_filename: 'deploy/old.yaml',
      },
      { filename: 'deploy/new.yaml', status: 'added', additions: 1, deletions: 0, changes: 1 },
      { filename: 'deploy/tail.yaml', status: 'modified', additions: 2, deletions: 1, changes: 3 },
    ]);
    const patch = (name: string) => fixture.files.find((file) => file.filename === name)?.patch;
    expect(patch('deploy/app.yaml')).toBe(
      '@@ -2,7 +2,7 @@ line1\n line2\n line3\n line4\n-line5\n+line5 changed\n line6\n line7\n line8',
    );
    expect(patch('deploy/gone.yaml')).toBe('@@ -1 +0,0 @@\n-kind: Secret');
    expect(patch('deploy/new.yaml')).toBe('@@ -0,0 +1 @@\n+kind: Pod');
    expect(patch('deploy/moved/old.yaml')).toBeUndefined();
    expect(patch('deploy/tail.yaml')).toBe(
      '@@ -1,2 +1,3 @@\n a\n-b\n\\ No newline at end of file\n+b\n+c\n\\ No newline at end of file',
    );
    const app = fixture.files[0]!;
    expect(app.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(app.blob_url).toBe(
      `https://github.com/octo-org/manifests/blob/${fixture.headSha}/deploy/app.yaml`,
    );
    expect(app.contents_url).toBe(
      `https://api.github.com/repos/octo-org/manifests/contents/deploy/app.yaml?ref=${fixture.headSha}`,
    );
  });

  it('is deterministic: the same content gives the same commits', () => {
    const options = { base: { 'a.yaml': 'a: 1\n' }, head: { 'a.yaml': 'a: 2\n' } };
    expect(repo(options).headSha).toBe(repo(options).headSha);
  });

  it('diffs from the merge base when the base branch moved on', () => {
    const fixture = repo({
      base: { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' },
      head: { 'a.yaml': 'a: 2\n' },
      baseAfterBranch: { 'b.yaml': 'b: 2\n' },
    });
    expect(fixture.baseSha).not.toBe(fixture.mergeBaseSha);
    expect(fixture.files.map((file) => file.filename)).toEqual(['a.yaml']);
  });

  it('gives patches the fake GitHub accepts review comments on', async () => {
    const fixture = repo({
      base: { 'deploy/app.yaml': lines(30) },
      head: {
        'deploy/app.yaml': lines(30).replace('line20\n', 'line20\n  automountServiceAccountToken: false\n'),
      },
    });
    const fake = await FakeGitHub.start({
      owner: 'octo-org',
      repo: 'manifests',
      pull: {
        number: 1,
        headSha: fixture.headSha,
        baseSha: fixture.baseSha,
        mergeBaseSha: fixture.mergeBaseSha,
        files: fixture.files,
      },
    });
    try {
      const quiet = () => undefined;
      const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
      const octokit = new Octokit({ auth: 'ghs_test', baseUrl: fake.url, log });
      const review = (line: number, start_line?: number) =>
        octokit.rest.pulls
          .createReview({
            owner: 'octo-org',
            repo: 'manifests',
            pull_number: 1,
            event: 'COMMENT',
            body: 'x',
            comments: [{ path: 'deploy/app.yaml', line, ...(start_line ? { start_line } : {}), body: 'x' }],
          })
          .then(
            () => 200,
            (error: { status: number }) => error.status,
          );
      expect(await review(21)).toBe(200);
      expect(await review(24, 18)).toBe(200);
      expect(await review(10)).toBe(422);
      expect(await review(25)).toBe(422);
      expect(fake.violations).toHaveLength(2);
    } finally {
      await fake.stop();
    }
  });
});
