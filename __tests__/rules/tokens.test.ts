// Token rules: legacy-token-secret, legacy-token-mount, projected-token-expiration, projected-token-audience.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { type InvalidCase, ruleTester } from './tester.js';

const TOKEN_VALUE = 'ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklpSjkuc2VjcmV0LXRva2VuLXZhbHVl';

/** A legacy token Secret; `type` on line 8. */
const tokenSecret = (name = 'api-token', namespace = 'shop') => yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: ${name}
    namespace: ${namespace}
    annotations:
      kubernetes.io/service-account.name: api
  type: kubernetes.io/service-account-token
  data:
    token: ${TOKEN_VALUE}
`;

const opaqueSecret = (name = 'api-token') => yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: ${name}
    namespace: shop
  type: Opaque
  data:
    password: c2VjcmV0
`;

ruleTester('legacy-token-secret', {
  valid: [
    { name: 'an Opaque Secret', files: opaqueSecret() },
    {
      name: 'a Secret without type',
      files: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: b\n',
    },
    {
      name: 'a dockerconfigjson Secret',
      files: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: kubernetes.io/dockerconfigjson\n',
    },
    {
      name: 'an SA with only imagePullSecrets',
      files:
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\nimagePullSecrets:\n  - name: registry\n',
    },
    {
      name: 'an SA with an empty secrets list',
      files: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\nsecrets: []\n',
    },
  ],
  invalid: [
    {
      name: 'Secret of type service-account-token',
      files: tokenSecret(),
      line: 8,
      severity: 'high',
      resource: { kind: 'Secret', namespace: 'shop', name: 'api-token' },
      message: ['Secret shop/api-token is a long-lived ServiceAccount token for `api`', 'never'],
      notMessage: TOKEN_VALUE,
      fix: null,
    },
    {
      name: 'Secret of that type without owner annotation',
      files:
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: t\ntype: kubernetes.io/service-account-token\n',
      line: 5,
      message: 'Secret default/t is a long-lived ServiceAccount token:',
    },
    {
      // This case used to say "lists token `secrets`" of a Secret the scan does not declare. The API reference
      // (ServiceAccount v1, `secrets`) makes the list one of Secrets pods may use, of any type: an entry whose Secret
      // is not in the scan is of unknown type, reported as such, still at the rule's severity (it may be a token).
      name: 'ServiceAccount listing a Secret the scan does not declare: of unknown type, not called a token',
      files:
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\nsecrets:\n  - name: api-token-x7k2q\n',
      line: 6,
      severity: 'high',
      resource: { kind: 'ServiceAccount', name: 'api' },
      message: ['lists `api-token-x7k2q` in `secrets`, of unknown type'],
      notMessage: 'lists the long-lived token Secret',
    },
  ],
});

describe('legacy-token-secret: naming', () => {
  // policies/legacy-token-secret.yml: "The finding names the Secret or the listed entries, never any Secret data."
  it('the ServiceAccount finding names the listed Secret entries', () => {
    const text =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\nsecrets:\n  - name: api-token-x7k2q\n';
    const [finding] = findingsOf(scan(text), 'legacy-token-secret');
    expect(finding!.message).toContain('api-token-x7k2q');
  });

  it('no finding of any rule carries the token data', () => {
    const result = scan({
      'secret.yaml': tokenSecret(),
      'pod.yaml': podUsing(`volumes:\n  - name: t\n    secret:\n      secretName: api-token`),
    });
    expect(result.findings.length).toBeGreaterThan(1);
    expect(JSON.stringify(result)).not.toContain(TOKEN_VALUE);
  });
});

/** A Pod in `shop` whose token is not automounted; `extra` is indented into the pod spec from line 10 on. */
function podUsing(extra: string, containerExtra = '', namespace = 'shop'): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    `  namespace: ${namespace}`,
    'spec:',
    '  automountServiceAccountToken: false',
    '  containers:',
    '    - name: app',
    ...extra.split('\n').map((line) => `  ${line}`),
    ...(containerExtra
      ? [
          '  initContainers:',
          '    - name: init',
          ...containerExtra.split('\n').map((line) => `      ${line}`),
        ]
      : []),
    '',
  ].join('\n');
}

// Container-level fields are written after `- name: app` with four extra spaces of indentation.
const inContainer = (text: string) =>
  text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');

