import type { PathSegment } from './load.js';
import { type Model, type Resource, type Workload, nsKey } from './model.js';
import { projectedTokensOf, volumeMountsOf } from './pod-spec.js';

/** The type of a Secret that holds a long-lived ServiceAccount token, filled in by Kubernetes' token controller. */
export const LEGACY_TOKEN_TYPE = 'kubernetes.io/service-account-token';

/** Annotations that set a ServiceAccount up for a cloud provider's workload identity, and the provider's feature. */
export const WORKLOAD_IDENTITY_ANNOTATIONS: Record<string, string> = {
  'eks.amazonaws.com/role-arn': 'EKS IAM roles for service accounts',
  'iam.gke.io/gcp-service-account': 'GKE Workload Identity',
  'azure.workload.identity/client-id': 'Azure Workload Identity',
};

/** The workload identity annotation a ServiceAccount carries, or undefined. */
export function workloadIdentityOf(account: Resource): string | undefined {
  return Object.keys(WORKLOAD_IDENTITY_ANNOTATIONS).find((key) => key in account.annotations);
}

/**
 * What the scan knows of the Secret `namespace/name`: `token` when a declaration of it is a legacy token Secret,
 * `other` when it is declared with another type (an absent `type` is `Opaque`, as the API server defaults it), and
 * null when the scan does not declare it.
 */
export function secretKindOf(model: Model, namespace: string | null, name: string): 'token' | 'other' | null {
  const declared = model.secretIndex.get(nsKey(namespace, name));
  if (!declared || declared.length === 0) return null;
  return declared.some((secret) => secret.object.value.type === LEGACY_TOKEN_TYPE) ? 'token' : 'other';
}

export type AutomountSource = 'pod' | 'serviceaccount' | 'default' | 'unresolved' | 'invalid';

export interface AutomountDecision {
  /** Whether the API token ends up mounted in the pod. */
  mounts: boolean;
  /** What decided it: the pod field, the ServiceAccount field, Kubernetes' default (true), or an SA we did not find. */
  source: AutomountSource;
  /** The ServiceAccount the pod runs as, when declared in the scanned set. */
  serviceAccount: Resource | null;
  /** The token is mounted because someone asked for it: `true` on the pod, or on a dedicated ServiceAccount. */
  optedIn: boolean;
  /**
   * For source `invalid`: which object's `automountServiceAccountToken` holds a value the API server refuses, and how it
   * reads. The pod's: the object is not created as written. The ServiceAccount's (the pod's is unset): its setting
   * cannot be relied on, so the token is taken to be mounted as for an unresolved account.
   */
  invalid?: { where: 'pod' | 'serviceaccount'; value: string };
}

/**
 * Namespaces every cluster has, where it runs pods of its own (kube-system's add-ons and the cloud's agents; whatever
 * users put in `default`): a fix turning off the `default` account's token there could break pods the scan never sees.
 */
export const CLUSTER_NAMESPACES: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

/**
 * `automountServiceAccountToken` as the API server reads it: unset (absent or null), a boolean, or a value it refuses
 * (the field is a boolean, and decoding a string such as `"false"` or a number into it fails), read as Kubernetes'
 * YAML reading gives it (so `no` and `off` are already `false`).
 */
export type AutomountSetting =
  { state: 'unset' } | { state: 'set'; value: boolean } | { state: 'invalid'; value: string };

export function automountSetting(value: unknown): AutomountSetting {
  if (typeof value !== 'object' || value === null) return { state: 'unset' };
  const field = (value as Record<string, unknown>).automountServiceAccountToken;
  if (field === undefined || field === null) return { state: 'unset' };
  if (typeof field === 'boolean') return { state: 'set', value: field };
  return { state: 'invalid', value: describeValue(field) };
}

/** A refused value as a message names it: `"false"` (a string), `0` (a number), a map, a list. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `\`${JSON.stringify(shown)}\` (a string)`;
  }
  if (typeof value === 'number' || typeof value === 'bigint') return `\`${String(value)}\` (a number)`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

/** `automountServiceAccountToken` of an object part, or null when unset or not a boolean. */
export function automountField(value: unknown): boolean | null {
  if (typeof value !== 'object' || value === null) return null;
  const field = (value as Record<string, unknown>).automountServiceAccountToken;
  return typeof field === 'boolean' ? field : null;
}

/**
 * The declaration of ServiceAccount `namespace/name` in the scanned set. When it is declared more than once
 * (overlays, copies), the one that mounts the token is taken: we must not assume a hardening that one copy lacks.
 */
export function resolveServiceAccount(model: Model, namespace: string, name: string): Resource | null {
  const candidates = model.serviceAccountIndex.get(nsKey(namespace, name));
  if (!candidates || candidates.length === 0) return null;
  return candidates.find((account) => automountField(account.object.value) !== false) ?? candidates[0]!;
}

