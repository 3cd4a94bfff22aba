import { type Workload, nsKey, resourceLabel } from '../core/model.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

const MAX_NAMED = 5;

export const sharedServiceAccount: Rule = {
  meta: metaOf('shared-service-account'),
  check(context) {
    const byAccount = new Map<string, Map<string, Workload[]>>();
    for (const workload of context.model.workloads) {
      if (workload.serviceAccountName === 'default') continue;
      const key = nsKey(workload.resource.ref.namespace, workload.serviceAccountName);
      const identity = `${workload.resource.ref.kind}/${workload.resource.ref.name}`;
      let users = byAccount.get(key);
      if (!users) byAccount.set(key, (users = new Map()));
      const copies = users.get(identity);
      if (copies) copies.push(workload);
      else users.set(identity, [workload]);
    }
    for (const users of byAccount.values()) {
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
