/**
 * A plain `actions/checkout` of a `pull_request` event leaves the test merge commit, one commit deep: neither the pull
 * request's head nor its merge base. Charts and overlays must still be rendered at the head (their lines are the ones
 * GitHub shows) and at the merge base (or a new finding would count as an old one and pass the check).
 */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scan, yaml } from '../helpers.js';
import { HELM, KUSTOMIZE, NO_HELM, NO_KUSTOMIZE, because } from '../tools.js';
import { mergeCheckout } from './git-fixture.js';
import { SETTINGS, WORKER } from './manifests.js';
import { runAction } from './run-action.js';
import { type ScenarioOptions, pullRequestScenario } from './scenario.js';

const CHART = yaml`
  apiVersion: v2
  name: app
  version: 0.1.0
`;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The Action on the merge checkout of a pull request, with or without `origin` to fetch from. */
async function onMergeCheckout(options: ScenarioOptions, checkout: { origin: boolean }) {
  const scenario = await pullRequestScenario(options);
  cleanups.push(scenario.dispose);
  const workspace = mergeCheckout(scenario.repo, checkout);
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
  const run = await runAction({
    workspace,
    eventPath: scenario.eventPath,
    apiUrl: scenario.fake.url,
    inputs: {},
    env: {
      KUBE_TOKEN_GUARD_HELM: HELM ?? '/nonexistent/helm',
      KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE ?? '/nonexistent/kustomize',
    },
  });
  return { run, fake: scenario.fake };
}

/** `rule:path:line` of each annotation of the run's check. */
function annotated(fake: Awaited<ReturnType<typeof onMergeCheckout>>['fake']): string[] {
  return fake.checkRuns[0]!.annotations.map(
    (annotation) => `${annotation.title!.split(' ')[0]}:${annotation.path}:${annotation.start_line}`,
  );
}

/** The worker with its token off: the merge base's version of the template. */
const HARDENED = WORKER.replace(
  '      containers:',
  '      automountServiceAccountToken: false\n      containers:',
);

/**
 * A template both branches changed: the pull request turns the worker's token back on, the base branch (later) adds
 * settings above it, so the merge's lines are not the head's.
 */
const HEAD_TEMPLATE = `${SETTINGS}---\n${WORKER}`;
const LATER_TEMPLATE = `${SETTINGS.replace('mode: fast', 'mode: fast\n  zone: b\n  tier: gold')}---\n${HARDENED}`;
const BOTH_CHANGED: ScenarioOptions = {
  base: { 'charts/app/Chart.yaml': CHART, 'charts/app/templates/worker.yaml': `${SETTINGS}---\n${HARDENED}` },
  head: { 'charts/app/templates/worker.yaml': HEAD_TEMPLATE },
  baseAfterBranch: { 'charts/app/templates/worker.yaml': LATER_TEMPLATE },
  serveContents: true,
};

/** `rule:path:line` of the findings a scan of the head's template alone reports (it has no template actions). */
function headPlaces(rules: string[], path = 'charts/app/templates/worker.yaml'): string[] {
  return scan({ [path]: HEAD_TEMPLATE })
    .findings.filter((finding) => rules.includes(finding.ruleId))
    .map((finding) => `${finding.ruleId}:${finding.file}:${finding.line}`);
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'charts on a merge checkout'), () => {
  it('fetches the head and the merge base from origin and renders the chart at the head', async () => {
    const { run, fake } = await onMergeCheckout(BOTH_CHANGED, { origin: true });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Fetched the pull request head [0-9a-f]{7}/);
    expect(run.stdout).toMatch(/Fetched the merge base [0-9a-f]{7}/);
    expect(run.stdout).not.toContain('lacks the merge base');
    const expected = headPlaces(['automount-token']);
    expect(expected).toHaveLength(1);
    expect(annotated(fake)).toEqual(expect.arrayContaining(expected));
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
  });

  it('judges a chart the pull request adds as new, not as old, when the merge base was fetched', async () => {
    const { run, fake } = await onMergeCheckout(
      {
        base: { 'README.md': '# manifests\n' },
        head: { 'charts/app/Chart.yaml': CHART, 'charts/app/templates/worker.yaml': WORKER },
      },
      { origin: true },
    );
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Fetched the merge base [0-9a-f]{7}/);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(run.outputs['new-findings']).not.toBe('0');
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'charts on a merge checkout git cannot complete'), () => {
  it('reads a chart the base branch changed too at the head and at the merge base through the API', async () => {
    const { run, fake } = await onMergeCheckout(BOTH_CHANGED, { origin: false });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Read charts\/app at the head for rendering: 2 file\(s\), 1 through the API/);
    expect(run.stdout).toMatch(/Read 1 chart and overlay folder\(s\) at [0-9a-f]{7} for rendering/);
    expect(annotated(fake)).toEqual(expect.arrayContaining(headPlaces(['automount-token'])));
    // The merge's version of the template is nowhere: no error, no annotation on its lines.
    expect(run.stdout).not.toContain('could not be rendered');
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
  });

  it('judges a chart the pull request adds against a merge base that does not have it', async () => {
    const { run, fake } = await onMergeCheckout(
      {
        base: { 'README.md': '# manifests\n' },
        head: { 'charts/app/Chart.yaml': CHART, 'charts/app/templates/worker.yaml': WORKER },
        serveContents: true,
      },
      { origin: false },
    );
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(/Read 1 chart and overlay folder\(s\) at [0-9a-f]{7} for rendering: 0 file/);
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(run.outputs['new-findings']).not.toBe('0');
  });

  it('counts every finding of a touched chart as new when the merge base can be read neither way', async () => {
    // The pull request only edits the chart's notes: its worker is old, but nothing can show that here.
    const { run, fake } = await onMergeCheckout(
      {
        base: { 'charts/app/Chart.yaml': CHART, 'charts/app/templates/worker.yaml': WORKER },
        head: { 'charts/app/templates/NOTES.txt': 'Installed.\n' },
        fake: {
          faults: [
            {
              operationId: 'repos/get-content',
              path: /\/contents\/charts/,
              respond: { status: 403, json: { message: 'Resource not accessible by integration' } },
            },
          ],
        },
      },
      { origin: false },
    );
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toContain('Cannot read the charts and overlays at');
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    expect(JSON.stringify([fake.reviews, fake.checkRuns])).toContain('counts as new');
  });
});

