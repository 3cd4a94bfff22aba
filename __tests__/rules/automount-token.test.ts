import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { type InvalidCase, type ValidCase, applyRuleFixes, run, ruleTester } from './tester.js';

const RULE = 'automount-token';

type Setting = 'true' | 'false' | 'unset';
type AccountSetting = Setting | 'missing';

/** A Deployment in namespace `shop`; its pod spec (`spec:` of the template) is on line 12. */
function deployment(options: { pod: Setting | string; account?: string; field?: string }): string {
  const lines = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
  ];
  if (options.account !== undefined)
    lines.push(`      ${options.field ?? 'serviceAccountName'}: ${options.account}`);
  if (options.pod !== 'unset') lines.push(`      automountServiceAccountToken: ${options.pod}`);
  lines.push('      containers:', '        - name: web', '          image: nginx:1.27', '');
  return lines.join('\n');
}
const POD_SPEC_LINE = 12;

function serviceAccount(name: string, setting: Setting | string, namespace = 'shop'): string {
  const lines = [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
  ];
  if (setting !== 'unset') lines.push(`automountServiceAccountToken: ${setting}`);
  return `${lines.join('\n')}\n`;
}

function files(pod: Setting, account: AccountSetting, accountName: string): Record<string, string> {
  const result: Record<string, string> = {
    'deploy.yaml': deployment({ pod, account: accountName === 'default' ? undefined : accountName }),
  };
  if (account !== 'missing') result['sa.yaml'] = serviceAccount(accountName, account);
  return result;
}

// The precedence matrix: pod-level setting x ServiceAccount setting x dedicated or `default` account.
const PODS: Setting[] = ['true', 'false', 'unset'];
const ACCOUNTS: AccountSetting[] = ['true', 'false', 'unset', 'missing'];

interface Outcome {
  severity: 'medium' | 'high';
  message: string;
}

function expectedOutcome(pod: Setting, account: AccountSetting, name: string): Outcome | null {
  if (pod !== 'unset') return null; // the pod decides: false never mounts, true is an explicit opt-in
  if (account === 'false') return null;
  const severity = name === 'default' ? 'high' : 'medium';
  if (account === 'missing') return { severity, message: 'is not declared in the scanned files' };
  if (account === 'true') {
    // `true` on a dedicated account is consent; on `default` it is not.
    return name === 'default' ? { severity, message: 'sets `automountServiceAccountToken: true`' } : null;
  }
  return { severity, message: 'Kubernetes mounts it by default' };
}

const matrixValid: ValidCase[] = [];
const matrixInvalid: InvalidCase[] = [];
for (const name of ['api', 'default']) {
  for (const pod of PODS) {
    for (const account of ACCOUNTS) {
      const label = `pod ${pod} x ${name === 'default' ? '`default`' : 'dedicated'} SA ${account}`;
      const outcome = expectedOutcome(pod, account, name);
      const testFiles = files(pod, account, name);
      if (!outcome) {
        matrixValid.push({ name: label, files: testFiles });
      } else {
        matrixInvalid.push({
          name: label,
          files: testFiles,
          severity: outcome.severity,
          line: POD_SPEC_LINE,
          file: 'deploy.yaml',
          message: [outcome.message, `ServiceAccount \`${name}\``],
          resource: { kind: 'Deployment', namespace: 'shop', name: 'web' },
          fix: true,
        });
      }
    }
  }
}

describe('automount-token precedence matrix', () => {
  it('covers the whole matrix', () => {
    expect(matrixValid.length + matrixInvalid.length).toBe(24);
    expect(matrixInvalid.map((testCase) => testCase.name)).toEqual([
      'pod unset x dedicated SA unset',
      'pod unset x dedicated SA missing',
      'pod unset x `default` SA true',
      'pod unset x `default` SA unset',
      'pod unset x `default` SA missing',
    ]);
  });
});

ruleTester(RULE, { valid: matrixValid, invalid: matrixInvalid });

const NO_UNRESOLVED = 'rules:\n  automount-token:\n    assume-unresolved-mounts: false\n';

