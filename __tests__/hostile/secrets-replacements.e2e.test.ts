/**
 * kustomize `replacements` copy a field of one object into another as the build runs: a pull request's overlay over
 * the base branch's Secret can write a password, or part of its base64, into a name or into the annotation that names
 * a resource's file. Neither reaches a published place.
 */
import { describe, expect, it } from 'vitest';
import { publishedPlaces } from '../e2e/published.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';
import { KUSTOMIZE, NO_KUSTOMIZE, because } from '../tools.js';

const runPullRequest = pullRequestRunner();
const PASSWORD = 'Tr0ub4dor-and-3-horses';
const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

function secretOverlay(data: string): Record<string, string> {
  return {
    'deploy/kustomization.yaml': 'resources:\n  - secret.yaml\n',
    'deploy/secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: shop\ntype: Opaque\n${data}`,
  };
}

async function published(base: Record<string, string>, head: Record<string, string>, secret: string) {
  const { run, fake, scenario } = await runPullRequest({
    base,
    head: { ...base, ...head },
    env: { KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE! },
  });
  expect(fake.violations).toEqual([]);
  expect(fake.checkRuns[0]!.conclusion).toBe('failure');
  const places = publishedPlaces(scenario.repo.dir, fake, run);
  expect(Object.keys(places).length).toBeGreaterThan(3);
  return Object.entries(places)
    .filter(([, text]) => text.includes(secret))
    .map(([place]) => place);
}

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'secrets moved by replacements'), () => {
  it('a password written into the annotation naming a resource`s file: no path exempts it', async () => {
    const base = secretOverlay(`stringData:\n  password: ${PASSWORD}\n`);
    const head = {
      'leak/pods/podXYZ.yaml': POD,
      'leak/kustomization.yaml':
        'resources:\n  - ../deploy\n  - pods/podXYZ.yaml\nbuildMetadata: [originAnnotations]\nreplacements:\n' +
        '  - source: {kind: Secret, name: db, fieldPath: stringData.password}\n    targets:\n' +
        '      - select: {kind: Pod, name: web}\n        fieldPaths:\n' +
        '          - metadata.annotations.[config.kubernetes.io/origin]\n        options: {delimiter: XYZ, index: 1}\n',
    };
    expect(await published(base, head, PASSWORD)).toEqual([]);
  });

  it('the base64 of a password without its padding, written into a name', async () => {
    const base = secretOverlay(`data:\n  password: ${Buffer.from(PASSWORD).toString('base64')}\n`);
    const head = {
      'leak/pod.yaml': POD,
      'leak/kustomization.yaml':
        'resources:\n  - ../deploy\n  - pod.yaml\nreplacements:\n' +
        '  - source: {kind: Secret, name: db, fieldPath: data.password, options: {delimiter: "=", index: 0}}\n' +
        '    targets:\n      - select: {kind: Pod, name: web}\n        fieldPaths: [metadata.name]\n',
    };
    const unpadded = Buffer.from(PASSWORD).toString('base64').replace(/=+$/, '');
    expect(unpadded).not.toBe(Buffer.from(PASSWORD).toString('base64'));
    expect(await published(base, head, unpadded)).toEqual([]);
  });
});
