/**
 * Issue 15.3: no hiding places. A `Kustomization` (no extension) or a `Chart.yaml` dropped beside plain manifests
 * made them vanish from the scan, though `kubectl apply -f <folder>` would still apply them. A manifest in a chart or
 * kustomization folder that no build reads is now scanned as a plain file when it holds complete objects, and named in
 * a notice when it does not. Through the bundled CLI, and through the Action (which reads the head from git).
 */
import { describe, expect, it } from 'vitest';
import { KUSTOMIZE, parseReport, runCliOn } from '../hostile/sandbox.js';
import { insecureWorker } from './manifests.js';
import { pullRequestRunner } from './pull-request-run.js';
import { NO_KUSTOMIZE, because } from '../tools.js';

const runPullRequest = pullRequestRunner();
const WORKER = insecureWorker();
const scanJson = (files: Record<string, string>) =>
  parseReport(runCliOn(files, ['scan', '--format', 'json', '--fail-on', 'none']));
const findingFiles = (files: Record<string, string>) =>
  [...new Set(scanJson(files).findings.map((finding) => finding.file))].sort();

describe('manifests beside a kustomization or a chart', () => {
  it('are scanned when no kustomization reads them: an empty `Kustomization` hides nothing', () => {
    expect(findingFiles({ 'apps/worker.yaml': WORKER, 'apps/Kustomization': 'resources: []\n' })).toEqual([
      'apps/worker.yaml',
    ]);
  });

  it('are scanned when a `Chart.yaml` without templates is dropped beside them', () => {
    expect(
      findingFiles({
        'apps/worker.yaml': WORKER,
        'apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
      }),
    ).toEqual(['apps/worker.yaml']);
  });

  it('are left to kustomize when a kustomization reads them, as resources or as patches', () => {
    const report = scanJson({
      'apps/kustomization.yaml': 'resources: [worker.yaml]\npatches:\n  - path: patch.yaml\n',
      'apps/worker.yaml': WORKER,
      'apps/patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: worker}\nspec: {replicas: 2}\n',
    });
    // No kustomize here (sandbox PATH may lack it): what matters is that neither file is read as a plain manifest.
    expect(report.findings.filter((finding) => finding.file === 'apps/patch.yaml')).toEqual([]);
  });

  it('name a partial object no kustomization reads in a notice, and stay quiet about a chart’s values files', () => {
    const run = runCliOn(
      {
        'apps/kustomization.yaml': 'resources: []\n',
        'apps/leftover.yaml': 'spec: {replicas: 2}\n',
        'chart/Chart.yaml': 'apiVersion: v2\nname: chart\nversion: 0.1.0\n',
        'chart/ci/test-values.yaml': 'replicas: 2\n',
        'chart/examples/worker.yaml': WORKER,
      },
      ['scan', '--fail-on', 'none', '--format', 'json'],
      { KUBE_TOKEN_GUARD_HELM: '/nonexistent/helm' },
    );
    expect(run.stderr).toContain('notice: apps/leftover.yaml: no kustomization here reads it');
    expect(run.stderr).not.toContain('chart/ci/test-values.yaml');
    expect(parseReport(run).findings.map((finding) => finding.file)).toContain('chart/examples/worker.yaml');
  });

  it('leave a workload patch no kustomization enables yet alone: a Deployment without a selector is no manifest', () => {
    // kubebuilder's `config/default/manager_*_patch.yaml`, enabled by uncommenting a line: judged alone, its fix would
    // take the token from the controller it patches once enabled.
    const patch =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: controller-manager, namespace: system}\n' +
      'spec:\n  template:\n    spec:\n      containers:\n        - name: kube-rbac-proxy\n          image: proxy:1\n';
    const run = runCliOn(
      {
        'config/default/kustomization.yaml':
          'resources: []\n#patches:\n#- path: manager_auth_proxy_patch.yaml\n',
        'config/default/manager_auth_proxy_patch.yaml': patch,
      },
      ['scan', '--fail-on', 'none', '--format', 'json'],
      { KUBE_TOKEN_GUARD_KUSTOMIZE: '/nonexistent/kustomize' },
    );
    expect(run.stderr).toContain(
      'notice: config/default/manager_auth_proxy_patch.yaml: no kustomization here reads it and it holds no complete',
    );
    expect(parseReport(run).findings.filter((finding) => finding.file.endsWith('patch.yaml'))).toEqual([]);
  });
});

describe.skipIf(NO_KUSTOMIZE)(
  because(NO_KUSTOMIZE, 'a pull request hiding a manifest behind a `Kustomization`'),
  () => {
    it('still fails the check on the manifest', async () => {
      const { fake } = await runPullRequest({
        head: { 'apps/worker.yaml': WORKER, 'apps/Kustomization': 'resources: []\n' },
        env: { KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE! },
      });
      const check = fake.checkRuns[0]!;
      expect(check.conclusion).toBe('failure');
      expect(check.output.title).toBe('1 new finding at or above high');
      expect(check.annotations.map((annotation) => annotation.path)).toContain('apps/worker.yaml');
    });
  },
);
