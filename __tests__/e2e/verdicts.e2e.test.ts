/**
 * Issue 15.1: a check that could not judge a file in its scope fails. Before, a Deployment with a duplicate key, a
 * UTF-16 file or a chart that could not be rendered (helm missing included) left the check run `success` with "No new
 * ServiceAccount token findings", the fork-safe results file carried no errors at all, and the CLI exited 1 (findings)
 * rather than 2 when errors and findings came together. Run through the bundled Action against the fake GitHub.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Cleanups, forkPublish, forkScan } from './fork-pair.js';
import { pullRequestRunner } from './pull-request-run.js';
import { insecureWorker } from './manifests.js';
import { runCliOn } from '../hostile/sandbox.js';
import { HELM, NO_HELM, because } from '../tools.js';

const runPullRequest = pullRequestRunner();
const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const INSECURE_WORKER = insecureWorker();
const WORKER_TEXT = INSECURE_WORKER;
const DUPLICATE_KEY = INSECURE_WORKER.replace('kind: Deployment', 'kind: Deployment\nkind: Deployment');
const CHART = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'replicas: 1\n',
  'charts/web/templates/deploy.yaml': INSECURE_WORKER,
};

describe('the check of a pull request', () => {
  it('fails, naming the file, when a changed file cannot be read as Kubernetes reads it', async () => {
    const { run, fake } = await runPullRequest({
      head: {
        'deploy/worker.yaml': DUPLICATE_KEY,
        'deploy/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n',
      },
    });
    expect(fake.violations).toEqual([]);
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('Could not check 1 file');
    expect(check.output.summary).toContain('**Could not check 1 file');
    expect(check.output.summary).toContain('- `deploy/worker.yaml:');
    expect(check.annotations).toContainEqual(
      expect.objectContaining({
        path: 'deploy/worker.yaml',
        annotation_level: 'failure',
        title: 'could not check this file',
      }),
    );
    expect(run.status).toBe(1);
    expect(run.outputs.conclusion).toBe('failure');
    expect(run.stdout).toMatch(/::error::1 file\(s\) could not be checked/);
  });

  it('fails for a file it cannot decode, as for one it cannot parse', async () => {
    const binary = Buffer.concat([Buffer.from(WORKER_TEXT), Buffer.from([0, 0, 0])]);
    const { fake } = await runPullRequest({ head: { 'deploy/worker.yaml': binary } });
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(fake.checkRuns[0]!.output.title).toBe('Could not check 1 file');
  });

  it('reads a UTF-16 file with a byte order mark as kubectl does: its findings count, with no suggestion', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(WORKER_TEXT, 'utf16le')]);
    const { fake } = await runPullRequest({ head: { 'deploy/worker.yaml': utf16 } });
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('1 new finding at or above high');
    expect(fake.reviewComments.every((comment) => !comment.body.includes('```suggestion'))).toBe(true);
  });

  it('passes, with a note, when only a file the pull request does not change cannot be read', async () => {
    const { run, fake } = await runPullRequest({
      base: { 'legacy/broken.yaml': DUPLICATE_KEY },
      head: { 'deploy/ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n' },
    });
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('success');
    expect(check.output.summary).toContain('1 file this pull request does not change could not be checked');
    expect(run.stdout).toContain('Could not check legacy/broken.yaml (not changed here)');
    expect(run.status).toBe(0);
  });

  it('fails, saying how to install helm, when a touched chart cannot be rendered for want of helm', async () => {
    const { run, fake } = await runPullRequest({
      head: CHART,
      env: { KUBE_TOKEN_GUARD_HELM: '/nonexistent/helm' },
    });
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toMatch(
      /`charts\/web\/Chart\.yaml`: KUBE\\_TOKEN\\_GUARD\\_HELM names \/nonexistent\/helm, which is not an executable, so this is not rendered: install helm 3\.16 or later/,
    );
    // The log claims no render that did not happen.
    expect(run.stdout).toContain('Rendered nothing');
    expect(run.stdout).not.toMatch(/Rendered 1 Helm chart/);
  });

  it('passes knowingly with `render: false`, naming each chart left unchecked', async () => {
    const { run, fake } = await runPullRequest({
      base: { '.github/kube-token-guard.yml': 'render: false\n' },
      head: CHART,
      env: { KUBE_TOKEN_GUARD_HELM: '/nonexistent/helm' },
    });
    expect(fake.checkRuns[0]!.conclusion).toBe('success');
    expect(run.stdout).toContain('Rendering is off (`render: false`): 1 Helm chart left unchecked.');
    expect(run.stdout).toContain('charts/web/Chart.yaml: not rendered: `render: false` in the config');
  });

  it.skipIf(NO_HELM)(
    because(NO_HELM, 'fails when a touched chart fails to render (`required`)'),
    async () => {
      const { fake } = await runPullRequest({
        head: {
          ...CHART,
          'charts/web/templates/cm.yaml': '{{ required "image.tag is required" .Values.image }}\n',
        },
        env: { KUBE_TOKEN_GUARD_HELM: HELM! },
      });
      const check = fake.checkRuns[0]!;
      expect(check.conclusion).toBe('failure');
      expect(check.output.summary).toContain('image.tag is required');
    },
  );
});

describe('the fork-safe pair', () => {
  it('carries the errors in the results file, and the publisher fails the check for them', async () => {
    const scanned = await forkScan(cleanups, { head: { 'deploy/worker.yaml': DUPLICATE_KEY } });
    const results = JSON.parse(scanned.results) as { errors: { file: string }[] };
    expect(results.errors.map((error) => error.file)).toEqual(['deploy/worker.yaml']);
    const { run, fake } = await forkPublish(cleanups, scanned.repo, scanned.results);
    expect(fake.violations).toEqual([]);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(fake.checkRuns[0]!.output.title).toBe('Could not check 1 file');
    expect(run.status).toBe(1);
  });
});

describe('the CLI', () => {
  it('exits 2 when errors and findings come together: errors outrank findings', () => {
    const run = runCliOn({ 'worker.yaml': INSECURE_WORKER, 'broken.yaml': DUPLICATE_KEY }, ['scan']);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('error broken.yaml:');
    expect(run.stderr).toContain('1 file could not be checked (the errors above)');
  });

  it('exits 2 when helm is missing for a chart, and 0 with `render: false`', () => {
    const missing = runCliOn(CHART, ['scan', '--fail-on', 'none'], {
      KUBE_TOKEN_GUARD_HELM: '/nonexistent/helm',
    });
    expect(missing.status).toBe(2);
    expect(missing.stdout).toContain(
      'error charts/web/Chart.yaml: KUBE_TOKEN_GUARD_HELM names /nonexistent/helm',
    );
    const off = runCliOn(
      { ...CHART, '.github/kube-token-guard.yml': 'render: false\n' },
      ['scan', '--fail-on', 'none'],
      {
        KUBE_TOKEN_GUARD_HELM: '/nonexistent/helm',
      },
    );
    expect(off.status).toBe(0);
    expect(off.stdout).toContain('notice charts/web/Chart.yaml: not rendered: `render: false` in the config');
  });
});