const podManifest = (spec: string, namespace?: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n${spec}`;

ruleTester(RULE, {
  valid: [
    {
      name: 'unresolved dedicated SA with assume-unresolved-mounts: false',
      files: files('unset', 'missing', 'api'),
      config: NO_UNRESOLVED,
    },
    {
      name: 'unresolved `default` SA with assume-unresolved-mounts: false',
      files: files('unset', 'missing', 'default'),
      config: NO_UNRESOLVED,
    },
    { name: 'YAML 1.1 `no` in the pod spec', files: { 'deploy.yaml': deployment({ pod: 'no' }) } },
    { name: 'YAML 1.1 `off` in the pod spec', files: { 'deploy.yaml': deployment({ pod: 'off' }) } },
    {
      name: 'YAML 1.1 `yes` in the pod spec is an opt-in',
      files: { 'deploy.yaml': deployment({ pod: 'yes' }) },
    },
    {
      name: 'YAML 1.1 `no` on the dedicated SA',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'no'),
      },
    },
    {
      name: 'YAML 1.1 `off` on the `default` SA',
      files: { 'deploy.yaml': deployment({ pod: 'unset' }), 'sa.yaml': serviceAccount('default', 'off') },
    },
    {
      name: 'deprecated `serviceAccount` field resolves the hardened SA',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api', field: 'serviceAccount' }),
        'sa.yaml': serviceAccount('api', 'false'),
      },
    },
    {
      name: 'explicit `serviceAccountName: default` with the hardened `default` SA',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'default' }),
        'sa.yaml': serviceAccount('default', 'false'),
      },
    },
    {
      name: 'SA declared in the same multi-document file',
      files: serviceAccount('api', 'false') + '---\n' + deployment({ pod: 'unset', account: 'api' }),
    },
    {
      name: 'no metadata.namespace resolves an SA without namespace (both `default`)',
      files: {
        'pod.yaml': podManifest(
          '  serviceAccountName: api\n  containers:\n    - name: c\n      image: nginx\n',
        ),
        'sa.yaml':
          'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\nautomountServiceAccountToken: false\n',
      },
    },
    {
      name: 'no metadata.namespace resolves an SA in namespace `default`',
      files: {
        'pod.yaml': podManifest(
          '  serviceAccountName: api\n  containers:\n    - name: c\n      image: nginx\n',
        ),
        'sa.yaml': serviceAccount('api', 'false', 'default'),
      },
    },
    {
      name: 'no metadata.namespace resolves an SA in the configured default-namespace',
      files: {
        'pod.yaml': podManifest(
          '  serviceAccountName: api\n  containers:\n    - name: c\n      image: nginx\n',
        ),
        'sa.yaml': serviceAccount('api', 'false', 'team'),
      },
      config: 'default-namespace: team\n',
    },
    {
      name: 'dedicated SA says true and is bound to cluster-admin: still an explicit opt-in',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'true'),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata:
            name: api-admin
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
          subjects:
            - {kind: ServiceAccount, name: api, namespace: shop}
        `,
      },
    },
    {
      name: 'an object with spec.template.spec but no containers is not a workload',
      files: yaml`
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
        spec:
          template:
            spec:
              size: 3
      `,
    },
  ],
  invalid: [
    {
      name: 'YAML 1.1 `yes` on the `default` SA is not consent',
      files: { 'deploy.yaml': deployment({ pod: 'unset' }), 'sa.yaml': serviceAccount('default', 'yes') },
      severity: 'high',
      line: POD_SPEC_LINE,
    },
    {
      name: 'explicit `serviceAccountName: default` is the `default` SA',
      files: { 'deploy.yaml': deployment({ pod: 'unset', account: 'default' }) },
      severity: 'high',
      message: ['ServiceAccount `default`', 'is not declared in the scanned files'],
    },
    {
      name: 'empty `serviceAccountName` is the `default` SA',
      files: { 'deploy.yaml': deployment({ pod: 'unset', account: '""' }) },
      severity: 'high',
      message: 'ServiceAccount `default`',
    },
    {
      name: 'deprecated `serviceAccount` field resolves an unhardened SA',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api', field: 'serviceAccount' }),
        'sa.yaml': serviceAccount('api', 'unset'),
      },
      severity: 'medium',
      message: ['ServiceAccount `shop/api`', 'Kubernetes mounts it by default'],
      notMessage: 'not declared',
    },
    {
      name: 'SA declared in another namespace does not resolve',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'false', 'other'),
      },
      severity: 'medium',
      message: 'ServiceAccount `shop/api` is not declared in the scanned files',
    },
    {
      name: 'SA in `default` does not resolve when default-namespace is configured otherwise',
      files: {
        'pod.yaml': podManifest(
          '  serviceAccountName: api\n  containers:\n    - name: c\n      image: nginx\n',
        ),
        'sa.yaml': serviceAccount('api', 'false', 'default'),
      },
      config: 'default-namespace: team\n',
      line: 5,
      resource: { kind: 'Pod', namespace: 'team', name: 'p' },
      message: 'ServiceAccount `team/api` is not declared',
    },
    {
      name: 'a workload without namespace is in `default`',
      files: podManifest('  containers:\n    - name: c\n      image: nginx\n'),
      resource: { kind: 'Pod', namespace: 'default', name: 'p' },
      message: 'namespace `default`',
      severity: 'high',
    },
    {
      name: 'dedicated SA bound to ClusterRole edit is an API client: info, names the binding, fix consents',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'unset'),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata:
            name: api-edit
            namespace: shop
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
          subjects:
            - {kind: ServiceAccount, name: api}
        `,
      },
      severity: 'info',
      message: ['RoleBinding shop/api-edit', 'ClusterRole edit', 'privileged RBAC', 'judged an API client'],
      fix: {
        startLine: 13,
        endLine: 13,
        replacement: '      serviceAccountName: api\n      automountServiceAccountToken: true',
      },
    },
    {
      name: 'unresolved dedicated SA bound to a secrets-reading Role is an API client naming binding and role',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata:
            name: secret-reader
            namespace: shop
          rules:
            - apiGroups: [""]
              resources: [secrets]
              verbs: [list]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata:
            name: api-secrets
            namespace: shop
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
          subjects:
            - {kind: User, name: "system:serviceaccount:shop:api"}
        `,
      },
      severity: 'info',
      message: ['RoleBinding shop/api-secrets', 'Role secret-reader', 'secrets list', 'not declared'],
    },
    {
      name: 'dedicated SA bound only to a view role is an API client too: the role does not matter',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'unset'),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata:
            name: api-view
            namespace: shop
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
          subjects:
            - {kind: ServiceAccount, name: api, namespace: shop}
        `,
      },
      severity: 'info',
      message: 'is a subject of RoleBinding shop/api-view (ClusterRole `view`)',
      notMessage: 'privileged RBAC',
    },
    {
      name: 'a binding of a same-named SA in another namespace does not raise the severity',
      files: {
        'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
        'sa.yaml': serviceAccount('api', 'unset'),
        'rbac.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata:
            name: other-api-admin
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
          subjects:
            - {kind: ServiceAccount, name: api, namespace: other}
        `,
      },
      severity: 'medium',
    },
  ],
});

