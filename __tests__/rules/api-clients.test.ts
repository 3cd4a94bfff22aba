/**
 * Issue 16: no fix switches off the token of a workload that calls the API. A workload is an API client when its
 * ServiceAccount is a subject of a binding (by name), the config's `api-clients` lists it, an annotation says so, or
 * its pod asks for an injected agent that logs in with its token (core/api-clients.ts). Its findings name the evidence, are `info` (never blocking by themselves), and their fixes
 * only make the consent explicit; every rule whose fix can remove a token asks first. Before, each case below got an
 * `automountServiceAccountToken: false` fix, and `--fix` applied it.
 */
import { describe, expect, it } from 'vitest';
import { autofix } from '../../src/core/autofix.js';
import { effectiveAutomount } from '../../src/core/serviceaccounts.js';
import { buildModel } from '../../src/core/model.js';
import { loadDocuments } from '../../src/core/load.js';
import { config, findingsOf, scan } from '../helpers.js';
import { applyRuleFixes } from './tester.js';

function deployment(
  options: { name?: string; account?: string; annotation?: string; podAnnotation?: string } = {},
): string {
  const name = options.name ?? 'operator';
  const annotation = (reason: string | undefined) =>
    reason === undefined
      ? []
      : [`  annotations: {kube-token-guard.io/api-client: ${JSON.stringify(reason)}}`];
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: ops',
    ...annotation(options.annotation),
    'spec:',
    `  selector: {matchLabels: {app: ${name}}}`,
    '  template:',
    '    metadata:',
    `      labels: {app: ${name}}`,
    ...annotation(options.podAnnotation).map((line) => `    ${line}`),
    '    spec:',
    `      serviceAccountName: ${options.account ?? name}`,
    '      containers: [{name: main, image: example/operator:1.0}]',
    '',
  ].join('\n');
}

