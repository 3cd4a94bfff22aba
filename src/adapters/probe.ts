import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { KUBERNETES_PARSE_OPTIONS } from '../core/kubernetes-scalars.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { ResolvedConfig } from '../config/config.js';
import { applyEdits } from '../core/apply.js';
import { lineFixOf } from '../core/fix.js';
import { automountValueRefs, podSpecInsertion } from '../core/template-edit.js';
import { setValue } from '../core/values-fix.js';
import { type ScanResult, scanFiles } from '../core/scan.js';
import type { Finding, SourceFile } from '../core/types.js';
import { GitRepository } from './git.js';
import { type ChartRender, renderChart } from './helm.js';
import { insidePath, readInside } from './links.js';

/** What all probe renders of one scan may take together: a chart cannot make a scan last for hours. */
export const PROBE_BUDGET_MS = 120_000;

/** Findings a chart value can switch off, and so fix at the source. */
const PROBED_RULES = new Set(['automount-token', 'default-sa-automount', 'workload-identity-automount']);
/** Keys worth probing: only settings of automounting can matter to those rules. */
const CANDIDATE_KEY = /automount/i;

export interface ProbeReport {
  /** Renders made to probe values. */
  renders: number;
  /** Findings given a fix in a values file. */
  fixed: number;
  milliseconds: number;
  /** Probes left undone because the time budget ran out. */
  skipped: number;
}

/** The log line of a probe, or null when nothing was probed. */
export function probeSummary(report: ProbeReport): string | null {
  if (report.renders === 0 && report.skipped === 0) return null;
  const budget =
    report.skipped > 0
      ? `; ${report.skipped} probe${report.skipped === 1 ? ' was' : 's were'} left undone: all probes together may take ${PROBE_BUDGET_MS / 1000} s`
      : '';
  return (
    `Probed chart values with ${report.renders} render${report.renders === 1 ? '' : 's'} in ${report.milliseconds} ms: ` +
    `${report.fixed} finding${report.fixed === 1 ? '' : 's'} fixable at the source (values or templates)${budget}.`
  );
}

/** Paths of the values that could switch automounting off: keys about it, currently true or empty. */
export function candidateValues(valuesText: string): string[][] {
  const doc = parseDocument(valuesText, KUBERNETES_PARSE_OPTIONS);
  if (doc.errors.length > 0) return [];
  const paths: string[][] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value;
      if (isMap(value)) walk(value, [...path, key]);
      else if (CANDIDATE_KEY.test(key) && isScalar(value) && (value.value === true || value.value === null)) {
        paths.push([...path, key]);
      }
    }
  };
  walk(doc.contents, []);
  return paths;
}

/**
 * The values worth a probe render: the automount settings of values.yaml, and the values the findings' templates
 * consult where they write `automountServiceAccountToken` (which values.yaml may hold only as a comment, or not at
 * all). A value one of those templates writes from is set there, never beside the template's own line.
 */
async function probedValues(
  root: string,
  valuesText: string,
  targets: readonly Finding[],
): Promise<string[][]> {
  const paths = new Map(candidateValues(valuesText).map((path) => [path.join('.'), path]));
  const templates = new Map<string, string | null>();
  for (const finding of targets) {
    if (!templates.has(finding.file)) {
      // The template's path came from helm's output: read only inside the repository, never through a link out.
      templates.set(finding.file, await readInside(root, finding.file).catch(() => null));
    }
    const template = templates.get(finding.file);
    if (!template) continue;
    for (const path of automountValueRefs(template, finding.line)) paths.set(path.join('.'), path);
  }
  return [...paths.values()];
}

/** Whether a finding's field is a pod spec itself (`spec`, `spec.template.spec`, …): where a key can go. */
function isPodSpecPath(path: readonly (string | number)[]): boolean {
  return path[path.length - 1] === 'spec';
}

/** Open findings of some rules on a chart's rendered files that have no fix yet. */
function unfixedRendered(
  findings: Finding[],
  renderedPaths: ReadonlySet<string>,
  rules: ReadonlySet<string>,
): Finding[] {
  return findings.filter(
    (finding) =>
      finding.rendered &&
      !finding.suppressed &&
      !finding.fix &&
      // An API client's token must stay: no value or template edit may switch it off.
      finding.apiClient === undefined &&
      rules.has(finding.ruleId) &&
      renderedPaths.has(finding.file),
  );
}