ruleTester('legacy-token-mount', {
  valid: [
    {
      name: 'a normal Secret mounted as a volume',
      files: {
        's.yaml': opaqueSecret(),
        'p.yaml': podUsing('volumes:\n  - name: t\n    secret:\n      secretName: api-token'),
      },
    },
    {
      name: 'a token Secret in another namespace',
      files: {
        's.yaml': tokenSecret('api-token', 'other'),
        'p.yaml': podUsing('volumes:\n  - name: t\n    secret:\n      secretName: api-token'),
      },
    },
    {
      name: 'a Secret that is not in the scanned set',
      files: podUsing('volumes:\n  - name: t\n    secret:\n      secretName: api-token'),
    },
    {
      name: 'a ConfigMap of the same name',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing('volumes:\n  - name: t\n    configMap:\n      name: api-token'),
      },
    },
  ],
  invalid: [
    {
      name: 'secret volume',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing('volumes:\n  - name: t\n    secret:\n      secretName: api-token'),
      },
      file: 'p.yaml',
      line: 13,
      severity: 'high',
      resource: { kind: 'Pod', namespace: 'shop', name: 'web' },
      message: [
        'Pod shop/web reads the long-lived ServiceAccount token Secret `api-token` through volume `t`',
        'projected `serviceAccountToken`',
      ],
      notMessage: TOKEN_VALUE,
      fix: null,
    },
    {
      name: 'secret source of a projected volume',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing(
          'volumes:\n  - name: bundle\n    projected:\n      sources:\n        - configMap: {name: ca}\n        - secret:\n            name: api-token',
        ),
      },
      file: 'p.yaml',
      line: 16,
      message: 'projected volume `bundle`',
    },
    {
      name: 'env secretKeyRef',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing(
          inContainer(
            '  env:\n    - name: KUBE_TOKEN\n      valueFrom:\n        secretKeyRef: {name: api-token, key: token}',
          ),
        ),
      },
      file: 'p.yaml',
      line: 13,
      message: 'environment variable `KUBE_TOKEN` of container `app`',
    },
    {
      name: 'envFrom secretRef',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing(inContainer('  envFrom:\n    - secretRef:\n        name: api-token')),
      },
      file: 'p.yaml',
      line: 12,
      message: '`envFrom` of container `app`',
    },
    {
      name: 'init container env',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing(
          '',
          'env:\n  - name: T\n    valueFrom:\n      secretKeyRef: {name: api-token, key: token}',
        ),
      },
      file: 'p.yaml',
      message: 'of container `init`',
    },
    {
      name: 'token Secret and workload without namespace are both in `default`',
      files: {
        's.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tok\ntype: kubernetes.io/service-account-token\n',
        'p.yaml': yaml`
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: web
          spec:
            template:
              spec:
                containers: [{name: c, image: nginx}]
                volumes: [{name: t, secret: {secretName: tok}}]
        `,
      },
      file: 'p.yaml',
      line: 9,
      resource: { kind: 'Deployment', namespace: 'default' },
    },
    {
      name: 'one finding per reference',
      files: {
        's.yaml': tokenSecret(),
        'p.yaml': podUsing(
          inContainer('  envFrom:\n    - secretRef: {name: api-token}') +
            '\nvolumes:\n  - name: t\n    secret: {secretName: api-token}',
        ),
      },
      findings: [
        { line: 11, message: '`envFrom`' },
        { line: 14, message: 'volume `t`' },
      ],
    },
  ],
});

/** A Pod whose first projected `serviceAccountToken` key is on line 16, with its fields from line 17 on. */
function projected(...fields: string[]): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  automountServiceAccountToken: false',
    '  serviceAccountName: api',
    '  containers:',
    '    - name: c',
    '      image: nginx',
    '  volumes:',
    '    - name: vault-token',
    '      projected:',
    '        sources:',
    '          - serviceAccountToken:',
    ...fields.map((field) => `              ${field}`),
    '',
  ].join('\n');
}

/**
 * `projected(...)` mounted where Kubernetes clients read their token, as a controller writes it when it turns
 * automounting off for a token of its own (the OpenTelemetry target allocator); `bound` adds a binding to its account.
 */
function apiTokenVolume(bound: boolean, ...fields: string[]): string {
  const pod = projected(...fields).replace(
    '      image: nginx\n',
    '      image: nginx\n      volumeMounts: [{name: vault-token, mountPath: /var/run/secrets/kubernetes.io/serviceaccount/}]\n',
  );
  const binding =
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: api, namespace: shop}\n' +
    'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n' +
    'subjects: [{kind: ServiceAccount, name: api, namespace: shop}]\n';
  return bound ? `${pod}---\n${binding}` : pod;
}

const expiry = (seconds: number | null) =>
  projected('path: token', 'audience: vault', ...(seconds === null ? [] : [`expirationSeconds: ${seconds}`]));
const MAX_1800 = 'rules:\n  projected-token-expiration:\n    max-expiration-seconds: 1800\n';

const tooLong = (seconds: number): InvalidCase => ({
  name: `expirationSeconds ${seconds} above the default maximum`,
  files: expiry(seconds),
  line: 19,
  severity: 'medium',
  resource: { kind: 'Pod', name: 'web' },
  message: [
    `\`expirationSeconds: ${seconds}\``,
    'exceeds the allowed maximum of 3600',
    'volume `vault-token`',
  ],
  fix: { startLine: 19, endLine: 19, replacement: '              expirationSeconds: 3600' },
  fixedCleanly: true,
});