// Every kind that carries a pod spec, with the `default` SA undeclared; `line` is the pod spec's `spec:` line.
const template = (apiVersion: string, kind: string) => yaml`
  apiVersion: ${apiVersion}
  kind: ${kind}
  metadata:
    name: w
    namespace: shop
  spec:
    template:
      spec:
        containers:
          - name: c
            image: nginx
`;

ruleTester(RULE, {
  valid: [],
  invalid: [
    {
      name: 'kind Pod',
      files: podManifest('  containers:\n    - name: c\n      image: nginx\n', 'shop'),
      line: 6,
      severity: 'high',
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'p' },
    },
    ...(
      [
        ['apps/v1', 'Deployment'],
        ['apps/v1', 'StatefulSet'],
        ['apps/v1', 'DaemonSet'],
        ['apps/v1', 'ReplicaSet'],
        ['v1', 'ReplicationController'],
        ['batch/v1', 'Job'],
        ['argoproj.io/v1alpha1', 'Rollout'],
      ] as const
    ).map(([apiVersion, kind]): InvalidCase => ({
      name: `kind ${kind}`,
      files: template(apiVersion, kind),
      line: 8,
      severity: 'high',
      resource: { apiVersion, kind, namespace: 'shop', name: 'w' },
      message: `${kind} shop/w mounts the API token`,
    })),
    {
      name: 'kind CronJob (jobTemplate)',
      files: yaml`
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
          namespace: shop
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: OnFailure
                  containers:
                    - name: c
                      image: busybox
      `,
      line: 11,
      resource: { kind: 'CronJob', name: 'nightly' },
      fix: {
        startLine: 12,
        endLine: 12,
        replacement: '          automountServiceAccountToken: false\n          restartPolicy: OnFailure',
      },
      fixedCleanly: true,
    },
    {
      name: 'kind PodTemplate',
      files: yaml`
        apiVersion: v1
        kind: PodTemplate
        metadata:
          name: tpl
          namespace: shop
        template:
          metadata:
            labels: {app: tpl}
          spec:
            containers:
              - name: c
                image: nginx
      `,
      line: 9,
      resource: { kind: 'PodTemplate', name: 'tpl' },
      fixedCleanly: true,
    },
    {
      name: 'kind List: each item is reported at its own pod spec',
      files: yaml`
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Pod
            metadata:
              name: a
            spec:
              containers:
                - name: c
                  image: nginx
          - apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: b
            spec:
              template:
                spec:
                  containers:
                    - name: c
                      image: nginx
      `,
      findings: [
        { line: 8, resource: { kind: 'Pod', name: 'a', namespace: 'default' } },
        { line: 18, resource: { kind: 'Deployment', name: 'b', namespace: 'default' } },
      ],
      fixedCleanly: true,
    },
    {
      name: 'multi-document file: lines count from the top of the file',
      files: yaml`
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: api
          namespace: shop
        automountServiceAccountToken: false
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: hardened
          namespace: shop
        spec:
          serviceAccountName: api
          containers:
            - name: c
              image: nginx
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: exposed
          namespace: shop
        spec:
          containers:
            - name: c
              image: nginx
      `,
      line: 24,
      severity: 'high',
      resource: { kind: 'Pod', name: 'exposed' },
    },
    {
      name: 'JSON manifest',
      files: {
        'pod.json': JSON.stringify(
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'json-pod', namespace: 'shop' },
            spec: { serviceAccountName: 'api', containers: [{ name: 'c', image: 'nginx' }] },
          },
          null,
          2,
        ),
      },
      file: 'pod.json',
      line: 8,
      severity: 'medium',
      resource: { kind: 'Pod', name: 'json-pod' },
      message: 'ServiceAccount `shop/api` is not declared',
    },
  ],
});