/**
 * The section of a chart's values a rendered file's template reads: the subchart it belongs to (its folder under the
 * chart's `charts/`, named as its values section is, alias or name), or null for the chart's own templates.
 */
function valuesScope(file: string, chartDir: string): string | null {
  const inChart = chartDir ? file.slice(chartDir.length + 1) : file;
  const match = /^charts\/([^/]+)\//.exec(inChart);
  return match ? match[1]! : null;
}

/** `--set` syntax for a key path: dots inside keys escaped. */
function setKey(path: readonly string[]): string {
  return path.map((key) => key.replace(/([.,\\=])/g, '\\$1')).join('.');
}

/**
 * Fixes at the source: for each chart whose rendered output has findings a value can switch off, re-renders the
 * chart with each candidate value (automount settings of its values.yaml) set to false, re-scans, and gives the
 * findings that disappear, with nothing new appearing, a fix that sets that value in values.yaml. Renders are bounded
 * by the candidates (usually one or two per chart); charts rendered with extra values files or `--set` are skipped,
 * since their values.yaml may not be what decides.
 */
export async function probeValues(options: {
  root: string;
  config: ResolvedConfig;
  helm?: string;
  charts: { render: ChartRender; files: SourceFile[] }[];
  files: SourceFile[];
  /** The scan of `files`: its findings are given fixes in place. */
  scan: ScanResult;
  /** Milliseconds all probe renders may take together; default PROBE_BUDGET_MS. */
  budgetMs?: number;
}): Promise<ProbeReport> {
  const started = performance.now();
  const deadline = started + (options.budgetMs ?? PROBE_BUDGET_MS);
  const report: ProbeReport = { renders: 0, fixed: 0, milliseconds: 0, skipped: 0 };
  const timeLeft = () => {
    if (performance.now() < deadline) return true;
    report.skipped++;
    return false;
  };
  const before = new Set(options.scan.findings.map((finding) => finding.identity));
  // API clients with their token, worked out once a probe needs it: a value or template edit that takes one away
  // (a value shared by a client and the workload it fixes) is not a fix.
  let clients: Set<string> | undefined;
  const takesClientToken = (after: ScanResult): boolean => {
    clients ??= options.scan.mountedClients();
    const still = after.mountedClients();
    return [...clients].some((client) => !still.has(client));
  };
  for (const { render, files: rendered } of options.charts) {
    if (render.valuesFiles.length > 0 || Object.keys(render.set).length > 0) continue;
    // A packed dependency's output is fixed through no file of the repository (see helm.ts).
    const renderedPaths = new Set(rendered.filter((file) => !file.archived).map((file) => file.path));
    const targets = unfixedRendered(options.scan.findings, renderedPaths, PROBED_RULES);
    if (targets.length === 0) continue;
    const valuesPath = `${render.dir ? `${render.dir}/` : ''}values.yaml`;
    const valuesFile = insidePath(options.root, valuesPath);
    const valuesText = valuesFile === null ? null : await readFile(valuesFile, 'utf8').catch(() => null);
    if (valuesText === null) continue;
    const others = options.files.filter((file) => !renderedPaths.has(file.path));
    const scopes = new Set(targets.map((finding) => valuesScope(finding.file, render.dir)));
    const subcharts = new Set([...renderedPaths].map((path) => valuesScope(path, render.dir)));
    for (const path of await probedValues(options.root, valuesText, targets)) {
      // A subchart's templates see only its section of the values (and `global`): a key of another section cannot
      // switch their findings off, and each probe is a render of the whole chart (12 of them took kube-prometheus-stack
      // 14 s for one finding in grafana's test pod).
      const scope = subcharts.has(path[0]!) ? path[0]! : null;
      if (path[0] !== 'global' && !scopes.has(scope)) continue;
      const remaining = targets.filter((finding) => !finding.fix);
      if (remaining.length === 0) break;
      if (!timeLeft()) continue;
      const probe = await renderChart(
        { ...render, set: { [setKey(path)]: 'false' } },
        { root: options.root, binary: options.helm, deadline },
      );
      report.renders++;
      if (probe.errors.length > 0) continue;
      const scanned = scanFiles([...others, ...probe.files], options.config);
      const after = new Set(scanned.findings.map((finding) => finding.identity));
      // A value that makes something else appear, or takes an API client's token, is not a fix.
      if ([...after].some((identity) => !before.has(identity)) || takesClientToken(scanned)) continue;
      const fix = setValue(valuesPath, valuesText, path, 'false');
      if (!fix) continue;
      for (const finding of remaining) {
        if (after.has(finding.identity)) continue;
        finding.fix = fix;
        finding.message += ` Fix at the source: set \`${path.join('.')}: false\` in \`${valuesPath}\`.`;
        report.fixed++;
      }
    }
  }
  await probeTemplateFixes(options, before, report, timeLeft, deadline, takesClientToken);
  report.milliseconds = Math.round(performance.now() - started);
  return report;
}

