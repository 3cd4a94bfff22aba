/**
 * Issue 16 on real manifests (copies in __tests__/fixtures/corpus, see SOURCES.md there): the Argo CD install, the
 * argo-rollouts chart and two committed aws/eks-charts renders run controllers that live on their token; the
 * microservices-demo shop runs pods that never call the API. No fix may remove a controller's token, and the shop keeps
 * its 12 verified `false` fixes. Before, 10 of Argo CD's fixes, the argo-rollouts values fix and both renders' fixes
 * switched off a controller's token.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { autofix } from '../src/core/autofix.js';
import { loadDocuments } from '../src/core/load.js';
import { buildModel } from '../src/core/model.js';
import { buildRbacIndex } from '../src/core/rbac.js';
import { effectiveAutomount } from '../src/core/serviceaccounts.js';
import type { SourceFile } from '../src/core/types.js';
import { config, findingsOf, scan } from './helpers.js';
import { parseReport, runBundledCli } from './hostile/sandbox.js';
import { NO_HELM, because } from './tools.js';

const CORPUS = join(import.meta.dirname, 'fixtures', 'corpus');
const read = (name: string): SourceFile => ({ path: name, text: readFileSync(join(CORPUS, name), 'utf8') });
const TOKEN_RULES = [
  'automount-token',
  'default-sa-automount',
  'namespace-default-sa',
  'workload-identity-automount',
];

/** `namespace/name` of every workload whose ServiceAccount is a binding subject, and whether each mounts a token. */
function boundWorkloads(file: SourceFile): Map<string, boolean> {
  const model = buildModel(loadDocuments(file).objects, 'default');
  const rbac = buildRbacIndex(model, []);
  const mounts = new Map<string, boolean>();
  for (const workload of model.workloads) {
    const namespace = workload.resource.ref.namespace ?? 'default';
    if (rbac.grantsToServiceAccount(namespace, workload.serviceAccountName).length === 0) continue;
    mounts.set(
      `${namespace}/${workload.resource.ref.name}`,
      effectiveAutomount(model, workload, true).mounts,
    );
  }
  return mounts;
}

describe('the Argo CD install', () => {
  const install = read('argo-cd-install.yaml');

  it('judges its bound controllers API clients, and no fix of theirs removes a token', () => {
    const result = scan([install]);
    expect(result.errors).toEqual([]);
    const clients = findingsOf(result, 'automount-token').filter((finding) => finding.apiClient);
    expect(clients.map((finding) => finding.resource.name).sort()).toEqual([
      'argocd-application-controller',
      'argocd-applicationset-controller',
      'argocd-dex-server',
      'argocd-notifications-controller',
      'argocd-redis',
      'argocd-server',
    ]);
    for (const finding of result.findings.filter((entry) => TOKEN_RULES.includes(entry.ruleId))) {
      expect(finding.fix?.replacement ?? '', finding.message).not.toContain(
        'automountServiceAccountToken: false',
      );
    }
  });

  it('autofix leaves every bound workload mounting its token', () => {
    const before = boundWorkloads(install);
    expect([...before.values()].filter(Boolean).length).toBeGreaterThanOrEqual(6);
    const fixed = autofix([install], config()).files[0]!;
    expect(boundWorkloads(fixed)).toEqual(before);
  });
});

describe('the microservices-demo shop', () => {
  it('keeps its 12 `false` fixes, each verified: autofix leaves no automount finding', () => {
    const shop = read('microservices-demo.yaml');
    const findings = findingsOf(scan([shop]), 'automount-token');
    expect(findings).toHaveLength(12);
    for (const finding of findings) {
      expect(finding.apiClient).toBeUndefined();
      expect(finding.fix!.replacement).toContain('automountServiceAccountToken: false');
    }
    const fixed = autofix([shop], config());
    expect(fixed.changed.get('microservices-demo.yaml')).toBe(12);
    expect(findingsOf(fixed.result, 'automount-token')).toEqual([]);
  });
});

