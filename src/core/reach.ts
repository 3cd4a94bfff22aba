/**
 * Which plain objects a render can judge differently from the plain manifests alone: in a render's install only they
 * are judged again (`installs.ts`); every other plain object has there exactly the findings it has in the plain install.
 *
 * A judgement reads the object itself (its namespace defaulted by its own file), the config, and other objects only
 * through the look-ups below, each written here as a key that plain objects read and a render's objects write:
 *
 * - `account`, a ServiceAccount's `namespace/name`: its declarations (`resolveServiceAccount`, `namespace-default-sa`),
 *   the workloads running as it (the API-client judge, `shared-service-account`, which keys its accounts by the same
 *   name in the same or no namespace), and the grants to it (its privilege, the API-client evidence). Workloads read
 *   their account's key, ServiceAccounts their own, a Namespace its `default` account's. Written by a render's
 *   ServiceAccount, workload, and every binding subject that names an account, as a ServiceAccount or as the user
 *   `system:serviceaccount:<ns>:<name>`. Group subjects (`system:serviceaccounts:<ns>`) name no account, and no
 *   judgement of another object reads them (see `api-clients.ts`); nor does any read a Namespace but its own.
 * - `bound-name` and `unplaced-workload`, a ServiceAccount's name alone, for objects that name no namespace (see
 *   `namespaceAssumed`), which may be applied where a binding points. `bound-name` is written by every binding subject
 *   that names an account, and read by such workloads (their account's name), by such ServiceAccounts (their own), and
 *   by the ServiceAccounts and Namespaces (their `default`) of a name such a plain workload runs as.
 *   `unplaced-workload` is written by a render's workloads that name no namespace, and read by every ServiceAccount and
 *   Namespace (its `default`): such a workload may run as any of its account's name. `workload-name` is written by
 *   every workload of a render, and read by the ServiceAccounts that name no namespace: any workload of the name may
 *   run as one.
 * - `secrets`, a namespace: the Secrets looked up there by name (`legacy-token-mount`, `legacy-token-secret` on an
 *   account's `secrets`). Read by workloads and ServiceAccounts, written by a render's Secrets.
 * - `role` and `cluster-role`: the role a binding names, which decides its grants' privilege. Read by bindings,
 *   written by a render's Roles and ClusterRoles. A ClusterRole is judged by its own rules: `aggregationRule` is not
 *   modelled.
 * - `name`: what a role's rules say of named objects (`rbac-rules.ts`): Secrets that are tokens, accounts set up for
 *   workload identity or privileged through another grant, roles a `bind` may grant (and, one level down, what those
 *   roles' rules name). Read by a binding for every `resourceNames` entry of the roles it may resolve to and of the
 *   roles those name; written by a render's Secrets, ServiceAccounts, Roles and ClusterRoles, and by every account a
 *   binding subject names (the privileged-account look-up of a ClusterRoleBinding matches the end of its key).
 * - `file`, a path: a fix is withheld when its lines hold secret material of any object in the file, or the file is
 *   UTF-16 (`evaluate.ts`); a rendered file can have a plain file's path (a kustomize base). Read by every object.
 *
 * The model keys objects by `namespace/name` joined with a `/`, so a `/` inside a name meets another namespace: a
 * render's object writes its key under every namespace and name it can be looked up as (`splits`).
 *
 * A plain binding judged again may give its grants another privilege, so it writes what a render's binding writes for
 * its subjects, until nothing more is reached. Keys are coarser than the look-ups (a name in any namespace, every Secret
 * of a namespace), which judges some objects again needlessly and never misses one.
 */
import { type Json, type Model, type Resource, accountKeyOf, categoryOf, isRecord, nsKey } from './model.js';
import { serviceAccountOfSubject, subjectsOf } from './rbac.js';

export interface Reach {
  /** The plain objects a render's objects (`own`, a model of them alone) can judge differently. */
  touchedBy(own: Model): Set<Resource>;
}

const key = {
  /** `namespace/name`, as the model's indexes key it. */
  account: (nsName: string) => `account\u0000${nsName}`,
  boundName: (name: string) => `bound-name\u0000${name}`,
  unplacedWorkload: (name: string) => `unplaced-workload\u0000${name}`,
  workloadName: (name: string) => `workload-name\u0000${name}`,
  secrets: (namespace: string) => `secrets\u0000${namespace}`,
  role: (nsName: string) => `role\u0000${nsName}`,
  clusterRole: (name: string) => `cluster-role\u0000${name}`,
  name: (name: string) => `name\u0000${name}`,
  file: (path: string) => `file\u0000${path}`,
};

/**
 * What a `namespace/name` key can be looked up as: each part before a `/` as a namespace, each part after one as a
 * name. Look-ups join the two with a `/` (`nsKey`), so a name with a `/` in it is found under another namespace too.
 */
function splits(nsName: string): { namespace: string; name: string }[] {
  const result: { namespace: string; name: string }[] = [];
  for (let slash = nsName.indexOf('/'); slash !== -1; slash = nsName.indexOf('/', slash + 1)) {
    result.push({ namespace: nsName.slice(0, slash), name: nsName.slice(slash + 1) });
  }
  return result;
}

const names = (nsName: string) => splits(nsName).map((split) => key.name(split.name));