// Rendered Helm/kustomize output: the render namespace comes between metadata.namespace and the default.
const renderedPod = podManifest(
  '  serviceAccountName: api\n  containers:\n    - name: c\n      image: nginx\n',
);

ruleTester(RULE, {
  valid: [
    {
      name: 'the render namespace resolves the SA',
      files: [
        { path: 'chart/templates/pod.yaml', text: renderedPod, renderNamespace: 'team', rendered: true },
        { path: 'sa.yaml', text: serviceAccount('api', 'false', 'team') },
      ],
    },
  ],
  invalid: [
    {
      name: 'the render namespace is the workload namespace',
      files: [
        { path: 'chart/templates/pod.yaml', text: renderedPod, renderNamespace: 'team' },
        { path: 'sa.yaml', text: serviceAccount('api', 'false', 'default') },
      ],
      resource: { kind: 'Pod', namespace: 'team', name: 'p' },
      message: 'ServiceAccount `team/api` is not declared',
      fix: true,
    },
    {
      name: 'metadata.namespace wins over the render namespace',
      files: [
        {
          path: 'pod.yaml',
          text: podManifest('  containers: [{name: c, image: nginx}]\n', 'shop'),
          renderNamespace: 'team',
        },
      ],
      resource: { namespace: 'shop' },
    },
    {
      name: 'rendered output carries no fix',
      files: [{ path: 'chart/templates/pod.yaml', text: renderedPod, rendered: true }],
      line: 5,
      fix: null,
    },
  ],
});

describe('automount-token fix', () => {
  it('inserts the field as the first key of the pod spec when no serviceAccountName is present', () => {
    const text = podManifest('  containers:\n    - name: c\n      image: nginx\n');
    const [finding] = findingsOf(scan(text), RULE);
    expect(finding!.fix).toMatchObject({
      startLine: 6,
      endLine: 6,
      replacement: '  automountServiceAccountToken: false\n  containers:',
      edits: [
        {
          start: text.indexOf('  containers:'),
          end: text.indexOf('  containers:'),
          text: '  automountServiceAccountToken: false\n',
        },
      ],
    });
  });

  it('inserts the field right after serviceAccountName', () => {
    const text = podManifest(
      '  containers:\n    - name: c\n      image: nginx\n  serviceAccountName: api\n  restartPolicy: Always\n',
    );
    const [finding] = findingsOf(scan(text), RULE);
    expect(finding!.fix).toMatchObject({
      startLine: 9,
      endLine: 9,
      replacement: '  serviceAccountName: api\n  automountServiceAccountToken: false',
    });
  });

  it('inserts the field right after the deprecated serviceAccount', () => {
    const testFiles = {
      'deploy.yaml': deployment({ pod: 'unset', account: 'api', field: 'serviceAccount' }),
    };
    const [finding] = findingsOf(scan(testFiles), RULE);
    expect(finding!.fix).toMatchObject({
      startLine: 13,
      endLine: 13,
      replacement: '      serviceAccount: api\n      automountServiceAccountToken: false',
    });
  });

  it('produces a manifest the rule accepts, keeping the rest of the file byte for byte', () => {
    const testFiles = files('unset', 'unset', 'api');
    const result = run({ name: 'fix', files: testFiles });
    const fixed = applyRuleFixes(testFiles, result, RULE);
    expect(fixed['deploy.yaml']).toBe(
      testFiles['deploy.yaml']!.replace(
        '      serviceAccountName: api\n',
        '      serviceAccountName: api\n      automountServiceAccountToken: false\n',
      ),
    );
    expect(findingsOf(scan(fixed), RULE)).toEqual([]);
  });
});

