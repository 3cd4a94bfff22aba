import { resourceLabel } from '../core/model.js';
import { serviceAccountOfSubject } from '../core/rbac.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const saPrivilegedRbac: Rule = {
  meta: metaOf('sa-privileged-rbac'),
  check(context) {
    const grants = context.subjects.bindings.flatMap((binding) => context.rbac.grantsOf(binding));
    for (const grant of grants) {
      if (!grant.privilege) continue;
      const account = serviceAccountOfSubject(grant.subject, grant.binding, context.model.defaultNamespace);
      if (!account) continue;
      const viaClusterBinding = grant.binding.ref.kind === 'ClusterRoleBinding';
      const critical = grant.privilege.clusterAdmin && viaClusterBinding;
      const scope = viaClusterBinding ? 'cluster-wide' : `in namespace \`${grant.binding.ref.namespace}\``;
      context.report({
        resource: grant.binding,
        path: ['subjects', grant.subjectIndex],
        key: `ServiceAccount:${account.namespace}:${account.name}`,
        severity: critical ? 'critical' : undefined,
        message:
          `${resourceLabel(grant.binding.ref)} grants ${grant.role.kind} \`${grant.role.name}\` ` +
          `(${grant.privilege.reasons.join(', ')}) ${scope} to ServiceAccount \`${account.namespace}/${account.name}\`` +
          `${critical ? ', which makes it cluster-admin' : ''}. Any pod running as it with a mounted token holds these ` +
          'permissions; grant only the verbs and resources the workload uses.',
      });
    }
  },
};
