import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import type { ResolvedConfig } from '../config/config.js';
import { type ChartRender, defaultRender, renderChart } from './helm.js';
import { type Focus, focusOverlays } from './focus.js';
import { buildOverlay, findOverlays } from './kustomize.js';
import { pooled } from './pool.js';
import { append } from '../core/arrays.js';

/**
 * What all renders of one scan may take together. Each render has its own timeout too; this bounds a pull request
 * that adds hundreds of slow charts. Renders that would start after it are errors of their chart or overlay.
 */
export const RENDER_BUDGET_MS = 10 * 60_000;

export interface RenderInput {
  files: SourceFile[];
  charts: string[];
  kustomizations: string[];
  errors: ScanError[];
  notices: ScanNotice[];
  /** Paths named inside charts and kustomization folders (see focus.ts). */
  focus?: Focus[];
}

export interface RenderOutcome {
  /** A line for the log, or null when there was nothing to render. */
  log: string | null;
  /** Each chart render with the files it produced (for values probing). */
  charts: { render: ChartRender; files: SourceFile[] }[];
  /** Overlays built only for paths named inside kustomization folders, with those paths. */
  focusOverlays: Map<string, string[]>;
}

export interface RenderTools {
  helm?: string;
  kustomize?: string;
}

/**
 * Renders the Helm charts and builds the kustomize overlays found while collecting files, two at a time (the tools
 * are CPU-bound), and adds their output, errors and notices to the collection. Returns a line for the log.
 */
export async function renderCollected(
  collected: RenderInput,
  root: string,
  config: Pick<ResolvedConfig, 'defaultNamespace' | 'kubeVersion' | 'charts' | 'overlays' | 'render'>,
  tools: RenderTools = {},
  budgetMs = RENDER_BUDGET_MS,
): Promise<RenderOutcome> {
  const deadline = performance.now() + budgetMs;
  const overlays = [...(config.overlays ?? (await findOverlays(root, collected.kustomizations)))];
  if (!config.render) {
    // Off by the config's choice, visibly: each chart and overlay left unchecked is named.
    for (const dir of collected.charts)
      collected.notices.push({
        file: chartFile(dir),
        message: 'not rendered: `render: false` in the config',
      });
    for (const dir of overlays)
      collected.notices.push({ file: overlayFile(dir), message: 'not built: `render: false` in the config' });
    for (const entry of collected.focus ?? []) {
      if (entry.chart === null)
        collected.notices.push({
          file: entry.path,
          message: 'in a kustomization folder; not built: `render: false` in the config',
        });
    }
    const total = collected.charts.length + overlays.length;
    return {
      log:
        total > 0
          ? `Rendering is off (\`render: false\`): ${units(collected.charts.length, overlays.length)} left unchecked.`
          : null,
      charts: [],
      focusOverlays: new Map(),
    };
  }
  const renders: ChartRender[] = [];
  for (const dir of collected.charts) {
    const { library, ...base } = await defaultRender(root, dir, config.defaultNamespace);
    base.kubeVersion = config.kubeVersion;
    if (library) {
      // helm refuses to install one; what its templates define is judged in the charts that use them.
      collected.notices.push({
        file: chartFile(dir),
        message:
          'a library chart (`type: library`) is not rendered on its own: the charts depending on it render it',
      });
      continue;
    }
    const listed = config.charts.filter((chart) => chart.path === dir);
    if (listed.length === 0) renders.push(base);
    for (const chart of listed) {
      renders.push({
        dir,
        release: chart.release ?? base.release,
        namespace: chart.namespace ?? config.defaultNamespace,
        kubeVersion: chart.kubeVersion ?? config.kubeVersion,
        valuesFiles: chart.values,
        set: chart.set,
      });
    }
  }
  for (const chart of config.charts) {
    if (!collected.charts.includes(chart.path)) {
      collected.notices.push({
        file: chart.path || '.',
        message:
          'listed in the config `charts` but no chart (Chart.yaml) was found there among the scanned files',
      });
    }
  }
  const focused = await focusOverlays(
    root,
    collected.focus ?? [],
    config.overlays ?? undefined,
    (dirs) => findOverlays(root, dirs),
    overlays,
    collected.notices,
  );
  overlays.push(...focused.keys());
  const jobs: (() => Promise<{
    files: SourceFile[];
    errors: ScanError[];
    notices: ScanNotice[];
    milliseconds: number;
  }>)[] = [
    ...renders.map((render) => () => renderChart(render, { root, binary: tools.helm, deadline })),
    ...overlays.map((dir) => () => buildOverlay(root, dir, { binary: tools.kustomize, deadline })),
  ];
  if (jobs.length === 0) return { log: null, charts: [], focusOverlays: focused };
  const results = await pooled(jobs, 2, (job) => job());
  for (const result of results) {
    append(collected.files, result.files);
    append(collected.errors, result.errors);
    append(collected.notices, result.notices);
  }
  const milliseconds = results.reduce((sum, result) => sum + result.milliseconds, 0);
  const chartResults = results.slice(0, renders.length);
  const overlayResults = results.slice(renders.length);
  // Only what rendered is said to have rendered.
  const failed = results.filter((result) => result.errors.length > 0).length;
  const rendered = units(
    new Set(
      renders.filter((_, index) => chartResults[index]!.errors.length === 0).map((render) => render.dir),
    ).size,
    overlayResults.filter((result) => result.errors.length === 0).length,
  );
  return {
    log:
      `Rendered ${rendered || 'nothing'} (${milliseconds} ms of helm/kustomize)` +
      (failed > 0 ? `; ${failed} render${failed === 1 ? '' : 's'} failed (see the errors).` : '.'),
    charts: renders.map((render, index) => ({ render, files: results[index]!.files })),
    focusOverlays: focused,
  };
}

/** `2 Helm charts and 1 kustomize overlay`, or '' for none. */
function units(charts: number, overlays: number): string {
  return [
    charts > 0 ? `${charts} Helm chart${charts === 1 ? '' : 's'}` : '',
    overlays > 0 ? `${overlays} kustomize overlay${overlays === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

function chartFile(dir: string): string {
  return dir ? `${dir}/Chart.yaml` : 'Chart.yaml';
}

function overlayFile(dir: string): string {
  return dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml';
}

export function renderTools(env: Record<string, string | undefined>): RenderTools {
  return { helm: env.KUBE_TOKEN_GUARD_HELM, kustomize: env.KUBE_TOKEN_GUARD_KUSTOMIZE };
}
