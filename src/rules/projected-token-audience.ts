import { projectedTokensOf, resourceLabel } from '../core/model.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const projectedTokenAudience: Rule = {
  meta: metaOf('projected-token-audience'),
  check(context) {
    const allowed = (context.options['allowed-audiences'] as string[] | undefined) ?? [];
    for (const workload of context.subjects.workloads) {
      const label = resourceLabel(workload.resource.ref);
      for (const { token, path, volume, automounted } of projectedTokensOf(workload)) {
        // The `kube-api-access-*` volume is the automounted token, whoever wrote it: automount-token judges it.
        if (automounted) continue;
        const audience = typeof token.audience === 'string' ? token.audience : '';
        if (audience === '') {
          context.report({
            resource: workload.resource,
            path,
            key: volume,
            severity: allowed.length > 0 ? 'medium' : undefined,
            message:
              `${label}: the projected token of volume \`${volume}\` has no \`audience\`, so it is issued for the API ` +
              'server itself and works against it. Set the audience of the service that will verify the token.',
          });
        } else if (allowed.length > 0 && !allowed.includes(audience)) {
          context.report({
            resource: workload.resource,
            path: [...path, 'audience'],
            key: volume,
            severity: 'medium',
            message:
              `${label}: the projected token of volume \`${volume}\` has audience \`${audience}\`, which is not in ` +
              `the allowed audiences (${allowed.map((entry) => `\`${entry}\``).join(', ')}).`,
          });
        }
      }
    }
  },
};
