import type { PathSegment } from '../core/load.js';
import { type Resource, resourceLabel } from '../core/model.js';
import { automountSetting } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const invalidAutomountValue: Rule = {
  meta: metaOf('invalid-automount-value'),
  check(context) {
    const places: { resource: Resource; owner: unknown; path: PathSegment[]; consequence: string }[] = [
      ...context.subjects.workloads.map((workload) => ({
        resource: workload.resource,
        owner: workload.podSpec,
        path: workload.podSpecPath,
        consequence: 'the object is not created as written',
      })),
      ...context.subjects.serviceAccounts.map((account) => ({
        resource: account,
        owner: account.object.value,
        path: [],
        consequence:
          'the ServiceAccount is not created as written, and pods that run as it and set no value of their own ' +
          'are taken to mount its token',
      })),
    ];
    for (const { resource, owner, path, consequence } of places) {
      const setting = automountSetting(owner);
      if (setting.state !== 'invalid') continue;
      context.report({
        resource,
        path: [...path, 'automountServiceAccountToken'],
        message:
          `${resourceLabel(resource.ref)} sets \`automountServiceAccountToken\` to ${setting.value}, which the API ` +
          `server refuses, since the field is a boolean: ${consequence}. Write \`false\` (or \`true\`) without quotes.`,
      });
    }
  },
};
