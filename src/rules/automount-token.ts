import { resourceLabel } from '../core/model.js';
import { describeGrant } from '../core/rbac.js';
import { effectiveAutomount } from '../core/serviceaccounts.js';
import { setMapEntry } from '../core/fix.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const automountToken: Rule = {
  meta: metaOf('automount-token'),
  check(context) {
    const { model } = context;
    for (const workload of model.workloads) {
      const decision = effectiveAutomount(model, workload, context.settings.assumeUnresolvedMounts);
      if (!decision.mounts || decision.optedIn) continue;
      const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
      const account = workload.serviceAccountName;
      const privileged = context.rbac
        .grantsToServiceAccount(namespace, account)
        .filter((grant) => grant.privilege);
      const isDefault = account === 'default';

      let why: string;
      if (decision.source === 'unresolved') {
        why = isDefault
          ? `the \`default\` ServiceAccount of namespace \`${namespace}\` is not declared in the scanned files, and Kubernetes creates it with automounting on`
          : `ServiceAccount \`${namespace}/${account}\` is not declared in the scanned files, so it is assumed to mount the token as Kubernetes does by default`;
      } else if (decision.source === 'serviceaccount') {
        why = `the \`default\` ServiceAccount sets \`automountServiceAccountToken: true\`, which is not a workload's own consent`;
      } else {
        why = `neither the pod spec nor ServiceAccount \`${namespace}/${account}\` sets \`automountServiceAccountToken\`, and Kubernetes mounts it by default`;
      }
      const parts = [
        `${resourceLabel(workload.resource.ref)} mounts the API token of ServiceAccount \`${account}\`: ${why}.`,
      ];
      if (privileged.length > 0) {
        // A binding declared in two files (alternative installs) is one grant to a reader.
        const described = [
          ...new Set(
            privileged.map((grant) => `${describeGrant(grant)} (${grant.privilege!.reasons.join(', ')})`),
          ),
        ];
        const grants = described.slice(0, 3).join('; ');
        parts.push(`A stolen token carries privileged RBAC: ${grants}${described.length > 3 ? '; …' : ''}.`);
      } else if (isDefault) {
        parts.push('It is the shared identity of every pod in the namespace that names no other.');
      }
      // A client lives on its token: its fix makes the consent explicit and removes nothing.
      const client = context.apiClients.workload(workload);
      parts.push(
        client === null
          ? 'Set `automountServiceAccountToken: false` in the pod spec; a pod that calls the API should use a dedicated ServiceAccount and say `true` explicitly.'
          : `It is judged an API client, so its token stays: ${client}. Say \`automountServiceAccountToken: true\` in ` +
              'the pod spec to make that consent explicit; where it only proves its identity to other services, a ' +
              'projected `serviceAccountToken` volume with an `audience` and an `expirationSeconds` is the bounded ' +
              'alternative.',
      );
      context.report({
        resource: workload.resource,
        path: workload.podSpecPath,
        severity: isDefault || privileged.length > 0 ? 'high' : undefined,
        message: parts.join(' '),
        ...(client === null ? {} : { apiClient: client }),
        fix: setMapEntry(
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
