// The `kube-api-access-*` volume of a pod exported from a cluster: the automounted token, automount-token's business.
//
// Kubernetes docs, "Managing Service Accounts" (Bound service account token volume mechanism): the ServiceAccount
// admission controller adds a projected volume named `kube-api-access-<random-suffix>` (a serviceAccountToken source
// with `expirationSeconds: 3607`, the `kube-root-ca.crt` ConfigMap and the namespace through the downward API) to a pod
// that automounts, and mounts it at /var/run/secrets/kubernetes.io/serviceaccount. The admission plugin
// (plugin/pkg/admission/serviceaccount) takes an existing volume whose name starts with `kube-api-access-` as that
// volume and adds none. When the pod does not automount, the plugin leaves the pod alone, and a container that mounts
// the volume still gets the token.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { ruleTester } from './tester.js';

/** A pod as `kubectl get pod -o yaml` prints it (trimmed), with `extra` pod spec lines; its volume is on line 18. */
const exported = (extra = '', mounted = true) => yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: web-7d9c5b8f6-x2x9z
    namespace: shop
  spec:
    ${extra || 'enableServiceLinks: true'}
    containers:
      - name: web
        image: nginx:1.27
        volumeMounts:
          - mountPath: ${mounted ? '/var/run/secrets/kubernetes.io/serviceaccount' : '/cache'}
            name: ${mounted ? 'kube-api-access-x7k2q' : 'cache'}
            readOnly: true
    serviceAccount: web
    serviceAccountName: web
    volumes:
      - name: kube-api-access-x7k2q
        projected:
          defaultMode: 420
          sources:
            - serviceAccountToken:
                expirationSeconds: 3607
                path: token
            - configMap:
                name: kube-root-ca.crt
                items:
                  - {key: ca.crt, path: ca.crt}
            - downwardAPI:
                items:
                  - fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}
                    path: namespace
`;

const account = (setting: 'true' | 'false' | 'unset') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n${
    setting === 'unset' ? '' : `automountServiceAccountToken: ${setting}\n`
  }`;

describe('projected-token rules leave the `kube-api-access-*` volume to automount-token (docs: bound token volume)', () => {
  it('no projected-token-expiration finding for its 3607 seconds, no projected-token-audience finding, nothing points into the volume', () => {
    const result = scan({ 'pod.yaml': exported(), 'sa.yaml': account('true') });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result, 'projected-token-expiration')).toEqual([]);
    expect(findingsOf(result, 'projected-token-audience')).toEqual([]);
    // Nothing points into the volume, so nothing offers to edit it.
    expect(result.findings.filter((finding) => finding.path.includes('volumes'))).toEqual([]);
  });

  it('a projected token volume of another name is still judged', () => {
    const text = exported().replace(/kube-api-access-x7k2q/g, 'vault-token');
    const result = scan({ 'pod.yaml': text, 'sa.yaml': account('true') });
    expect(findingsOf(result, 'projected-token-expiration')).toHaveLength(1);
    expect(findingsOf(result, 'projected-token-audience')).toHaveLength(1);
  });
});

ruleTester('automount-token', {
  valid: [
    {
      name: 'a dedicated ServiceAccount saying true: the exported volume is the token it asked for',
      files: { 'pod.yaml': exported(), 'sa.yaml': account('true') },
    },
    {
      name: 'the pod says false and no container mounts the volume: no token in any container',
      files: {
        'pod.yaml': exported('automountServiceAccountToken: false', false),
        'sa.yaml': account('unset'),
      },
    },
  ],
  invalid: [
    {
      name: 'automounting by default with the exported volume: the volume is named, and no `false`-only fix is offered',
      files: { 'pod.yaml': exported(), 'sa.yaml': account('unset') },
      file: 'pod.yaml',
      line: 6,
      severity: 'medium',
      message: [
        'Kubernetes mounts it by default',
        '`kube-api-access-x7k2q`, the token volume Kubernetes adds itself',
        '`automountServiceAccountToken: false` alone would leave the token mounted',
        'Remove volume `kube-api-access-x7k2q` and the `volumeMounts` that name it',
      ],
      fix: null,
    },
    {
      name: 'the pod says false yet a container mounts the exported volume: the token is mounted, pointed at the volume',
      files: { 'pod.yaml': exported('automountServiceAccountToken: false'), 'sa.yaml': account('unset') },
      file: 'pod.yaml',
      line: 18,
      severity: 'medium',
      message: ['through volume `kube-api-access-x7k2q` although automounting is off', 'Remove volume'],
      fix: null,
    },
    {
      name: 'the ServiceAccount says false yet a container mounts the exported volume',
      files: { 'pod.yaml': exported(), 'sa.yaml': account('false') },
      line: 18,
      message: 'although automounting is off',
      fix: null,
    },
    {
      name: 'an API client keeps its token: info, and the fix makes the consent explicit',
      files: {
        'pod.yaml': exported('automountServiceAccountToken: false'),
        'sa.yaml': account('unset'),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: web, namespace: shop}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
          subjects: [{kind: ServiceAccount, name: web}]
        `,
      },
      severity: 'info',
      message: 'It is judged an API client',
      fix: { startLine: 7, endLine: 7, replacement: '  automountServiceAccountToken: true' },
    },
  ],
});

describe('the exported volume counts as a mounted token for the fixes that must not remove one', () => {
  it('an API client whose pod says false but mounts `kube-api-access-*` is among the mounted clients', () => {
    const plain = scan({
      'pod.yaml': exported('automountServiceAccountToken: false'),
      'sa.yaml': account('unset'),
    });
    expect(plain.mountedClients()).toEqual(new Set());
    const client = scan(
      { 'pod.yaml': exported('automountServiceAccountToken: false'), 'sa.yaml': account('unset') },
      'api-clients: ["shop/web-*"]\n',
    );
    expect(client.mountedClients()).toEqual(new Set(['Pod/shop/web-7d9c5b8f6-x2x9z']));
  });
});
