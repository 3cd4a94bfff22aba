// RBAC held to the authorizer's letter: what `resourceNames` limits a grant to (issue 18.4), and the grants and subjects
// other scanners report (issue 18.6).
//
// Kubernetes docs, "Using RBAC Authorization", Referring to resources: rules can be restricted to named objects with
// `resourceNames`; `create` and `deletecollection` cannot be restricted by name (the request names no object, so a rule
// with names never matches it), and `list`/`watch` so restricted are authorized only with a `metadata.name` field
// selector naming one of them. The authorizer's matching (pkg/apis/rbac/v1 ResourceNameMatches) compares the request's
// name with each entry, so an empty entry `""` matches every request that names no object.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { type InvalidCase, type ValidCase, ruleTester } from './tester.js';

const RULE = 'sa-privileged-rbac';

/** Role `r` in namespace `shop` with `rule`, bound by RoleBinding `grant` (line 8: the subject) to SA `shop/api`. */
function granted(rule: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'role.yaml': `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\n  namespace: shop\nrules:\n  - ${rule}\n`,
    'binding.yaml': binding('RoleBinding', 'Role'),
    ...extra,
  };
}

function binding(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  roleKind: 'Role' | 'ClusterRole',
  subject = 'api',
) {
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    `kind: ${kind}`,
    'metadata:',
    '  name: grant',
    ...(kind === 'RoleBinding' ? ['  namespace: shop'] : []),
    `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: r}`,
    'subjects:',
    `  - {kind: ServiceAccount, name: ${subject}, namespace: shop}`,
    '',
  ].join('\n');
}

/** ClusterRole `r` with `rule`, bound cluster-wide to SA `shop/api`. */
function grantedEverywhere(rule: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'role.yaml': `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n  - ${rule}\n`,
    'binding.yaml': binding('ClusterRoleBinding', 'ClusterRole'),
    ...extra,
  };
}

