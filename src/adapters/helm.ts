import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, posix, resolve } from 'node:path';
import { parse } from 'yaml';
import { KUBE_VERSION_PATTERN, NAMESPACE_PATTERN, RELEASE_NAME_PATTERN } from '../config/schema.js';
import { splitRenderedDocuments } from '../core/source-map.js';
import { alignSections, renderedIdentity, templateSections } from '../core/template-sections.js';
import type { RenderOrigin, ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { DependencyPaths, isFileInside } from './dependency-paths.js';
import { helmErrorPlace } from './helm-errors.js';
import { linkLeaving, readInside, resolvesInside } from './links.js';
import {
  type ToolLimits,
  failureReason,
  findExecutable,
  limitsBefore,
  missingTool,
  runTool,
} from './process.js';

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
  /** Bounds on the helm process; the timeout is cut to what is left before `deadline`. */
  limits?: Partial<ToolLimits>;
  /** `performance.now()` after which no render starts and a running one is stopped. */
  deadline?: number;
}

export const DEFAULT_KUBE_VERSION = '1.31.0';

const RELEASE_NAME = new RegExp(RELEASE_NAME_PATTERN);
const MAX_RELEASE_NAME = 53;
const NAMESPACE_NAME = new RegExp(NAMESPACE_PATTERN);
const KUBE_VERSION = new RegExp(KUBE_VERSION_PATTERN);

/**
 * Renders a chart with the real `helm template`, offline: helm's cache, config and data go to a fresh folder, so
 * no repository or plugin of the machine is used, and dependencies must be vendored in `charts/`. The output is cut
 * into one file per template (`# Source:`), so findings point at the files users edit.
 *
 * Everything here may come from a pull request, so nothing reaches helm as an option: names are checked against
 * helm's own rules, every option is written `--name=value`, and the release and chart follow `--`.
 */
