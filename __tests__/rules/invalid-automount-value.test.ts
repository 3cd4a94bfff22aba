// `automountServiceAccountToken` values the API server refuses (issue 18.7).
//
// Kubernetes API reference: PodSpec (Pod v1) and ServiceAccount v1 declare `automountServiceAccountToken` as a boolean.
// The API server decodes a manifest into those types first, and a string or a number in a boolean field fails to decode:
// the object is refused ("cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field ... of
// type bool"). Such a value is neither `true` nor unset, so no rule may read it as either.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan } from '../helpers.js';
import { ruleTester } from './tester.js';

/** A Pod in `shop` running as `api`, with one pod spec line (line 7). */
const pod = (line: string, account = 'api') =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    `  ${line}`,
    `  serviceAccountName: ${account}`,
    '  containers: [{name: c, image: nginx}]',
    '',
  ].join('\n');

/** ServiceAccount `shop/<name>` with one more line (line 6). */
const account = (line: string, name = 'api') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: shop\n${line}\n`;

ruleTester('invalid-automount-value', {
  valid: [
    { name: 'false', files: pod('automountServiceAccountToken: false') },
    { name: 'true', files: pod('automountServiceAccountToken: true') },
    {
      name: 'YAML 1.1 `no`, a boolean as Kubernetes reads YAML',
      files: pod('automountServiceAccountToken: no'),
    },
    { name: 'null is unset', files: pod('automountServiceAccountToken: null') },
    { name: '`~` is unset', files: pod('automountServiceAccountToken: ~') },
    { name: 'a ServiceAccount saying false', files: account('automountServiceAccountToken: false') },
  ],
  invalid: [
    {
      name: 'the string "false" in a pod spec: named, at the field, high, no fix',
      files: pod('automountServiceAccountToken: "false"'),
      line: 7,
      severity: 'high',
      resource: { kind: 'Pod', namespace: 'shop', name: 'web' },
      message: [
        'Pod shop/web sets `automountServiceAccountToken` to `"false"` (a string), which the API server refuses',
        'the object is not created as written',
      ],
      fix: null,
    },
    {
      name: "the string 'true' in a pod spec",
      files: pod("automountServiceAccountToken: 'true'"),
      message: '`"true"` (a string)',
    },
    {
      name: 'a number in a pod spec',
      files: pod('automountServiceAccountToken: 0'),
      message: '`0` (a number)',
    },
    {
      name: 'a map in a pod spec',
      files: pod('automountServiceAccountToken: {value: false}'),
      message: 'to a map',
    },
    {
      name: 'the string "false" on a ServiceAccount',
      files: account('automountServiceAccountToken: "false"'),
      line: 6,
      resource: { kind: 'ServiceAccount', name: 'api' },
      message: ['`"false"` (a string)', 'the ServiceAccount is not created as written'],
    },
    {
      name: 'in a JSON manifest too',
      files: {
        'pod.json': JSON.stringify({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'web', namespace: 'shop' },
          spec: { automountServiceAccountToken: 'false', containers: [{ name: 'c', image: 'nginx' }] },
        }),
      },
      message: '`"false"` (a string)',
    },
  ],
});

describe('other rules do not read a refused value as unset (API reference: the field is a boolean)', () => {
  it('automount-token says nothing of a pod spec whose own value is refused: no "not declared ... assumed to mount"', () => {
    const result = scan(pod('automountServiceAccountToken: "false"'));
    expect(findingsOf(result, 'automount-token')).toEqual([]);
    expect(findingsOf(result, 'invalid-automount-value')).toHaveLength(1);
  });

  it('a pod running as a ServiceAccount with a refused value: the token is taken to be mounted, and the value named', () => {
    const result = scan({
      'pod.yaml': pod('enableServiceLinks: false'),
      'sa.yaml': account('automountServiceAccountToken: "false"'),
    });
    const [finding, ...rest] = findingsOf(result, 'automount-token');
    expect(rest).toEqual([]);
    expect(finding!.message).toContain(
      'ServiceAccount `shop/api` sets `automountServiceAccountToken` to `"false"` (a string), a value the API server refuses',
    );
    expect(finding!.message).toContain('taken to be mounted');
    expect(finding!.message).not.toContain('is not declared');
    // The pod-level `false` holds whatever the account says: the usual fix stands.
    expect(finding!.fix).not.toBeNull();
  });

  it('default-service-account is not raised by the string "true"', () => {
    const result = scan(pod('automountServiceAccountToken: "true"', 'default'));
    expect(findingsOf(result, 'default-service-account').map((finding) => finding.severity)).toEqual([
      'medium',
    ]);
  });

  it('default-sa-automount names the refused value on the `default` ServiceAccount, and its fix writes false', () => {
    const result = scan(account('automountServiceAccountToken: "false"', 'default'));
    const [finding] = findingsOf(result, 'default-sa-automount');
    expect(finding!.message).toContain('sets `automountServiceAccountToken` to `"false"` (a string)');
    expect(finding!.fix).toMatchObject({ startLine: 6, replacement: 'automountServiceAccountToken: false' });
  });

  it('workload-identity-automount names the refused value', () => {
    const text = account('automountServiceAccountToken: "false"').replace(
      '  namespace: shop\n',
      '  namespace: shop\n  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/api"}\n',
    );
    const [finding] = findingsOf(scan(text), 'workload-identity-automount');
    expect(finding!.message).toContain('sets `automountServiceAccountToken` to `"false"` (a string)');
  });
});
