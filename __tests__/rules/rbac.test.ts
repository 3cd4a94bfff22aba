// RBAC rules: default-sa-rbac and sa-privileged-rbac.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan } from '../helpers.js';
import { type InvalidCase, type ValidCase, ruleTester } from './tester.js';

/**
 * A binding alone in its file. With a namespace (RoleBinding) the first subject is on line 8, without one
 * (ClusterRoleBinding) on line 7.
 */
function binding(options: {
  kind?: 'RoleBinding' | 'ClusterRoleBinding';
  roleKind?: 'Role' | 'ClusterRole';
  role?: string;
  subjects: string[];
  namespace?: string;
}): string {
  const kind = options.kind ?? 'RoleBinding';
  const lines = ['apiVersion: rbac.authorization.k8s.io/v1', `kind: ${kind}`, 'metadata:', '  name: grant'];
  if (kind === 'RoleBinding') lines.push(`  namespace: ${options.namespace ?? 'shop'}`);
  lines.push(
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${options.roleKind ?? 'ClusterRole'}, name: ${options.role ?? 'view'}}`,
    'subjects:',
    ...options.subjects.map((subject) => `  - ${subject}`),
    '',
  );
  return lines.join('\n');
}

const SA_API = '{kind: ServiceAccount, name: api, namespace: shop}';

// ---------------------------------------------------------------------------------------------------------------
// default-sa-rbac

const broad = (
  subject: string,
  message: string,
  kind: 'RoleBinding' | 'ClusterRoleBinding' = 'RoleBinding',
): InvalidCase => ({
  name: `${kind} to ${subject}`,
  files: binding({ kind, subjects: [subject] }),
  line: kind === 'RoleBinding' ? 8 : 7,
  severity: 'high',
  message: [message, 'ClusterRole `view`'],
  fix: null,
});

ruleTester('default-sa-rbac', {
  valid: [
    { name: 'dedicated ServiceAccount', files: binding({ subjects: [SA_API] }) },
    {
      name: 'dedicated ServiceAccount spelled as a User',
      files: binding({ subjects: ['{kind: User, name: "system:serviceaccount:shop:api"}'] }),
    },
    { name: 'an ordinary user', files: binding({ subjects: ['{kind: User, name: alice@example.com}'] }) },
    { name: 'an ordinary group', files: binding({ subjects: ['{kind: Group, name: developers}'] }) },
    {
      name: 'the group of a namespace with no name, which no ServiceAccount is in',
      files: binding({ subjects: ['{kind: Group, name: "system:serviceaccounts:"}'] }),
    },
    {
      name: 'a User literally named default is not the SA',
      files: binding({ subjects: ['{kind: User, name: default}'] }),
    },
  ],
  invalid: [
    broad('{kind: ServiceAccount, name: default}', '`default` ServiceAccount of namespace `shop`'),
    broad(
      '{kind: ServiceAccount, name: default, namespace: kube-system}',
      '`default` ServiceAccount of namespace `kube-system`',
      'ClusterRoleBinding',
    ),
    broad(
      '{kind: User, name: "system:serviceaccount:team:default"}',
      '`default` ServiceAccount of namespace `team`',
    ),
    broad(
      '{kind: Group, name: "system:serviceaccounts"}',
      'group `system:serviceaccounts`, every ServiceAccount in the cluster',
      'ClusterRoleBinding',
    ),
    broad('{kind: Group, name: "system:serviceaccounts:shop"}', 'every ServiceAccount of namespace `shop`'),
    broad(
      '{kind: Group, name: "system:authenticated"}',
      'group `system:authenticated`',
      'ClusterRoleBinding',
    ),
    broad(
      '{kind: Group, name: "system:unauthenticated"}',
      'group `system:unauthenticated`, anonymous requests',
    ),
    {
      name: 'one finding per offending subject, at its line',
      files: binding({
        subjects: [
          '{kind: ServiceAccount, name: default}',
          SA_API,
          '{kind: Group, name: "system:authenticated"}',
        ],
      }),
      findings: [{ line: 8 }, { line: 10 }],
      resource: { kind: 'RoleBinding', namespace: 'shop', name: 'grant' },
    },
  ],
});

describe('a ClusterRoleBinding whose ServiceAccount subject names no namespace', () => {
  // The API server refuses it ("subjects[0].namespace: Required value"): it binds no account, in the default
  // namespace or any other, and is no evidence that a workload there calls the API.
  const refused = binding({
    kind: 'ClusterRoleBinding',
    role: 'cluster-admin',
    subjects: ['{kind: ServiceAccount, name: default}'],
  });
  const web = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: default}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers: [{name: web, image: nginx:1.27}]',
    '',
  ].join('\n');

  it('grants nothing', () => {
    const result = scan({ 'crb.yaml': refused });
    expect(findingsOf(result, 'default-sa-rbac')).toEqual([]);
    expect(findingsOf(result, 'sa-privileged-rbac')).toEqual([]);
  });

  it('leaves the token finding of a workload running as that account as it is without the binding', () => {
    const alone = findingsOf(scan({ 'web.yaml': web }), 'automount-token');
    const beside = findingsOf(scan({ 'web.yaml': web, 'crb.yaml': refused }), 'automount-token');
    expect(alone.map((finding) => finding.severity)).toEqual(['high']);
    expect(beside.map(({ severity, message, fix }) => ({ severity, message, fix }))).toEqual(
      alone.map(({ severity, message, fix }) => ({ severity, message, fix })),
    );
  });

  it('is read in its namespace when a RoleBinding names none for it', () => {
    const result = scan({
      'rb.yaml': binding({ role: 'cluster-admin', subjects: ['{kind: ServiceAccount, name: default}'] }),
    });
    expect(findingsOf(result, 'default-sa-rbac').map((finding) => finding.message)).toEqual([
      expect.stringContaining('namespace `shop`'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// sa-privileged-rbac

/** A Role (or ClusterRole) named `r` whose first rule is harmless and whose second rule is `rule`. */
function role(rule: string, kind: 'Role' | 'ClusterRole' = 'Role'): string {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    'metadata:',
    '  name: r',
    ...(kind === 'Role' ? ['  namespace: shop'] : []),
    'rules:',
    '  - {apiGroups: [""], resources: [configmaps], verbs: [get]}',
    `  - ${rule}`,
    '',
  ].join('\n');
}

function boundRole(
  rule: string,
  kind: 'Role' | 'ClusterRole' = 'Role',
  bindingKind: 'RoleBinding' | 'ClusterRoleBinding' = 'RoleBinding',
) {
  return {
    'role.yaml': role(rule, kind),
    'binding.yaml': binding({ kind: bindingKind, roleKind: kind, role: 'r', subjects: [SA_API] }),
  };
}

const privileged = (name: string, rule: string, reason: string): InvalidCase => ({
  name,
  files: boundRole(rule),
  file: 'binding.yaml',
  line: 8,
  severity: 'high',
  resource: { kind: 'RoleBinding', namespace: 'shop', name: 'grant' },
  message: [
    'RoleBinding shop/grant grants Role `r`',
    reason,
    'in namespace `shop`',
    'ServiceAccount `shop/api`',
  ],
  notMessage: 'cluster-admin',
  fix: null,
});

const harmless = (name: string, rule: string): ValidCase => ({ name, files: boundRole(rule) });

ruleTester('sa-privileged-rbac', {
  valid: [
    harmless(
      'a view-only Role',
      '{apiGroups: ["", apps], resources: [pods, services, deployments], verbs: [get, list, watch]}',
    ),
    harmless(
      'secrets get limited by resourceNames',
      '{apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get]}',
    ),
    // This case used to be reported as "secrets list". Kubernetes docs, "Using RBAC Authorization" (Referring to
    // resources): a list or watch restricted by resourceNames is authorized only with a `metadata.name` field selector
    // naming one of them, so it reads the named Secret and nothing else. See rbac-scope.test.ts.
    harmless(
      'secrets get/list limited by resourceNames reads only the named Secret',
      '{apiGroups: [""], resources: [secrets], resourceNames: [one], verbs: [get, list]}',
    ),
    harmless('pods get/list only', '{apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}'),
    harmless(
      'secrets under a non-core apiGroup',
      '{apiGroups: [example.com], resources: [secrets], verbs: [list]}',
    ),
    harmless(
      'serviceaccounts/token get (not create)',
      '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [get]}',
    ),
    { name: 'built-in view ClusterRole, not in the scanned set', files: binding({ subjects: [SA_API] }) },
    {
      name: 'unknown ClusterRole, not in the scanned set',
      files: binding({ role: 'custom', subjects: [SA_API] }),
    },
    {
      name: 'cluster-admin to a group is default-sa-rbac territory',
      files: binding({
        kind: 'ClusterRoleBinding',
        role: 'cluster-admin',
        subjects: ['{kind: Group, name: "system:serviceaccounts"}'],
      }),
    },
    {
      name: 'cluster-admin to a human user',
      files: binding({
        kind: 'ClusterRoleBinding',
        role: 'cluster-admin',
        subjects: ['{kind: User, name: alice}'],
      }),
    },
    {
      name: 'a Role of the same name in another namespace is not the bound one',
      files: {
        'role.yaml': role('{apiGroups: [""], resources: [secrets], verbs: [list]}').replace(
          'namespace: shop',
          'namespace: other',
        ),
        'binding.yaml': binding({ roleKind: 'Role', role: 'r', subjects: [SA_API] }),
      },
    },
    {
      name: 'privileged-roles replaced: edit is no longer privileged by name',
      files: binding({ role: 'edit', subjects: [SA_API] }),
      config: 'rules:\n  sa-privileged-rbac:\n    privileged-roles: [ops-admin]\n',
    },
  ],
  invalid: [
    {
      name: 'cluster-admin through a ClusterRoleBinding is critical',
      files: binding({ kind: 'ClusterRoleBinding', role: 'cluster-admin', subjects: [SA_API] }),
      line: 7,
      severity: 'critical',
      resource: { kind: 'ClusterRoleBinding', namespace: null, name: 'grant' },
      message: [
        'ClusterRole `cluster-admin`',
        'cluster-wide',
        'ServiceAccount `shop/api`',
        'which makes it cluster-admin',
      ],
    },
    {
      name: 'cluster-admin through a RoleBinding is high',
      files: binding({ role: 'cluster-admin', subjects: [SA_API] }),
      line: 8,
      severity: 'high',
      message: ['ClusterRole `cluster-admin`', 'in namespace `shop`'],
      notMessage: 'makes it cluster-admin',
    },
    {
      name: 'admin by name, not declared',
      files: binding({ role: 'admin', subjects: [SA_API] }),
      severity: 'high',
      message: 'ClusterRole `admin`',
    },
    {
      name: 'edit by name through a ClusterRoleBinding stays high',
      files: binding({ kind: 'ClusterRoleBinding', role: 'edit', subjects: [SA_API] }),
      severity: 'high',
      message: ['ClusterRole `edit`', 'cluster-wide'],
    },
    {
      name: 'a name configured in privileged-roles',
      files: binding({ role: 'ops-admin', subjects: [SA_API] }),
      config: 'rules:\n  sa-privileged-rbac:\n    privileged-roles: [ops-admin]\n',
      severity: 'high',
      message: 'ClusterRole `ops-admin`',
    },
    privileged(
      '`*` in verbs of the second rule',
      '{apiGroups: [apps], resources: [deployments], verbs: ["*"]}',
      '`*` in verbs',
    ),
    privileged(
      '`*` in resources of the second rule',
      '{apiGroups: [batch], resources: ["*"], verbs: [get]}',
      '`*` in resources',
    ),
    privileged(
      '`*` in apiGroups of the second rule',
      '{apiGroups: ["*"], resources: [deployments], verbs: [get]}',
      '`*` in apiGroups',
    ),
    privileged('secrets get', '{apiGroups: [""], resources: [secrets], verbs: [get]}', 'secrets get'),
    privileged('secrets list', '{apiGroups: [""], resources: [secrets], verbs: [list]}', 'secrets list'),
    privileged('secrets watch', '{apiGroups: [""], resources: [secrets], verbs: [watch]}', 'secrets watch'),
    privileged(
      'a rule without apiGroups is the core group',
      '{resources: [secrets], verbs: [list]}',
      'secrets list',
    ),
    privileged('pods create', '{apiGroups: [""], resources: [pods], verbs: [create]}', 'pods create'),
    privileged('pods/exec', '{apiGroups: [""], resources: [pods/exec], verbs: [create]}', 'pods/exec'),
    privileged(
      'serviceaccounts/token create',
      '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}',
      'serviceaccounts/token create',
    ),
    privileged(
      'impersonate',
      '{apiGroups: [""], resources: [users, groups, serviceaccounts], verbs: [impersonate]}',
      '`impersonate` verb',
    ),
    privileged(
      'bind',
      '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}',
      '`bind` verb',
    ),
    privileged(
      'escalate',
      '{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate]}',
      '`escalate` verb',
    ),
    privileged('nodes/proxy', '{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}', 'nodes/proxy'),
    {
      name: 'a declared ClusterRole with `*` everywhere through a ClusterRoleBinding is critical',
      files: boundRole(
        '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}',
        'ClusterRole',
        'ClusterRoleBinding',
      ),
      file: 'binding.yaml',
      line: 7,
      severity: 'critical',
      message: ['`*` in verbs', '`*` in resources', '`*` in apiGroups', 'which makes it cluster-admin'],
    },
    {
      name: 'the same ClusterRole through a RoleBinding is high',
      files: boundRole('{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}', 'ClusterRole', 'RoleBinding'),
      severity: 'high',
      message: 'in namespace `shop`',
    },
    {
      name: 'User system:serviceaccount subject',
      files: binding({
        role: 'edit',
        subjects: ['{kind: User, name: "system:serviceaccount:team:builder"}'],
      }),
      severity: 'high',
      message: 'ServiceAccount `team/builder`',
    },
    {
      name: 'ServiceAccount subject without namespace takes the binding namespace',
      files: binding({ role: 'edit', subjects: ['{kind: ServiceAccount, name: api}'] }),
      message: 'ServiceAccount `shop/api`',
    },
    {
      name: 'one finding per ServiceAccount subject, none for the group next to them',
      files: binding({
        role: 'admin',
        subjects: [
          SA_API,
          '{kind: Group, name: ops}',
          '{kind: ServiceAccount, name: worker, namespace: shop}',
        ],
      }),
      findings: [
        { line: 8, message: 'ServiceAccount `shop/api`' },
        { line: 10, message: 'ServiceAccount `shop/worker`' },
      ],
    },
  ],
});

describe('sa-privileged-rbac: reasons', () => {
  it('names every reason found across all rules of the role', () => {
    const files = {
      'role.yaml': [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata:',
        '  name: r',
        'rules:',
        '  - {apiGroups: [""], resources: [secrets], verbs: [list]}',
        '  - {apiGroups: [""], resources: [pods/exec], verbs: [create]}',
        '  - {apiGroups: [""], resources: [users], verbs: [impersonate]}',
        '',
      ].join('\n'),
      'binding.yaml': binding({ roleKind: 'ClusterRole', role: 'r', subjects: [SA_API] }),
    };
    const [finding, ...rest] = findingsOf(scan(files), 'sa-privileged-rbac');
    expect(rest).toEqual([]);
    expect(finding!.message).toContain('(secrets list, pods/exec, `impersonate` verb)');
  });
});
