/**
 * Issue 20: with several renders, the plain manifests are judged once, and again in a render's install only where the
 * render can change their judgement (`src/core/reach.ts`). These tests hold the scan to the one it replaced, which
 * modelled and judged every install whole (`installs-reference.ts`): the same findings in the same order, the same
 * fixes, API-client evidence and severities, the same secret values, mounted clients and counts. On real charts and
 * install manifests, on renders built by hand to meet the plain objects in every way a judgement can depend on another
 * object, and on seeded random scans.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../src/adapters/helm.js';
import { scanFiles } from '../src/core/scan.js';
import type { SourceFile } from '../src/core/types.js';
import { config, yaml } from './helpers.js';
import { ScanGenerator } from './installs-generator.js';
import { referenceScan } from './installs-reference.js';
import { HELM, NO_HELM, because } from './tools.js';

const CORPUS = join(import.meta.dirname, 'fixtures', 'corpus');

/** The engine's scan and the reference's agree in everything `scanFiles` returns. */
function expectSameScan(files: SourceFile[], configText = ''): void {
  const settings = config(configText);
  const actual = scanFiles(files, settings, undefined, { credentials: true });
  const expected = referenceScan(files, settings);
  const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;
  expect(json(actual.findings)).toEqual(json(expected.findings));
  // Key order too: the findings are printed as JSON.
  expect(JSON.stringify(actual.findings)).toBe(JSON.stringify(expected.findings));
  expect(actual.errors).toEqual(expected.errors);
  expect(actual.notices).toEqual(expected.notices);
  // The reference reads in one thread: it counts no document a second thread took.
  const threadless = { screened: 0, readInSecondThread: 0 };
  expect({ ...actual.stats, ...threadless }).toEqual({ ...expected.stats, ...threadless });
  expect([...actual.secretValues].sort()).toEqual(expected.secretValues);
  expect([...actual.mountedClients()].sort()).toEqual(expected.mountedClients);
}

/** Whether judging the plain objects in the plain install alone would give another result: the case has teeth. */
function rendersChangePlainFindings(files: SourceFile[], configText = ''): boolean {
  const settings = config(configText);
  const whole = referenceScan(files, settings);
  const alone = referenceScan(files, settings, undefined, { plainJudgedAlone: true });
  return JSON.stringify(whole.findings) !== JSON.stringify(alone.findings);
}

function rendered(path: string, render: string, text: string, extra: Partial<SourceFile> = {}): SourceFile {
  return { path, text, rendered: true, renderedBy: render, ...extra };
}

function deployment(name: string, account: string | null, namespace: string | null = 'shop'): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}${namespace === null ? '' : `\n      namespace: ${namespace}`}
    spec:
      template:
        spec:${account === null ? '' : `\n          serviceAccountName: ${account}`}
          containers:
            - name: main
              image: registry.example.com/app:1
  `;
}

/** A ServiceAccount; `extra` follows its metadata, `annotation` goes into it. */
function account(name: string, namespace = 'shop', extra = '', annotation = ''): string {
  const annotations = annotation === '' ? '' : `  annotations: {${annotation}}\n`;
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${annotations}${extra}`;
}

function clusterBinding(name: string, role: string, subjects: string): string {
  return yaml`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: ${name}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: ${role}
    subjects: ${subjects}
  `;
}

function roleBinding(
  name: string,
  namespace: string,
  roleKind: string,
  role: string,
  subjects: string,
): string {
  return yaml`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: ${name}
      namespace: ${namespace}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ${roleKind}
      name: ${role}
    subjects: ${subjects}
  `;
}

function clusterRole(name: string, rules: string): string {
  return `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules: ${rules}\n`;
}

const join3 = (...documents: string[]) => documents.join('---\n');
const A = 'overlay deploy/a';
const B = 'overlay deploy/b';
/** A render that meets nothing plain: its own namespace, its own accounts. */
const elsewhere = rendered('deploy/b/app.yaml', B, join3(account('app', 'b'), deployment('app', 'app', 'b')));

interface Case {
  name: string;
  files: SourceFile[];
  config?: string;
  /** Whether the renders change what the plain objects' findings are (the case would catch a missed dependency). */
  changesPlain: boolean;
}

