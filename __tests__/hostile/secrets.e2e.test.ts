/**
 * Issue 14, "secrets never leave", end to end: the bundled Action (dist/index.js) reviews pull requests holding
 * planted secret material where it once slipped past the filter (a chart's values on the line a fix changes or next
 * to it, a kustomize secretGenerator literal quoted by the build's error, Secret data in the results file of the
 * fork-safe pair, a tampered results file), against the fake GitHub. Nothing the runs publish or leave behind may hold
 * the material: no request, log line, job summary, output, SARIF, patch or results file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { PLANTED, SECRET_MANIFESTS, SECRET_SOURCES } from '../secret-material.js';
import { expectNoLeaks, publishedPlaces } from '../e2e/published.js';
import { runAction } from '../e2e/run-action.js';
import { type ScenarioOptions, publishResults, pullRequestScenario } from '../e2e/scenario.js';
import { HELM, KUSTOMIZE, NO_RENDERERS, because } from '../tools.js';

const NUMBER = 14;
/** The token of a fork's `pull_request` job (and of `mode: scan`): it can read, not write. */
const READ_ONLY = { permissions: { pullRequests: 'read', checks: 'none', contents: 'read' } } as const;

/** A Pod with a finding and no secret. */
const PLAIN_POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\nspec:\n  containers: [{name: a, image: busybox}]\n';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The Action on a pull request that adds `head` to a repository holding a README, with helm and kustomize. */
async function review(
  head: Record<string, string>,
  options: { inputs?: Record<string, string> } & Pick<ScenarioOptions, 'fork' | 'fake'> = {},
) {
  const scenario = await pullRequestScenario({
    base: { 'README.md': '# manifests\n' },
    head,
    number: NUMBER,
    fork: options.fork,
    fake: options.fake,
  });
  cleanups.push(() => scenario.dispose());
  const run = await runAction({
    workspace: scenario.repo.dir,
    eventPath: scenario.eventPath,
    apiUrl: scenario.fake.url,
    inputs: { 'max-comments': '100', ...options.inputs },
    env: { KUBE_TOKEN_GUARD_HELM: HELM!, KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE! },
  });
  return { ...scenario, run, places: publishedPlaces(scenario.repo.dir, scenario.fake, run) };
}

