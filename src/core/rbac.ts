import { type Json, type Model, type Resource, isRecord, nsKey, resourceLabel } from './model.js';
import { type Privilege, type RuleScope, privilegeOfRules } from './rbac-rules.js';

export type { Privilege } from './rbac-rules.js';

export interface RoleReference {
  kind: 'Role' | 'ClusterRole';
  name: string;
  /** The role's declaration in the scanned set, or null for built-in or unscanned roles. */
  resource: Resource | null;
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
  /** Grants whose subject is the ServiceAccount `namespace/name`, in the model's order. */
  grantsToServiceAccount(namespace: string, name: string): readonly Grant[];
  /** Grants to a ServiceAccount of this name in any namespace, with the namespace, in the model's order. */
  grantsToServiceAccountNamed(name: string): readonly NamedGrant[];
  /** The grants of a binding, one a subject (none when it names no role it can grant). */
  grantsOf(binding: Resource): readonly Grant[];
}

/** A grant with the namespace of the ServiceAccount it names. */
export interface NamedGrant {
  grant: Grant;
  namespace: string;
}

const SERVICE_ACCOUNT_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The ServiceAccount a binding subject denotes, if it denotes one. A ServiceAccount subject without a namespace is in
 * a RoleBinding's namespace; a ClusterRoleBinding has none to lend, and the API server refuses one with such a subject
 * (`subjects[0].namespace: Required value`): it binds no account, and is no evidence of an API client.
 */
