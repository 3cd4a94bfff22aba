/**
 * Which workloads call the Kubernetes API, judged from evidence and never from a guess: a token fix must not break a
 * controller. A workload is an API client when
 *
 * - its ServiceAccount is named as a subject (a ServiceAccount, or the `system:serviceaccount:<ns>:<name>` user) of
 *   any RoleBinding or ClusterRoleBinding in the scan or render, whatever the role (`system:auth-delegator` counts):
 *   someone granted it API access. Bindings to groups (`system:serviceaccounts`) are not evidence for one workload.
 *   A workload or ServiceAccount that names no namespace (plain `helm template` output, say, whose bindings name
 *   `{{ .Release.Namespace }}`) goes wherever it is applied, so a binding to its account's name in any namespace counts;
 * - the config's `api-clients` lists it (globs over `namespace/name`), for RBAC kept outside the scanned files;
 * - it carries the annotation `kube-token-guard.io/api-client` (its value says why);
 * - its pod asks an injector for an agent that logs in with the pod's own token (`TOKEN_INJECTORS`): Vault's agent and
 *   Consul's connect init container present it to Vault's and Consul's Kubernetes auth, which verify it with the API.
 *
 * A pod or dedicated ServiceAccount that says `automountServiceAccountToken: true` has consented explicitly, and the
 * rules leave it alone already. Every fix that can remove a token asks here first.
 */
import { minimatch } from 'minimatch';
import { type Model, type Workload, nsKey, resourceLabel } from './model.js';
import type { Grant, RbacIndex } from './rbac.js';
import { automountVolumesOf, effectiveAutomount } from './serviceaccounts.js';

export const API_CLIENT_ANNOTATION = 'kube-token-guard.io/api-client';
/** How the evidence of the base branch's config begins: the one kind a pull request cannot bring itself. */
export const CONFIG_EVIDENCE = "the config's `api-clients`";

export interface ApiClientJudge {
  /** Why the workload is judged an API client (a sentence fragment naming the evidence), or null. */
  workload(workload: Workload): string | null;
  /**
   * Why switching off the token of ServiceAccount `namespace/name` could break a workload: the account itself is
   * bound, or a workload running as it is a client. null when nothing says so.
   */
  serviceAccount(namespace: string, name: string): string | null;
}

/**
 * Pod annotations that have an injector add a container logging in with the token mounted at
 * `/var/run/secrets/kubernetes.io/serviceaccount`: switching it off breaks the pod as surely as a controller's. The
 * injectors read the value as Go's `strconv.ParseBool` does. `unless`: an annotation that points the agent at another
 * token (a projected volume), after which the mounted one is not needed.
 */
const TOKEN_INJECTORS: ReadonlyArray<{ annotation: string; agent: string; unless?: string }> = [
  {
    annotation: 'vault.hashicorp.com/agent-inject',
    agent: "Vault's injected agent",
    unless: 'vault.hashicorp.com/agent-service-account-token-volume-name',
  },
  { annotation: 'consul.hashicorp.com/connect-inject', agent: "Consul's injected init container" },
];

/** What Go's `strconv.ParseBool` reads as true. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** Why an injected agent logs in with the pod's token, from the annotations of the pod (or its template), or null. */
function injectedLogin(annotations: Readonly<Record<string, string>>): string | null {
  for (const { annotation, agent, unless } of TOKEN_INJECTORS) {
    const value = annotations[annotation];
    if (value === undefined || !GO_TRUE.has(value) || (unless !== undefined && unless in annotations))
      continue;
    return (
      `its pod says \`${annotation}: ${JSON.stringify(value)}\`, so ${agent} logs in with the pod's token` +
      (unless === undefined ? '' : `; \`${unless}\` naming a projected token volume would let it do without`)
    );
  }
  return null;
}

