/**
 * The autofix commit, end to end: the bundled Action against the fake GitHub (GraphQL createCommitOnBranch validated
 * against GitHub's GraphQL schema, and the Git Data API).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { autofix } from '../../src/core/autofix.js';
import { yaml } from '../helpers.js';
import { writePullRequestEvent } from './event.js';
import { FakeGitHub, type FakeGitHubOptions } from './fake-github.js';
import { type RepoFixture, makeRepo } from './git-fixture.js';
import { runAction } from './run-action.js';
import { WORKER } from './manifests.js';

const OWNER = 'octo-org';
const REPO = 'manifests';

const fixtures: { repo: RepoFixture; fake: FakeGitHub }[] = [];
afterEach(async () => {
  for (const { repo, fake } of fixtures.splice(0)) {
    await fake.stop();
    repo.remove();
  }
});

async function setUp(
  head: Record<string, string>,
  options: Partial<FakeGitHubOptions> & { fork?: boolean; headMessage?: string } = {},
) {
  const repo = makeRepo({ base: { 'README.md': '# manifests\n' }, head, owner: OWNER, repo: REPO });
  if (options.headMessage) {
    // The head commit as the Action's own autofix commit would be: the same tree, with its message.
    const git = (args: string[]) =>
      execFileSync('git', args, {
        cwd: repo.dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '',
          HOME: repo.dir,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CONFIG_NOSYSTEM: '1',
        },
      });
    git([
      '-c',
      'user.name=bot',
      '-c',
      'user.email=bot@example.com',
      'commit',
      '--amend',
      '--quiet',
      '-m',
      options.headMessage,
    ]);
    repo.headSha = git(['rev-parse', 'HEAD']).trim();
  }
  const headRepoFullName = options.fork ? 'contributor/manifests' : `${OWNER}/${REPO}`;
  const fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    validateResponses: true,
    ...options,
    pull: {
      number: 11,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
      mergeBaseSha: repo.mergeBaseSha,
      headRef: repo.headRef,
      headRepoFullName,
      files: repo.files,
    },
  });
  fixtures.push({ repo, fake });
  const eventPath = writePullRequestEvent({
    owner: OWNER,
    repo: REPO,
    number: 11,
    headSha: repo.headSha,
    baseSha: repo.baseSha,
    headRef: repo.headRef,
    headRepoFullName,
  });
  const run = await runAction({
    workspace: repo.dir,
    eventPath,
    apiUrl: fake.url,
    inputs: { autofix: 'true' },
  });
  return { repo, fake, run };
}

describe('autofix: true', () => {
  it('pushes one commit whose files equal the --fix result, and checks the new head', async () => {
    const { repo, fake, run } = await setUp({ 'deploy/worker.yaml': WORKER });
    expect(fake.violations).toEqual([]);
    expect(fake.graphqlCommits).toHaveLength(1);
    const commit = fake.graphqlCommits[0]!;
    expect(commit).toMatchObject({ branch: repo.headRef, parent: repo.headSha });
    expect(commit.headline).toBe('Harden ServiceAccount tokens (kube-token-guard)');
    expect(commit.body).toContain('Kube-Token-Guard-Autofix: true');
    const expected = autofix([{ path: 'deploy/worker.yaml', text: WORKER }], defaultConfig()).files[0]!.text;
    expect(commit.files).toEqual({ 'deploy/worker.yaml': expected });
    expect(fake.branchHead(repo.headRef)).toBe(commit.oid);
    // What remains (default-service-account, medium) does not block; the check is on the fixed head.
    expect(run.status).toBe(0);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: commit.oid, conclusion: 'success' });
    expect(run.outputs).toMatchObject({ 'autofix-commit': commit.oid, fixed: '1' });
    expect(run.summary).toContain(`fixed by commit ${commit.oid.slice(0, 7)}`);
    expect(fake.checkRuns[0]!.output?.summary).toContain(`fixed by commit ${commit.oid.slice(0, 7)}`);
    expect(fake.reviewComments.some((comment) => comment.body.includes('`automount-token`'))).toBe(false);
  });

  it('commits nothing that removes an API client token: Argo CD keeps its controllers, the shop gets its fixes', async () => {
    const corpus = (name: string) =>
      readFileSync(join(import.meta.dirname, '..', 'fixtures', 'corpus', name), 'utf8');
    const argo = corpus('argo-cd-install.yaml');
    const shop = corpus('microservices-demo.yaml');
    const { fake, run } = await setUp({ 'deploy/argo-cd.yaml': argo, 'deploy/shop.yaml': shop });
    expect(fake.violations).toEqual([]);
    expect(fake.graphqlCommits).toHaveLength(1);
    const committed = fake.graphqlCommits[0]!.files;
    // The shop's 12 pods that never call the API lose their token; no controller of Argo CD does.
    expect(Object.keys(committed)).toEqual(['deploy/shop.yaml']);
    const after = autofix([{ path: 'deploy/shop.yaml', text: shop }], defaultConfig());
    expect(committed['deploy/shop.yaml']).toBe(after.files[0]!.text);
    expect(after.changed.get('deploy/shop.yaml')).toBe(12);
    expect(run.summary).toMatch(/Autofix left 6 findings to a person: .*are API clients/);
  });

  it('does not push when the head moved after the scan', async () => {
    const { fake, run } = await setUp({ 'deploy/worker.yaml': WORKER }, { headMoved: 'f'.repeat(40) });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('moved since');
  });

  it('on a fork pull request pushes nothing and writes a patch', async () => {
    const { repo, fake, run } = await setUp(
      { 'deploy/worker.yaml': WORKER },
      { fork: true, permissions: { checks: 'none', pullRequests: 'read', contents: 'read' } },
    );
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
    expect(run.stdout).toContain('comes from a fork');
    const patch = readFileSync(run.outputs['patch-file']!, 'utf8');
    expect(patch).toContain('+++ b/deploy/worker.yaml');
    expect(patch).toContain('+      automountServiceAccountToken: false');
    expect(run.outputs['patch-file']).toBe(join(repo.dir, 'kube-token-guard.patch'));
    expect(run.summary).toContain('````diff\n');
    expect(run.summary).toContain('+      automountServiceAccountToken: false');
  });

  it("does not fix again on the Action's own commit (no loop)", async () => {
    const message = 'Harden ServiceAccount tokens (kube-token-guard)\n\nKube-Token-Guard-Autofix: true\n';
    const { fake, run } = await setUp(
      { 'deploy/worker.yaml': WORKER },
      { headMessage: message, headCommitMessage: message },
    );
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
    expect(run.stdout, run.stdout).toContain("the head commit is this Action's own autofix commit");
  });

  it('pushes nothing when the only findings cannot be fixed automatically', async () => {
    const binding = yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata:
        name: reader
        namespace: shop
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
      subjects:
        - kind: ServiceAccount
          name: default
          namespace: shop
    `;
    const { fake, run } = await setUp({ 'deploy/binding.yaml': binding });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
    expect(run.stdout).toContain('nothing to fix automatically');
    expect(run.status).toBe(1);
  });

  it('never changes files under .github/', async () => {
    const { fake, run } = await setUp({
      '.github/ci/runner-pod.yaml': WORKER.replace(/worker/g, 'runner'),
      'deploy/worker.yaml': WORKER,
    });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toHaveLength(1);
    expect(Object.keys(fake.branchCommits[0]!.files)).toEqual(['deploy/worker.yaml']);
    // The finding in .github/ is still reported, and still blocks.
    expect(run.status).toBe(1);
    expect(
      fake.checkRuns[0]!.annotations.some((annotation) => annotation.path === '.github/ci/runner-pod.yaml'),
    ).toBe(true);
  });

  it('publishes everything but the commit when a protection rule refuses it (GraphQL)', async () => {
    const { repo, fake, run } = await setUp(
      { 'deploy/worker.yaml': WORKER },
      { protectedBranches: ['feature'] },
    );
    expectPublishedWithoutCommit(repo, fake, run);
    expect(fake.requests.some((request) => request.graphqlFields?.includes('createCommitOnBranch'))).toBe(
      true,
    );
  });

  it('publishes everything but the commit when a protection rule refuses the ref update (Git Data API)', async () => {
    const { repo, fake, run } = await setUp(
      { 'deploy/worker.yaml': WORKER },
      { graphql: 'disabled', protectedBranches: ['feature'] },
    );
    expectPublishedWithoutCommit(repo, fake, run);
    expect(fake.requests.filter((request) => request.operationId === 'git/update-ref')).toHaveLength(1);
  });

  it('falls back to the Git Data API where GraphQL is not available', async () => {
    const { repo, fake, run } = await setUp({ 'deploy/worker.yaml': WORKER }, { graphql: 'disabled' });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toHaveLength(1);
    expect(fake.branchCommits[0]).toMatchObject({
      via: 'git-data',
      branch: repo.headRef,
      parent: repo.headSha,
    });
    expect(fake.branchCommits[0]!.files['deploy/worker.yaml']).toContain(
      'automountServiceAccountToken: false',
    );
    expect(run.status).toBe(0);
  });
});

/**
 * The run went on without its autofix commit: review, check run on the scanned head, job summary (with the patch)
 * and SARIF, each saying why the fixes were not pushed.
 */
