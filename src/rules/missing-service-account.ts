import { resourceLabel } from '../core/model.js';
import { declaredElsewhereHint, resolveServiceAccount } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const missingServiceAccount: Rule = {
  meta: metaOf('missing-service-account'),
  check(context) {
    const { model } = context;
    for (const workload of context.subjects.workloads) {
      if (workload.serviceAccountName === 'default') continue;
      const namespace = workload.resource.ref.namespace ?? model.defaultNamespace;
      if (resolveServiceAccount(model, namespace, workload.serviceAccountName)) continue;
      context.report({
        resource: workload.resource,
        path: [...workload.podSpecPath, workload.serviceAccountField!],
        message:
          `${resourceLabel(workload.resource.ref)} runs as ServiceAccount \`${namespace}/${workload.serviceAccountName}\`, ` +
          'which is not declared in the scanned files, so its automount setting and RBAC cannot be checked. ' +
          'Declare it next to the workload.' +
          declaredElsewhereHint(model, workload),
      });
    }
  },
};
