import type { PathSegment } from '../core/load.js';
import { type Resource, resourceLabel } from '../core/model.js';
import { IGNORE_ANNOTATION, parseIgnoreAnnotation } from '../core/suppress.js';
import { metaOf } from './meta.js';
import type { Rule, RuleContext } from './types.js';

export const invalidSuppression: Rule = {
  meta: metaOf('invalid-suppression'),
  check(context) {
    // The places an ignore annotation can be: the resource's own annotations, and its pod template's. Few resources
    // have one, so a place's path is made only where there is.
    for (const resource of context.subjects.resources) {
      const own = resource.annotations[IGNORE_ANNOTATION];
      if (own !== undefined)
        checkValue(context, resource, own, ['metadata', 'annotations', IGNORE_ANNOTATION]);
      const workload = context.workloadOf(resource);
      if (!workload?.templateMetadataPath) continue;
      const template = workload.templateAnnotations[IGNORE_ANNOTATION];
      if (template !== undefined)
        checkValue(context, resource, template, [
          ...workload.templateMetadataPath,
          'annotations',
          IGNORE_ANNOTATION,
        ]);
    }
  },
};

function checkValue(context: RuleContext, resource: Resource, value: string, path: PathSegment[]): void {
  const { problems } = parseIgnoreAnnotation(value, context.settings.knownRules);
  if (problems.length === 0) return;
  context.report({
    resource,
    path,
    key: path.join('.'),
    message: `${resourceLabel(resource.ref)}: \`${IGNORE_ANNOTATION}\` does not take effect as written: ${problems.join('; ')}.`,
  });
}