ruleTester('projected-token-expiration', {
  valid: [
    { name: 'absent, default maximum', files: expiry(null) },
    { name: 'exactly 600', files: expiry(600) },
    { name: 'exactly 3600', files: expiry(3600) },
    { name: 'in between', files: expiry(1200) },
    { name: 'exactly a configured maximum', files: expiry(1800), config: MAX_1800 },
    {
      name: 'a configured maximum above the default',
      files: expiry(7200),
      config: 'rules:\n  projected-token-expiration:\n    max-expiration-seconds: 7200\n',
    },
  ],
  invalid: [
    tooLong(3601),
    tooLong(86400),
    {
      name: 'below 600 is rejected by the API server',
      files: expiry(599),
      line: 19,
      severity: 'medium',
      message: ['`expirationSeconds: 599`', 'below 600', 'will not be created'],
      fix: { startLine: 19, endLine: 19, replacement: '              expirationSeconds: 3600' },
      fixedCleanly: true,
    },
    {
      name: 'above a configured maximum: fix sets the configured maximum',
      files: expiry(3600),
      config: MAX_1800,
      line: 19,
      message: 'exceeds the allowed maximum of 1800',
      fix: { startLine: 19, endLine: 19, replacement: '              expirationSeconds: 1800' },
      fixedCleanly: true,
    },
    {
      name: 'absent with a maximum below 3600: fix adds the field',
      files: expiry(null),
      config: MAX_1800,
      line: 16,
      severity: 'medium',
      message: ['sets no `expirationSeconds`', '3600 seconds, longer than the allowed 1800'],
      fix: {
        startLine: 18,
        endLine: 18,
        replacement: '              audience: vault\n              expirationSeconds: 1800',
      },
      fixedCleanly: true,
    },
    {
      name: 'every projected token is checked, in a Deployment too',
      files: yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers: [{name: c, image: nginx}]
              volumes:
                - name: a
                  projected:
                    sources:
                      - serviceAccountToken: {audience: x, expirationSeconds: 600, path: a}
                - name: b
                  projected:
                    sources:
                      - configMap: {name: ca}
                      - serviceAccountToken: {audience: y, expirationSeconds: 100000, path: b}
      `,
      line: 18,
      message: 'volume `b`',
    },
  ],
});

const ALLOWED = 'rules:\n  projected-token-audience:\n    allowed-audiences: [vault, sts.amazonaws.com]\n';

ruleTester('projected-token-audience', {
  valid: [
    { name: 'any audience with no allowed list', files: projected('path: token', 'audience: anything') },
    { name: 'an allowed audience', files: projected('path: token', 'audience: vault'), config: ALLOWED },
    {
      name: 'another allowed audience',
      files: projected('path: token', 'audience: sts.amazonaws.com'),
      config: ALLOWED,
    },
    {
      name: "an API client's own token where its client library reads it: the API server is its audience",
      files: apiTokenVolume(true, 'path: token'),
    },
    {
      name: "an API client's own token with the API server's audience, outside an allowed list of other services",
      files: apiTokenVolume(true, 'path: token', 'audience: https://kubernetes.default.svc'),
      config: ALLOWED,
    },
    {
      name: 'a projected volume without a token source',
      files: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers: [{name: c, image: nginx}]
          volumes: [{name: v, projected: {sources: [{configMap: {name: ca}}]}}]
      `,
    },
  ],
  invalid: [
    {
      name: 'missing audience: low',
      files: projected('path: token'),
      line: 16,
      severity: 'low',
      resource: { kind: 'Pod', namespace: 'shop', name: 'web' },
      message: ['volume `vault-token` has no `audience`', 'API server'],
      fix: null,
    },
    {
      name: 'missing audience where clients read their token, no evidence of an API client: says how to mark one',
      files: apiTokenVolume(false, 'path: token'),
      line: 17,
      severity: 'low',
      message: [
        'mounted at `/var/run/secrets/kubernetes.io/serviceaccount`, where Kubernetes clients read their token',
        'say so with the annotation `kube-token-guard.io/api-client`',
      ],
    },
    {
      name: 'empty audience: low',
      files: projected('path: token', 'audience: ""'),
      line: 16,
      severity: 'low',
    },
    {
      name: 'missing audience with an allowed list: medium',
      files: projected('path: token'),
      config: ALLOWED,
      line: 16,
      severity: 'medium',
    },
    {
      name: 'audience outside the allowed list: medium, at the audience',
      files: projected('path: token', 'audience: https://kubernetes.default.svc'),
      config: ALLOWED,
      line: 18,
      severity: 'medium',
      message: [
        'audience `https://kubernetes.default.svc`',
        'not in the allowed audiences (`vault`, `sts.amazonaws.com`)',
      ],
    },
  ],
});
