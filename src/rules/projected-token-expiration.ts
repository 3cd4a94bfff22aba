import { resourceLabel } from '../core/model.js';
import { projectedTokensOf } from '../core/pod-spec.js';
import { replaceScalar, setMapEntry } from '../core/fix.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

/** The API server rejects shorter tokens, and uses one hour when the field is absent. */
const MIN_EXPIRATION = 600;
const DEFAULT_EXPIRATION = 3600;

export const projectedTokenExpiration: Rule = {
  meta: metaOf('projected-token-expiration'),
  check(context) {
    const max = Number(context.options['max-expiration-seconds']);
    for (const workload of context.subjects.workloads) {
      const label = resourceLabel(workload.resource.ref);
      for (const { token, path, volume, automounted } of projectedTokensOf(workload)) {
        // The `kube-api-access-*` volume is the automounted token, whoever wrote it: automount-token judges it.
        if (automounted) continue;
        const seconds = token.expirationSeconds;
        const object = workload.resource.object;
        if (seconds === undefined || seconds === null) {
          if (DEFAULT_EXPIRATION <= max) continue;
          context.report({
            resource: workload.resource,
            path,
            key: volume,
            message:
              `${label}: the projected token of volume \`${volume}\` sets no \`expirationSeconds\`, so it lives ` +
              `${DEFAULT_EXPIRATION} seconds, longer than the allowed ${max}.`,
            fix: setMapEntry(object, path, 'expirationSeconds', String(max), 'last'),
          });
          continue;
        }
        if (typeof seconds !== 'number') continue;
        if (seconds >= MIN_EXPIRATION && seconds <= max) continue;
        const problem =
          seconds < MIN_EXPIRATION
            ? `is below ${MIN_EXPIRATION}, the shortest lifetime the API server accepts, so the pod will not be created`
            : `exceeds the allowed maximum of ${max}; a stolen token stays valid that long`;
        context.report({
          resource: workload.resource,
          path: [...path, 'expirationSeconds'],
          key: volume,
          message: `${label}: the projected token of volume \`${volume}\` has \`expirationSeconds: ${seconds}\`, which ${problem}.`,
          fix: replaceScalar(object, [...path, 'expirationSeconds'], String(max)),
        });
      }
    }
  },
};
