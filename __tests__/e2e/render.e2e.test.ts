/**
 * Pull requests that touch Helm charts or kustomize overlays: the Action renders them at the head and at the merge
 * base with the real tools, reports findings on the files users edit, and tells new ones from old ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { writePullRequestEvent } from './event.js';
import { FakeGitHub } from './fake-github.js';
import { type RepoFixture, makeRepo } from './git-fixture.js';
import { runAction } from './run-action.js';
import { HELM, KUSTOMIZE, NO_HELM, NO_KUSTOMIZE, because } from '../tools.js';

const OWNER = 'octo-org';
const REPO = 'manifests';

function helmCreate(name: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-chart-'));
  execFileSync(HELM!, ['create', name], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[`charts/${relative(dir, path)}`] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

const fixtures: { repo: RepoFixture; fake: FakeGitHub }[] = [];
afterEach(async () => {
  for (const { repo, fake } of fixtures.splice(0)) {
    await fake.stop();
    repo.remove();
  }
});

async function review(base: Record<string, string>, head: Record<string, string | null>) {
  const repo = makeRepo({ base, head, owner: OWNER, repo: REPO });
  const fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    validateResponses: true,
    pull: {
      number: 3,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
      mergeBaseSha: repo.mergeBaseSha,
      files: repo.files,
    },
  });
  fixtures.push({ repo, fake });
  const eventPath = writePullRequestEvent({
    owner: OWNER,
    repo: REPO,
    number: 3,
    headSha: repo.headSha,
    baseSha: repo.baseSha,
  });
  const run = await runAction({
    workspace: repo.dir,
    eventPath,
    apiUrl: fake.url,
    inputs: {},
    env: {
      KUBE_TOKEN_GUARD_HELM: HELM ?? '/nonexistent/helm',
      KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE ?? '/nonexistent/kustomize',
    },
  });
  return { repo, fake, run };
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'pull requests touching Helm charts'), () => {
  it('a values change that moves the chart to the default ServiceAccount is a new finding on its template', async () => {
    const chart = helmCreate('web');
    const values = parseDocument(chart['charts/web/values.yaml']!);
    values.setIn(['serviceAccount', 'create'], false);
    const { fake, run } = await review(chart, { 'charts/web/values.yaml': values.toString() });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/Scanned the head: .*\(Rendered 1 Helm chart /);
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    const paths = new Set(check.annotations.map((annotation) => annotation.path));
    expect(paths).toContain('charts/web/templates/deployment.yaml');
    // The template is not in the diff: the finding is listed in the review body, not commented on a line.
    expect(fake.reviewComments).toEqual([]);
    expect(fake.reviews[0]!.body).toContain('`automount-token` `charts/web/templates/deployment.yaml:');
  });

  it('a values change whose fix is a nearby value gets a suggestion on the values file', async () => {
    const chart = helmCreate('web');
    const values = parseDocument(chart['charts/web/values.yaml']!);
    values.setIn(['serviceAccount', 'annotations'], {
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web',
    });
    // `automount: true` (helm create's default) would be explicit consent, the evidence of an API client.
    values.setIn(['serviceAccount', 'automount'], null);
    const { fake, run } = await review(chart, { 'charts/web/values.yaml': values.toString() });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Probed chart values with \d+ renders/);
    // One value decides both the ServiceAccount's and the Deployment's token: one comment suggests it for both
    // (two comments with the same suggestion would conflict once one is accepted).
    const comments = fake.reviewComments.filter((entry) => entry.path === 'charts/web/values.yaml');
    expect(comments).toHaveLength(1);
    expect([...comments[0]!.body.matchAll(/\[`([a-z-]+)`\]/g)].map((match) => match[1]).sort()).toEqual([
      'automount-token',
      'workload-identity-automount',
    ]);
    expect(comments[0]!.body.match(/````suggestion\n {2}automount: false\n````/g)).toHaveLength(1);
  });

  it('a suggestion on a values file with CRLF line endings keeps them', async () => {
    const chart = helmCreate('web');
    const values = parseDocument(chart['charts/web/values.yaml']!);
    values.setIn(['serviceAccount', 'automount'], null);
    values.setIn(['serviceAccount', 'annotations'], { 'team.example.com/owner': 'web' });
    const crlf = values.toString().replace(/\n/g, '\r\n');
    const { fake } = await review(chart, { 'charts/web/values.yaml': crlf });
    expect(fake.violations).toEqual([]);
    const comments = fake.reviewComments.filter((entry) => entry.path === 'charts/web/values.yaml');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/````suggestion\r\n {2}automount: false\r\n````/);
    expect(comments[0]!.body).not.toMatch(/[^\r]\n/);
    // The suggested line replaces the commented line's text in the file: the same key at the same place.
    const lines = crlf.split('\r\n');
    expect(lines[comments[0]!.line! - 1]).toMatch(/^ {2}automount:/);
  });

  it('findings the chart already had stay existing when the pull request touches it', async () => {
    const chart = helmCreate('web');
    const values = parseDocument(chart['charts/web/values.yaml']!);
    values.setIn(['serviceAccount', 'create'], false);
    const insecure = { ...chart, 'charts/web/values.yaml': values.toString() };
    const bumped = parseDocument(values.toString());
    bumped.setIn(['replicaCount'], 3);
    const { fake, run } = await review(insecure, { 'charts/web/values.yaml': bumped.toString() });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(0);
    expect(fake.checkRuns[0]!.conclusion).toBe('success');
    // The Deployment and the chart's test Pod both run as `default`, before and after.
    expect(fake.checkRuns[0]!.output?.summary).toMatch(
      /\| \[`automount-token`\]\([^)]*\) \| high \| 0 \| 2 \| 0 \|/,
    );
  });

  it('an untouched chart is rendered for context but not reported', async () => {
    const chart = helmCreate('web');
    const values = parseDocument(chart['charts/web/values.yaml']!);
    values.setIn(['serviceAccount', 'create'], false);
    const { fake, run } = await review(
      { ...chart, 'charts/web/values.yaml': values.toString() },
      { 'deploy/note.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: note}\ndata: {a: b}\n' },
    );
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(0);
    expect(fake.checkRuns[0]!.annotations).toEqual([]);
  });

  it('a values file the config gives a chart from outside its folder touches the chart when it changes', async () => {
    const chart = helmCreate('web');
    const config =
      'charts:\n  - path: charts/web\n    release: web\n    values: [environments/prod/web.yaml]\n';
    const base = {
      ...chart,
      '.github/kube-token-guard.yml': config,
      'environments/prod/web.yaml': 'serviceAccount:\n  create: true\n  automount: false\n',
    };
    const { fake, run } = await review(base, {
      'environments/prod/web.yaml': 'serviceAccount:\n  create: false\n',
    });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(fake.checkRuns[0]!.output.text).toMatch(
      /### New findings[\s\S]*charts\/web\/templates\/deployment\.yaml/,
    );
  });
});

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'pull requests touching kustomize overlays'), () => {
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: api',
    'spec:',
    '  template:',
    '    spec:',
    '      serviceAccountName: api',
    '      containers:',
    '        - name: api',
    '          image: ghcr.io/acme/api:1.0.0',
    '',
  ].join('\n');
  const hardening =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n';
  const repo = {
    'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'deploy/base/deployment.yaml': deployment,
    'deploy/prod/kustomization.yaml':
      'namespace: prod\nresources:\n  - ../base\n  - sa.yaml\npatches:\n  - path: harden.yaml\n',
    'deploy/prod/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n',
    'deploy/prod/harden.yaml': hardening,
  };

  it('dropping a hardening patch is a new finding on the base file the resource is written in', async () => {
    const { fake, run } = await review(repo, {
      'deploy/prod/harden.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 2\n',
    });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Scanned the head: .*\(Rendered 1 kustomize overlay/);
    const annotation = fake.checkRuns[0]!.annotations.find((entry) =>
      entry.title?.startsWith('automount-token'),
    )!;
    expect(annotation).toMatchObject({ path: 'deploy/base/deployment.yaml', start_line: 7 });
    expect(annotation.title).toContain('new');
    expect(fake.reviews[0]!.body).toContain('`automount-token` `deploy/base/deployment.yaml:7`');
  });

  it('a change elsewhere in the overlay leaves the existing output alone', async () => {
    const { fake, run } = await review(repo, {
      'deploy/prod/sa.yaml':
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  labels: {team: a}\n',
    });
    expect(fake.violations).toEqual([]);
    expect(run.status).toBe(0);
    expect(fake.checkRuns[0]!.annotations).toEqual([]);
  });
});
