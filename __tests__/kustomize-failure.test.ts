/**
 * Where a failed kustomize build is placed, from kustomize's own wording (kustomize v5.8.1's messages, as the build
 * step passes them: the scratch wrapper's entry named as the overlay, the repository's absolute path taken out).
 * The real builds are in kustomize.test.ts; these need no kustomize.
 */
import { describe, expect, it } from 'vitest';
import { failureLocation } from '../src/adapters/kustomize-failure.js';
import { temporaryTrees } from './helpers.js';

const tree = temporaryTrees('ktg-kustomize-failure-');

describe('failureLocation', () => {
  it('follows the bases kustomize was accumulating to the entry that failed to load', async () => {
    const root = tree({
      'app/overlay/kustomization.yaml': 'namePrefix: x-\nresources:\n  - ../base\n',
      'app/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - missing.yaml\n',
      'app/base/deployment.yaml': 'kind: Deployment\n',
    });
    const stderr =
      "Error: accumulating resources: accumulation err='accumulating resources from 'app/overlay': " +
      "'app/overlay' must resolve to a file': recursed accumulation of path 'app/overlay': accumulating resources: " +
      "accumulation err='accumulating resources from '../base': '../base' must resolve to a file': recursed " +
      "accumulation of path 'app/base': accumulating resources: accumulation err='accumulating resources from " +
      "'missing.yaml': evalsymlink failure on 'app/base/missing.yaml' : lstat app/base/missing.yaml: no such file " +
      "or directory'";
    expect(await failureLocation(root, 'app/overlay', stderr)).toEqual({
      file: 'app/base/kustomization.yaml',
      line: 3,
    });
  });

  it('takes the value the message quotes last, where kustomize names the cause', async () => {
    const root = tree({
      'db/kustomization.yaml': [
        'secretGenerator:',
        '  - name: db',
        '    literals:',
        '      - user=app',
        '      - not-a-pair',
        '',
      ].join('\n'),
    });
    const stderr =
      "Error: accumulating resources: accumulation err='accumulating resources from 'db': 'db' must resolve to a " +
      "file': recursed accumulation of path 'db': loading KV pairs: literal sources [user=app not-a-pair]: invalid " +
      'literal source not-a-pair, expected key=value';
    expect(await failureLocation(root, 'db', stderr)).toEqual({ file: 'db/kustomization.yaml', line: 5 });
  });

  it('names the overlay without a line when the message quotes nothing it holds', async () => {
    const root = tree({ 'kustomization.yaml': 'resources:\n  - a.yaml\n' });
    expect(await failureLocation(root, '', 'Error: something else went wrong')).toEqual({
      file: 'kustomization.yaml',
      line: null,
    });
  });

  it('reads a bounded part of a hostile message against a bounded number of values', async () => {
    // 20,000 values and a message of a million characters repeating one of them without a delimiter: read whole,
    // each value's search would walk the message.
    const values = Array.from({ length: 20_000 }, () => '  - ab').join('\n');
    const root = tree({ 'kustomization.yaml': `resources:\n${values}\n  - cause.yaml\n` });
    const stderr = `${'xab'.repeat(333_333)} 'cause.yaml'`;
    expect(await failureLocation(root, '', stderr)).toEqual({ file: 'kustomization.yaml', line: null });
    // The same cause in a message of ordinary length is found.
    const short = tree({ 'kustomization.yaml': 'resources:\n  - ok.yaml\n  - cause.yaml\n' });
    expect(await failureLocation(short, '', `Error: failed on 'cause.yaml'`)).toEqual({
      file: 'kustomization.yaml',
      line: 3,
    });
  });
});
