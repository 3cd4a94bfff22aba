import { type Json, type Model, type Resource, isRecord, nsKey, resourceLabel } from './model.js';

export interface RoleReference {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** The role's declaration in the scanned set, or null for built-in or unscanned roles. */
  resource: Resource | null;
}

export interface Privilege {
  /** Why the role is privileged, e.g. "`*` in verbs", "secrets list". */
  reasons: string[];
  /** Equivalent to cluster-admin: the built-in role, or one rule with `*` in verbs, resources and apiGroups. */
  clusterAdmin: boolean;
}

/** One subject of one binding, with the role it is granted and how privileged that role is. */
export interface Grant {
  binding: Resource;
  subjectIndex: number;
  subject: Json;
  role: RoleReference;
  privilege: Privilege | null;
}

export interface RbacIndex {
  /** Grants whose subject is the ServiceAccount `namespace/name`. */
  grantsToServiceAccount(namespace: string, name: string): Grant[];
  /** Every grant of every binding, in scan order. */
  grants: Grant[];
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The ServiceAccount a binding subject denotes, if it denotes one. */
export function serviceAccountOfSubject(
  subject: Json,
  binding: Resource,
  defaultNamespace: string,
): { namespace: string; name: string } | null {
  const kind = subject.kind;
  const name = typeof subject.name === 'string' ? subject.name : '';
  if (kind === 'ServiceAccount' && name !== '') {
    const namespace =
      typeof subject.namespace === 'string' && subject.namespace !== ''
        ? subject.namespace
        : (binding.ref.namespace ?? defaultNamespace);
    return { namespace, name };
  }
  if (kind === 'User') {
    const match = SERVICE_ACCOUNT_USER.exec(name);
    if (match) return { namespace: match[1]!, name: match[2]! };
  }
  return null;
}

export function subjectsOf(binding: Resource): Json[] {
  const subjects = binding.object.value.subjects;
  return Array.isArray(subjects) ? subjects.filter(isRecord) : [];
}

function roleOf(binding: Resource, model: Model): RoleReference | null {
  const roleRef = binding.object.value.roleRef;
  if (!isRecord(roleRef) || typeof roleRef.name !== 'string') return null;
  if (roleRef.kind === 'ClusterRole') {
    return {
      kind: 'ClusterRole',
      name: roleRef.name,
      resource: model.clusterRoleIndex.get(roleRef.name)?.[0] ?? null,
    };
  }
  if (roleRef.kind === 'Role' && binding.ref.kind === 'RoleBinding') {
    const key = nsKey(binding.ref.namespace, roleRef.name);
    return { kind: 'Role', name: roleRef.name, resource: model.roleIndex.get(key)?.[0] ?? null };
  }
  return null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * What makes a set of RBAC rules dangerous for a token holder: anything that reads credentials, runs code in other
 * pods, mints tokens, or widens its own permissions. Every rule is looked at, not only the first.
 */
export function privilegeOfRules(rules: unknown): Privilege {
  const reasons = new Set<string>();
  let clusterAdmin = false;
  const list = Array.isArray(rules) ? rules.filter(isRecord) : [];
  for (const rule of list) {
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const apiGroups = rule.apiGroups === undefined ? [''] : strings(rule.apiGroups);
    const resourceNames = strings(rule.resourceNames);
    const anyVerb = verbs.includes('*');
    const anyResource = resources.includes('*');
    const anyGroup = apiGroups.includes('*');
    if (anyVerb) reasons.add('`*` in verbs');
    if (anyResource) reasons.add('`*` in resources');
    if (anyGroup) reasons.add('`*` in apiGroups');
    if (anyVerb && anyResource && anyGroup) clusterAdmin = true;

    const core = anyGroup || apiGroups.includes('');
    const verb = (name: string) => anyVerb || verbs.includes(name);
    const resource = (name: string) => core && (anyResource || resources.includes(name));
    for (const name of ['impersonate', 'bind', 'escalate']) {
      if (verbs.includes(name)) reasons.add(`\`${name}\` verb`);
    }
    if (resource('secrets')) {
      const readVerbs = ['list', 'watch'].filter(verb);
      // Reading one named Secret is a scoped grant; reading all of them is not.
      if (verb('get') && resourceNames.length === 0) readVerbs.unshift('get');
      if (readVerbs.length > 0) reasons.add(`secrets ${readVerbs.join('/')}`);
    }
    if (resource('pods') && verb('create')) reasons.add('pods create');
    if (resource('pods/exec') && (anyVerb || verbs.length > 0)) reasons.add('pods/exec');
    if (resource('serviceaccounts/token') && verb('create')) reasons.add('serviceaccounts/token create');
    if (resource('nodes/proxy') && (anyVerb || verbs.length > 0)) reasons.add('nodes/proxy');
  }
  return { reasons: [...reasons], clusterAdmin };
}

export function privilegeOfRole(role: RoleReference, privilegedRoles: readonly string[]): Privilege | null {
  if (role.kind === 'ClusterRole' && privilegedRoles.includes(role.name)) {
    const fromRules = role.resource ? privilegeOfRules(role.resource.object.value.rules) : null;
    return {
      reasons: [`ClusterRole \`${role.name}\``, ...(fromRules?.reasons ?? [])],
      clusterAdmin: role.name === 'cluster-admin' || (fromRules?.clusterAdmin ?? false),
    };
  }
  if (!role.resource) return null;
  const privilege = privilegeOfRules(role.resource.object.value.rules);
  return privilege.reasons.length > 0 ? privilege : null;
}

export function buildRbacIndex(model: Model, privilegedRoles: readonly string[]): RbacIndex {
  const grants: Grant[] = [];
  const bySubject = new Map<string, Grant[]>();
  for (const binding of model.bindings) {
    const role = roleOf(binding, model);
    if (!role) continue;
    const privilege = privilegeOfRole(role, privilegedRoles);
    subjectsOf(binding).forEach((subject, subjectIndex) => {
      const grant: Grant = { binding, subjectIndex, subject, role, privilege };
      grants.push(grant);
      const account = serviceAccountOfSubject(subject, binding, model.defaultNamespace);
      if (!account) return;
      const key = nsKey(account.namespace, account.name);
      const list = bySubject.get(key);
      if (list) list.push(grant);
      else bySubject.set(key, [grant]);
    });
  }
  return {
    grants,
    grantsToServiceAccount: (namespace, name) => bySubject.get(nsKey(namespace, name)) ?? [],
  };
}

export function describeGrant(grant: Grant): string {
  return `${resourceLabel(grant.binding.ref)} → ${grant.role.kind} ${grant.role.name}`;
}