/** The reach of renders over the plain objects of `base`, read once. */
export function reachOf(base: Model): Reach {
  const readers = new Map<string, Resource[]>();
  const read = (entry: string, resource: Resource) => {
    const list = readers.get(entry);
    if (list) list.push(resource);
    else readers.set(entry, [resource]);
  };
  for (const resource of base.resources) read(key.file(resource.object.file.path), resource);
  for (const workload of base.workloads) {
    read(key.account(accountKeyOf(workload, base.defaultNamespace)), workload.resource);
    read(key.secrets(workload.resource.ref.namespace ?? ''), workload.resource);
  }
  // The names plain workloads that name no namespace run as: bound anywhere, they are clients of any account so named.
  const unplacedAccounts = new Set<string>();
  for (const workload of base.workloads) {
    if (!workload.resource.namespaceAssumed) continue;
    unplacedAccounts.add(workload.serviceAccountName);
    read(key.boundName(workload.serviceAccountName), workload.resource);
  }
  const readByName = (name: string, resource: Resource, assumed: boolean) => {
    read(key.unplacedWorkload(name), resource);
    if (assumed) read(key.workloadName(name), resource);
    if (assumed || unplacedAccounts.has(name)) read(key.boundName(name), resource);
  };
  for (const account of base.serviceAccounts) {
    read(key.account(nsKey(account.ref.namespace, account.ref.name)), account);
    readByName(account.ref.name, account, account.namespaceAssumed === true);
    read(key.secrets(account.ref.namespace ?? ''), account);
  }
  for (const namespace of base.namespaces) {
    read(key.account(nsKey(namespace.ref.name, 'default')), namespace);
    readByName('default', namespace, false);
  }
  for (const binding of base.bindings) {
    for (const entry of bindingReads(base, binding)) read(entry, binding);
  }

  return {
    touchedBy(own) {
      const written: string[] = [];
      for (const resource of own.resources) {
        written.push(key.file(resource.object.file.path));
        const { namespace, name } = resource.ref;
        const nsName = nsKey(namespace, name);
        switch (categoryOf(resource)) {
          case 'serviceAccount':
            written.push(key.account(nsName), ...names(nsName));
            break;
          case 'secret':
            written.push(...splits(nsName).map((split) => key.secrets(split.namespace)), ...names(nsName));
            break;
          case 'role':
            written.push(key.role(nsName), ...names(nsName));
            break;
          case 'clusterRole':
            written.push(key.clusterRole(name), key.name(name));
            break;
          case 'binding':
            written.push(...bindingWrites(resource, own.defaultNamespace));
            break;
          default: {
            const workload = own.workloadOf(resource);
            if (workload) {
              written.push(
                key.account(accountKeyOf(workload, own.defaultNamespace)),
                key.workloadName(workload.serviceAccountName),
              );
            }
            if (workload && resource.namespaceAssumed)
              written.push(key.unplacedWorkload(workload.serviceAccountName));
          }
        }
      }
      const touched = new Set<Resource>();
      const done = new Set<string>();
      for (let entry = written.pop(); entry !== undefined; entry = written.pop()) {
        if (done.has(entry)) continue;
        done.add(entry);
        for (const resource of readers.get(entry) ?? []) {
          if (touched.has(resource)) continue;
          touched.add(resource);
          // Its grants may have another privilege here: what reads them is reached too.
          if (categoryOf(resource) === 'binding')
            written.push(...bindingWrites(resource, base.defaultNamespace));
        }
      }
      return touched;
    },
  };
}

/** The keys a binding's grants are read under: the accounts its subjects name, as keys and as names. */
function bindingWrites(binding: Resource, defaultNamespace: string): string[] {
  const written: string[] = [];
  for (const subject of subjectsOf(binding)) {
    const account = serviceAccountOfSubject(subject, binding, defaultNamespace);
    if (!account) continue;
    const nsName = nsKey(account.namespace, account.name);
    written.push(key.account(nsName), key.boundName(account.name), ...names(nsName));
  }
  return written;
}

/** The keys a binding's privilege is read from: its role, and the names in the rules of the roles it may resolve to. */
function bindingReads(model: Model, binding: Resource): string[] {
  const roleRef = binding.object.value.roleRef;
  if (!isRecord(roleRef) || typeof roleRef.name !== 'string') return [];
  const name = roleRef.name;
  // A RoleBinding grants in its namespace, a ClusterRoleBinding in every one (`rbac.ts`).
  const scope = binding.ref.kind === 'RoleBinding' ? binding.ref.namespace : null;
  const reads: string[] = [];
  let roles: readonly Resource[];
  if (roleRef.kind === 'ClusterRole') {
    reads.push(key.clusterRole(name));
    roles = model.clusterRoleIndex.get(name) ?? [];
  } else if (roleRef.kind === 'Role' && binding.ref.kind === 'RoleBinding') {
    reads.push(key.role(nsKey(binding.ref.namespace, name)));
    roles = model.roleIndex.get(nsKey(binding.ref.namespace, name)) ?? [];
  } else {
    return reads;
  }
  for (const role of roles) {
    for (const named of resourceNamesOf(role)) {
      reads.push(key.name(named));
      // A role that may `bind` another is judged by that one's rules too (without its own `bind`).
      const inner = [
        ...(model.clusterRoleIndex.get(named) ?? []),
        ...(scope === null ? [] : (model.roleIndex.get(nsKey(scope, named)) ?? [])),
      ];
      for (const other of inner) for (const deeper of resourceNamesOf(other)) reads.push(key.name(deeper));
    }
  }
  return reads;
}

function resourceNamesOf(role: Resource): string[] {
  const rules = role.object.value.rules;
  if (!Array.isArray(rules)) return [];
  return rules
    .filter(isRecord)
    .flatMap((rule: Json) => (Array.isArray(rule.resourceNames) ? rule.resourceNames : []))
    .filter((entry): entry is string => typeof entry === 'string');
}
