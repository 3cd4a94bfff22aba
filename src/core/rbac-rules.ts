/**
 * What the rules of a Role or ClusterRole let a token holder do, judged as the RBAC authorizer matches a request
 * (k8s.io/kubernetes pkg/apis/rbac/v1 evaluation_helpers: VerbMatches, APIGroupMatches, ResourceMatches,
 * ResourceNameMatches):
 *
 * - a verb or resource `*` matches any; a resource `*\/<subresource>` matches that subresource of any resource;
 * - `resourceNames`, when present, must contain the request's name. Requests for one object carry its name (get,
 *   update, patch, delete; `list` and `watch` with a `metadata.name` field selector; every subresource, such as
 *   `pods/exec` or `serviceaccounts/token`, whose URL names the parent object). Requests without a name (creating an
 *   object, listing or watching a whole collection, deletecollection) match only an empty entry `""`. So a rule with
 *   `resourceNames` grants access to those objects only, and grants no object-level `create` at all.
 */
import { type Json, type Model, isRecord, nsKey } from './model.js';
import { secretKindOf, workloadIdentityOf } from './serviceaccounts.js';

export interface Privilege {
  /** Why the role is privileged, e.g. "`*` in verbs", "secrets list". */
  reasons: string[];
  /** Equivalent to cluster-admin: the built-in role, or one rule with `*` in verbs, resources and apiGroups, no names. */
  clusterAdmin: boolean;
}

/** Where a role's rules apply, and what is known there of the objects they name. */
export interface RuleScope {
  model: Model;
  /** The namespace the grant applies in (a RoleBinding's), or null for every namespace (a ClusterRoleBinding). */
  namespace: string | null;
  privilegedRoles: readonly string[];
  /**
   * Why a token of ServiceAccount `name` (in the scope's namespace, or any namespace when it is null) is worth having:
   * it holds privileged RBAC in the scan. It answers null while those grants are being worked out (the role is judged
   * again once they are known), and is absent where a named role's own rules are judged.
   */
  privilegedAccount?(name: string): string | null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const quoted = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(', ');

/** One policy rule of a role, with the authorizer's matching. */
class PolicyRule {
  readonly verbs: string[];
  readonly resources: string[];
  readonly apiGroups: string[];
  /** The names a request for one object may carry; null when the rule names none (any name). */
  readonly names: string[] | null;
  /** Requests without a name are granted: no `resourceNames`, or an empty entry among them. */
  readonly unnamed: boolean;

  constructor(rule: Json) {
    this.verbs = strings(rule.verbs);
    this.resources = strings(rule.resources);
    this.apiGroups = rule.apiGroups === undefined ? [''] : strings(rule.apiGroups);
    const resourceNames = strings(rule.resourceNames);
    this.names = resourceNames.length === 0 ? null : resourceNames.filter((name) => name !== '');
    this.unnamed = resourceNames.length === 0 || resourceNames.includes('');
  }

  verb(name: string): boolean {
    return this.verbs.includes('*') || this.verbs.includes(name);
  }

  /** A core-group resource, `pods` or a subresource such as `pods/exec` (matched by `*\/exec` too). */
  core(resource: string): boolean {
    if (!this.apiGroups.includes('*') && !this.apiGroups.includes('')) return false;
    const slash = resource.indexOf('/');
    return (
      this.resources.includes('*') ||
      this.resources.includes(resource) ||
      (slash !== -1 && this.resources.includes(`*${resource.slice(slash)}`))
    );
  }

