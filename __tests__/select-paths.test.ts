/** The files a pull request's scan takes from a repository listing (src/adapters/files.ts `selectPaths`). */
import { describe, expect, it } from 'vitest';
import { selectPaths } from '../src/adapters/files.js';

const LISTING = [
  'apps/web.yaml',
  'charts/app/Chart.yaml',
  'charts/app/values.yaml',
  'charts/app/templates/deployment.yaml',
  'charts/common/Chart.yaml',
  'charts/common/values.yaml',
  'charts/common/templates/_helpers.tpl',
  'overlays/prod/kustomization.yaml',
  'overlays/prod/patch.yaml',
];

describe('selectPaths', () => {
  it('leaves charts and kustomizations to their builds', () => {
    const selection = selectPaths(LISTING, ['**/*.yaml', '**/*.yml', '**/*.json'], []);
    expect(selection.selected).toEqual(['apps/web.yaml']);
    expect(selection.charts).toEqual(['charts/app', 'charts/common']);
    expect(selection.kustomizations).toEqual(['overlays/prod']);
    expect(selection.held.map((file) => file.path)).toContain('charts/common/values.yaml');
  });

  it.each([['charts/common/**'], ['charts/common/Chart.yaml']])(
    'leaves out a chart whose Chart.yaml `%s` excludes, whole',
    (glob) => {
      const selection = selectPaths(LISTING, ['**/*.yaml'], [glob]);
      expect(selection.charts).toEqual(['charts/app']);
      expect([...selection.selected, ...selection.held.map((file) => file.path)]).not.toContain(
        'charts/common/values.yaml',
      );
      expect(selection.selected).toEqual(['apps/web.yaml']);
    },
  );
});