describe('charts rendered with plain `helm template --namespace` and committed', () => {
  // The objects name no namespace and the binding subjects name the release's: applied with `-n`, they meet. Before,
  // the controllers were judged in `default`, where nothing binds them, and `--fix` switched their token off.
  const renders: Array<[string, string, string]> = [
    ['eks-charts-rendered/appmesh-inject.yaml', 'Deployment', 'appmesh-inject'],
    ['eks-charts-rendered/aws-cloudwatch-metrics.yaml', 'DaemonSet', 'aws-cloudwatch-metrics'],
  ];

  it.each(renders)('%s: the bound %s %s keeps its token, and autofix changes nothing', (path, kind, name) => {
    const render = read(path);
    const result = scan([render]);
    expect(result.errors).toEqual([]);
    const [finding, ...rest] = findingsOf(result, 'automount-token');
    expect(rest).toEqual([]);
    expect(finding!.resource).toMatchObject({ kind, name });
    expect(finding!.severity).toBe('info');
    expect(finding!.apiClient).toMatch(/names no namespace: applied in `(appmesh-system|amazon-cloudwatch)`/);
    const fixed = autofix([render], config());
    expect(fixed.changed.size).toBe(0);
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'the argo-rollouts chart, rendered with helm'), () => {
  it('--fix changes no value or template that switches off the controller token', () => {
    const repo = mkdtempSync(join(tmpdir(), 'ktg-rollouts-'));
    try {
      cpSync(join(CORPUS, 'argo-rollouts'), join(repo, 'argo-rollouts'), { recursive: true });
      const chart = () =>
        Object.fromEntries(
          readdirSync(join(repo, 'argo-rollouts'), { recursive: true, withFileTypes: true })
            .filter((entry) => entry.isFile())
            .map((entry) => join(entry.parentPath, entry.name))
            .map((path) => [path, readFileSync(path, 'utf8')]),
        );
      const before = chart();
      const scanned = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
      expect(scanned.errors).toEqual([]);
      const controller = scanned.findings.find(
        (finding) => finding.ruleId === 'automount-token' && finding.resource.name === 'argo-rollouts',
      );
      expect(controller).toMatchObject({ severity: 'info', fix: null });
      expect((controller as { apiClient?: string }).apiClient).toMatch(/ClusterRoleBinding argo-rollouts/);
      runBundledCli(repo, ['scan', '--fix', '--fail-on', 'none']);
      // Before, the template insertion wrote `automountServiceAccountToken: false` into the controller's Deployment.
      expect(chart()).toEqual(before);
      const after = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
      expect(after.findings.filter((finding) => finding.ruleId === 'automount-token')).toEqual(
        scanned.findings.filter((finding) => finding.ruleId === 'automount-token'),
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe.skipIf(NO_HELM)(
  because(NO_HELM, 'a chart value shared by an API client and a workload that never calls the API'),
  () => {
    const workload = (name: string) =>
      [
        'apiVersion: v1',
        'kind: ServiceAccount',
        `metadata: {name: ${name}}`,
        'automountServiceAccountToken: {{ .Values.automount }}',
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        `metadata: {name: ${name}}`,
        'spec:',
        `  selector: {matchLabels: {app: ${name}}}`,
        '  template:',
        `    metadata: {labels: {app: ${name}}}`,
        '    spec:',
        `      serviceAccountName: ${name}`,
        `      containers: [{name: main, image: example/${name}:1}]`,
        '',
      ].join('\n');
    const chart: Record<string, string> = {
      'shared/Chart.yaml': 'apiVersion: v2\nname: shared\nversion: 0.1.0\n',
      'shared/values.yaml': 'automount:\n',
      'shared/templates/controller.yaml':
        `${workload('controller')}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n` +
        'metadata: {name: controller}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n' +
        'subjects: [{kind: ServiceAccount, name: controller, namespace: default}]\n',
      'shared/templates/webhook.yaml': workload('webhook'),
    };

    it('is not changed for the workload: the fix goes into its own template, and the client keeps its token', () => {
      const repo = mkdtempSync(join(tmpdir(), 'ktg-shared-'));
      try {
        for (const [path, text] of Object.entries(chart)) {
          mkdirSync(dirname(join(repo, path)), { recursive: true });
          writeFileSync(join(repo, path), text);
        }
        const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
        expect(report.errors).toEqual([]);
        const byName = (name: string) =>
          report.findings.find(
            (finding) => finding.ruleId === 'automount-token' && finding.resource.name === name,
          )!;
        expect(byName('controller')).toMatchObject({ severity: 'info', fix: null });
        // `automount: false` would also switch off the controller's token: the probe refuses it, and the webhook's
        // own pod spec gets the setting instead.
        const webhook = (byName('webhook') as unknown as { fix: { file: string; replacement: string } }).fix;
        expect(webhook.file).toBe('shared/templates/webhook.yaml');
        expect(webhook.replacement).toContain('automountServiceAccountToken: false');
        runBundledCli(repo, ['scan', '--fix', '--fail-on', 'none']);
        expect(readFileSync(join(repo, 'shared/values.yaml'), 'utf8')).toBe(chart['shared/values.yaml']);
        const after = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
        expect(after.findings.filter((finding) => finding.ruleId === 'automount-token')).toEqual([
          expect.objectContaining({
            severity: 'info',
            resource: expect.objectContaining({ name: 'controller' }),
          }),
        ]);
      } finally {
        rmSync(repo, { recursive: true, force: true });
      }
    });
  },
);
