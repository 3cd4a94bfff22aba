import { nsKey, resourceLabel } from '../core/model.js';
import { describeGrant } from '../core/rbac.js';
import {
  type AutomountDecision,
  automountVolumesOf,
  declaredElsewhereHint,
  effectiveAutomount,
} from '../core/serviceaccounts.js';
import { setMapEntry } from '../core/fix.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

/** Why the setting mounts the token, for a decision that does. */
function whyMounted(decision: AutomountDecision, namespace: string, account: string): string {
  if (decision.source === 'unresolved') {
    return account === 'default'
      ? `the \`default\` ServiceAccount of namespace \`${namespace}\` is not declared in the scanned files, and Kubernetes creates it with automounting on`
      : `ServiceAccount \`${namespace}/${account}\` is not declared in the scanned files, so it is assumed to mount the token as Kubernetes does by default`;
  }
  if (decision.source === 'invalid') {
    return (
      `ServiceAccount \`${namespace}/${account}\` sets \`automountServiceAccountToken\` to ${decision.invalid!.value}, a ` +
      'value the API server refuses (see invalid-automount-value), so its setting cannot be relied on and the token is ' +
      'taken to be mounted, as Kubernetes does by default'
    );
  }
  if (decision.source === 'serviceaccount') {
    return `the \`default\` ServiceAccount sets \`automountServiceAccountToken: true\`, which is not a workload's own consent`;
  }
  return `neither the pod spec nor ServiceAccount \`${namespace}/${account}\` sets \`automountServiceAccountToken\`, and Kubernetes mounts it by default`;
}

const quoted = (names: string[]) => names.map((name) => `\`${name}\``).join(', ');

export const automountToken: Rule = {
  meta: metaOf('automount-token'),
  check(context) {
    const { model } = context;
    // What a stolen token of each account carries, worked out once an account: copies of one install in a namespace
    // share an account, and each would otherwise read every copy's bindings (workloads × bindings).
    const privilegedRbac = new Map<string, string | null>();
    const privilegedRbacOf = (namespace: string, account: string): string | null => {
      const key = nsKey(namespace, account);
      if (privilegedRbac.has(key)) return privilegedRbac.get(key)!;
      // A binding declared in two files (alternative installs) is one grant to a reader.
      const described = new Set<string>();
      for (const grant of context.rbac.grantsToServiceAccount(namespace, account)) {
        if (grant.privilege) described.add(`${describeGrant(grant)} (${grant.privilege.reasons.join(', ')})`);
      }
      const grants = [...described].slice(0, 3).join('; ');
      const text = described.size === 0 ? null : `${grants}${described.size > 3 ? '; …' : ''}`;
      privilegedRbac.set(key, text);
      return text;
    };
    for (const workload of context.subjects.workloads) {
      const decision = effectiveAutomount(model, workload, context.settings.assumeUnresolvedMounts);
      // A pod spec whose own value the API server refuses is not created: invalid-automount-value reports that.
      if (decision.optedIn || decision.invalid?.where === 'pod') continue;
      // A `kube-api-access-*` volume (a manifest exported from a cluster) is the automounted token. Kubernetes reuses it
      // when the pod automounts; when it does not, a container that mounts it still holds the token.
      const volumes = automountVolumesOf(workload).filter((volume) => decision.mounts || volume.mounted);
      if (!decision.mounts && volumes.length === 0) continue;
      const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
      const account = workload.serviceAccountName;
      const privileged = privilegedRbacOf(namespace, account);
      const isDefault = account === 'default';
      const names = quoted(volumes.map((volume) => volume.name));

      const parts = decision.mounts
        ? [
            `${resourceLabel(workload.resource.ref)} mounts the API token of ServiceAccount \`${account}\`: ${whyMounted(decision, namespace, account)}.` +
              (decision.source === 'unresolved' ? declaredElsewhereHint(model, workload) : ''),
          ]
        : [
            `${resourceLabel(workload.resource.ref)} mounts the API token of ServiceAccount \`${account}\` through volume ` +
              `${names} although automounting is off: that is the token volume Kubernetes adds to a pod that automounts ` +
              '(a manifest exported from a cluster), and a container mounts it as a volume of its own.',
          ];
      if (decision.mounts && volumes.length > 0) {
        parts.push(
          `Its pod spec carries ${names}, the token volume Kubernetes adds itself (a manifest exported from a cluster) and ` +
            'reuses as the automounted token, so `automountServiceAccountToken: false` alone would leave the token mounted.',
        );
      }
      if (privileged !== null) {
        parts.push(`A stolen token carries privileged RBAC: ${privileged}.`);
      } else if (isDefault) {
        parts.push('It is the shared identity of every pod in the namespace that names no other.');
      }
      // A client lives on its token: its fix makes the consent explicit and removes nothing.
      const client = context.apiClients.workload(workload);
      const removeVolumes =
        volumes.length > 0
          ? `Remove volume ${names} and the \`volumeMounts\` that name it (Kubernetes adds it again to a pod that automounts)`
          : null;
      if (client !== null) {
        parts.push(
          `It is judged an API client, so its token stays: ${client}. Say \`automountServiceAccountToken: true\` in ` +
            'the pod spec to make that consent explicit; where it only proves its identity to other services, a ' +
            'projected `serviceAccountToken` volume with an `audience` and an `expirationSeconds` is the bounded ' +
            'alternative.',
        );
      } else if (removeVolumes !== null) {
        parts.push(
          decision.mounts
            ? `${removeVolumes}, and set \`automountServiceAccountToken: false\` in the pod spec; a pod that calls the API should use a dedicated ServiceAccount and say \`true\` explicitly.`
            : `${removeVolumes}.`,
        );
      } else {
        parts.push(
          'Set `automountServiceAccountToken: false` in the pod spec; a pod that calls the API should use a dedicated ServiceAccount and say `true` explicitly.',
        );
      }
      context.report({
        resource: workload.resource,
        path: decision.mounts ? workload.podSpecPath : volumes[0]!.path,
        severity: isDefault || privileged !== null ? 'high' : undefined,
        message: parts.join(' '),
        ...(client === null ? {} : { apiClient: client }),
        // `false` alone leaves a `kube-api-access-*` volume mounted: no fix claims to remove a token it leaves.
        fix:
          client === null && removeVolumes !== null
            ? null
            : setMapEntry(
                workload.resource.object,
                workload.podSpecPath,
                'automountServiceAccountToken',
                client === null ? 'false' : 'true',
                { after: ['serviceAccountName', 'serviceAccount'] },
              ),
      });
    }
  },
};
