import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMergeCommitSha } from './fake-github.js';
import { pullRequestEvent, writePullRequestEvent } from './event.js';

const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);

describe('writePullRequestEvent', () => {
  it('writes the opened example with the repository, number and commits replaced', () => {
    const path = writePullRequestEvent({
      owner: 'octo-org',
      repo: 'manifests',
      number: 42,
      headSha: HEAD,
      baseSha: BASE,
    });
    const event = JSON.parse(readFileSync(path, 'utf8'));
    expect(event).toMatchObject({
      action: 'opened',
      number: 42,
      repository: { full_name: 'octo-org/manifests', name: 'manifests', owner: { login: 'octo-org' } },
      pull_request: {
        number: 42,
        merge_commit_sha: defaultMergeCommitSha(HEAD, BASE),
        url: 'https://api.github.com/repos/octo-org/manifests/pulls/42',
        head: { sha: HEAD, ref: 'feature', repo: { full_name: 'octo-org/manifests', fork: false } },
        base: { sha: BASE, ref: 'main', repo: { full_name: 'octo-org/manifests' } },
      },
    });
    const text = JSON.stringify(event);
    expect(text).not.toMatch(/Codertocat|Hello-World|ec26c3e57ca3a959ca5aad62de7213c562f8c821/);
    expect(text).toContain(
      '"statuses_url":"https://api.github.com/repos/octo-org/manifests/statuses/' + HEAD,
    );
  });

  it('makes the head a fork when it is another repository', () => {
    const event = pullRequestEvent({
      owner: 'octo-org',
      repo: 'manifests',
      number: 3,
      headSha: HEAD,
      baseSha: BASE,
      headRepoFullName: 'contributor/manifests',
      action: 'synchronize',
    });
    expect(event.action).toBe('synchronize');
    if (!('pull_request' in event)) throw new Error('no pull_request');
    const { head, base } = event.pull_request;
    expect(head.repo).toMatchObject({
      full_name: 'contributor/manifests',
      fork: true,
      owner: { login: 'contributor' },
    });
    expect(head.repo?.id).not.toBe(base.repo.id);
    expect(head.label).toBe('contributor:feature');
    expect(base.repo.full_name).toBe('octo-org/manifests');
    expect(event.repository.full_name).toBe('octo-org/manifests');
  });
});