/**
 * Where else a workload's undeclared ServiceAccount may be: the namespaces in which a ServiceAccount of its account's
 * name is declared, for a workload whose namespace says little. One that names no namespace goes wherever it is
 * applied (and is judged in the default one). One a chart rendered into the namespace the scan gave helm (a chart
 * with no `namespace` in the config's `charts` is rendered into the default one), whose own render declares the account
 * in another namespace, is most likely installed there (istiod: its Deployment goes in `.Release.Namespace`, its
 * ServiceAccount in `global.istioNamespace`). Empty otherwise. A hint for messages only: the workload may as well run
 * where that account is not declared, so nothing is judged by it.
 */
export function namespacesDeclaringAccount(model: Model, workload: Workload): string[] {
  const file = workload.resource.object.file;
  const rendered =
    file.rendered === true &&
    file.renderNamespace !== undefined &&
    workload.resource.ref.namespace === file.renderNamespace;
  if (!workload.resource.namespaceAssumed && !rendered) return [];
  const namespaces = new Set<string>();
  for (const account of model.serviceAccountNameIndex.get(workload.serviceAccountName) ?? []) {
    if (account.namespaceAssumed || account.ref.namespace === null) continue;
    if (!workload.resource.namespaceAssumed && account.object.file.renderedBy !== file.renderedBy) continue;
    if (account.ref.namespace !== workload.resource.ref.namespace) namespaces.add(account.ref.namespace);
  }
  return [...namespaces].sort();
}

/** The hint of `namespacesDeclaringAccount` as a sentence, or '' when it has none. */
export function declaredElsewhereHint(model: Model, workload: Workload): string {
  const namespaces = namespacesDeclaringAccount(model, workload);
  if (namespaces.length === 0) return '';
  const listed = namespaces
    .slice(0, 3)
    .map((namespace) => `\`${namespace}\``)
    .join(', ');
  const more = namespaces.length > 3 ? ` and ${namespaces.length - 3} more` : '';
  const { kind, namespace } = workload.resource.ref;
  if (!workload.resource.namespaceAssumed) {
    return (
      ` The chart was rendered into namespace \`${namespace}\` and declares ServiceAccount ` +
      `\`${workload.serviceAccountName}\` in namespace ${listed}${more}: if it is installed there, give the chart that ` +
      'namespace in the config (`charts: [{path: ..., namespace: ...}]`) so that the ' +
      `${kind} is judged with that account before its token is turned off.`
    );
  }
  return (
    ` The ${kind} names no namespace, and a ServiceAccount \`${workload.serviceAccountName}\` is ` +
    `declared in namespace ${listed}${more}: if it is applied there, set its \`metadata.namespace\` so that it is ` +
    'judged with that account.'
  );
}

/** Kubernetes' precedence: the pod's field wins when set, then the ServiceAccount's, then `true`. */
export function effectiveAutomount(
  model: Model,
  workload: Workload,
  assumeUnresolvedMounts: boolean,
): AutomountDecision {
  const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
  const serviceAccount = resolveServiceAccount(model, namespace, workload.serviceAccountName);
  const dedicated = workload.serviceAccountName !== 'default';
  const podField = automountSetting(workload.podSpec);
  if (podField.state === 'set') {
    return { mounts: podField.value, source: 'pod', serviceAccount, optedIn: podField.value };
  }
  if (podField.state === 'invalid') {
    // Refused: no pod is created as written. Taken as mounting, so that no fix counts on a token being absent.
    const invalid = { where: 'pod' as const, value: podField.value };
    return { mounts: true, source: 'invalid', serviceAccount, optedIn: false, invalid };
  }
  if (serviceAccount) {
    const accountField = automountSetting(serviceAccount.object.value);
    if (accountField.state === 'set') {
      return {
        mounts: accountField.value,
        source: 'serviceaccount',
        serviceAccount,
        optedIn: accountField.value && dedicated,
      };
    }
    if (accountField.state === 'invalid') {
      // The account is refused: what the cluster holds under its name is unknown, as for an undeclared one.
      const invalid = { where: 'serviceaccount' as const, value: accountField.value };
      return { mounts: assumeUnresolvedMounts, source: 'invalid', serviceAccount, optedIn: false, invalid };
    }
    return { mounts: true, source: 'default', serviceAccount, optedIn: false };
  }
  return { mounts: assumeUnresolvedMounts, source: 'unresolved', serviceAccount: null, optedIn: false };
}

export interface AutomountVolume {
  name: string;
  /** The volume's path below the object. */
  path: PathSegment[];
  /** Some container mounts it: the token is in its file system whatever the automount setting says. */
  mounted: boolean;
}

/**
 * The pod's `kube-api-access-*` volumes that hold a token: the volume Kubernetes adds for the automounted token, in a
 * manifest exported from a cluster. Setting `false` does not remove it: the pod then mounts it as a volume of its own.
 */
export function automountVolumesOf(workload: Workload): AutomountVolume[] {
  const mountedNames = new Set(volumeMountsOf(workload).map((mount) => mount.name));
  const result: AutomountVolume[] = [];
  for (const { volume, path, automounted } of projectedTokensOf(workload)) {
    if (!automounted || result.some((entry) => entry.name === volume)) continue;
    // The token source's path ends in [...volume, 'projected', 'sources', index, 'serviceAccountToken'].
    result.push({ name: volume, path: path.slice(0, -4), mounted: mountedNames.has(volume) });
  }
  return result;
}
