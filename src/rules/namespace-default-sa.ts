import { appendDocument } from '../core/fix.js';
import { nsKey } from '../core/model.js';
import { CLUSTER_NAMESPACES } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const namespaceDefaultSa: Rule = {
  meta: metaOf('namespace-default-sa'),
  check(context) {
    const { model } = context;
    for (const namespace of context.subjects.namespaces) {
      const name = namespace.ref.name;
      // A declared but unhardened `default` ServiceAccount is default-sa-automount's finding, not this one.
      if (model.serviceAccountIndex.has(nsKey(name, 'default'))) continue;
      const document = [
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata:',
        '  name: default',
        `  namespace: ${name}`,
        'automountServiceAccountToken: false',
      ].join('\n');
      const message =
        `Namespace \`${name}\` has no \`default\` ServiceAccount declared, so the one Kubernetes creates mounts its ` +
        'token into every pod that names no ServiceAccount.';
      const client = context.apiClients.serviceAccount(name, 'default');
      const system = CLUSTER_NAMESPACES.has(name);
      context.report({
        resource: namespace,
        path: ['metadata', 'name'],
        message:
          client !== null
            ? `${message} Declaring it with \`automountServiceAccountToken: false\` would break an API client: ` +
              `${client}. Give that workload a ServiceAccount of its own first.`
            : system
              ? `${message} Declare it with \`automountServiceAccountToken: false\` once no pod there relies on it: ` +
                'the cluster runs pods in this namespace that no repository declares (add-ons, its own components), ' +
                'so no fix is offered.'
              : `${message} Declare it with \`automountServiceAccountToken: false\`.`,
        fix: client === null && !system ? appendDocument(namespace.object, document) : null,
        ...(client === null ? {} : { apiClient: client }),
      });
    }
  },
};
