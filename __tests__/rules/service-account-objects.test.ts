// Rules about ServiceAccount and Namespace objects: default-sa-automount, namespace-default-sa,
// workload-identity-automount.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { type InvalidCase, ruleTester } from './tester.js';

/** A ServiceAccount; `metadata.name` on line 4, `namespace` on line 5, `extra` from line 6 on. */
const sa = (name: string, extra = '', namespace = 'shop') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${extra}`;

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;

ruleTester('default-sa-automount', {
  valid: [
    { name: 'default SA with false', files: sa('default', 'automountServiceAccountToken: false\n') },
    { name: 'default SA with YAML 1.1 `no`', files: sa('default', 'automountServiceAccountToken: no\n') },
    { name: 'default SA with YAML 1.1 `off`', files: sa('default', 'automountServiceAccountToken: off\n') },
    { name: 'a dedicated SA without the field', files: sa('api') },
    { name: 'a dedicated SA saying true', files: sa('api', 'automountServiceAccountToken: true\n') },
  ],
  invalid: [
    {
      name: 'field missing: points at metadata.name, fix appends the field',
      files: sa('default'),
      line: 4,
      severity: 'medium',
      resource: { kind: 'ServiceAccount', namespace: 'shop', name: 'default' },
      message: ['namespace `shop`', 'does not set `automountServiceAccountToken: false`'],
      fix: {
        startLine: 5,
        endLine: 5,
        replacement: '  namespace: shop\nautomountServiceAccountToken: false',
      },
      fixedCleanly: true,
    },
    {
      name: 'field true: points at the field, fix replaces the value',
      files: sa('default', 'automountServiceAccountToken: true\n'),
      line: 6,
      severity: 'medium',
      message: 'sets `automountServiceAccountToken: true`',
      fix: { startLine: 6, endLine: 6, replacement: 'automountServiceAccountToken: false' },
      fixedCleanly: true,
    },
    {
      name: 'YAML 1.1 `yes` is true',
      files: sa('default', 'automountServiceAccountToken: yes\n'),
      line: 6,
      fix: { startLine: 6, endLine: 6, replacement: 'automountServiceAccountToken: false' },
    },
    {
      name: 'fix goes after a trailing imagePullSecrets list',
      files: sa('default', 'imagePullSecrets:\n  - name: registry\n'),
      fix: {
        startLine: 7,
        endLine: 7,
        replacement: '  - name: registry\nautomountServiceAccountToken: false',
      },
      fixedCleanly: true,
    },
    {
      name: 'default SA without namespace is in `default`, where the cluster runs pods of its own: no fix',
      files: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n',
      resource: { namespace: 'default' },
      severity: 'medium',
      message: ['namespace `default`', 'the cluster runs pods in this namespace that no repository declares'],
      fix: null,
    },
    ...['kube-system', 'kube-public', 'kube-node-lease'].map((namespace) => ({
      name: `no fix in ${namespace} either`,
      files: sa('default', '', namespace),
      severity: 'medium' as const,
      message: `namespace \`${namespace}\``,
      fix: null,
    })),
    {
      name: 'one finding per declared default SA',
      files: { 'a.yaml': sa('default'), 'b.yaml': sa('default', '', 'other') },
      findings: [
        { file: 'a.yaml', resource: { namespace: 'shop' } },
        { file: 'b.yaml', resource: { namespace: 'other' } },
      ],
    },
  ],
});

const APPENDED_SA = [
  '---',
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  name: default',
  '  namespace: shop',
  'automountServiceAccountToken: false',
].join('\n');