const CASES: Case[] = [
  {
    name: 'a render binds, in its namespace, the account of a plain workload that names no namespace',
    files: [
      { path: 'agent.yaml', text: deployment('agent', 'agent', null) },
      rendered(
        'deploy/a/crb.yaml',
        A,
        clusterBinding('agent', 'view', '[{kind: ServiceAccount, name: agent, namespace: ops}]'),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render runs an API client in its namespace as a plain ServiceAccount that names no namespace',
    files: [
      {
        path: 'sa.yaml',
        text: account('operator', 'shop', '', 'eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/x"').replace(
          '  namespace: shop\n',
          '',
        ),
      },
      rendered(
        'deploy/a/operator.yaml',
        A,
        deployment('operator', 'operator', 'ops').replace(
          '  namespace: ops\n',
          '  namespace: ops\n  annotations: {kube-token-guard.io/api-client: "watches nodes"}\n',
        ),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render binds a plain ServiceAccount to cluster-admin',
    files: [
      { path: 'app.yaml', text: join3(account('web'), deployment('web', 'web')) },
      rendered(
        'deploy/a/crb.yaml',
        A,
        clusterBinding('web-admin', 'cluster-admin', '[{kind: ServiceAccount, name: web, namespace: shop}]'),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render binds a plain account as the user system:serviceaccount:<ns>:<name>',
    files: [
      { path: 'app.yaml', text: join3(account('web'), deployment('web', 'web')) },
      rendered(
        'deploy/a/crb.yaml',
        A,
        clusterBinding('web-view', 'view', '[{kind: User, name: "system:serviceaccount:shop:web"}]'),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render declares the hardened `default` ServiceAccount of a plain Namespace',
    files: [
      { path: 'ns.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n' },
      { path: 'app.yaml', text: deployment('web', null) },
      rendered('deploy/a/sa.yaml', A, account('default', 'shop', 'automountServiceAccountToken: false\n')),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a plain ClusterRoleBinding names a render's ClusterRole",
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          account('web'),
          clusterBinding('web', 'web-role', '[{kind: ServiceAccount, name: web, namespace: shop}]'),
        ),
      },
      { path: 'app.yaml', text: deployment('web', 'web') },
      rendered(
        'deploy/a/role.yaml',
        A,
        clusterRole('web-role', "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]"),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a plain RoleBinding names a render's Role in its namespace",
    files: [
      {
        path: 'rbac.yaml',
        text: roleBinding('web', 'shop', 'Role', 'web-role', '[{kind: ServiceAccount, name: web}]'),
      },
      { path: 'app.yaml', text: deployment('web', 'web') },
      rendered(
        'deploy/a/role.yaml',
        A,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: web-role\n  namespace: shop\nrules: [{apiGroups: [''], resources: [secrets], verbs: [list]}]\n",
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render binds groups of ServiceAccounts, which are evidence for no one workload',
    files: [
      { path: 'app.yaml', text: join3(account('web'), deployment('web', 'web')) },
      rendered(
        'deploy/a/crb.yaml',
        A,
        clusterBinding(
          'all',
          'edit',
          '[{kind: Group, name: "system:serviceaccounts:shop"}, {kind: Group, name: "system:serviceaccounts"}]',
        ),
      ),
      elsewhere,
    ],
    changesPlain: false,
  },
  {
    name: 'workloads without a namespace, in plain files and in a render without one',
    files: [
      { path: 'app.yaml', text: join3(deployment('web', 'web', null), account('web', 'default')) },
      rendered('deploy/a/app.yaml', A, deployment('api', 'web', null)),
      rendered('charts/c/templates/app.yaml', 'chart charts/c (release c)', deployment('api', 'web', null), {
        renderNamespace: 'default',
      }),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render runs a workload as a plain ServiceAccount that plain workloads use',
    files: [
      { path: 'app.yaml', text: join3(account('web'), deployment('web', 'web')) },
      rendered('deploy/a/worker.yaml', A, deployment('worker', 'web')),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a render's workload is an API client running as a plain ServiceAccount set up for workload identity",
    files: [
      {
        path: 'sa.yaml',
        text: account('web', 'shop', '', "eks.amazonaws.com/role-arn: 'arn:aws:iam::1:role/web'"),
      },
      rendered(
        'deploy/a/api.yaml',
        A,
        deployment('api', 'web').replace(
          '  namespace: shop\n',
          '  namespace: shop\n  annotations:\n    kube-token-guard.io/api-client: watches\n',
        ),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render declares a long-lived token Secret that a plain workload mounts',
    files: [
      {
        path: 'app.yaml',
        text: deployment('web', 'web').replace(
          '      containers:',
          '      volumes: [{name: t, secret: {secretName: web-token}}]\n      containers:',
        ),
      },
      rendered(
        'deploy/a/secret.yaml',
        A,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\n  namespace: shop\ntype: kubernetes.io/service-account-token\n',
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a render declares the token Secret a plain ServiceAccount lists as mountable',
    files: [
      {
        path: 'sa.yaml',
        text: account(
          'web',
          'shop',
          'secrets: [{name: web-token}]\n',
          'kubernetes.io/enforce-mountable-secrets: "true"',
        ),
      },
      rendered(
        'deploy/a/secret.yaml',
        A,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-token\n  namespace: shop\ntype: kubernetes.io/service-account-token\n',
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a plain role reads a named Secret that a render declares as a token, cluster-wide',
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterRole(
            'token-reader',
            "[{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [ci-token]}]",
          ),
          clusterBinding('ci', 'token-reader', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/secret.yaml',
        A,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: build\ntype: kubernetes.io/service-account-token\n',
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a plain role mints tokens for an account that a render makes privileged (one level deep)',
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterRole(
            'minter',
            "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create], resourceNames: [deployer]}]",
          ),
          clusterBinding('minter', 'minter', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/crb.yaml',
        A,
        clusterBinding(
          'deployer',
          'cluster-admin',
          '[{kind: ServiceAccount, name: deployer, namespace: prod}]',
        ),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a plain role mints tokens for a render's account set up for workload identity",
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterRole(
            'minter',
            "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create], resourceNames: [uploader]}]",
          ),
          clusterBinding('minter', 'minter', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/sa.yaml',
        A,
        account('uploader', 'data', '', "eks.amazonaws.com/role-arn: 'arn:aws:iam::1:role/u'"),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'a plain role may bind a ClusterRole that a render declares privileged',
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterRole(
            'binder',
            '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}, {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [ops-admin]}]',
          ),
          clusterBinding('binder', 'binder', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/role.yaml',
        A,
        clusterRole('ops-admin', "[{apiGroups: [''], resources: [pods/exec], verbs: [create]}]"),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a render's ClusterRole makes a plain binding privileged, whose account a plain role mints tokens for",
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterBinding(
            'deployer',
            'deploy-all',
            '[{kind: ServiceAccount, name: deployer, namespace: prod}]',
          ),
          clusterRole(
            'minter',
            "[{apiGroups: [''], resources: [serviceaccounts/token], verbs: [create], resourceNames: [deployer]}]",
          ),
          clusterBinding('minter', 'minter', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/role.yaml',
        A,
        clusterRole('deploy-all', "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]"),
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a plain workload's token is reported in one render only, privileged through a plain binding to the render's role",
    files: [
      {
        path: 'app.yaml',
        text: join3(
          deployment('web', 'web'),
          clusterBinding('web', 'web-role', '[{kind: ServiceAccount, name: web, namespace: shop}]'),
        ),
      },
      rendered(
        'deploy/a/rbac.yaml',
        A,
        join3(
          account('web'),
          clusterRole('web-role', "[{apiGroups: ['*'], resources: ['*'], verbs: ['*']}]"),
        ),
      ),
      elsewhere,
    ],
    // Unresolved accounts are not taken to mount: only the render, which declares the account, reports the token.
    config: 'rules:\n  automount-token:\n    assume-unresolved-mounts: false\n',
    changesPlain: true,
  },
  {
    name: 'a plain role may bind a plain role that reads a Secret a render declares as a token',
    files: [
      {
        path: 'rbac.yaml',
        text: join3(
          clusterRole(
            'binder',
            '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [token-reader]}]',
          ),
          clusterRole(
            'token-reader',
            "[{apiGroups: [''], resources: [secrets], verbs: [get], resourceNames: [ci-token]}]",
          ),
          clusterBinding('binder', 'binder', '[{kind: ServiceAccount, name: ci, namespace: tools}]'),
        ),
      },
      rendered(
        'deploy/a/secret.yaml',
        A,
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: build\ntype: kubernetes.io/service-account-token\n',
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: "a rendered file at a plain file's path holds a Secret on the lines a plain fix touches",
    files: (() => {
      const plain = deployment('web', 'web');
      const secret = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: b\nstringData:\n${Array.from({ length: 14 }, (_, index) => `  key${index}: value-${index}\n`).join('')}`;
      return [
        { path: 'base/app.yaml', text: plain },
        rendered('base/app.yaml', A, secret, { origin: { text: plain } }),
        elsewhere,
      ];
    })(),
    changesPlain: true,
  },
  {
    // `namespace/name` keys meet where a name holds a `/`: the Secret `a/b` + `c` is the one `a` + `b/c` looks up.
    name: 'a name with a slash in it, looked up as the model keys it',
    files: [
      {
        path: 'app.yaml',
        text: deployment('web', 'web', 'a').replace(
          '      containers:',
          "      volumes: [{name: t, secret: {secretName: 'b/c'}}]\n      containers:",
        ),
      },
      rendered(
        'deploy/a/secret.yaml',
        A,
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: c\n  namespace: 'a/b'\ntype: kubernetes.io/service-account-token\n",
      ),
      elsewhere,
    ],
    changesPlain: true,
  },
  {
    name: 'plain files named by `install-files` beside renders',
    files: [
      { path: 'app.yaml', text: join3(account('web'), deployment('web', 'web')) },
      {
        path: 'installs/one.yaml',
        text: clusterBinding('web', 'view', '[{kind: ServiceAccount, name: web, namespace: shop}]'),
      },
      { path: 'installs/two.yaml', text: deployment('worker', 'web') },
      elsewhere,
    ],
    config: "install-files: ['installs/*.yaml']\n",
    changesPlain: true,
  },
  {
    name: 'renders in namespaces of their own leave the plain findings as they are',
    files: [
      {
        path: 'app.yaml',
        text: join3(
          account('web'),
          deployment('web', 'web'),
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
        ),
      },
      rendered(
        'deploy/a/app.yaml',
        A,
        join3(
          account('app', 'a'),
          deployment('app', 'app', 'a'),
          'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n',
        ),
      ),
      elsewhere,
    ],
    changesPlain: false,
  },
];

describe('alternative installs judged without a product term', () => {
  for (const { name, files, config: configText, changesPlain } of CASES) {
    it(`match the whole judgement of every install: ${name}`, () => {
      expect(rendersChangePlainFindings(files, configText)).toBe(changesPlain);
      expectSameScan(files, configText);
    });
  }

  it('match it on seeded random scans', () => {
    let changing = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const generator = new ScanGenerator(seed);
      const files = generator.files();
      const configText = generator.config();
      if (rendersChangePlainFindings(files, configText)) changing++;
      try {
        expectSameScan(files, configText);
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error });
      }
    }
    // Most scans must meet the plain objects, or the comparison proves little.
    expect(changing).toBeGreaterThan(75);
  });

  it('match it on the real install manifests, rendered as overlays and kept plain', () => {
    const argo = readFileSync(join(CORPUS, 'argo-cd-install.yaml'), 'utf8');
    const shop = readFileSync(join(CORPUS, 'microservices-demo.yaml'), 'utf8');
    const files: SourceFile[] = [
      { path: 'shop/manifests.yaml', text: shop },
      { path: 'argocd/install.yaml', text: argo },
      rendered('argocd/install.yaml', 'overlay argocd/ha', argo, { origin: { text: argo } }),
      rendered(
        'argocd/install.yaml',
        'overlay argocd/shop',
        argo.replaceAll('namespace: argocd', 'namespace: default'),
      ),
      rendered('shop/manifests.yaml', 'overlay shop/prod', shop, { renderNamespace: 'default' }),
    ];
    expectSameScan(files);
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'the corpus charts rendered with the real helm'), () => {
  it('match it on the charts rendered per namespace, beside the install manifests', async () => {
    const renders = [
      { dir: 'argo-rollouts', release: 'rollouts', namespace: 'argocd' },
      { dir: 'argo-rollouts', release: 'rollouts-b', namespace: 'default' },
      { dir: 'cert-manager', release: 'cert-manager', namespace: 'cert-manager' },
      { dir: 'sealed-secrets', release: 'sealed', namespace: 'kube-system' },
      { dir: 'sealed-secrets', release: 'sealed-b', namespace: 'default' },
      { dir: 'onlineboutique', release: 'shop', namespace: 'default' },
    ];
    const files: SourceFile[] = [
      { path: 'argo-cd-install.yaml', text: readFileSync(join(CORPUS, 'argo-cd-install.yaml'), 'utf8') },
      {
        path: 'microservices-demo.yaml',
        text: readFileSync(join(CORPUS, 'microservices-demo.yaml'), 'utf8'),
      },
    ];
    for (const render of renders) {
      const result = await renderChart(
        { ...render, kubeVersion: '1.31.0', valuesFiles: [], set: {} },
        { root: CORPUS, binary: HELM! },
      );
      expect(result.errors).toEqual([]);
      files.push(...result.files);
    }
    expectSameScan(files);
  }, 120_000);
});
