import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { ResolvedConfig } from '../config/config.js';
import { setYamlScalar } from '../core/fix.js';
import { scanFiles } from '../core/scan.js';
import type { Finding, SourceFile } from '../core/types.js';
import { type ChartRender, renderChart } from './helm.js';

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
}

/** Paths of the values that could switch automounting off: keys about it, currently true or empty. */
export function candidateValues(valuesText: string): string[][] {
  const doc = parseDocument(valuesText, { version: '1.1' });
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
  findings: Finding[];
}): Promise<ProbeReport> {
  const started = performance.now();
  const report: ProbeReport = { renders: 0, fixed: 0, milliseconds: 0 };
  const before = new Set(options.findings.map((finding) => finding.identity));
  for (const { render, files: rendered } of options.charts) {
    if (render.valuesFiles.length > 0 || Object.keys(render.set).length > 0) continue;
    const renderedPaths = new Set(rendered.map((file) => file.path));
    const targets = options.findings.filter(
      (finding) =>
        finding.rendered &&
        !finding.suppressed &&
        !finding.fix &&
        PROBED_RULES.has(finding.ruleId) &&
        renderedPaths.has(finding.file),
    );
    if (targets.length === 0) continue;
    const valuesPath = `${render.dir ? `${render.dir}/` : ''}values.yaml`;
    const valuesText = await readFile(resolve(options.root, valuesPath), 'utf8').catch(() => null);
    if (valuesText === null) continue;
    const others = options.files.filter((file) => !renderedPaths.has(file.path));
    for (const path of candidateValues(valuesText)) {
      const remaining = targets.filter((finding) => !finding.fix);
      if (remaining.length === 0) break;
      const probe = await renderChart(
        { ...render, set: { [setKey(path)]: 'false' } },
        { root: options.root, binary: options.helm },
      );
      report.renders++;
      if (probe.errors.length > 0) continue;
      const after = new Set(
        scanFiles([...others, ...probe.files], options.config).findings.map((finding) => finding.identity),
      );
      // A value that makes something else appear is not a fix.
      if ([...after].some((identity) => !before.has(identity))) continue;
      const fix = setYamlScalar(valuesPath, valuesText, path, 'false');
      if (!fix) continue;
      for (const finding of remaining) {
        if (after.has(finding.identity)) continue;
        finding.fix = fix;
        finding.message += ` Fix at the source: set \`${path.join('.')}: false\` in \`${valuesPath}\`.`;
        report.fixed++;
      }
    }
  }
  report.milliseconds = Math.round(performance.now() - started);
  return report;
}
