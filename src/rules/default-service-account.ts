import { resourceLabel } from '../core/model.js';
import { effectiveAutomount } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const defaultServiceAccount: Rule = {
  meta: metaOf('default-service-account'),
  check(context) {
    const { model } = context;
    for (const workload of context.subjects.workloads) {
      if (workload.serviceAccountName !== 'default') continue;
      const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
      // Kubernetes' precedence decides, as for automount-token: a pod-level `false` wins over the account's `true`.
      const decision = effectiveAutomount(model, workload, context.settings.assumeUnresolvedMounts);
      const forcedBy =
        decision.mounts && decision.source === 'pod'
          ? 'the pod spec says `automountServiceAccountToken: true`'
          : decision.mounts && decision.source === 'serviceaccount'
            ? 'that ServiceAccount says `automountServiceAccountToken: true` and the pod spec does not override it'
            : null;
      const name = workload.resource.ref.name;
      const how =
        workload.serviceAccountField === null
          ? 'names no ServiceAccount, so it runs as'
          : `sets \`${workload.serviceAccountField}: default\`, so it runs as`;
      context.report({
        resource: workload.resource,
        path: workload.serviceAccountField
          ? [...workload.podSpecPath, workload.serviceAccountField]
          : workload.podSpecPath,
        severity: forcedBy ? 'high' : undefined,
        message:
          `${resourceLabel(workload.resource.ref)} ${how} the \`default\` ServiceAccount of namespace \`${namespace}\`, ` +
          `an identity shared by every pod there that names no other${forcedBy ? `, and forces its token to be mounted: ${forcedBy}` : ''}. ` +
          `Create a dedicated ServiceAccount \`${namespace}/${name}\` with \`automountServiceAccountToken: false\`, ` +
          `grant it only what it needs with a RoleBinding, and set \`serviceAccountName: ${name}\`.`,
      });
    }
  },
};
