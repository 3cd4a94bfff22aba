import type { PathSegment } from '../core/load.js';
import { isRecord, resourceLabel } from '../core/model.js';
import { containersOf, volumesOf } from '../core/pod-spec.js';
import { secretKindOf } from '../core/serviceaccounts.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const legacyTokenMount: Rule = {
  meta: metaOf('legacy-token-mount'),
  check(context) {
    const { model } = context;
    for (const workload of context.subjects.workloads) {
      const namespace = workload.resource.ref.namespace;
      const label = resourceLabel(workload.resource.ref);
      const uses: { secret: string; path: PathSegment[]; how: string }[] = [];
      for (const { volume, path } of volumesOf(workload)) {
        const name = String(volume.name ?? '');
        if (isRecord(volume.secret) && typeof volume.secret.secretName === 'string') {
          uses.push({
            secret: volume.secret.secretName,
            path: [...path, 'secret', 'secretName'],
            how: `volume \`${name}\``,
          });
        }
        const sources = isRecord(volume.projected) ? volume.projected.sources : undefined;
        if (Array.isArray(sources)) {
          sources.forEach((source, index) => {
            if (isRecord(source) && isRecord(source.secret) && typeof source.secret.name === 'string') {
              uses.push({
                secret: source.secret.name,
                path: [...path, 'projected', 'sources', index, 'secret', 'name'],
                how: `projected volume \`${name}\``,
              });
            }
          });
        }
      }
      for (const { container, path } of containersOf(workload)) {
        const containerName = String(container.name ?? '');
        if (Array.isArray(container.env)) {
          container.env.forEach((variable, index) => {
            const ref =
              isRecord(variable) && isRecord(variable.valueFrom)
                ? variable.valueFrom.secretKeyRef
                : undefined;
            if (isRecord(ref) && typeof ref.name === 'string') {
              uses.push({
                secret: ref.name,
                path: [...path, 'env', index, 'valueFrom', 'secretKeyRef', 'name'],
                how: `environment variable \`${String(variable.name)}\` of container \`${containerName}\``,
              });
            }
          });
        }
        if (Array.isArray(container.envFrom)) {
          container.envFrom.forEach((source, index) => {
            if (isRecord(source) && isRecord(source.secretRef) && typeof source.secretRef.name === 'string') {
              uses.push({
                secret: source.secretRef.name,
                path: [...path, 'envFrom', index, 'secretRef', 'name'],
                how: `\`envFrom\` of container \`${containerName}\``,
              });
            }
          });
        }
      }
      for (const use of uses) {
        if (secretKindOf(model, namespace, use.secret) !== 'token') continue;
        context.report({
          resource: workload.resource,
          path: use.path,
          key: `${use.how}:${use.secret}`,
          message:
            `${label} reads the long-lived ServiceAccount token Secret \`${use.secret}\` through ${use.how}. ` +
            'Such a token never expires; use a projected `serviceAccountToken` volume with an audience and an expiration.',
        });
      }
    }
  },
};