export function apiClientJudge(model: Model, rbac: RbacIndex, patterns: readonly string[]): ApiClientJudge {
  const byWorkload = new Map<Workload, string | null>();
  const subjectOf = (grant: Grant, namespace: string, name: string) =>
    `ServiceAccount \`${namespace}/${name}\` is a subject of ${resourceLabel(grant.binding.ref)} (${grant.role.kind} \`${grant.role.name}\`)`;
  const bound = (namespace: string, name: string): string | null => {
    const grant = rbac.grantsToServiceAccount(namespace, name)[0];
    return grant ? subjectOf(grant, namespace, name) : null;
  };
  /** A grant to a ServiceAccount of this name in any namespace, as evidence for `who`, which names no namespace. */
  const boundAnywhere = (name: string, who: string): string | null => {
    const found = rbac.grantsToServiceAccountNamed(name)[0];
    if (!found) return null;
    return `${subjectOf(found.grant, found.namespace, name)}, and ${who} names no namespace: applied in \`${found.namespace}\` it runs as that account`;
  };
  const judgeWorkload = (workload: Workload): string | null => {
    const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
    const reason =
      workload.resource.annotations[API_CLIENT_ANNOTATION] ??
      workload.templateAnnotations[API_CLIENT_ANNOTATION];
    if (reason !== undefined) {
      const said = reason.trim() === '' ? '' : `: ${JSON.stringify(reason.trim())}`;
      return `the annotation \`${API_CLIENT_ANNOTATION}\` says so${said}`;
    }
    const name = `${namespace}/${workload.resource.ref.name}`;
    const pattern = patterns.find((glob) => minimatch(name, glob, { dot: true }));
    if (pattern !== undefined) return `${CONFIG_EVIDENCE} lists \`${name}\` (\`${pattern}\`)`;
    return (
      bound(namespace, workload.serviceAccountName) ??
      (workload.resource.namespaceAssumed
        ? boundAnywhere(workload.serviceAccountName, resourceLabel(workload.resource.ref))
        : null) ??
      injectedLogin(
        workload.templateMetadataPath ? workload.templateAnnotations : workload.resource.annotations,
      )
    );
  };
  const workload = (entry: Workload): string | null => {
    if (!byWorkload.has(entry)) byWorkload.set(entry, judgeWorkload(entry));
    return byWorkload.get(entry)!;
  };
  const clientAmong = (entries: readonly Workload[], only: (entry: Workload) => boolean) => {
    for (const entry of entries) {
      const why = only(entry) ? workload(entry) : null;
      if (why !== null) return `${resourceLabel(entry.resource.ref)} runs as it and is an API client: ${why}`;
    }
    return null;
  };
  return {
    workload,
    serviceAccount(namespace, name) {
      const own = bound(namespace, name);
      if (own !== null) return own;
      const key = nsKey(namespace, name);
      // An account that names no namespace goes where it is applied: bound there, or used there, it is a client's.
      const assumed = (model.serviceAccountIndex.get(key) ?? []).some((account) => account.namespaceAssumed);
      const anywhere = assumed ? boundAnywhere(name, `ServiceAccount \`${name}\``) : null;
      if (anywhere !== null) return anywhere;
      const running = model.workloadIndex.get(key) ?? [];
      const exact = clientAmong(running, () => true);
      if (exact !== null) return exact;
      // Workloads that name no namespace may run as this account wherever it is; any of that name, when it names none.
      return clientAmong(
        model.workloadAccountNameIndex.get(name) ?? [],
        (entry) => !running.includes(entry) && (assumed || entry.resource.namespaceAssumed === true),
      );
    },
  };
}

/**
 * The API clients among a model's workloads that have their token mounted, as `Kind/namespace/name`: what no fix may
 * take away.
 * Fixes are checked against it after the fact (values and template probes, autofix), so a fix of one workload that
 * happens to switch off another's token is refused too.
 */
export function mountedClients(
  model: Model,
  judge: ApiClientJudge,
  workloads: readonly Workload[] = model.workloads,
): Set<string> {
  const mounted = new Set<string>();
  for (const workload of workloads) {
    if (judge.workload(workload) === null) continue;
    // A mounted `kube-api-access-*` volume holds the token whatever the automount setting says.
    const hasToken =
      effectiveAutomount(model, workload, true).mounts ||
      automountVolumesOf(workload).some((volume) => volume.mounted);
    if (!hasToken) continue;
    const { kind, name } = workload.resource.ref;
    mounted.add(`${kind}/${workload.resource.ref.namespace ?? model.defaultNamespace}/${name}`);
  }
  return mounted;
}
