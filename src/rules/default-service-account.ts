import { resourceLabel } from '../core/model.js';
import { automountField, resolveServiceAccount } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const defaultServiceAccount: Rule = {
  meta: metaOf('default-service-account'),
  check(context) {
    const { model } = context;
    for (const workload of model.workloads) {
      if (workload.serviceAccountName !== 'default') continue;
      const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
      const declared = resolveServiceAccount(model, namespace, 'default');
      const forced =
        automountField(workload.podSpec) === true ||
        (declared !== null && automountField(declared.object.value) === true);
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
        severity: forced ? 'high' : undefined,
        message:
          `${resourceLabel(workload.resource.ref)} ${how} the \`default\` ServiceAccount of namespace \`${namespace}\`, ` +
          `an identity shared by every pod there that names no other${forced ? ', and forces its token to be mounted' : ''}. ` +
          `Create a dedicated ServiceAccount \`${namespace}/${name}\` with \`automountServiceAccountToken: false\`, ` +
          `grant it only what it needs with a RoleBinding, and set \`serviceAccountName: ${name}\`.`,
      });
    }
  },
};
