import { describe, expect, it } from 'vitest';
import { isAmbiguousFailure, isRepeatable } from '../src/api/client.js';

describe('isRepeatable: which requests the client may repeat after a server error or a dropped connection', () => {
  it.each([
    ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', undefined, true],
    ['DELETE', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', undefined, true],
    ['POST', '/graphql', 'query { viewer { login } }', true],
    ['POST', '/graphql', '\nmutation ($input: CreateCommitOnBranchInput!) { x }', false],
    ['POST', '/repos/{owner}/{repo}/git/trees', undefined, true],
    ['POST', '/repos/{owner}/{repo}/git/commits', undefined, true],
    ['PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', undefined, true],
    ['PATCH', '/repos/{owner}/{repo}/pulls/comments/{comment_id}', undefined, true],
    ['POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', undefined, false],
    ['POST', '/repos/{owner}/{repo}/check-runs', undefined, false],
    ['PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', undefined, false],
  ])('%s %s %s: %s', (method, url, query, expected) => {
    expect(isRepeatable({ method, url, query })).toBe(expected);
  });
});

describe('isAmbiguousFailure', () => {
  it('is a server error or a dropped connection (Octokit: 500), not a refusal or a GraphQL error', () => {
    expect(isAmbiguousFailure(Object.assign(new Error('x'), { status: 502 }))).toBe(true);
    expect(isAmbiguousFailure(Object.assign(new Error('x'), { status: 500 }))).toBe(true);
    expect(isAmbiguousFailure(Object.assign(new Error('x'), { status: 422 }))).toBe(false);
    expect(isAmbiguousFailure(Object.assign(new Error('x'), { errors: [{ type: 'STALE_DATA' }] }))).toBe(
      false,
    );
  });
});
