/**
 * A failed overlay build is placed on the kustomization at fault, which may be a base the pull request does not
 * change, in a folder no scan walks (`node_modules/`). The pull request's overlay was still not built: the check fails.
 */
import { describe, expect, it } from 'vitest';
import { pullRequestRunner } from '../e2e/pull-request-run.js';
import { KUSTOMIZE, NO_KUSTOMIZE, because } from '../tools.js';

const runPullRequest = pullRequestRunner();

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'an overlay whose base fails elsewhere'), () => {
  for (const [name, base] of [
    ['a base naming a missing resource', 'resources:\n  - missing.yaml\n'],
    [
      'a base refused before the build (a remote chart repository)',
      'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n    version: 1.0.0\n',
    ],
  ] as const) {
    it(`${name}, in node_modules/ on the base branch: the overlay the pull request adds fails the check`, async () => {
      const unchanged = { 'node_modules/base/kustomization.yaml': base };
      const { run, fake } = await runPullRequest({
        base: unchanged,
        head: {
          ...unchanged,
          'deploy/kustomization.yaml': 'resources:\n  - pod.yaml\n  - ../node_modules/base\n',
          'deploy/pod.yaml': POD,
        },
        env: { KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE! },
      });
      expect(fake.violations).toEqual([]);
      expect(fake.checkRuns[0]!.conclusion).toBe('failure');
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('::error file=node_modules/base/kustomization.yaml');
    });
  }
});