describe('automount-token: bindings declared more than once', () => {
  it('names a binding declared in two files (alternative installs) once', () => {
    const binding = yaml`
      apiVersion: rbac.authorization.k8s.io/v1
      kind: ClusterRoleBinding
      metadata: {name: api-admin}
      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
      subjects: [{kind: ServiceAccount, name: api, namespace: shop}]
    `;
    const testFiles = {
      'deploy.yaml': deployment({ pod: 'unset', account: 'api' }),
      'install.yaml': binding,
      'ha/install.yaml': binding,
    };
    const [finding] = findingsOf(scan(testFiles), RULE);
    expect(finding!.message.match(/ClusterRoleBinding api-admin →/g)).toHaveLength(1);
  });
});

describe('automount-token: a workload that names no namespace, its account declared in another', () => {
  const workload = deployment({ pod: 'unset', account: 'loki' }).replace('  namespace: shop\n', '');

  it('is judged in the default namespace, and says where an account of its name is declared', () => {
    const testFiles = {
      'deploy.yaml': workload,
      'sa.yaml': serviceAccount('loki', 'false', 'logs') + '---\n' + serviceAccount('loki', 'unset', 'audit'),
    };
    const [finding] = findingsOf(scan(testFiles), RULE);
    expect(finding!.message).toContain('ServiceAccount `default/loki` is not declared in the scanned files');
    expect(finding!.message).toContain(
      'The Deployment names no namespace, and a ServiceAccount `loki` is declared in namespace `audit`, `logs`: ' +
        'if it is applied there, set its `metadata.namespace` so that it is judged with that account.',
    );
    const strict = findingsOf(scan(testFiles, 'extends: strict\n'), 'missing-service-account');
    expect(strict[0]!.message).toMatch(/Declare it next to the workload\. The Deployment names no namespace/);
  });

  it('gives no such hint to a workload that names its namespace, or when no account of its name is declared', () => {
    const named = findingsOf(
      scan({
        'deploy.yaml': deployment({ pod: 'unset', account: 'loki' }),
        'sa.yaml': serviceAccount('loki', 'false', 'logs'),
      }),
      RULE,
    );
    expect(named[0]!.message).toContain('`shop/loki` is not declared');
    expect(named[0]!.message).not.toContain('names no namespace');
    const alone = findingsOf(scan({ 'deploy.yaml': workload }), RULE);
    expect(alone[0]!.message).not.toContain('names no namespace');
  });

  it('says so when a chart rendered into the default namespace declares the account in another (istiod)', () => {
    // The Deployment goes in `.Release.Namespace`, its account in `global.istioNamespace`: rendered into `shop`
    // without a namespace in the config, they part.
    const render = (path: string, text: string, renderedBy = 'chart charts/istiod') => ({
      path,
      text,
      rendered: true,
      renderNamespace: 'shop',
      renderedBy,
    });
    const files = [
      render('charts/istiod/templates/deployment.yaml', deployment({ pod: 'unset', account: 'istiod' })),
      render('charts/istiod/templates/sa.yaml', serviceAccount('istiod', 'unset', 'istio-system')),
    ];
    const [finding] = findingsOf(scan(files), RULE);
    expect(finding!.message).toContain(
      'The chart was rendered into namespace `shop` and declares ServiceAccount `istiod` in namespace ' +
        '`istio-system`: if it is installed there, give the chart that namespace in the config',
    );
    // Not from an account another render or a plain file declares.
    const [other] = findingsOf(scan([files[0]!, { ...files[1]!, renderedBy: 'chart charts/other' }]), RULE);
    expect(other!.message).not.toContain('The chart was rendered into namespace');
  });
});