function expectPublishedWithoutCommit(
  repo: RepoFixture,
  fake: FakeGitHub,
  run: Awaited<ReturnType<typeof runAction>>,
): void {
  const output = run.stdout + run.stderr;
  expect(repo.headRef).toBe('feature');
  expect(fake.violations).toEqual([]);
  expect(fake.branchCommits).toEqual([]);
  expect(fake.branchHead('feature')).toBe(repo.headSha);
  expect(run.status, output).toBe(1);
  expect(output).not.toContain('kube-token-guard failed');
  expect(run.outputs).toMatchObject({ 'autofix-commit': '', conclusion: 'failure' });
  expect(fake.reviews.filter((review) => review.state === 'COMMENTED')).toHaveLength(1);
  expect(fake.reviewComments.some((comment) => comment.body.includes('````suggestion'))).toBe(true);
  expect(fake.checkRuns).toHaveLength(1);
  expect(fake.checkRuns[0]).toMatchObject({ head_sha: repo.headSha, conclusion: 'failure' });
  const note =
    /The fixes were not pushed: GitHub refused the commit to `feature` \(.*(?:pull request|Protected branch)/;
  expect(fake.checkRuns[0]!.output.summary).toMatch(note);
  expect(run.summary).toMatch(note);
  expect(run.summary).toContain('+      automountServiceAccountToken: false');
  expect(readFileSync(run.outputs['sarif-file']!, 'utf8')).toContain('"automount-token"');
}
