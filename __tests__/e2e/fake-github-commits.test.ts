/**
 * The fake GitHub's commits, for the Action's autofix: `createCommitOnBranch` over GraphQL (validated against
 * GitHub's real schema) and the Git Data API fallback, with GitHub's rules on stale heads, fast-forwards and
 * permissions.
 */
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub, type FakeGitHubOptions } from './fake-github.js';

const OWNER = 'octo-org';
const REPO = 'manifests';
const HEAD = 'a'.repeat(40);
const BASE = 'b'.repeat(40);
const MERGE_BASE = 'c'.repeat(40);
const MOVED = 'e'.repeat(40);
const NUMBER = 7;

const APP = 'kind: Deployment\nspec: {}\n';
const FIXED = 'kind: Deployment\nspec:\n  automountServiceAccountToken: false\n';

const repo = { owner: OWNER, repo: REPO };

const CREATE_COMMIT = `
  mutation Fix($input: CreateCommitOnBranchInput!) {
    createCommitOnBranch(input: $input) {
      commit { oid url message }
    }
  }`;

let fake: FakeGitHub | undefined;

async function start(
  options: Partial<FakeGitHubOptions> = {},
): Promise<{ fake: FakeGitHub; octokit: Octokit }> {
  fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    pull: { number: NUMBER, headSha: HEAD, baseSha: BASE, mergeBaseSha: MERGE_BASE, files: [] },
    contents: {
      [HEAD]: { 'deploy/app.yaml': APP, 'deploy/old.yaml': 'kind: Secret\n', 'README.md': '# x\n' },
    },
    validateResponses: true,
    ...options,
  });
  const quiet = () => undefined;
  const octokit = new Octokit({
    auth: 'ghs_test',
    baseUrl: fake.url,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  return { fake, octokit };
}

function input(overrides: Record<string, unknown> = {}) {
  return {
    branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'feature' },
    expectedHeadOid: HEAD,
    message: { headline: 'kube-token-guard: fix 1 finding', body: 'Kube-Token-Guard-Autofix: true' },
    fileChanges: {
      additions: [{ path: 'deploy/app.yaml', contents: Buffer.from(FIXED).toString('base64') }],
      deletions: [{ path: 'deploy/old.yaml' }],
    },
    ...overrides,
  };
}

/** The error a request fails with (and it must fail). */
async function failure<T = { status?: number; errors?: unknown[]; message: string }>(
  promise: Promise<unknown>,
): Promise<T> {
  try {
    await promise;
  } catch (error) {
    return error as T;
  }
  throw new Error('the request succeeded');
}

afterEach(async () => {
  if (!fake) return;
  expect(fake.responseProblems).toEqual([]);
  await fake.stop();
  fake = undefined;
});

