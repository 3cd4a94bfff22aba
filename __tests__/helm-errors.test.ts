/** Where a failed `helm template` says its error is (src/adapters/helm-errors.ts), in helm 3's and helm 4's words. */
import { describe, expect, it } from 'vitest';
import { helmErrorPlace } from '../src/adapters/helm-errors.js';

const FOOTER = '\n\nUse --debug flag to render out invalid YAML\n';

describe('helmErrorPlace', () => {
  it.each([
    [
      '`required` or `fail` (helm 3 and 4)',
      'Error: execution error at (lb/templates/deployment.yaml:67:28): clusterName is required',
      { source: 'lb/templates/deployment.yaml', line: 67 },
    ],
    [
      'a template that does not parse',
      'Error: parse error at (web/templates/service.yaml:3): unexpected "}" in operand',
      { source: 'web/templates/service.yaml', line: 3 },
    ],
    [
      'an error while executing (helm 3)',
      'Error: template: app/charts/db/templates/sts.yaml:3:13: executing "app/charts/db/templates/sts.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y',
      { source: 'app/charts/db/templates/sts.yaml', line: 3 },
    ],
    [
      'an error while executing (helm 4)',
      'Error: app/templates/cm.yaml:3:13\n  executing "app/templates/cm.yaml" at <.Values.x.y>:\n    nil pointer evaluating interface {}.y',
      { source: 'app/templates/cm.yaml', line: 3 },
    ],
    [
      'rendered output that is not YAML: the line is the output’s, so none',
      'Error: YAML parse error on app/templates/bad.yaml: error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context',
      { source: 'app/templates/bad.yaml', line: null },
    ],
  ])('%s', (_name, stderr, place) => {
    expect(helmErrorPlace(stderr + FOOTER)).toEqual(place);
  });

  it('takes the first place named, and none from errors that name no template', () => {
    expect(
      helmErrorPlace(
        'Error: template: a/templates/x.yaml:9:2: executing "a/templates/x.yaml" at <include "a.y" .>: error calling include: execution error at (a/templates/_y.tpl:4:5): boom',
      ),
    ).toEqual({ source: 'a/templates/x.yaml', line: 9 });
    expect(helmErrorPlace('Error: found in Chart.yaml, but missing in charts/ directory: redis')).toBeNull();
    expect(helmErrorPlace('Error: chart requires kubeVersion: >=1.40.0 which is incompatible')).toBeNull();
  });
});