ruleTester('namespace-default-sa', {
  valid: [
    {
      name: 'hardened default SA declared in another file',
      files: {
        'ns.yaml': namespace('shop'),
        'sa.yaml': sa('default', 'automountServiceAccountToken: false\n'),
      },
    },
    {
      name: 'declared default SA, even unhardened',
      files: { 'ns.yaml': namespace('shop'), 'sa.yaml': sa('default') },
    },
    {
      name: 'Namespace `default` and a default SA that takes the default namespace',
      files: namespace('default') + '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n',
    },
    {
      name: 'a namespace only referenced by metadata.namespace is not checked',
      files: sa('api'),
    },
  ],
  invalid: [
    {
      name: 'no default SA at all: fix appends a hardened one',
      files: namespace('shop'),
      line: 4,
      severity: 'low',
      resource: { kind: 'Namespace', namespace: null, name: 'shop' },
      message: [
        'Namespace `shop` has no `default` ServiceAccount declared',
        '`automountServiceAccountToken: false`',
      ],
      fix: { startLine: 4, endLine: 4, replacement: `  name: shop\n${APPENDED_SA}` },
      fixedCleanly: true,
    },
    ...['kube-system', 'default'].map((name) => ({
      name: `Namespace \`${name}\`: no fix, the cluster runs pods there that no repository declares`,
      files: namespace(name),
      line: 4,
      message: [`Namespace \`${name}\` has no \`default\` ServiceAccount declared`, 'so no fix is offered'],
      fix: null,
    })),
    {
      name: 'default SA declared for another namespace does not count',
      files: {
        'ns.yaml': namespace('shop'),
        'sa.yaml': sa('default', 'automountServiceAccountToken: false\n', 'other'),
      },
      file: 'ns.yaml',
    },
    {
      name: 'a dedicated SA in the namespace does not count',
      files: { 'ns.yaml': namespace('shop'), 'sa.yaml': sa('api', 'automountServiceAccountToken: false\n') },
      file: 'ns.yaml',
    },
    {
      name: 'Namespace in a List',
      files: yaml`
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
          - apiVersion: v1
            kind: Namespace
            metadata:
              name: ops
          - apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: default
              namespace: ops
      `,
      line: 7,
      resource: { name: 'shop' },
    },
  ],
});

describe('namespace-default-sa fix', () => {
  it('appends the document at the end of the file, keeping the final newline', () => {
    const text = namespace('shop');
    const [finding] = findingsOf(scan(text), 'namespace-default-sa');
    expect(finding!.fix!.edits).toEqual([
      { start: text.length - 1, end: text.length - 1, text: `\n${APPENDED_SA}` },
    ]);
  });

  it('the appended account satisfies default-sa-automount too', () => {
    const text = namespace('shop');
    const [finding] = findingsOf(scan(text), 'namespace-default-sa');
    const edit = finding!.fix!.edits[0]!;
    const fixed = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    const again = scan(fixed);
    expect(again.errors).toEqual([]);
    expect(again.stats.resources).toBe(2);
    expect(findingsOf(again, 'default-sa-automount')).toEqual([]);
  });
});

const WORKLOAD_IDENTITY: [string, string][] = [
  ['eks.amazonaws.com/role-arn', 'arn:aws:iam::111122223333:role/exporter'],
  ['iam.gke.io/gcp-service-account', 'exporter@project.iam.gserviceaccount.com'],
  ['azure.workload.identity/client-id', '00000000-0000-0000-0000-000000000000'],
];

const annotated = (annotation: string, value: string, extra = '') =>
  sa('exporter', `  annotations:\n    ${annotation}: ${value}\n${extra}`);

ruleTester('workload-identity-automount', {
  valid: [
    ...WORKLOAD_IDENTITY.map(([annotation, value]) => ({
      name: `${annotation} with automount false`,
      files: annotated(annotation, value, 'automountServiceAccountToken: false\n'),
    })),
    {
      name: 'YAML 1.1 `off` counts as false',
      files: annotated(
        WORKLOAD_IDENTITY[0]![0],
        WORKLOAD_IDENTITY[0]![1],
        'automountServiceAccountToken: off\n',
      ),
    },
    {
      // Explicit consent on a dedicated account: cert-manager and cluster-autoscaler set it for EKS and need the API.
      name: 'SA saying true: the consent is explicit, and switching it off would break the workload',
      files: annotated(
        WORKLOAD_IDENTITY[1]![0],
        WORKLOAD_IDENTITY[1]![1],
        'automountServiceAccountToken: true\n',
      ),
    },
    { name: 'no workload identity annotation', files: sa('exporter', '  annotations:\n    team: data\n') },
    {
      name: 'a workload identity annotation on a Deployment is not an SA',
      files: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: exporter
          annotations:
            eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/exporter
        spec:
          template:
            spec:
              automountServiceAccountToken: false
              containers: [{name: c, image: nginx}]
      `,
    },
  ],
  invalid: [
    ...WORKLOAD_IDENTITY.map(([annotation, value]): InvalidCase => ({
      name: `${annotation} without the field`,
      files: annotated(annotation, value),
      line: 7,
      severity: 'medium',
      resource: { kind: 'ServiceAccount', namespace: 'shop', name: 'exporter' },
      message: [`\`${annotation}\``, 'still mounts the Kubernetes API token'],
      fix: {
        startLine: 7,
        endLine: 7,
        replacement: `    ${annotation}: ${value}\nautomountServiceAccountToken: false`,
      },
      fixedCleanly: true,
    })),
  ],
});