describe('createCommitOnBranch', () => {
  it('commits on the pull request branch, moves its head and records the files, answering only what was asked', async () => {
    const { fake, octokit } = await start();
    const result = await octokit.graphql<{ createCommitOnBranch: unknown }>(CREATE_COMMIT, {
      input: input(),
    });
    const oid = fake.branchHead('feature')!;
    expect(oid).toMatch(/^[0-9a-f]{40}$/);
    expect(oid).not.toBe(HEAD);
    expect(result).toEqual({
      createCommitOnBranch: {
        commit: {
          oid,
          url: `https://github.com/${OWNER}/${REPO}/commit/${oid}`,
          message: 'kube-token-guard: fix 1 finding\n\nKube-Token-Guard-Autofix: true',
        },
      },
    });
    expect(fake.graphqlCommits).toEqual([
      {
        oid,
        via: 'graphql',
        branch: 'feature',
        parent: HEAD,
        parents: [HEAD],
        message: 'kube-token-guard: fix 1 finding\n\nKube-Token-Guard-Autofix: true',
        headline: 'kube-token-guard: fix 1 finding',
        body: 'Kube-Token-Guard-Autofix: true',
        files: { 'deploy/app.yaml': FIXED, 'deploy/old.yaml': null },
      },
    ]);
    expect(fake.branchCommits).toEqual(fake.graphqlCommits);
    expect(fake.filesAt(oid)).toEqual(
      new Map([
        ['deploy/app.yaml', FIXED],
        ['README.md', '# x\n'],
      ]),
    );
    expect(fake.requests.map((request) => [request.operationId, request.graphqlFields])).toEqual([
      ['graphql', ['createCommitOnBranch']],
    ]);

    // The new head is the pull request's head: readable, a known commit for check runs, and the next expected head.
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: NUMBER });
    expect(pull.head.sha).toBe(oid);
    const { data: file } = await octokit.rest.repos.getContent({
      ...repo,
      path: 'deploy/app.yaml',
      ref: 'feature',
    });
    expect(Buffer.from((file as { content: string }).content, 'base64').toString()).toBe(FIXED);
    const { data: commit } = await octokit.rest.repos.getCommit({ ...repo, ref: oid });
    expect(commit.commit.message).toBe('kube-token-guard: fix 1 finding\n\nKube-Token-Guard-Autofix: true');
    expect(commit.parents.map((parent) => parent.sha)).toEqual([HEAD]);
    const { data: run } = await octokit.rest.checks.create({
      ...repo,
      name: 'kube-token-guard',
      head_sha: oid,
    });
    expect(run.pull_requests.map((minimal) => minimal.number)).toEqual([NUMBER]);

    await octokit.graphql(
      `mutation ($input: CreateCommitOnBranchInput!) {
        createCommitOnBranch(input: $input) { ref { name target { oid } } }
      }`,
      {
        input: input({
          expectedHeadOid: oid,
          message: { headline: 'second' },
          fileChanges: {
            additions: [{ path: 'README.md', contents: Buffer.from('# y\n').toString('base64') }],
          },
        }),
      },
    );
    expect(fake.graphqlCommits.map((entry) => [entry.parent, entry.message, entry.files])).toEqual([
      [HEAD, expect.any(String), expect.any(Object)],
      [oid, 'second', { 'README.md': '# y\n' }],
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('accepts the branch by the id of its ref, and answers repository queries', async () => {
    const { fake, octokit } = await start();
    const { repository } = await octokit.graphql<{
      repository: { ref: { id: string; target: { oid: string } }; object: { messageHeadline: string } };
    }>(
      `query ($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          ref(qualifiedName: "refs/heads/feature") { id target { oid } }
          object(expression: "feature") { ... on Commit { messageHeadline } }
        }
      }`,
      { owner: OWNER, name: REPO },
    );
    expect(repository.ref.target.oid).toBe(HEAD);
    expect(repository.object.messageHeadline).toBe('Update manifests');
    await octokit.graphql(CREATE_COMMIT, { input: input({ branch: { id: repository.ref.id } }) });
    expect(fake.graphqlCommits).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });

  it('refuses a stale expectedHeadOid with STALE_DATA and commits nothing', async () => {
    const { fake, octokit } = await start({ headMoved: MOVED });
    const error = await failure<{ errors: unknown[]; data: unknown }>(
      octokit.graphql(CREATE_COMMIT, { input: input() }),
    );
    expect(error.errors).toEqual([
      {
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        locations: [{ line: 3, column: 5 }],
        message: `Expected branch to point to "${HEAD}" but it did not. Pull and try again.`,
      },
    ]);
    expect(error.data).toEqual({ createCommitOnBranch: null });
    expect(fake.branchCommits).toEqual([]);
    expect(fake.branchHead('feature')).toBe(MOVED);
    // The moved head is what GitHub shows now; the scanned head's files are unchanged.
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: NUMBER });
    expect(pull.head.sha).toBe(MOVED);
    expect(fake.filesAt(HEAD)?.get('deploy/app.yaml')).toBe(APP);
    expect(fake.violations).toEqual([]);
  });

  it('reports a query GitHub would not validate, and invalid Base64, as violations', async () => {
    const { fake, octokit } = await start();
    const unknownField = await failure<{ errors: { message: string }[] }>(
      octokit.graphql(
        `mutation ($input: CreateCommitOnBranchInput!) {
          createCommitOnBranch(input: $input) { commit { oid sha } }
        }`,
        { input: input() },
      ),
    );
    expect(unknownField.errors).toEqual([
      {
        locations: [{ line: 2, column: expect.any(Number) }],
        message: 'Cannot query field "sha" on type "Commit".',
      },
    ]);
    const badBase64 = await failure(
      octokit.graphql(CREATE_COMMIT, {
        input: input({ fileChanges: { additions: [{ path: 'deploy/app.yaml', contents: 'not base64!' }] } }),
      }),
    );
    expect(badBase64).toHaveProperty('errors');
    const missingVariable = await failure(octokit.graphql(CREATE_COMMIT, {}));
    expect(missingVariable).toHaveProperty('errors');
    expect(fake.branchCommits).toEqual([]);
    expect(fake.branchHead('feature')).toBe(HEAD);
    expect(fake.violations).toEqual([
      expect.stringMatching(
        /^POST \/graphql \(graphql\): .*not valid against GitHub's schema.*"sha" on type "Commit"/,
      ),
      expect.stringMatching(/GraphQL error: Variable "\$input" got invalid value .*is not valid Base64/),
      expect.stringContaining(
        'Variable "$input" of required type "CreateCommitOnBranchInput!" was not provided',
      ),
    ]);
  });

  it('refuses another branch, a deletion of a missing file and a fork, as violations', async () => {
    const { fake, octokit } = await start();
    await failure(
      octokit.graphql(CREATE_COMMIT, {
        input: input({ branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'nope' } }),
      }),
    );
    await failure(
      octokit.graphql(CREATE_COMMIT, {
        input: input({ fileChanges: { deletions: [{ path: 'deploy/missing.yaml' }] } }),
      }),
    );
    await octokit.graphql(CREATE_COMMIT, {
      input: input({
        branch: { repositoryNameWithOwner: `${OWNER}/${REPO}`, branchName: 'main' },
        expectedHeadOid: BASE,
      }),
    });
    expect(fake.violations).toEqual([
      expect.stringContaining('branch nope does not exist'),
      expect.stringContaining('deletes deploy/missing.yaml, which does not exist'),
      expect.stringContaining("commits to main, not to the pull request's branch feature"),
    ]);
    expect(fake.branchCommits.map((commit) => commit.branch)).toEqual(['main']);

    await fake.stop();
    const forked = await start({
      pull: {
        number: NUMBER,
        headSha: HEAD,
        baseSha: BASE,
        mergeBaseSha: MERGE_BASE,
        files: [],
        headRepoFullName: 'someone/manifests',
      },
    });
    await failure(
      forked.octokit.graphql(CREATE_COMMIT, {
        input: input({ branch: { repositoryNameWithOwner: 'someone/manifests', branchName: 'feature' } }),
      }),
    );
    await failure(forked.octokit.graphql(CREATE_COMMIT, { input: input() }));
    expect(forked.fake.violations).toEqual([
      expect.stringContaining('commits to the fork someone/manifests: a workflow token cannot push to forks'),
      expect.stringContaining('branch feature of the pull request is in the fork someone/manifests'),
    ]);
  });

  it('answers 404 without a violation when GraphQL is disabled (an old GitHub Enterprise Server)', async () => {
    const { fake, octokit } = await start({ graphql: 'disabled' });
    const error = await failure(octokit.graphql(CREATE_COMMIT, { input: input() }));
    expect(error.status).toBe(404);
    expect(fake.branchCommits).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('answers FORBIDDEN without a violation when the token lacks contents: write', async () => {
    const { fake, octokit } = await start({ permissions: { contents: 'read' } });
    const error = await failure<{ errors: unknown[] }>(octokit.graphql(CREATE_COMMIT, { input: input() }));
    expect(error.errors).toEqual([
      expect.objectContaining({
        type: 'FORBIDDEN',
        path: ['createCommitOnBranch'],
        message: 'Resource not accessible by integration',
      }),
    ]);
    expect(fake.branchCommits).toEqual([]);
    expect(fake.branchHead('feature')).toBe(HEAD);
    expect(fake.violations).toEqual([]);
  });
});

describe('Git Data API', () => {
  /** The fallback: ref, commit, blob, tree on the base tree, commit, fast-forward ref update. */
  async function commitWithGitData(octokit: Octokit, parent: string, content: string) {
    const { data: commit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: parent });
    const { data: blob } = await octokit.rest.git.createBlob({
      ...repo,
      content: Buffer.from('kind: ConfigMap\n').toString('base64'),
      encoding: 'base64',
    });
    const { data: tree } = await octokit.rest.git.createTree({
      ...repo,
      base_tree: commit.tree.sha,
      tree: [
        { path: 'deploy/app.yaml', mode: '100644', type: 'blob', content },
        { path: 'deploy/config.yaml', mode: '100644', type: 'blob', sha: blob.sha },
        { path: 'deploy/old.yaml', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const { data: created } = await octokit.rest.git.createCommit({
      ...repo,
      message: 'kube-token-guard: fix 1 finding\n\nKube-Token-Guard-Autofix: true',
      tree: tree.sha,
      parents: [parent],
    });
    return { tree, created };
  }

  it('commits with a tree on the base tree and fast-forwards the branch', async () => {
    const { fake, octokit } = await start();
    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: 'heads/feature' });
    expect(ref).toMatchObject({ ref: 'refs/heads/feature', object: { type: 'commit', sha: HEAD } });
    const { tree, created } = await commitWithGitData(octokit, ref.object.sha, FIXED);
    expect(tree.tree.map((entry) => [entry.path, entry.type])).toEqual([
      ['README.md', 'blob'],
      ['deploy', 'tree'],
    ]);
    expect(created.parents.map((parent) => parent.sha)).toEqual([HEAD]);
    expect(fake.branchHead('feature')).toBe(HEAD);
    const { data: updated } = await octokit.rest.git.updateRef({
      ...repo,
      ref: 'heads/feature',
      sha: created.sha,
      force: false,
    });
    expect(updated.object.sha).toBe(created.sha);
    expect(fake.branchHead('feature')).toBe(created.sha);
    expect(fake.branchCommits).toEqual([
      {
        oid: created.sha,
        via: 'git-data',
        branch: 'feature',
        parent: HEAD,
        parents: [HEAD],
        message: 'kube-token-guard: fix 1 finding\n\nKube-Token-Guard-Autofix: true',
        headline: 'kube-token-guard: fix 1 finding',
        body: 'Kube-Token-Guard-Autofix: true',
        files: {
          'deploy/app.yaml': FIXED,
          'deploy/config.yaml': 'kind: ConfigMap\n',
          'deploy/old.yaml': null,
        },
      },
    ]);
    expect(fake.graphqlCommits).toEqual([]);
    await octokit.rest.checks.create({ ...repo, name: 'kube-token-guard', head_sha: created.sha });
    expect(fake.violations).toEqual([]);
  });

  it('refuses an update that is not a fast-forward, and reports a forced one', async () => {
    const { fake, octokit } = await start({ headMoved: MOVED });
    // Built on the scanned head, but the branch has moved on: GitHub refuses to drop the pushed commit.
    const { created } = await commitWithGitData(octokit, HEAD, FIXED);
    const error = await failure<{ status: number; message: string }>(
      octokit.rest.git.updateRef({ ...repo, ref: 'heads/feature', sha: created.sha }),
    );
    expect(error.status).toBe(422);
    expect(error.message).toContain('Update is not a fast forward');
    expect(fake.branchHead('feature')).toBe(MOVED);
    expect(fake.branchCommits).toEqual([]);
    expect(fake.violations).toEqual([]);
    await octokit.rest.git.updateRef({ ...repo, ref: 'heads/feature', sha: created.sha, force: true });
    expect(fake.branchHead('feature')).toBe(created.sha);
    expect(fake.violations).toEqual([expect.stringContaining('force-updates feature (force: true)')]);
  });

  it('reports refs in the wrong form, unknown trees and parents, and deletions of missing files', async () => {
    const { fake, octokit } = await start();
    expect((await failure(octokit.rest.git.getRef({ ...repo, ref: 'refs/heads/feature' }))).status).toBe(404);
    expect(
      (
        await failure(
          octokit.rest.git.createCommit({ ...repo, message: 'm', tree: 'f'.repeat(40), parents: [HEAD] }),
        )
      ).status,
    ).toBe(422);
    const { data: commit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: HEAD });
    const deletion = octokit.rest.git.createTree({
      ...repo,
      base_tree: commit.tree.sha,
      tree: [{ path: 'deploy/missing.yaml', mode: '100644', type: 'blob', sha: null }],
    });
    expect((await failure(deletion)).status).toBe(422);
    expect(
      (
        await failure(
          octokit.rest.git.createCommit({ ...repo, message: 'm', tree: commit.tree.sha, parents: [MOVED] }),
        )
      ).status,
    ).toBe(422);
    expect(fake.violations).toEqual([
      expect.stringContaining('the Git refs API takes heads/<branch>, without refs/'),
      expect.stringContaining(`tree ${'f'.repeat(40)} is not a tree of the repository`),
      expect.stringContaining('deploy/missing.yaml does not exist in base_tree'),
      expect.stringContaining(`parents ${MOVED} are not commits of the repository`),
    ]);
  });

  it('answers 403 to every write without contents: write', async () => {
    const { fake, octokit } = await start({ permissions: { contents: 'read' } });
    const { data: commit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: HEAD });
    const writes = [
      octokit.rest.git.createBlob({ ...repo, content: 'x' }),
      octokit.rest.git.createTree({ ...repo, base_tree: commit.tree.sha, tree: [] }),
      octokit.rest.git.createCommit({ ...repo, message: 'm', tree: commit.tree.sha, parents: [HEAD] }),
      octokit.rest.git.updateRef({ ...repo, ref: 'heads/feature', sha: HEAD }),
    ];
    for (const write of writes) expect((await failure(write)).status).toBe(403);
    expect(fake.branchCommits).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it('moves the branch on a contents API commit too, so a later createCommitOnBranch must expect it', async () => {
    const { fake, octokit } = await start();
    const { data } = await octokit.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'deploy/new.yaml',
      branch: 'feature',
      message: 'add',
      content: Buffer.from('kind: Service\n').toString('base64'),
    });
    expect(fake.branchHead('feature')).toBe(data.commit.sha);
    expect(fake.commits).toMatchObject([
      { sha: data.commit.sha, branch: 'feature', path: 'deploy/new.yaml' },
    ]);
    await failure(octokit.graphql(CREATE_COMMIT, { input: input() }));
    await octokit.graphql(CREATE_COMMIT, { input: input({ expectedHeadOid: data.commit.sha }) });
    expect(fake.graphqlCommits.map((commit) => commit.parent)).toEqual([data.commit.sha]);
    expect(fake.filesAt(fake.branchHead('feature')!)?.get('deploy/new.yaml')).toBe('kind: Service\n');
    expect(fake.violations).toEqual([]);
  });

  it('serves the head commit with its message', async () => {
    const { fake, octokit } = await start({
      headCommitMessage: 'Fix things\n\nKube-Token-Guard-Autofix: true',
    });
    const { data } = await octokit.rest.repos.getCommit({ ...repo, ref: HEAD });
    expect(data.commit.message).toBe('Fix things\n\nKube-Token-Guard-Autofix: true');
    const { data: byBranch } = await octokit.rest.repos.getCommit({ ...repo, ref: 'feature' });
    expect(byBranch.sha).toBe(HEAD);
    expect((await failure(octokit.rest.repos.getCommit({ ...repo, ref: 'f'.repeat(40) }))).status).toBe(422);
    expect(fake.violations).toEqual([]);
  });
});