export function serviceAccountOfSubject(
  subject: Json,
  binding: Resource,
  defaultNamespace: string,
): { namespace: string; name: string } | null {
  const kind = subject.kind;
  const name = typeof subject.name === 'string' ? subject.name : '';
  if (kind === 'ServiceAccount' && name !== '') {
    if (typeof subject.namespace === 'string' && subject.namespace !== '')
      return { namespace: subject.namespace, name };
    return binding.ref.kind === 'RoleBinding'
      ? { namespace: binding.ref.namespace ?? defaultNamespace, name }
      : null;
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

/** The privilege of a role granted where `scope` says: by name (`privileged-roles`), else by its rules when declared. */
export function privilegeOfRole(role: RoleReference, scope: RuleScope): Privilege | null {
  if (role.kind === 'ClusterRole' && scope.privilegedRoles.includes(role.name)) {
    const fromRules = role.resource ? privilegeOfRules(role.resource.object.value.rules, scope) : null;
    return {
      reasons: [`ClusterRole \`${role.name}\``, ...(fromRules?.reasons ?? [])],
      clusterAdmin: role.name === 'cluster-admin' || (fromRules?.clusterAdmin ?? false),
    };
  }
  if (!role.resource) return null;
  const privilege = privilegeOfRules(role.resource.object.value.rules, scope);
  return privilege.reasons.length > 0 ? privilege : null;
}

/**
 * The grants of `bindings`, each with the privilege its role gives where it is granted. `asking` holds the bindings
 * whose role mints tokens for named ServiceAccounts: what those tokens are worth depends on every other grant, so
 * `judgeAgain` judges them once all grants are known.
 */
function judgeGrants(model: Model, privilegedRoles: readonly string[], bindings: readonly Resource[]) {
  const asking = new Set<Resource>();
  const privilegeOf = (
    binding: Resource,
    role: RoleReference,
    accounts: ReadonlyMap<string, string> | null,
  ) => {
    // A RoleBinding grants in its namespace, a ClusterRoleBinding in every one: named objects are looked up there.
    const namespace = binding.ref.kind === 'RoleBinding' ? binding.ref.namespace : null;
    const privilegedAccount = (name: string): string | null => {
      if (accounts === null) {
        asking.add(binding);
        return null;
      }
      if (namespace !== null) return accounts.get(nsKey(namespace, name)) ?? null;
      for (const [key, why] of accounts) if (key.endsWith(`/${name}`)) return why;
      return null;
    };
    return privilegeOfRole(role, { model, namespace, privilegedRoles, privilegedAccount });
  };
  const grants: Grant[] = [];
  for (const binding of bindings) {
    const role = roleOf(binding, model);
    if (!role) continue;
    const privilege = privilegeOf(binding, role, null);
    subjectsOf(binding).forEach((subject, subjectIndex) => {
      grants.push({ binding, subjectIndex, subject, role, privilege });
    });
  }
  /** Judges the asking bindings again with the accounts that `all` grants make privileged. */
  const judgeAgain = (all: readonly Grant[]) => {
    const accounts = new Map<string, string>();
    for (const grant of all) {
      const account = grant.privilege
        ? serviceAccountOfSubject(grant.subject, grant.binding, model.defaultNamespace)
        : null;
      const key = account ? nsKey(account.namespace, account.name) : null;
      if (key !== null && !accounts.has(key)) accounts.set(key, `privileged through ${describeGrant(grant)}`);
    }
    const again = new Map<Resource, Privilege | null>();
    for (const grant of grants) {
      if (!asking.has(grant.binding)) continue;
      if (!again.has(grant.binding))
        again.set(grant.binding, privilegeOf(grant.binding, grant.role, accounts));
      grant.privilege = again.get(grant.binding)!;
    }
  };
  return { grants, asking, judgeAgain };
}

/**
 * Every grant of every binding, with its privilege. A role that mints tokens for named ServiceAccounts is as privileged
 * as those accounts, so such a role is judged again once the other grants are known, with the accounts they make
 * privileged (one level deep: a token that mints tokens that mint tokens is not followed further).
 */
export function buildRbacIndex(model: Model, privilegedRoles: readonly string[]): RbacIndex {
  const { grants, asking, judgeAgain } = judgeGrants(model, privilegedRoles, model.bindings);
  if (asking.size > 0) judgeAgain(grants);
  const bySubject = grantsBySubject(grants, model.defaultNamespace);
  const byBinding = new Map<Resource, Grant[]>();
  for (const grant of grants) {
    const list = byBinding.get(grant.binding);
    if (list) list.push(grant);
    else byBinding.set(grant.binding, [grant]);
  }
  let byName: Map<string, NamedGrant[]> | null = null;
  return {
    grantsToServiceAccount: (namespace, name) => bySubject.get(nsKey(namespace, name)) ?? [],
    grantsToServiceAccountNamed: (name) =>
      (byName ??= grantsByName(grants, model.defaultNamespace)).get(name) ?? [],
    grantsOf: (binding) => byBinding.get(binding) ?? [],
  };
}

/**
 * The index of a layered model (`layered-model.ts`) from the index of its base: the grants of `touched` (the base's
 * bindings whose grants the layer can change, see `reach.ts`) and of `own` (the layer's bindings) are judged in the
 * layered model, every other grant is the base's. When one of them mints tokens for named accounts, what those are
 * worth depends on every grant, and the index is built whole.
 */
export function layerRbacIndex(
  model: Model,
  privilegedRoles: readonly string[],
  base: RbacIndex,
  touched: readonly Resource[],
  own: readonly Resource[],
): RbacIndex {
  const judged = judgeGrants(model, privilegedRoles, [...touched, ...own]);
  if (judged.asking.size > 0) return buildRbacIndex(model, privilegedRoles);
  const replaced = new Map<Resource, Grant[]>();
  for (const grant of judged.grants) {
    const list = replaced.get(grant.binding);
    if (list) list.push(grant);
    else replaced.set(grant.binding, [grant]);
  }
  const ownBindings = new Set(own);
  const ownBySubject = grantsBySubject(
    judged.grants.filter((grant) => ownBindings.has(grant.binding)),
    model.defaultNamespace,
  );
  const bySubject = new Map<string, readonly Grant[]>();
  let ownByName: Map<string, NamedGrant[]> | null = null;
  return {
    grantsToServiceAccountNamed(name) {
      ownByName ??= grantsByName(
        judged.grants.filter((grant) => ownBindings.has(grant.binding)),
        model.defaultNamespace,
      );
      const under = base.grantsToServiceAccountNamed(name).map(({ grant, namespace }) => ({
        grant: replaced.get(grant.binding)?.[grant.subjectIndex] ?? grant,
        namespace,
      }));
      return [...under, ...(ownByName.get(name) ?? [])];
    },
    grantsToServiceAccount(namespace, name) {
      const key = nsKey(namespace, name);
      let list = bySubject.get(key);
      if (!list) {
        // The base's grants first, in its order (a grant is its binding's at the subject's place), then the layer's.
        const under = base
          .grantsToServiceAccount(namespace, name)
          .map((grant) => replaced.get(grant.binding)?.[grant.subjectIndex] ?? grant);
        bySubject.set(key, (list = [...under, ...(ownBySubject.get(key) ?? [])]));
      }
      return list;
    },
    grantsOf: (binding) => replaced.get(binding) ?? base.grantsOf(binding),
  };
}

function grantsBySubject(grants: readonly Grant[], defaultNamespace: string): Map<string, Grant[]> {
  return groupByAccount(grants, defaultNamespace, (grant, account) => [
    nsKey(account.namespace, account.name),
    grant,
  ]);
}

/** Grants by the name alone of the ServiceAccount they name, with its namespace. */
function grantsByName(grants: readonly Grant[], defaultNamespace: string): Map<string, NamedGrant[]> {
  return groupByAccount(grants, defaultNamespace, (grant, account) => [
    account.name,
    { grant, namespace: account.namespace },
  ]);
}

/** The grants that name a ServiceAccount, grouped under the key `entry` gives each, in order. */
function groupByAccount<T>(
  grants: readonly Grant[],
  defaultNamespace: string,
  entry: (grant: Grant, account: { namespace: string; name: string }) => [string, T],
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const grant of grants) {
    const account = serviceAccountOfSubject(grant.subject, grant.binding, defaultNamespace);
    if (!account) continue;
    const [key, value] = entry(grant, account);
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

export function describeGrant(grant: Grant): string {
  return `${resourceLabel(grant.binding.ref)} → ${grant.role.kind} ${grant.role.name}`;
}