export async function renderChart(chart: ChartRender, options: HelmOptions): Promise<RenderedChart> {
  const started = performance.now();
  const result: RenderedChart = { chart, files: [], errors: [], notices: [], milliseconds: 0 };
  const chartFile = `${chart.dir ? `${chart.dir}/` : ''}Chart.yaml`;
  const refuse = (message: string) => {
    result.errors.push({ file: chartFile, line: null, message });
    result.milliseconds = Math.round(performance.now() - started);
    return result;
  };
  const invalid = invalidRenderSetting(chart);
  if (invalid) return refuse(`${invalid}; the chart is not rendered`);
  // Values files come from the config, which a pull request can change: never read outside the repository.
  const outside: string[] = [];
  for (const file of chart.valuesFiles) {
    if (!(await resolvesInside(options.root, file))) outside.push(file);
  }
  const link = await linkLeaving(options.root, chart.dir || '.');
  if (link !== null)
    return refuse(`${link} is a symbolic link leaving the repository; the chart is not rendered`);
  if (outside.length > 0) {
    return refuse(`values file ${outside.join(', ')} is outside the repository; the chart is not rendered`);
  }
  const limits = limitsBefore(options.deadline, options.limits);
  if (limits === null) return refuse('not rendered: the time budget for rendering ran out');
  const binary = await findExecutable(options.binary ?? 'helm');
  if (binary === null) return refuse(missingTool('helm', options.binary));
  const home = await mkdtemp(join(tmpdir(), 'ktg-helm-'));
  try {
    const args = [
      'template',
      `--namespace=${chart.namespace}`,
      `--kube-version=${chart.kubeVersion}`,
      // A values schema may `$ref` a file of the runner or a loopback URL; rendering needs no validation of values.
      '--skip-schema-validation',
      // helm install creates every .yaml, .yml and .json file (any case) below the crds/ folders of the chart and its
      // dependencies, archived ones included, whatever its kind: they are judged as helm prints them.
      '--include-crds',
      ...chart.valuesFiles.map((file) => `--values=${resolve(options.root, file)}`),
      ...Object.entries(chart.set).map(([key, value]) => `--set=${key}=${value}`),
      '--',
      chart.release,
      resolve(options.root, chart.dir || '.'),
    ];
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      HELM_CACHE_HOME: join(home, 'cache'),
      HELM_CONFIG_HOME: join(home, 'config'),
      HELM_DATA_HOME: join(home, 'data'),
    };
    // The scratch folder is helm's working folder too: a relative path it was somehow made to write lands there.
    const output = await runTool(binary, args, env, home, limits);
    if (output.code === 'ENOENT') {
      result.errors.push({ file: chartFile, line: null, message: missingTool('helm', options.binary) });
      return result;
    }
    if (output.code !== 0) {
      // At the template and line helm names, when it names one of this chart's files; else at the Chart.yaml.
      const place = typeof output.code === 'number' ? helmErrorPlace(output.stderr) : null;
      const template = place === null ? null : templatePath(chart.dir, place.source);
      const found = template !== null && (await isFileInside(options.root, template));
      result.errors.push({
        file: found ? template : chartFile,
        line: found ? place!.line : null,
        message: `helm template failed: ${failureReason(output, limits)}`,
      });
      return result;
    }
    const byTemplate = new Map<string, string[]>();
    const strays = new Set<string>();
    for (const document of splitRenderedDocuments(output.stdout)) {
      const path = templatePath(chart.dir, document.source);
      if (path === null) {
        strays.add(document.source ?? '');
        continue;
      }
      // A crds/ file is printed whole: its documents are cut as a template's are, so each maps to its own lines.
      const pieces = CRDS_FILE.test(path.slice(chart.dir ? chart.dir.length + 1 : 0))
        ? documentsOf(document.text)
        : [document.text];
      const documents = byTemplate.get(path);
      if (documents) documents.push(...pieces);
      else byTemplate.set(path, pieces);
    }
    if (strays.size > 0) {
      // Only a crafted template file name can make helm name such a source: nothing of this chart is trusted.
      result.errors.push({
        file: chartFile,
        line: null,
        message: `helm's output names a template outside the chart (${[...strays].slice(0, 3).join(', ')}); the chart's output is not scanned`,
      });
      return result;
    }
    const renderedBy = `chart ${chart.dir || '.'} (release ${chart.release})`;
    // Each template by the file it is (`dependency-paths.ts`): a dependency printed under its alias, or under a name
    // its folder does not have, is read from its folder, and two aliases of one chart are one file's documents.
    const paths = new DependencyPaths(options.root);
    const byFile = new Map<string, string[]>();
    const archives = new Map<string, SourceFile>();
    for (const [path, documents] of byTemplate) {
      const place = (await isFileInside(options.root, path))
        ? { file: path }
        : await paths.locate(chart.dir, path);
      if ('archive' in place) {
        // A dependency packed as an archive: its findings point at the archive, which exists, naming the template.
        const text = documents.join('---\n');
        const file = archives.get(place.archive) ?? {
          path: place.archive,
          text: '',
          rendered: true,
          archived: [],
        };
        const line = file.text === '' ? 1 : file.text.split('\n').length;
        file.archived!.push({ line, template: path.slice(chart.dir ? chart.dir.length + 1 : 0) });
        file.text = file.text === '' ? text : `${file.text}---\n${text}`;
        archives.set(place.archive, file);
        continue;
      }
      const known = byFile.get(place.file);
      if (known) known.push(...documents);
      else byFile.set(place.file, [...documents]);
    }
    for (const [path, documents] of byFile) {
      const file: SourceFile = {
        path,
        text: documents.join('---\n'),
        rendered: true,
        renderNamespace: chart.namespace,
        renderedBy,
      };
      const origin = await templateOrigin(options.root, path, documents);
      if (origin) file.origin = origin;
      result.files.push(file);
    }
    for (const file of archives.values())
      result.files.push({ ...file, renderNamespace: chart.namespace, renderedBy });
    return result;
  } finally {
    result.milliseconds = Math.round(performance.now() - started);
    await rm(home, { recursive: true, force: true });
  }
}

/** A file of the crds/ folder of the chart or of one of its dependencies, below the chart's folder. */
const CRDS_FILE = /^(charts\/[^/]+\/)*crds\//;

/**
 * The documents of a file printed as it is (with its `# Source:` line), cut at the lines that are a bare `---` (with a
 * comment at most), as helm cuts a template's output; pieces holding only comments or blank lines are left out.
 */