const secret = (name: string, type: string, namespace = 'shop') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ntype: ${type}\n`;
const TOKEN = 'kubernetes.io/service-account-token';

const reported = (name: string, files: Record<string, string>, reason: string): InvalidCase => ({
  name,
  files,
  file: 'binding.yaml',
  severity: 'high',
  message: reason,
  fix: null,
});

ruleTester(RULE, {
  valid: [
    {
      // cert-manager's webhook Role: it reads and updates its own CA Secret, created at run time.
      name: 'get/list/watch on secrets limited to one name the scan does not declare (cert-manager webhook)',
      files: granted(
        '{apiGroups: [""], resources: [secrets], resourceNames: [cert-manager-webhook-ca], verbs: [get, list, watch, update]}',
      ),
    },
    {
      name: 'get/list/watch on a named Secret the scan declares as Opaque',
      files: granted(
        '{apiGroups: [""], resources: [secrets], resourceNames: [db-password], verbs: [get, list, watch]}',
        {
          'secret.yaml': secret('db-password', 'Opaque'),
        },
      ),
    },
    {
      name: 'a token Secret of that name in another namespace is not the one a RoleBinding reaches',
      files: granted('{apiGroups: [""], resources: [secrets], resourceNames: [api-token], verbs: [get]}', {
        'secret.yaml': secret('api-token', TOKEN, 'other'),
      }),
    },
    {
      // Docs: "You cannot restrict create or deletecollection requests by their resource name."
      name: 'pods create limited by resourceNames grants no pod creation: a create request names no pod',
      files: granted('{apiGroups: [""], resources: [pods], resourceNames: [web], verbs: [create, get]}'),
    },
    {
      name: 'serviceaccounts/token create for a named account with no privilege in the scan (its own, say)',
      files: granted(
        '{apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [api], verbs: [create]}',
      ),
    },
    {
      name: 'bind limited to the built-in view role',
      files: granted(
        '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [view], verbs: [bind]}',
      ),
    },
    {
      // pkg/apis/rbac/v1 ResourceMatches: `*` matches every resource, `*/exec` the subresource `exec` of any, and
      // anything else only itself. Some scanners read `pods/*` as every subresource of pods; the authorizer does not.
      name: '`pods/*` is not a pattern: it grants no exec, attach or port-forward',
      files: granted('{apiGroups: [""], resources: ["pods/*"], verbs: [create, get]}'),
    },
    {
      name: 'pods/exec limited to the empty name only: every exec request names its pod, so nothing is granted',
      files: granted('{apiGroups: [""], resources: [pods/exec], resourceNames: [""], verbs: [create]}'),
    },
  ] satisfies ValidCase[],
  invalid: [
    reported(
      'get on a named Secret the scan declares as a long-lived token Secret',
      granted('{apiGroups: [""], resources: [secrets], resourceNames: [api-token], verbs: [get, list]}', {
        'secret.yaml': secret('api-token', TOKEN),
      }),
      'secrets get/list on token Secret `api-token`',
    ),
    reported(
      'through a ClusterRoleBinding, the named token Secret in any namespace counts',
      grantedEverywhere('{apiGroups: [""], resources: [secrets], resourceNames: [ci-token], verbs: [get]}', {
        'secret.yaml': secret('ci-token', TOKEN, 'ci'),
      }),
      'secrets get on token Secret `ci-token`',
    ),
    reported(
      'an empty name among resourceNames matches every list and watch: all Secrets are read',
      granted('{apiGroups: [""], resources: [secrets], resourceNames: ["", x], verbs: [get, list, watch]}'),
      'secrets list/watch',
    ),
    reported(
      'an empty name among resourceNames matches a create request: pods create',
      granted('{apiGroups: [""], resources: [pods], resourceNames: [""], verbs: [create]}'),
      'pods create',
    ),
    reported(
      'pods/exec limited to named pods still runs code in them, and says which',
      granted('{apiGroups: [""], resources: [pods/exec], resourceNames: [db-0], verbs: [create]}'),
      'pods/exec on `db-0`',
    ),
    {
      name: 'serviceaccounts/token create for a named account bound to cluster-admin (both bindings reported)',
      files: granted(
        '{apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [deployer], verbs: [create]}',
        {
          'admin.yaml': yaml`
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata: {name: deployer-admin}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
          subjects: [{kind: ServiceAccount, name: deployer, namespace: shop}]
        `,
        },
      ),
      findings: [
        { file: 'admin.yaml', severity: 'critical' },
        {
          file: 'binding.yaml',
          severity: 'high',
          message:
            'serviceaccounts/token create for `deployer` (privileged through ClusterRoleBinding deployer-admin → ClusterRole cluster-admin)',
        },
      ],
    },
    reported(
      'serviceaccounts/token create for a named account set up for cloud workload identity',
      granted(
        '{apiGroups: [""], resources: [serviceaccounts/token], resourceNames: [uploader], verbs: [create]}',
        {
          'sa.yaml': yaml`
          apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: uploader
            namespace: shop
            annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/uploader"}
        `,
        },
      ),
      'serviceaccounts/token create for `uploader` (set up for cloud workload identity, `eks.amazonaws.com/role-arn`)',
    ),
    reported(
      'bind limited to cluster-admin',
      granted(
        '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], resourceNames: [cluster-admin], verbs: [bind]}',
      ),
      '`bind` verb on `cluster-admin`',
    ),
    reported(
      'impersonate limited to named users: their power is not in the manifests',
      granted('{apiGroups: [""], resources: [users], resourceNames: [alice], verbs: [impersonate]}'),
      '`impersonate` verb on `alice`',
    ),
    {
      name: '`*` everywhere limited by resourceNames through a ClusterRoleBinding is high, not cluster-admin',
      files: grantedEverywhere('{apiGroups: ["*"], resources: ["*"], resourceNames: [x], verbs: ["*"]}'),
      severity: 'high',
      notMessage: 'cluster-admin',
    },
  ],
});

// Kubernetes docs, "Role Based Access Control Good Practices", Privilege escalation risks: listing Secrets, workload
// creation, exec/attach/port-forward into pods (`pods/exec`, `pods/attach`, `pods/portforward`), token request
// (`serviceaccounts/token` create), impersonate, escalate and bind verbs, and `nodes/proxy`. Each is reported, also
// through the `*/<subresource>` form the authorizer matches.
describe('sa-privileged-rbac covers every grant of the RBAC good practices (privilege escalation risks)', () => {
  const COVERED: [rule: string, reason: string][] = [
    ['{apiGroups: [""], resources: [secrets], verbs: [list]}', 'secrets list'],
    ['{apiGroups: [""], resources: [pods], verbs: [create]}', 'pods create'],
    ['{apiGroups: [""], resources: [pods/exec], verbs: [create]}', 'pods/exec'],
    ['{apiGroups: [""], resources: [pods/attach], verbs: [create]}', 'pods/attach'],
    ['{apiGroups: [""], resources: [pods/portforward], verbs: [create]}', 'pods/portforward'],
    ['{apiGroups: [""], resources: ["*/exec"], verbs: [get]}', 'pods/exec'],
    [
      '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}',
      'serviceaccounts/token create',
    ],
    [
      '{apiGroups: [""], resources: [users, groups, serviceaccounts], verbs: [impersonate]}',
      '`impersonate` verb',
    ],
    [
      '{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [escalate]}',
      '`escalate` verb',
    ],
    ['{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}', '`bind` verb'],
    ['{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}', 'nodes/proxy'],
  ];
  it.each(COVERED)('%s → %s', (rule, reason) => {
    const [finding, ...rest] = findingsOf(scan(granted(rule)), RULE);
    expect(rest).toEqual([]);
    expect(finding!.message).toContain(`(${reason})`);
  });
});

// Kubernetes docs, "Using RBAC Authorization" (Default roles and role bindings: `system:anonymous`,
// `system:unauthenticated`, `system:authenticated`) and "Role Based Access Control Good Practices" (avoid adding users
// to `system:masters`, whose members bypass all RBAC checks): grants to these subjects are default-sa-rbac findings.
describe('default-sa-rbac covers the special users and groups', () => {
  const SUBJECTS: [subject: string, says: string][] = [
    [
      '{kind: User, name: "system:anonymous"}',
      'user `system:anonymous`, the identity of every anonymous request',
    ],
    ['{kind: Group, name: "system:unauthenticated"}', 'group `system:unauthenticated`, anonymous requests'],
    [
      '{kind: Group, name: "system:authenticated"}',
      'group `system:authenticated`, every authenticated identity',
    ],
    ['{kind: Group, name: "system:masters"}', 'group `system:masters`, whose members bypass RBAC'],
  ];
  it.each(SUBJECTS)('%s', (subject, says) => {
    const text = binding('ClusterRoleBinding', 'ClusterRole').replace(
      '{kind: ServiceAccount, name: api, namespace: shop}',
      subject,
    );
    const [finding, ...rest] = findingsOf(scan(text), 'default-sa-rbac');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'high', line: 7 });
    expect(finding!.message).toContain(says);
  });

  it('a user merely named like a group is not the group', () => {
    const text = binding('ClusterRoleBinding', 'ClusterRole').replace(
      '{kind: ServiceAccount, name: api, namespace: shop}',
      '{kind: User, name: "system:masters"}',
    );
    expect(findingsOf(scan(text), 'default-sa-rbac')).toEqual([]);
  });
});
