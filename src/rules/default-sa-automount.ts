import { setServiceAccountAutomount } from '../core/fix.js';
import { CLUSTER_NAMESPACES, automountSetting } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const defaultSaAutomount: Rule = {
  meta: metaOf('default-sa-automount'),
  check(context) {
    for (const account of context.subjects.serviceAccounts) {
      if (account.ref.name !== 'default') continue;
      const setting = automountSetting(account.object.value);
      if (setting.state === 'set' && !setting.value) continue;
      const set = 'automountServiceAccountToken' in account.object.value;
      const namespace = account.ref.namespace ?? context.model.defaultNamespace;
      const says =
        setting.state === 'set'
          ? 'sets `automountServiceAccountToken: true`'
          : setting.state === 'invalid'
            ? `sets \`automountServiceAccountToken\` to ${setting.value}, which the API server refuses (so the one Kubernetes creates stays as it is)`
            : 'does not set `automountServiceAccountToken: false`';
      const message =
        `The \`default\` ServiceAccount of namespace \`${namespace}\` ${says}, ` +
        'so every pod that names no ServiceAccount gets its API token.';
      const client = context.apiClients.serviceAccount(namespace, 'default');
      const cluster = CLUSTER_NAMESPACES.has(namespace);
      context.report({
        resource: account,
        path: set ? ['automountServiceAccountToken'] : ['metadata', 'name'],
        message:
          client !== null
            ? `${message} It is left on, as switching it off would break an API client: ${client}. Give that ` +
              'workload a ServiceAccount of its own with the grants it needs, then set this one to `false`.'
            : cluster
              ? `${message} Set it to \`false\` once no pod there relies on it: the cluster runs pods in this ` +
                'namespace that no repository declares (add-ons, its own components), so no fix is offered.'
              : `${message} Set it to \`false\`.`,
        fix: client === null && !cluster ? setServiceAccountAutomount(account) : null,
        ...(client === null ? {} : { apiClient: client }),
      });
    }
  },
};