const ACCOUNT = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ops${extra}\n`;

function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', subject: string, role: string): string {
  const namespace = kind === 'RoleBinding' ? '\n  namespace: ops' : '';
  return (
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: grant${namespace}\n` +
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${role}}\nsubjects:\n  - ${subject}\n`
  );
}

const OPERATOR = `${ACCOUNT('operator')}---\n${deployment()}`;

/** The operator with these annotations on its pod template (`pod`) or on the Deployment itself. */
function annotated(annotations: Record<string, string>, on: 'pod' | 'workload' = 'pod'): string {
  const text = deployment(on === 'pod' ? { podAnnotation: 'x' } : { annotation: 'x' });
  return `${ACCOUNT('operator')}---\n${text.replace(
    '{kube-token-guard.io/api-client: "x"}',
    JSON.stringify(annotations),
  )}`;
}

describe('evidence that a workload calls the API', () => {
  const clients: Array<[string, string, string | undefined, RegExp]> = [
    [
      'its ServiceAccount is bound by a RoleBinding',
      `${OPERATOR}---\n${binding('RoleBinding', '{kind: ServiceAccount, name: operator, namespace: ops}', 'view')}`,
      undefined,
      /ServiceAccount `ops\/operator` is a subject of RoleBinding ops\/grant \(ClusterRole `view`\)/,
    ],
    [
      'its ServiceAccount is bound to system:auth-delegator, a harmless role',
      `${OPERATOR}---\n${binding('ClusterRoleBinding', '{kind: ServiceAccount, name: operator, namespace: ops}', 'system:auth-delegator')}`,
      undefined,
      /ClusterRole `system:auth-delegator`/,
    ],
    [
      'its ServiceAccount is bound as the user system:serviceaccount:ops:operator',
      `${OPERATOR}---\n${binding('ClusterRoleBinding', '{kind: User, name: "system:serviceaccount:ops:operator"}', 'edit')}`,
      undefined,
      /is a subject of ClusterRoleBinding grant/,
    ],
    [
      "the config's api-clients lists it",
      OPERATOR,
      'api-clients: ["ops/oper*"]\n',
      /the config's `api-clients` lists `ops\/operator` \(`ops\/oper\*`\)/,
    ],
    [
      'an annotation on the workload says so',
      `${ACCOUNT('operator')}---\n${deployment({ annotation: 'watches CRDs' })}`,
      undefined,
      /the annotation `kube-token-guard.io\/api-client` says so: "watches CRDs"/,
    ],
    [
      'an annotation on the pod template says so',
      `${ACCOUNT('operator')}---\n${deployment({ podAnnotation: 'leader election' })}`,
      undefined,
      /says so: "leader election"/,
    ],
    [
      "its pod asks for Vault's agent, which logs in to Vault with the pod's token",
      annotated({ 'vault.hashicorp.com/agent-inject': 'true', 'vault.hashicorp.com/role': 'db' }),
      undefined,
      /its pod says `vault.hashicorp.com\/agent-inject: "true"`, so Vault's injected agent logs in with the pod's token/,
    ],
    [
      "its pod asks for Consul's connect init container, which logs in to Consul with the pod's token",
      annotated({ 'consul.hashicorp.com/connect-inject': 'True' }),
      undefined,
      /`consul.hashicorp.com\/connect-inject: "True"`, so Consul's injected init container logs in/,
    ],
  ];

  it.each(clients)(
    '%s: the token stays, the finding is info and names the evidence',
    (_name, files, configText, evidence) => {
      const result = scan(files, configText);
      expect(result.errors).toEqual([]);
      const [finding, ...rest] = findingsOf(result, 'automount-token');
      expect(rest).toEqual([]);
      expect(finding!.severity).toBe('info');
      expect(finding!.apiClient).toMatch(evidence);
      expect(finding!.message).toMatch(evidence);
      expect(finding!.message).toContain('It is judged an API client, so its token stays');
      // The one fix makes the consent explicit: applied and scanned again, the workload still mounts its token.
      expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: true');
      const fixed = applyRuleFixes(files, result, 'automount-token');
      const after = scan(fixed, configText);
      expect(after.errors).toEqual([]);
      expect(findingsOf(after, 'automount-token')).toEqual([]);
      const model = buildModel(
        loadDocuments({ path: 'manifest.yaml', text: fixed['manifest.yaml']! }).objects,
        'default',
      );
      expect(effectiveAutomount(model, model.workloads[0]!, true)).toMatchObject({
        mounts: true,
        optedIn: true,
      });
    },
  );

  it.each([
    ['an injector switched off', annotated({ 'vault.hashicorp.com/agent-inject': 'false' })],
    ['a value Go does not read as true', annotated({ 'consul.hashicorp.com/connect-inject': 'yes' })],
    [
      "Vault's agent pointed at a projected token",
      annotated({
        'vault.hashicorp.com/agent-inject': 'true',
        'vault.hashicorp.com/agent-service-account-token-volume-name': 'vault-token',
      }),
    ],
    [
      'the annotation on the Deployment, not its pods',
      annotated({ 'vault.hashicorp.com/agent-inject': 'true' }, 'workload'),
    ],
  ])('no evidence from %s', (_name, files) => {
    const [finding] = findingsOf(scan(files), 'automount-token');
    expect(finding!.apiClient).toBeUndefined();
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: false');
  });

  it('a binding to the group of all ServiceAccounts is not evidence for one workload', () => {
    const files = `${OPERATOR}---\n${binding('ClusterRoleBinding', '{kind: Group, name: "system:serviceaccounts"}', 'view')}`;
    const [finding] = findingsOf(scan(files), 'automount-token');
    expect(finding!.apiClient).toBeUndefined();
    expect(finding!.severity).toBe('medium');
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: false');
  });

  it('a binding in another namespace, or of another account, is not evidence either', () => {
    const elsewhere = binding(
      'RoleBinding',
      '{kind: ServiceAccount, name: operator, namespace: other}',
      'view',
    );
    const [finding] = findingsOf(scan(`${OPERATOR}---\n${elsewhere}`), 'automount-token');
    expect(finding!.apiClient).toBeUndefined();
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: false');
  });
});

describe('objects that name no namespace go where they are applied', () => {
  // Plain `helm template` output: the chart writes `{{ .Release.Namespace }}` into binding subjects only, so the
  // workload and its ServiceAccount name none, and `kubectl apply -n ops` puts them where the binding points.
  const unplaced = (text: string) => text.replace(/\n {2}namespace: ops/g, '');
  const grant = binding(
    'ClusterRoleBinding',
    '{kind: ServiceAccount, name: operator, namespace: ops}',
    'view',
  );

  it('a binding to its account in any namespace is evidence for a workload that names none', () => {
    const files = `${unplaced(OPERATOR)}---\n${grant}`;
    const [finding, ...rest] = findingsOf(scan(files), 'automount-token');
    expect(rest).toEqual([]);
    expect(finding!.severity).toBe('info');
    expect(finding!.apiClient).toBe(
      'ServiceAccount `ops/operator` is a subject of ClusterRoleBinding grant (ClusterRole `view`), and Deployment ' +
        'default/operator names no namespace: applied in `ops` it runs as that account',
    );
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: true');
    expect(autofix([{ path: 'all.yaml', text: files }], config()).changed.size).toBe(0);
  });

  it('a workload that names its namespace is judged in it, as before', () => {
    const placed = `${ACCOUNT('operator').replace('ops', 'apps')}---\n${deployment().replace('ops', 'apps')}---\n${grant}`;
    const [finding] = findingsOf(scan(placed), 'automount-token');
    expect(finding!.apiClient).toBeUndefined();
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: false');
  });

  it('a workload that names no namespace and runs as `default` keeps its token where `default` is bound', () => {
    const files =
      `${unplaced(deployment({ account: 'default' }))}---\n` +
      binding('RoleBinding', '{kind: ServiceAccount, name: default, namespace: ops}', 'view');
    const [finding] = findingsOf(scan(files), 'automount-token');
    expect(finding!.apiClient).toMatch(
      /^ServiceAccount `ops\/default` is a subject of RoleBinding ops\/grant/,
    );
    expect(autofix([{ path: 'all.yaml', text: files }], config()).changed.size).toBe(0);
  });

  it('a ServiceAccount that names no namespace keeps its token where an account of its name is bound', () => {
    const annotated = unplaced(
      ACCOUNT('operator', '\n  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/x"}'),
    );
    const [finding] = findingsOf(scan(`${annotated}---\n${grant}`), 'workload-identity-automount');
    expect(finding!.apiClient).toMatch(/and ServiceAccount `operator` names no namespace/);
    expect(finding!.fix!.replacement).toContain('automountServiceAccountToken: true');
  });

  it('a `default` ServiceAccount a client that names no namespace may run as keeps its token', () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';
    const agent = (annotation?: string) =>
      unplaced(deployment({ name: 'agent', account: 'default', ...(annotation ? { annotation } : {}) }));
    const [finding] = findingsOf(scan(`${namespace}---\n${agent('lists pods')}`), 'namespace-default-sa');
    expect(finding!.fix).toBeNull();
    expect(finding!.apiClient).toMatch(
      /^Deployment default\/agent runs as it and is an API client: the annotation/,
    );
    expect(findingsOf(scan(`${namespace}---\n${agent()}`), 'namespace-default-sa')[0]!.fix).not.toBeNull();
  });
});

describe('every fix that can remove a token asks first', () => {
  const defaultClient =
    `${deployment({ account: 'default' })}---\n` +
    binding('RoleBinding', '{kind: ServiceAccount, name: default, namespace: ops}', 'view');

  it('default-sa-automount: no fix for a `default` ServiceAccount a client runs as', () => {
    const files = `${ACCOUNT('default')}---\n${defaultClient}`;
    const [finding] = findingsOf(scan(files), 'default-sa-automount');
    expect(finding!.fix).toBeNull();
    expect(finding!.severity).toBe('info');
    expect(finding!.message).toMatch(
      /would break an API client: ServiceAccount `ops\/default` is a subject of RoleBinding/,
    );
    // Without the client, the fix is offered as before.
    expect(findingsOf(scan(ACCOUNT('default')), 'default-sa-automount')[0]!.fix).not.toBeNull();
  });

  it('namespace-default-sa: no `default` ServiceAccount with the token off is added where a client runs as it', () => {
    const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n';
    const [finding] = findingsOf(scan(`${namespace}---\n${defaultClient}`), 'namespace-default-sa');
    expect(finding!.fix).toBeNull();
    expect(finding!.apiClient).toMatch(/runs as it and is an API client|is a subject of RoleBinding/);
    expect(findingsOf(scan(namespace), 'namespace-default-sa')[0]!.fix).not.toBeNull();
  });

  it('workload-identity-automount: a cloud-identity ServiceAccount that is bound keeps its token', () => {
    const annotated = ACCOUNT(
      'operator',
      '\n  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/x"}',
    );
    const bound = binding(
      'ClusterRoleBinding',
      '{kind: ServiceAccount, name: operator, namespace: ops}',
      'cluster-autoscaler',
    );
    const client = findingsOf(
      scan(`${annotated}---\n${deployment()}---\n${bound}`),
      'workload-identity-automount',
    )[0]!;
    expect(client.severity).toBe('info');
    expect(client.message).toContain('Cloud identity does not replace that token');
    expect(client.fix!.replacement).toContain('automountServiceAccountToken: true');
    const plain = findingsOf(scan(`${annotated}---\n${deployment()}`), 'workload-identity-automount')[0]!;
    expect(plain.apiClient).toBeUndefined();
    expect(plain.fix!.replacement).toContain('automountServiceAccountToken: false');
  });

  it('autofix removes no client token, consents for nobody, and still fixes the other workloads', () => {
    const files = [
      {
        path: 'ops.yaml',
        text:
          `${ACCOUNT('operator')}---\n${deployment()}---\n` +
          `${binding('RoleBinding', '{kind: ServiceAccount, name: operator, namespace: ops}', 'view')}---\n` +
          deployment({ name: 'web', account: 'web' }),
      },
    ];
    const result = autofix(files, config());
    const text = result.files[0]!.text;
    const model = buildModel(loadDocuments({ path: 'ops.yaml', text }).objects, 'default');
    const byName = new Map(model.workloads.map((workload) => [workload.resource.ref.name, workload]));
    expect(effectiveAutomount(model, byName.get('operator')!, true)).toMatchObject({
      mounts: true,
      optedIn: false,
    });
    expect(effectiveAutomount(model, byName.get('web')!, true)).toMatchObject({ mounts: false });
    expect(findingsOf(result.result, 'automount-token').map((finding) => finding.resource.name)).toEqual([
      'operator',
    ]);
  });
});
