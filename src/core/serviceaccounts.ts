import { type Model, type Resource, type Workload, nsKey } from './model.js';

export type AutomountSource = 'pod' | 'serviceaccount' | 'default' | 'unresolved';

export interface AutomountDecision {
  /** Whether the API token ends up mounted in the pod. */
  mounts: boolean;
  /** What decided it: the pod field, the ServiceAccount field, Kubernetes' default (true), or an SA we did not find. */
  source: AutomountSource;
  /** The ServiceAccount the pod runs as, when declared in the scanned set. */
  serviceAccount: Resource | null;
  /** The token is mounted because someone asked for it: `true` on the pod, or on a dedicated ServiceAccount. */
  optedIn: boolean;
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

/** Kubernetes' precedence: the pod's field wins when set, then the ServiceAccount's, then `true`. */
export function effectiveAutomount(
  model: Model,
  workload: Workload,
  assumeUnresolvedMounts: boolean,
): AutomountDecision {
  const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
  const serviceAccount = resolveServiceAccount(model, namespace, workload.serviceAccountName);
  const dedicated = workload.serviceAccountName !== 'default';
  const podField = automountField(workload.podSpec);
  if (podField !== null) {
    return { mounts: podField, source: 'pod', serviceAccount, optedIn: podField };
  }
  if (serviceAccount) {
    const accountField = automountField(serviceAccount.object.value);
    if (accountField !== null) {
      return {
        mounts: accountField,
        source: 'serviceaccount',
        serviceAccount,
        optedIn: accountField && dedicated,
      };
    }
    return { mounts: true, source: 'default', serviceAccount, optedIn: false };
  }
  return { mounts: assumeUnresolvedMounts, source: 'unresolved', serviceAccount: null, optedIn: false };
}
