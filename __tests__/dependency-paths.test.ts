/**
 * Where a dependency's template is, from the names helm prints and the chart's own files, which a pull request writes:
 * aliases and chart names lead only to folders of `charts/`, never out of it.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DependencyPaths } from '../src/adapters/dependency-paths.js';
import { temporaryTrees } from './helpers.js';

const tree = temporaryTrees('ktg-dependency-paths-');
const TEMPLATE = 'kind: ConfigMap\n';

describe('DependencyPaths.locate', () => {
  it('follows an alias to the folder holding the chart of that name', async () => {
    const root = tree({
      'p/Chart.yaml': 'name: p\ndependencies:\n  - {name: worker, alias: web}\n',
      'p/charts/src/Chart.yaml': 'name: worker\n',
      'p/charts/src/templates/a.yaml': TEMPLATE,
    });
    const paths = new DependencyPaths(root);
    expect(await paths.locate('p', 'p/charts/web/templates/a.yaml')).toEqual({
      file: 'p/charts/src/templates/a.yaml',
    });
    expect(await paths.locate('p', 'p/charts/worker/templates/a.yaml')).toEqual({
      file: 'p/charts/src/templates/a.yaml',
    });
  });

  it('finds the archive of an aliased dependency by its chart`s name, else names the Chart.yaml', async () => {
    const root = tree({
      'Chart.yaml': 'name: p\ndependencies:\n  - {name: worker, alias: web}\n',
      'charts/worker-1.2.0.tgz': 'not read',
    });
    const paths = new DependencyPaths(root);
    expect(await paths.locate('', 'charts/web/templates/a.yaml')).toEqual({
      archive: 'charts/worker-1.2.0.tgz',
    });
    expect(await paths.locate('', 'charts/other/templates/a.yaml')).toEqual({ archive: 'Chart.yaml' });
  });

  it('goes nowhere a hostile alias, chart name or link points: only to folders of charts/', async () => {
    const outside = tree({ 'Chart.yaml': 'name: worker\n', 'templates/a.yaml': TEMPLATE });
    const root = tree({
      'Chart.yaml':
        'name: p\ndependencies:\n  - {name: ../../etc, alias: web}\n  - {name: worker, alias: ../up}\n',
      'charts/big/Chart.yaml': `name: big\n# ${'x'.repeat(300 * 1024)}\n`,
      'charts/big/templates/a.yaml': TEMPLATE,
    });
    symlinkSync(outside, join(root, 'charts', 'linked'));
    const paths = new DependencyPaths(root);
    expect(await paths.locate('', 'charts/web/templates/a.yaml')).toEqual({ archive: 'Chart.yaml' });
    // A Chart.yaml larger than any real one names nothing; the folder of the printed name is still followed.
    expect(await paths.locate('', 'charts/big/templates/a.yaml')).toEqual({
      file: 'charts/big/templates/a.yaml',
    });
    // The link's Chart.yaml is outside the repository: never read for its name.
    expect(await paths.locate('', 'charts/worker/templates/a.yaml')).toEqual({ archive: 'Chart.yaml' });
  });
});
