import type { PathSegment } from '../core/load.js';
import { type Resource, resourceLabel } from '../core/model.js';
import { IGNORE_ANNOTATION, parseIgnoreAnnotation } from '../core/suppress.js';
import { metaOf } from './meta.js';
import type { Rule } from './types.js';

export const invalidSuppression: Rule = {
  meta: metaOf('invalid-suppression'),
  check(context) {
    // Most resources carry no suppression: places are made only for the annotations present.
    const places: { annotations: Record<string, string>; path: PathSegment[]; resource: Resource }[] = [];
    for (const resource of context.subjects.resources) {
      if (resource.annotations[IGNORE_ANNOTATION] !== undefined) {
        places.push({
          annotations: resource.annotations,
          path: ['metadata', 'annotations', IGNORE_ANNOTATION],
          resource,
        });
      }
      const workload = context.workloadOf(resource);
      if (workload?.templateMetadataPath && workload.templateAnnotations[IGNORE_ANNOTATION] !== undefined) {
        places.push({
          annotations: workload.templateAnnotations,
          path: [...workload.templateMetadataPath, 'annotations', IGNORE_ANNOTATION],
          resource,
        });
      }
    }
    for (const { annotations, path, resource } of places) {
      const value = annotations[IGNORE_ANNOTATION];
      if (value === undefined) continue;
      const { problems } = parseIgnoreAnnotation(value, context.settings.knownRules);
      if (problems.length === 0) continue;
      context.report({
        resource,
        path,
        key: path.join('.'),
        message: `${resourceLabel(resource.ref)}: \`${IGNORE_ANNOTATION}\` does not take effect as written: ${problems.join('; ')}.`,
      });
    }
  },
};