function documentsOf(text: string): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  const close = () => {
    const piece = current.join('\n');
    if (current.some((line) => line.trim() !== '' && !line.trimStart().startsWith('#')))
      pieces.push(piece.endsWith('\n') ? piece : `${piece}\n`);
    current = [];
  };
  for (const line of text.split('\n')) {
    if (/^---[ \t]*(#.*)?\r?$/.test(line)) close();
    else current.push(line);
  }
  close();
  return pieces.length > 0 ? pieces : [text];
}

/**
 * The template a file of rendered documents came from, with the template document that wrote each: findings and
 * errors point there. Null when the template cannot be read (a subchart packed as an archive).
 */
async function templateOrigin(root: string, path: string, documents: string[]): Promise<RenderOrigin | null> {
  let text: string;
  try {
    text = await readInside(root, path);
  } catch {
    return null;
  }
  const sections = templateSections(text);
  const chosen = alignSections(sections, documents.map(renderedIdentity));
  // The documents were joined with `---` lines: each starts one line below the end of the one before.
  let next = 1;
  return {
    text,
    documents: documents.map((document, index) => {
      const line = next;
      next += (document.match(/\n/g)?.length ?? 0) + 1;
      const section = sections[chosen[index] ?? -1];
      return { line, section: section ? { start: section.start, end: section.end } : null };
    }),
  };
}

/** Why helm must not be given these settings, or null: each is checked as helm and Kubernetes would check it. */
function invalidRenderSetting(chart: ChartRender): string | null {
  if (!RELEASE_NAME.test(chart.release) || chart.release.length > MAX_RELEASE_NAME) {
    return `release name ${JSON.stringify(chart.release)} is not a valid Helm release name (lower-case letters, digits, \`-\` and \`.\`, at most 53)`;
  }
  if (!NAMESPACE_NAME.test(chart.namespace) || chart.namespace.length > 63) {
    return `namespace ${JSON.stringify(chart.namespace)} is not a valid namespace name`;
  }
  if (!KUBE_VERSION.test(chart.kubeVersion)) {
    return `Kubernetes version ${JSON.stringify(chart.kubeVersion)} is not a version such as 1.31.0`;
  }
  const badKey = Object.keys(chart.set).find((key) => key === '' || /[=,\r\n]/.test(key));
  if (badKey !== undefined) return `\`set\` key ${JSON.stringify(badKey)} is not a values path`;
  return null;
}

/**
 * `# Source: <chart>/templates/x.yaml` names the template below the chart's folder (subcharts included): the chart's
 * name is dropped and the rest must stay inside the chart. Null when it does not (a source of `..` segments, an
 * absolute path): such a source is never used as a path.
 */
export function templatePath(chartDir: string, source: string | null): string | null {
  const prefix = chartDir ? `${chartDir}/` : '';
  if (!source) return `${prefix}templates`;
  const slash = source.indexOf('/');
  if (slash === -1 || source.includes('\0')) return null;
  const inChart = posix.normalize(source.slice(slash + 1));
  if (inChart === '.' || inChart === '..' || inChart.startsWith('../') || posix.isAbsolute(inChart))
    return null;
  return `${prefix}${inChart}`;
}

/**
 * The release name helm is given for a chart: the chart's name when it is a valid release name, else that name made
 * into one (lower case, other characters as `-`), else `release`. A chart's name is the pull request's to choose.
 */
export function releaseNameFor(chartName: string): string {
  if (RELEASE_NAME.test(chartName) && chartName.length <= MAX_RELEASE_NAME) return chartName;
  const made = chartName
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/[.-]{2,}/g, '-')
    .slice(0, MAX_RELEASE_NAME)
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return RELEASE_NAME.test(made) ? made : 'release';
}

/**
 * The release name, namespace and values helm is given for a chart found in the repository; and whether it is a
 * library chart (`type: library`), which helm does not install: it renders only through the charts depending on it.
 */
export async function defaultRender(
  root: string,
  dir: string,
  namespace: string,
): Promise<ChartRender & { library: boolean }> {
  let name = basename(dir || resolve(root));
  let library = false;
  try {
    // A Chart.yaml that links out of the repository is refused by the render; its text is never used. (Read through
    // readInside, not with a path built here: ncc would take `resolve(root, dir, 'Chart.yaml')` for an asset and copy
    // every Chart.yaml of the project into dist/.)
    const chart = parse(await readInside(root, join(dir, 'Chart.yaml'))) as {
      name?: unknown;
      type?: unknown;
    };
    if (typeof chart?.name === 'string' && chart.name !== '') name = chart.name;
    library = chart?.type === 'library';
  } catch {
    // helm reports a broken Chart.yaml itself.
  }
  return {
    dir,
    release: releaseNameFor(name),
    namespace,
    kubeVersion: DEFAULT_KUBE_VERSION,
    valuesFiles: [],
    set: {},
    library,
  };
}