/**
 * Where no value decides, the template itself: when the pod spec's `spec:` is written literally in the template,
 * `automountServiceAccountToken: false` is inserted under it, and kept only if rendering the edited chart (in a
 * temporary copy) removes the finding and adds nothing.
 */
async function probeTemplateFixes(
  options: Parameters<typeof probeValues>[0],
  before: Set<string>,
  report: ProbeReport,
  timeLeft: () => boolean,
  deadline: number,
  takesClientToken: (after: ScanResult) => boolean,
): Promise<void> {
  const repository = new GitRepository(options.root);
  for (const { render, files: rendered } of options.charts) {
    // A packed dependency's output is fixed through no file of the repository (see helm.ts).
    const renderedPaths = new Set(rendered.filter((file) => !file.archived).map((file) => file.path));
    const targets = unfixedRendered(options.scan.findings, renderedPaths, new Set(['automount-token']));
    const others = options.files.filter((file) => !renderedPaths.has(file.path));
    const chartDir = render.dir || '.';
    const prefix = render.dir ? `${render.dir}/` : '';
    for (const finding of targets) {
      // The template's path came from helm's output: it is edited only as a file of this chart, in a scratch copy.
      if (!finding.file.startsWith(prefix)) continue;
      // A dependency unpacked by `helm dependency build` into a folder the repository ignores: an edit would show in
      // no commit, and the next build would undo it.
      if (finding.file.startsWith(`${prefix}charts/`) && (await repository.ignores(finding.file))) {
        finding.message +=
          ` No fix is offered: \`${finding.file}\` is in a dependency unpacked into \`${prefix}charts/\`, which the ` +
          "repository ignores (.gitignore); the fix belongs in the parent chart's values.";
        continue;
      }
      const template = await readInside(
        join(options.root, chartDir),
        finding.file.slice(prefix.length),
      ).catch(() => null);
      if (template === null) continue;
      const edit = isPodSpecPath(finding.path) ? podSpecInsertion(template, finding.line) : null;
      if (!edit || !timeLeft()) continue;
      const copy = await mkdtemp(join(tmpdir(), 'ktg-template-'));
      try {
        // Links are copied as the files they point to, so writing the copy can never write through one.
        await cp(insidePath(options.root, chartDir)!, join(copy, chartDir), {
          recursive: true,
          dereference: true,
        });
        const target = insidePath(copy, finding.file);
        if (target === null) continue;
        await rm(target, { force: true });
        await writeFile(target, applyEdits(template, [edit]), { flag: 'wx' });
        const probe = await renderChart(render, { root: copy, binary: options.helm, deadline });
        report.renders++;
        if (probe.errors.length > 0) continue;
        const scanned = scanFiles([...others, ...probe.files], options.config);
        const after = new Set(scanned.findings.map((entry) => entry.identity));
        if (after.has(finding.identity) || [...after].some((identity) => !before.has(identity))) continue;
        if (takesClientToken(scanned)) continue;
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
      finding.fix = { file: finding.file, ...lineFixOf(template, [edit]) };
      report.fixed++;
    }
  }
}