  /** The objects a request for one object may name: every one, some (listed), or none (only `""` was listed). */
  get named(): 'any' | string[] | 'none' {
    if (this.names === null) return 'any';
    return this.names.length > 0 ? this.names : 'none';
  }
}

/** `reason` for any object, or naming the objects it is limited to: `pods/exec on \`a\``. */
function limitedTo(reason: string, named: 'any' | string[]): string {
  return named === 'any' ? reason : `${reason} on ${quoted(named)}`;
}

/**
 * What makes a set of RBAC rules dangerous for a token holder: anything that reads credentials, runs code in other
 * pods, mints tokens, or widens its own permissions. Every rule is looked at, not only the first.
 */
export function privilegeOfRules(rules: unknown, scope: RuleScope): Privilege {
  const reasons = new Set<string>();
  let clusterAdmin = false;
  const list = Array.isArray(rules) ? rules.filter(isRecord) : [];
  for (const entry of list) {
    const rule = new PolicyRule(entry);
    const anyVerb = rule.verbs.includes('*');
    const anyResource = rule.resources.includes('*');
    const anyGroup = rule.apiGroups.includes('*');
    if (anyVerb) reasons.add('`*` in verbs');
    if (anyResource) reasons.add('`*` in resources');
    if (anyGroup) reasons.add('`*` in apiGroups');
    // Limited to named objects, even `*` everywhere reaches only those: not every object of the cluster.
    if (anyVerb && anyResource && anyGroup && rule.names === null) clusterAdmin = true;
    const named = rule.named;

    // Verbs that widen the holder's own reach, on any resource. Limited to named users, groups or roles, they still
    // count: whose power a named identity holds is not in the manifests, and escalating a named role edits it freely.
    for (const verb of ['impersonate', 'escalate']) {
      if (rule.verbs.includes(verb) && named !== 'none') reasons.add(limitedTo(`\`${verb}\` verb`, named));
    }
    if (rule.verbs.includes('bind') && named !== 'none') {
      if (named === 'any') reasons.add('`bind` verb');
      else {
        const privileged = named.filter((role) => privilegedRoleNamed(role, scope));
        if (privileged.length > 0) reasons.add(limitedTo('`bind` verb', privileged));
      }
    }

    if (rule.core('secrets')) {
      // Reading every Secret: get of any name, or list/watch of the whole collection.
      const all = ['get', 'list', 'watch'].filter(
        (verb) => rule.verb(verb) && (verb === 'get' ? named === 'any' : rule.unnamed),
      );
      if (all.length > 0) reasons.add(`secrets ${all.join('/')}`);
      // Reading named Secrets is access to those objects: counted where one of them is a long-lived token.
      const read = ['get', 'list', 'watch'].filter((verb) => rule.verb(verb) && !all.includes(verb));
      if (read.length > 0 && Array.isArray(named)) {
        const tokens = named.filter((name) => tokenSecretNamed(name, scope));
        if (tokens.length > 0) reasons.add(`secrets ${read.join('/')} on token Secret ${quoted(tokens)}`);
      }
    }
    // Creating a pod names no pod in its request: `resourceNames` cannot allow it, only deny it.
    if (rule.core('pods') && rule.verb('create') && rule.unnamed) reasons.add('pods create');
    // Running code in a pod takes over its identity, token and Secrets: named pods are no less sensitive.
    for (const subresource of ['pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy']) {
      if (rule.core(subresource) && rule.verbs.length > 0 && named !== 'none') {
        reasons.add(limitedTo(subresource, named));
      }
    }
    if (rule.core('serviceaccounts/token') && rule.verb('create') && named !== 'none') {
      if (named === 'any') reasons.add('serviceaccounts/token create');
      else {
        const worth = named
          .map((name) => [name, accountWorth(name, scope)] as const)
          .filter((pair): pair is readonly [string, string] => pair[1] !== null);
        if (worth.length > 0) {
          reasons.add(
            `serviceaccounts/token create for ${worth.map(([name, why]) => `\`${name}\` (${why})`).join(', ')}`,
          );
        }
      }
    }
  }
  return { reasons: [...reasons], clusterAdmin };
}

/** Whether a Secret of that name where the rules apply is, in the scan, a long-lived token Secret. */
function tokenSecretNamed(name: string, scope: RuleScope): boolean {
  if (scope.namespace !== null) return secretKindOf(scope.model, scope.namespace, name) === 'token';
  return (scope.model.secretNameIndex.get(name) ?? []).some(
    (secret) => secretKindOf(scope.model, secret.ref.namespace, name) === 'token',
  );
}

/** Why a token for ServiceAccount `name` where the rules apply is worth minting, or null. */
function accountWorth(name: string, scope: RuleScope): string | null {
  const accounts = (scope.model.serviceAccountNameIndex.get(name) ?? []).filter(
    (account) => scope.namespace === null || account.ref.namespace === scope.namespace,
  );
  const identity = accounts.map(workloadIdentityOf).find((annotation) => annotation !== undefined);
  if (identity) return `set up for cloud workload identity, \`${identity}\``;
  return scope.privilegedAccount?.(name) ?? null;
}

/** Whether binding the role `name` where the rules apply would grant privileged RBAC. */
function privilegedRoleNamed(name: string, scope: RuleScope): boolean {
  if (scope.privilegedRoles.includes(name)) return true;
  const declared = [
    ...(scope.model.clusterRoleIndex.get(name) ?? []),
    ...(scope.namespace === null ? [] : (scope.model.roleIndex.get(nsKey(scope.namespace, name)) ?? [])),
  ];
  // The named role's own rules, without looking through its own `bind` or token grants again.
  const inner: RuleScope = { ...scope, privilegedAccount: undefined };
  return declared.some(
    (role) => privilegeOfRules(withoutBind(role.object.value.rules), inner).reasons.length > 0,
  );
}

function withoutBind(rules: unknown): unknown[] {
  return (Array.isArray(rules) ? rules.filter(isRecord) : []).map((rule) => ({
    ...rule,
    verbs: strings(rule.verbs).filter((verb) => verb !== 'bind'),
  }));
}