describe.skipIf(NO_RENDERERS)(because(NO_RENDERERS, 'the Action lets no secret out'), () => {
  it('of chart values or kustomize errors: review, suggestions, check run, summary, log, SARIF', async () => {
    const { fake, run, places } = await review(SECRET_SOURCES);
    expect(fake.violations).toEqual([]);
    expectNoLeaks(places);
    // It did report: the suggestion away from the secret, the finding whose fix was withheld, the build error.
    const api = fake.reviewComments.find((comment) => comment.path === 'charts/api/values.yaml');
    expect(api?.body).toContain('````suggestion\n  automount: false\n````');
    expect(fake.reviewComments.some((comment) => comment.body.includes('dbPassword'))).toBe(false);
    const annotated = fake.checkRuns[0]!.annotations.map((annotation) => annotation.path);
    expect(annotated).toContain('charts/web/templates/workload.yaml');
    expect(run.stdout).toMatch(
      /::error file=deploy\/db\/kustomization\.yaml,line=5::kustomize build failed: .*invalid literal source \[redacted\], expected key=value/,
    );
  });

  it('of a fork: the patch leaves out the line it cannot show and the context next to a token, and applies', async () => {
    const { repo, fake, run, places } = await review(SECRET_SOURCES, {
      fork: true,
      inputs: { autofix: 'true' },
      fake: READ_ONLY,
    });
    expect(fake.violations).toEqual([]);
    expectNoLeaks(places);
    const patch = readFileSync(run.outputs['patch-file']!, 'utf8');
    expect(patch).toContain('+  automount: false');
    expect(patch).not.toContain('charts/web/values.yaml');
    const apply = /apply with `([^`]+)`/.exec(run.summary + run.stdout)?.[1] ?? 'git apply';
    writeFileSync(join(repo.dir, 'fixes.patch'), patch);
    execFileSync(apply.split(' ')[0]!, [...apply.split(' ').slice(1), 'fixes.patch'], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH ?? '', HOME: repo.dir, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    expect(readFileSync(join(repo.dir, 'charts/api/values.yaml'), 'utf8')).toBe(
      `image: nginx:1.27\nserviceAccount:\n  automount: false\n  apiToken: "${PLANTED.chartApiToken}"\n`,
    );
  });

  it('into the results file of mode: scan, which the publishing job reads', async () => {
    const { fake, run, places } = await review(
      { ...SECRET_MANIFESTS, ...SECRET_SOURCES, 'deploy/plain.yaml': PLAIN_POD },
      { fork: true, inputs: { mode: 'scan' }, fake: READ_ONLY },
    );
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toContain('Wrote the results for the publishing job to');
    expect(places['results file']).toBeDefined();
    expectNoLeaks(places);
    const results = JSON.parse(places['results file']!) as {
      introduced: Finding[];
      texts: Record<string, string>;
    };
    expect(results.introduced.some((finding) => finding.ruleId === 'static-cloud-credentials')).toBe(true);
    // Texts are there to merge suggestions; those of files without secrets still are.
    expect(Object.keys(results.texts)).toContain('deploy/plain.yaml');
    expect(Object.keys(results.texts)).not.toContain('deploy/billing.yaml');
  });
});

describe('the fork-safe publisher lets no secret out of a tampered results file', () => {
  it('in messages, suppression reasons, notes or fixes that quote the pull request’s secrets', async () => {
    const scenario = await pullRequestScenario({
      base: { 'README.md': '# manifests\n' },
      head: SECRET_MANIFESTS,
      number: NUMBER,
      fork: true,
      fake: READ_ONLY,
    });
    cleanups.push(() => scenario.dispose());
    const scan = await runAction({
      workspace: scenario.repo.dir,
      eventPath: scenario.eventPath,
      apiUrl: scenario.fake.url,
      inputs: { mode: 'scan' },
    });
    expect(scan.stdout).toContain('Wrote the results for the publishing job to');
    const results = JSON.parse(
      readFileSync(join(scenario.repo.dir, 'kube-token-guard-results.json'), 'utf8'),
    ) as { introduced: Finding[]; notes: string[]; texts: Record<string, string> };
    // A scanning job under the pull request's control can write anything; here, the pull request's own secrets.
    const fixed = results.introduced.find(
      (finding) => finding.fix && finding.file === 'deploy/billing.yaml',
    )!;
    expect(fixed).toBeDefined();
    fixed.fix!.replacement += `\n          # ${PLANTED.azureClientSecret}`;
    results.introduced[0]!.message += ` It reads ${PLANTED.awsSecretKey}.`;
    results.introduced[1]!.suppressed = true;
    results.introduced[1]!.suppression = { kind: 'annotation', reason: `rotated ${PLANTED.opaquePassword}` };
    results.notes.push(`The password is ${PLANTED.opaquePassword}.`);
    // The file gives no text of the files holding them: the publisher learns them from GitHub's diff.
    expect(Object.keys(results.texts).filter((path) => SECRET_MANIFESTS[path])).toEqual([]);

    const published = await publishResults(scenario.repo, NUMBER, JSON.stringify(results));
    cleanups.push(() => published.dispose());
    expect(published.fake.violations).toEqual([]);
    expect(published.fake.reviews).toHaveLength(1);
    expect(published.fake.checkRuns).toHaveLength(1);
    const places = publishedPlaces(published.workspace, published.fake, published.run);
    delete places['results file']; // the tampered input itself
    expectNoLeaks(places);
    // The tampered fix is withheld, not altered: no suggestion on its lines.
    const onFixed = published.fake.reviewComments.filter(
      (comment) => comment.path === 'deploy/billing.yaml' && comment.line === fixed.fix!.endLine,
    );
    expect(onFixed.every((comment) => !comment.body.includes('suggestion'))).toBe(true);
  });
});
