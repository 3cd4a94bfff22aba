import { type Workload, resourceLabel } from '../core/model.js';
import { projectedTokensOf, volumeMountsOf } from '../core/pod-spec.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

/** Where the Kubernetes client libraries read the pod's API token (in-cluster configuration). */
const API_TOKEN_DIRECTORY = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Whether a container mounts volume `volume` where the client libraries look for the API token. */
function mountedForApiClients(workload: Workload, volume: string): boolean {
  return volumeMountsOf(workload).some(
    (mount) =>
      mount.name === volume &&
      typeof mount.mountPath === 'string' &&
      mount.mountPath.replace(/\/+$/, '') === API_TOKEN_DIRECTORY,
  );
}

export const projectedTokenAudience: Rule = {
  meta: metaOf('projected-token-audience'),
  check(context) {
    const allowed = (context.options['allowed-audiences'] as string[] | undefined) ?? [];
    for (const workload of context.subjects.workloads) {
      const label = resourceLabel(workload.resource.ref);
      for (const { token, path, volume, automounted } of projectedTokensOf(workload)) {
        // The `kube-api-access-*` volume is the automounted token, whoever wrote it: automount-token judges it.
        if (automounted) continue;
        // An API client's own bounded token, where its client library reads it: the API server is its audience, and
        // another would break it (a controller that turned automounting off for a token with a shorter life).
        const forApiClients = mountedForApiClients(workload, volume);
        if (forApiClients && context.apiClients.workload(workload) !== null) continue;
        const audience = typeof token.audience === 'string' ? token.audience : '';
        if (audience === '') {
          context.report({
            resource: workload.resource,
            path,
            key: volume,
            severity: allowed.length > 0 ? 'medium' : undefined,
            message:
              `${label}: the projected token of volume \`${volume}\` has no \`audience\`, so it is issued for the API ` +
              'server itself and works against it. ' +
              (forApiClients
                ? `It is mounted at \`${API_TOKEN_DIRECTORY}\`, where Kubernetes clients read their token: if the ` +
                  'workload calls the API, it needs this audience; say so with the annotation ' +
                  "`kube-token-guard.io/api-client` or the config's `api-clients`. Otherwise set the audience of the " +
                  'service that will verify the token.'
                : 'Set the audience of the service that will verify the token.'),
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
