// Rules about which ServiceAccount a pod names: default-service-account, deprecated-service-account-field,
// missing-service-account.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan } from '../helpers.js';
import { ruleTester } from './tester.js';

/** A Pod in namespace `shop`; `spec:` is line 6, the first pod spec key line 7. */
const pod = (...specLines: string[]) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    ...specLines.map((line) => `  ${line}`),
    '  containers:',
    '    - name: c',
    '      image: nginx',
    '',
  ].join('\n');

const sa = (name: string, extra = '', namespace = 'shop') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n${extra}`;

ruleTester('default-service-account', {
  valid: [
    {
      name: 'dedicated SA, declared',
      files: { 'pod.yaml': pod('serviceAccountName: api'), 'sa.yaml': sa('api') },
    },
    { name: 'dedicated SA, not declared', files: pod('serviceAccountName: api') },
    { name: 'dedicated SA through the deprecated field', files: pod('serviceAccount: api') },
    {
      name: 'a ServiceAccount named default on its own is not a workload',
      files: sa('default', 'automountServiceAccountToken: true\n'),
    },
  ],
  invalid: [
    {
      name: 'no serviceAccountName: points at the pod spec',
      files: pod(),
      line: 6,
      severity: 'medium',
      resource: { kind: 'Pod', namespace: 'shop', name: 'web' },
      message: [
        'names no ServiceAccount',
        '`default` ServiceAccount of namespace `shop`',
        'Create a dedicated ServiceAccount `shop/web`',
        'serviceAccountName: web',
      ],
      fix: null,
    },
    {
      name: 'empty serviceAccountName',
      files: pod('serviceAccountName: ""'),
      severity: 'medium',
      message: '`default` ServiceAccount of namespace `shop`',
    },
    {
      name: 'serviceAccountName: default points at the field',
      files: pod('serviceAccountName: default'),
      line: 7,
      severity: 'medium',
      message: 'sets `serviceAccountName: default`',
    },
    {
      name: 'deprecated serviceAccount: default',
      files: pod('serviceAccount: default'),
      line: 7,
      message: 'sets `serviceAccount: default`',
    },
    {
      name: 'token unmounted at the pod: still fires, medium',
      files: pod('automountServiceAccountToken: false'),
      severity: 'medium',
      notMessage: 'forces',
    },
    {
      name: 'pod forces automount true: high',
      files: pod('automountServiceAccountToken: true'),
      severity: 'high',
      message: 'forces its token to be mounted',
    },
    {
      name: 'declared default SA says true: high',
      files: { 'pod.yaml': pod(), 'sa.yaml': sa('default', 'automountServiceAccountToken: true\n') },
      severity: 'high',
      message: [
        'forces its token to be mounted',
        'that ServiceAccount says `automountServiceAccountToken: true` and the pod spec does not override it',
      ],
    },
    {
      // Kubernetes docs, "Configure Service Accounts for Pods" (opt out of API credential automounting): when both
      // the ServiceAccount and the pod spec set automountServiceAccountToken, the pod spec takes precedence.
      name: 'pod false wins over the default SA saying true: no token, so medium (docs: the Pod spec takes precedence)',
      files: {
        'pod.yaml': pod('automountServiceAccountToken: false'),
        'sa.yaml': sa('default', 'automountServiceAccountToken: true\n'),
      },
      severity: 'medium',
      notMessage: 'forces',
    },
    {
      name: 'declared default SA says true and the pod says true too: high, the pod spec named',
      files: {
        'pod.yaml': pod('automountServiceAccountToken: true'),
        'sa.yaml': sa('default', 'automountServiceAccountToken: true\n'),
      },
      severity: 'high',
      message: 'the pod spec says `automountServiceAccountToken: true`',
    },
    {
      name: 'declared default SA says false: medium',
      files: { 'pod.yaml': pod(), 'sa.yaml': sa('default', 'automountServiceAccountToken: false\n') },
      severity: 'medium',
    },
    {
      name: 'default SA saying true in another namespace does not raise the severity',
      files: { 'pod.yaml': pod(), 'sa.yaml': sa('default', 'automountServiceAccountToken: true\n', 'other') },
      severity: 'medium',
    },
    {
      name: 'Deployment without namespace runs as `default` of `default`',
      files: [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '        - name: c',
        '          image: nginx',
        '',
      ].join('\n'),
      line: 7,
      resource: { kind: 'Deployment', namespace: 'default', name: 'web' },
      message: '`default` ServiceAccount of namespace `default`',
    },
  ],
});

describe('default-service-account and automount-token agree on the token', () => {
  // Kubernetes docs, "Configure Service Accounts for Pods": the Pod spec's automountServiceAccountToken takes
  // precedence over the ServiceAccount's. Both rules read that one decision, so they cannot contradict each other.
  it('a pod-level false under a default SA saying true: automount-token silent, default-service-account not raised', () => {
    const result = scan({
      'pod.yaml': pod('automountServiceAccountToken: false'),
      'sa.yaml': sa('default', 'automountServiceAccountToken: true\n'),
    });
    expect(findingsOf(result, 'automount-token')).toEqual([]);
    expect(findingsOf(result, 'default-service-account').map((finding) => finding.severity)).toEqual([
      'medium',
    ]);
  });
});

ruleTester('deprecated-service-account-field', {
  valid: [
    { name: 'only serviceAccountName', files: pod('serviceAccountName: api') },
    { name: 'no ServiceAccount field at all', files: pod() },
  ],
  invalid: [
    {
      name: 'only serviceAccount: rename fix',
      files: pod('serviceAccount: api'),
      line: 7,
      severity: 'low',
      message: 'uses the deprecated `serviceAccount` field',
      fix: { startLine: 7, endLine: 7, replacement: '  serviceAccountName: api' },
      fixedCleanly: true,
    },
    {
      name: 'quoted key keeps its quotes',
      files: pod('"serviceAccount": api'),
      line: 7,
      fix: { startLine: 7, endLine: 7, replacement: '  "serviceAccountName": api' },
    },
    {
      name: 'same value in both: remove the duplicate line',
      files: pod('serviceAccountName: api', 'serviceAccount: api'),
      line: 8,
      severity: 'low',
      message: 'repeats its ServiceAccount',
      fix: { startLine: 8, endLine: 8, replacement: '' },
      fixedCleanly: true,
    },
    {
      name: 'serviceAccountName empty: Kubernetes takes serviceAccount, which must not be removed alone',
      files: pod('serviceAccountName: ""', 'serviceAccount: ctrl'),
      line: 8,
      severity: 'low',
      message: [
        'leaves `serviceAccountName` empty, so Kubernetes runs it as the ServiceAccount of the deprecated `serviceAccount` field (`ctrl`)',
        'Set `serviceAccountName: ctrl` and then remove `serviceAccount`',
      ],
      fix: null,
    },
    {
      name: 'serviceAccountName null: the same',
      files: pod('serviceAccountName: null', 'serviceAccount: ctrl'),
      line: 8,
      message: 'Set `serviceAccountName: ctrl`',
      fix: null,
    },
    {
      name: 'conflicting values: no fix',
      files: pod('serviceAccountName: api', 'serviceAccount: worker'),
      line: 8,
      severity: 'low',
      message: 'different values',
      fix: null,
    },
    {
      name: 'in a CronJob pod spec',
      files: [
        'apiVersion: batch/v1',
        'kind: CronJob',
        'metadata:',
        '  name: job',
        'spec:',
        '  schedule: "@daily"',
        '  jobTemplate:',
        '    spec:',
        '      template:',
        '        spec:',
        '          serviceAccount: runner',
        '          containers: [{name: c, image: busybox}]',
        '',
      ].join('\n'),
      line: 11,
      resource: { kind: 'CronJob', name: 'job' },
      fix: { startLine: 11, endLine: 11, replacement: '          serviceAccountName: runner' },
    },
  ],
});

describe('deprecated-service-account-field: removing the duplicate', () => {
  it('removes exactly the serviceAccount line', () => {
    const text = pod('serviceAccountName: api', 'serviceAccount: api');
    const [finding] = findingsOf(scan(text), 'deprecated-service-account-field');
    const start = text.indexOf('  serviceAccount: api\n');
    expect(finding!.fix!.edits).toEqual([{ start, end: start + '  serviceAccount: api\n'.length, text: '' }]);
  });
});

const STRICT = 'extends: strict\n';

ruleTester('missing-service-account', {
  valid: [
    { name: 'not in the recommended preset', files: pod('serviceAccountName: api') },
    {
      name: 'strict: the SA is declared in another file',
      files: { 'pod.yaml': pod('serviceAccountName: api'), 'sa.yaml': sa('api') },
      config: STRICT,
    },
    { name: 'strict: `default` is always there', files: pod(), config: STRICT },
    { name: 'strict: explicit `default`', files: pod('serviceAccountName: default'), config: STRICT },
  ],
  invalid: [
    {
      name: 'strict: SA not declared',
      files: pod('serviceAccountName: api'),
      config: STRICT,
      line: 7,
      severity: 'low',
      message: 'ServiceAccount `shop/api`, which is not declared',
      resource: { kind: 'Pod', name: 'web' },
    },
    {
      name: 'strict: SA declared only in another namespace',
      files: { 'pod.yaml': pod('serviceAccountName: api'), 'sa.yaml': sa('api', '', 'other') },
      config: STRICT,
      file: 'pod.yaml',
      line: 7,
    },
    {
      name: 'strict: deprecated field names an undeclared SA',
      files: pod('serviceAccount: api'),
      config: STRICT,
      line: 7,
      message: '`shop/api`',
    },
    {
      name: 'enabled explicitly in recommended',
      files: pod('serviceAccountName: api'),
      config: 'rules:\n  missing-service-account: on\n',
      severity: 'low',
    },
  ],
});
