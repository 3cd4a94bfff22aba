import { resourceLabel } from '../core/model.js';
import { removeEntry, renameKey } from '../core/fix.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const deprecatedServiceAccountField: Rule = {
  meta: metaOf('deprecated-service-account-field'),
  check(context) {
    for (const workload of context.subjects.workloads) {
      const spec = workload.podSpec;
      if (!('serviceAccount' in spec)) continue;
      const path = [...workload.podSpecPath, 'serviceAccount'];
      const object = workload.resource.object;
      const label = resourceLabel(workload.resource.ref);
      const deprecated = spec.serviceAccount;
      const current = spec.serviceAccountName;
      if (current === undefined) {
        context.report({
          resource: workload.resource,
          path,
          message: `${label} uses the deprecated \`serviceAccount\` field; use \`serviceAccountName\`.`,
          fix: renameKey(object, path, 'serviceAccountName'),
        });
      } else if (
        (current === '' || current === null) &&
        typeof deprecated === 'string' &&
        deprecated !== ''
      ) {
        // Kubernetes reads an empty `serviceAccountName` as unset and takes the deprecated field's account: removing
        // that field would move the pod to `default`, away from what its account is granted.
        context.report({
          resource: workload.resource,
          path,
          message:
            `${label} leaves \`serviceAccountName\` empty, so Kubernetes runs it as the ServiceAccount of the ` +
            `deprecated \`serviceAccount\` field (\`${deprecated}\`). Set \`serviceAccountName: ${deprecated}\` and ` +
            'then remove `serviceAccount`: removing it alone would run the pod as `default`.',
        });
      } else if (current === deprecated) {
        context.report({
          resource: workload.resource,
          path,
          message: `${label} repeats its ServiceAccount in the deprecated \`serviceAccount\` field; remove it and keep \`serviceAccountName\`.`,
          fix: removeEntry(object, path),
        });
      } else {
        context.report({
          resource: workload.resource,
          path,
          message:
            `${label} sets the deprecated \`serviceAccount\` and \`serviceAccountName\` to different values; ` +
            `Kubernetes uses \`serviceAccountName\`. Remove \`serviceAccount\` after checking which identity is intended.`,
        });
      }
    }
  },
};
