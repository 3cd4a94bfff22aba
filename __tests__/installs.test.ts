/**
 * Alternative installs are not one cluster (issue 17, item 5): each chart render and overlay build resolves
 * ServiceAccounts and bindings within itself plus the plain manifests; `installs: together` makes them one.
 */
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../src/core/types.js';
import { findingsOf, scan, yaml } from './helpers.js';
import { parseReport, runBundledCli, sandbox } from './hostile/sandbox.js';
import { NO_KUSTOMIZE, because } from './tools.js';

function workload(kind: string, name: string, account: string, namespace = 'argocd'): string {
  return yaml`
    apiVersion: apps/v1
    kind: ${kind}
    metadata: {name: ${name}, namespace: ${namespace}}
    spec:
      template:
        spec:
          serviceAccountName: ${account}
          containers: [{name: c, image: i}]
  `;
}

const ACCOUNT = yaml`
  apiVersion: v1
  kind: ServiceAccount
  metadata: {name: controller, namespace: argocd}
`;

function rendered(path: string, render: string, text: string): SourceFile {
  return { path, text, rendered: true, renderedBy: render };
}

describe('installs', () => {
  // An HA overlay runs the controller as a StatefulSet, the plain overlay as a Deployment: never both at once.
  const alternatives = (): SourceFile[] => [
    { path: 'base/sa.yaml', text: ACCOUNT },
    rendered('base/deploy.yaml', 'overlay plain', workload('Deployment', 'controller', 'controller')),
    rendered('ha/sts.yaml', 'overlay ha', workload('StatefulSet', 'controller', 'controller')),
  ];

  it('does not let two alternative renders share a ServiceAccount', () => {
    expect(findingsOf(scan(alternatives()), 'shared-service-account')).toEqual([]);
  });

  it('makes everything one cluster with `installs: together`', () => {
    expect(findingsOf(scan(alternatives(), 'installs: together\n'), 'shared-service-account')).toHaveLength(
      2,
    );
  });

  it('still finds an account shared within one render, and with the plain manifests', () => {
    const files = [
      ...alternatives(),
      rendered('ha/worker.yaml', 'overlay ha', workload('Deployment', 'worker', 'controller')),
      { path: 'jobs/cleanup.yaml', text: workload('Job', 'cleanup', 'controller') },
    ];
    const shared = findingsOf(scan(files), 'shared-service-account');
    const names = shared.map((finding) => `${finding.resource.kind}/${finding.resource.name}`).sort();
    // The plain Job shares with each render's workloads; the HA render's two workloads share with each other.
    expect(names).toEqual([
      'Deployment/controller',
      'Deployment/worker',
      'Job/cleanup',
      'StatefulSet/controller',
    ]);
  });

  it('resolves bindings within the render that declares them', () => {
    const binding = yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: controller, namespace: argocd}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
      subjects: [{kind: ServiceAccount, name: controller, namespace: argocd}]
    `;
    const files = [
      rendered('a/deploy.yaml', 'overlay a', `${workload('Deployment', 'web', 'controller')}---\n${binding}`),
      rendered('b/deploy.yaml', 'overlay b', workload('Deployment', 'web', 'controller', 'other')),
      { path: 'sa.yaml', text: ACCOUNT },
    ];
    const [inA, inB] = findingsOf(scan(files), 'automount-token').sort((x, y) =>
      x.file.localeCompare(y.file),
    );
    expect(inA!.apiClient).toMatch(/RoleBinding argocd\/controller/);
    expect(inB!.apiClient).toBeUndefined();
  });

  it('fixes a plain file only as every install asks, and never where one runs an API client from it', () => {
    const irsa = yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: controller
        namespace: argocd
        annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/c"}
    `;
    const binding = yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: controller}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
      subjects: [{kind: ServiceAccount, name: controller, namespace: argocd}]
    `;
    const plainOnly = findingsOf(
      scan([
        { path: 'sa.yaml', text: irsa },
        rendered('a/deploy.yaml', 'overlay a', workload('Deployment', 'web', 'controller')),
      ]),
      'workload-identity-automount',
    );
    expect(plainOnly[0]!.fix).not.toBeNull();
    const withClient = findingsOf(
      scan([
        { path: 'sa.yaml', text: irsa },
        rendered('a/deploy.yaml', 'overlay a', workload('Deployment', 'web', 'controller')),
        rendered(
          'b/deploy.yaml',
          'overlay b',
          `${workload('Deployment', 'api', 'controller')}---\n${binding}`,
        ),
      ]),
      'workload-identity-automount',
    );
    expect(withClient.map((finding) => finding.fix)).toEqual(withClient.map(() => null));
  });

  it("lets an install that judges a plain workload an API client speak for it: the client's finding stands", () => {
    // The plain Job runs as `ops/purger`, which only the overlay declares and binds; the chart's render knows nothing
    // of it. Before, the render's "switch it off" (medium) stood, carrying the overlay's evidence of a client.
    const overlay = yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: purger, namespace: ops}
      ---
      apiVersion: rbac.authorization.k8s.io/v1
      kind: RoleBinding
      metadata: {name: purger, namespace: ops}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
      subjects: [{kind: ServiceAccount, name: purger, namespace: ops}]
    `;
    const chart = yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: purger, namespace: default}
    `;
    const files = [
      { path: 'job.yaml', text: workload('Job', 'purge', 'purger', 'ops') },
      rendered('base/rbac.yaml', 'overlay base', overlay),
      rendered('chart/templates/sa.yaml', 'chart chart', chart),
    ];
    const [finding, ...rest] = findingsOf(scan(files), 'automount-token');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ file: 'job.yaml', severity: 'info', fix: null });
    expect(finding!.apiClient).toMatch(
      /ServiceAccount `ops\/purger` is a subject of RoleBinding ops\/purger/,
    );
    expect(finding!.message).toContain('It is judged an API client, so its token stays');
    expect(finding!.message).not.toContain('is not declared');
  });

  it('keeps the findings of alternatives in two plain files apart, whatever the renders', () => {
    // The same workload in two plain bundles: one identity, two places, each its own finding.
    const files = [
      { path: 'install.yaml', text: workload('Deployment', 'server', 'server') },
      { path: 'ha/install.yaml', text: workload('Deployment', 'server', 'server') },
      ...alternatives(),
    ];
    const places = findingsOf(scan(files), 'automount-token')
      .filter((finding) => !finding.rendered)
      .map((finding) => finding.file)
      .sort();
    expect(places).toEqual(['ha/install.yaml', 'install.yaml']);
  });

  it('treats plain files named by `install-files` as installs of their own', () => {
    const install = (kind: string) => `${ACCOUNT}---\n${workload(kind, 'controller', 'controller')}`;
    const files = { 'install.yaml': install('Deployment'), 'ha/install.yaml': install('StatefulSet') };
    expect(findingsOf(scan(files), 'shared-service-account')).toHaveLength(2);
    const config = "install-files: ['install.yaml', 'ha/install.yaml']\n";
    expect(findingsOf(scan(files, config), 'shared-service-account')).toEqual([]);
  });
});

describe.skipIf(NO_KUSTOMIZE)(
  because(NO_KUSTOMIZE, 'alternative overlays, built with the real kustomize'),
  () => {
    it('resolves each overlay with itself only, unless the config says `installs: together`', () => {
      const files = {
        'base/kustomization.yaml': 'resources: [sa.yaml]\n',
        'base/sa.yaml': ACCOUNT,
        'plain/kustomization.yaml': 'resources: [../base, deploy.yaml]\n',
        'plain/deploy.yaml': workload('Deployment', 'controller', 'controller'),
        'ha/kustomization.yaml': 'resources: [../base, sts.yaml]\n',
        'ha/sts.yaml': workload('StatefulSet', 'controller', 'controller'),
      };
      const shared = (extra: Record<string, string>) => {
        const { repo } = sandbox({ ...files, ...extra });
        const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
        return report.findings.filter((finding) => finding.ruleId === 'shared-service-account');
      };
      expect(shared({})).toEqual([]);
      expect(shared({ '.github/kube-token-guard.yml': 'installs: together\n' })).toHaveLength(2);
    });
  },
);
