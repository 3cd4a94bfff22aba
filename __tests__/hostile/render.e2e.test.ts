/**
 * Issue 14.1–3 end to end: a pull request carrying every render attack at once, run through the bundled Action
 * (`dist/index.js`) as the runner runs it, against the fake GitHub. Nothing runs, nothing outside the workspace is
 * touched, no connection is made, and the check run still judges the chart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pullRequestRunner } from '../e2e/pull-request-run.js';
import { HELM, KUSTOMIZE, connectionCounter, insecureDeployment, sandbox, writeFiles } from './sandbox.js';
import { NO_RENDERERS, because } from '../tools.js';

const runPullRequest = pullRequestRunner();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(NO_RENDERERS)(because(NO_RENDERERS, 'a pull request carrying render attacks'), () => {
  it('runs nothing, writes nothing outside, connects nowhere, and still judges the chart', async () => {
    const outside = sandbox({});
    const canary = outside.mustNotExist('post-renderer-ran');
    const target = join(outside.top, 'target.yaml');
    writeFiles(outside.top, { 'target.yaml': insecureDeployment('target') });
    const counter = await connectionCounter();
    cleanups.push(() => counter.close());
    const chart = (name: string) => `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`;
    const before = outside.outsideSnapshot();
    const { run, fake } = await runPullRequest({
      base: { 'deploy/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: readme}\n' },
      head: {
        'evil/Chart.yaml': chart('--post-renderer=sh'),
        'evil/values.yaml': 'a: 1\n',
        'evil/templates/script.yaml': `k: v; touch ${canary}\n`,
        'evil/templates/deploy.yaml': insecureDeployment('web'),
        'forged/Chart.yaml': chart('forged'),
        'forged/values.yaml': 'a: 1\n',
        'forged/templates/x.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "v"\r---\n' +
          `# Source: forged/${'../'.repeat(20)}${target.slice(1)}\n${insecureDeployment('forged')}`,
        'overlay/kustomization.yaml': `resources:\n  - http://127.0.0.1:${counter.port}/x.yaml\n`,
      },
      env: { KUBE_TOKEN_GUARD_HELM: HELM!, KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE! },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(existsSync(canary)).toBe(false);
    expect(outside.outsideSnapshot()).toEqual(before);
    expect(counter.connections()).toBe(0);
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/::error file=overlay\/kustomization\.yaml,line=\d+::.*is a remote reference/);
    const check = fake.checkRuns[0]!;
    // The refused overlay and the forged template (a lone carriage return: Kubernetes ends a line there, other YAML
    // readers do not, so it is not judged) could not be checked: the check fails for them, whatever the findings.
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toMatch(/^Could not check 2 files; /);
    expect(check.output.summary).toContain(
      '- `forged/templates/x.yaml:6`: a carriage return without a line feed',
    );
    const annotated = new Set(check.annotations.map((annotation) => annotation.path));
    expect(annotated).toContain('evil/templates/deploy.yaml');
    expect(annotated).toContain('overlay/kustomization.yaml');
    for (const path of annotated)
      expect(path).toMatch(/^(evil\/|forged\/templates\/|overlay\/kustomization\.yaml$)/);
  });
});
