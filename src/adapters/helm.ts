import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { splitRenderedDocuments } from '../core/source-map.js';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { linkLeaving, resolvesInside } from './links.js';
import { failureReason, runTool } from './process.js';

export interface ChartRender {
  /** The chart's folder, relative to the root. */
  dir: string;
  release: string;
  namespace: string;
  kubeVersion: string;
  /** Values files, relative to the root. */
  valuesFiles: string[];
  set: Record<string, string>;
}

export interface RenderedChart {
  chart: ChartRender;
  /** One file per template that produced documents, at the template's path, marked rendered. */
  files: SourceFile[];
  errors: ScanError[];
  notices: ScanNotice[];
  milliseconds: number;
}

export interface HelmOptions {
  root: string;
  /** The helm binary; `helm` from PATH by default. */
  binary?: string;
  timeoutMs?: number;
}

export const DEFAULT_KUBE_VERSION = '1.31.0';

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Renders a chart with the real `helm template`, offline: helm's cache, config and data go to a fresh folder, so
 * no repository or plugin of the machine is used, and dependencies must be vendored in `charts/`. The output is cut
 * into one file per template (`# Source:`), so findings point at the files users edit.
 */
export async function renderChart(chart: ChartRender, options: HelmOptions): Promise<RenderedChart> {
  const started = performance.now();
  const result: RenderedChart = { chart, files: [], errors: [], notices: [], milliseconds: 0 };
  const chartFile = `${chart.dir ? `${chart.dir}/` : ''}Chart.yaml`;
  // Values files come from the config, which a pull request can change: never read outside the repository.
  const outside: string[] = [];
  for (const file of chart.valuesFiles) {
    if (!(await resolvesInside(options.root, file))) outside.push(file);
  }
  const link = await linkLeaving(options.root, chart.dir || '.');
  if (link !== null) {
    result.errors.push({
      file: chartFile,
      line: null,
      message: `${link} is a symbolic link leaving the repository; the chart is not rendered`,
    });
    result.milliseconds = Math.round(performance.now() - started);
    return result;
  }
  if (outside.length > 0) {
    result.errors.push({
      file: chartFile,
      line: null,
      message: `values file ${outside.join(', ')} is outside the repository; the chart is not rendered`,
    });
    result.milliseconds = Math.round(performance.now() - started);
    return result;
  }
  const home = await mkdtemp(join(tmpdir(), 'ktg-helm-'));
  try {
    const args = [
      'template',
      chart.release,
      resolve(options.root, chart.dir || '.'),
      '--namespace',
      chart.namespace,
      '--kube-version',
      chart.kubeVersion,
      ...chart.valuesFiles.flatMap((file) => ['--values', resolve(options.root, file)]),
      ...Object.entries(chart.set).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
    ];
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    };
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const output = await runTool(options.binary ?? 'helm', args, env, timeout);
    if (output.code === 'ENOENT') {
      result.notices.push({ file: chartFile, message: 'Helm chart not rendered: helm is not installed' });
      return result;
    }
    if (output.code !== 0) {
      const reason = failureReason(output, timeout);
      result.errors.push({ file: chartFile, line: null, message: `helm template failed: ${reason}` });
      return result;
    }
    const byTemplate = new Map<string, string[]>();
    for (const document of splitRenderedDocuments(output.stdout)) {
      const path = templatePath(chart.dir, document.source);
      byTemplate.set(path, [...(byTemplate.get(path) ?? []), document.text]);
    }
    for (const [path, documents] of byTemplate) {
      result.files.push({
        path,
        text: documents.join('---\n'),
        rendered: true,
        renderNamespace: chart.namespace,
      });
    }
    return result;
  } finally {
    result.milliseconds = Math.round(performance.now() - started);
    await rm(home, { recursive: true, force: true });
  }
}

/** `# Source: <chart>/templates/x.yaml` names the template below the chart's folder (subcharts included). */
export function templatePath(chartDir: string, source: string | null): string {
  const prefix = chartDir ? `${chartDir}/` : '';
  if (!source) return `${prefix}templates`;
  const slash = source.indexOf('/');
  return `${prefix}${slash === -1 ? source : source.slice(slash + 1)}`;
}

/** The release name, namespace and values helm is given for a chart found in the repository. */
export async function defaultRender(root: string, dir: string, namespace: string): Promise<ChartRender> {
  let name = basename(dir || resolve(root));
  try {
    const chart = parse(await readFile(resolve(root, dir, 'Chart.yaml'), 'utf8')) as { name?: unknown };
    if (typeof chart?.name === 'string' && chart.name !== '') name = chart.name;
  } catch {
    // helm reports a broken Chart.yaml itself.
  }
  return { dir, release: name, namespace, kubeVersion: DEFAULT_KUBE_VERSION, valuesFiles: [], set: {} };
}
