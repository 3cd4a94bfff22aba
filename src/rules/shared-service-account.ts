import { type Workload, accountKeyOf, nsKey, resourceLabel } from '../core/model.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

const MAX_NAMED = 5;

export const sharedServiceAccount: Rule = {
  meta: metaOf('shared-service-account'),
  check(context) {
    const { model, subjects } = context;
    // Each account a subject runs as (in the namespace the workload gives, none for a kind without one), with every
    // workload of the model that runs as it, in the model's order.
    const accounts = new Map<string, Workload[]>();
    for (const workload of subjects.workloads) {
      if (workload.serviceAccountName === 'default') continue;
      const { namespace } = workload.resource.ref;
      const key = nsKey(namespace, workload.serviceAccountName);
      if (accounts.has(key)) continue;
      const running = model.workloadIndex.get(accountKeyOf(workload, model.defaultNamespace)) ?? [];
      accounts.set(
        key,
        running.filter((other) => other.resource.ref.namespace === namespace),
      );
    }
    // Accounts in the order of their first workloads, as a pass over all of them would meet them.
    const ordered = [...accounts.values()].sort((a, b) => a[0]!.resource.order - b[0]!.resource.order);
    for (const running of ordered) {
      const users = new Map<string, Workload[]>();
      for (const workload of running) {
        const identity = `${workload.resource.ref.kind}/${workload.resource.ref.name}`;
        const copies = users.get(identity);
        if (copies) copies.push(workload);
        else users.set(identity, [workload]);
      }
      if (users.size < 2) continue;
      // Only the first few other users are named, so a ServiceAccount shared by thousands stays linear.
      const firstUsers = [...users.keys()].slice(0, MAX_NAMED + 1);
      for (const [identity, workloads] of users) {
        const named = firstUsers
          .filter((other) => other !== identity)
          .slice(0, MAX_NAMED)
          .map((other) => `\`${other}\``)
          .join(', ');
        const othersCount = users.size - 1;
        const more = othersCount > MAX_NAMED ? ` and ${othersCount - MAX_NAMED} more` : '';
        for (const workload of workloads) {
          if (!subjects.has(workload.resource)) continue;
          const field = workload.serviceAccountField!;
          context.report({
            resource: workload.resource,
            path: [...workload.podSpecPath, field],
            message:
              `${resourceLabel(workload.resource.ref)} shares ServiceAccount \`${workload.serviceAccountName}\` with ` +
              `${named}${more}: each holds the union of the permissions all of them need. Give each workload its own ServiceAccount.`,
          });
        }
      }
    }
  },
};