describe.skipIf(NO_KUSTOMIZE)(
  because(NO_KUSTOMIZE, 'overlays on a merge checkout git cannot complete'),
  () => {
    it('builds an overlay whose base both branches changed from the head, read through the API', async () => {
      const base = (worker: string) => ({
        'k/base/kustomization.yaml': 'resources:\n  - worker.yaml\n',
        'k/base/worker.yaml': worker,
        'k/prod/kustomization.yaml': 'namePrefix: prod-\nresources:\n  - ../base\n',
      });
      const { run, fake } = await onMergeCheckout(
        {
          base: base(`${SETTINGS}---\n${HARDENED}`),
          head: { 'k/base/worker.yaml': HEAD_TEMPLATE },
          baseAfterBranch: { 'k/base/worker.yaml': LATER_TEMPLATE },
          serveContents: true,
        },
        { origin: false },
      );
      expect(fake.violations).toEqual([]);
      expect(run.stdout).toMatch(/Read k\/base at the head for rendering: 2 file\(s\), 1 through the API/);
      expect(annotated(fake)).toEqual(
        expect.arrayContaining(headPlaces(['automount-token'], 'k/base/worker.yaml')),
      );
      expect(fake.checkRuns[0]!.conclusion).toBe('failure');
    });
  },
);

/** The cert-manager chart of the corpus (47 files), below `charts/cert-manager/`. */
function certManager(): Record<string, string> {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'corpus', 'cert-manager');
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[`charts/cert-manager/${path.slice(dir.length + 1)}`] = readFileSync(path, 'utf8');
    }
  return files;
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'a real chart on a merge checkout'), () => {
  it('judges cert-manager on a merge checkout git cannot complete as on a checkout of the head', async () => {
    const chart = certManager();
    const deployment = 'charts/cert-manager/templates/deployment.yaml';
    const options: ScenarioOptions = {
      base: chart,
      head: {
        // A new template and an edit at the end of one the base branch changes at its top.
        'charts/cert-manager/templates/debug-pod.yaml': WORKER.replace(
          'kind: Deployment',
          'kind: Deployment',
        ),
        [deployment]: `${chart[deployment]!}      {{- /* reviewed */}}\n`,
      },
      baseAfterBranch: {
        [deployment]: chart[deployment]!.replace('  labels:\n', '  labels:\n    tier: platform\n'),
      },
      serveContents: true,
    };
    const reference = await pullRequestScenario(options);
    cleanups.push(reference.dispose);
    const atHead = await runAction({
      workspace: reference.repo.dir,
      eventPath: reference.eventPath,
      apiUrl: reference.fake.url,
      inputs: {},
      env: { KUBE_TOKEN_GUARD_HELM: HELM ?? '/nonexistent/helm' },
    });
    const { run, fake } = await onMergeCheckout(options, { origin: false });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(
      /Read charts\/cert-manager at the head for rendering: 48 file\(s\), 1 through the API/,
    );
    const places = (check: (typeof fake.checkRuns)[number]) =>
      check.annotations
        .map((a) => `${a.title} ${a.path}:${a.start_line}-${a.end_line} ${a.annotation_level}`)
        .sort();
    expect(places(fake.checkRuns[0]!)).toEqual(places(reference.fake.checkRuns[0]!));
    expect(places(fake.checkRuns[0]!).some((place) => place.includes('debug-pod.yaml'))).toBe(true);
    // The SARIF file is written in each run's own workspace.
    const withoutSarif = (outputs: Record<string, string>) =>
      Object.entries(outputs).filter(([name]) => name !== 'sarif-file');
    expect(withoutSarif(run.outputs)).toEqual(withoutSarif(atHead.outputs));
    const commented = (comments: typeof fake.reviewComments) =>
      comments
        .map((comment) => `${comment.path}:${comment.start_line ?? comment.line}-${comment.line}`)
        .sort();
    expect(commented(fake.reviewComments)).toEqual(commented(reference.fake.reviewComments));
  });
});
