import type { Finding, ScanError } from '../core/types.js';
import { jsonPieces } from './json-pieces.js';

/** One finding of the `--format json` report: the finding without engine internals. */
export function jsonFinding(finding: Finding): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    file: finding.file,
    line: finding.line,
    endLine: finding.endLine,
    resource: finding.resource,
    suppressed: finding.suppressed,
    fix: finding.fix,
  };
  if (finding.suppression) entry.suppression = finding.suppression;
  if (finding.apiClient !== undefined) entry.apiClient = finding.apiClient;
  if (finding.rendered) entry.rendered = true;
  if (finding.via) entry.via = finding.via;
  if (finding.packed !== undefined) entry.packed = finding.packed;
  return entry;
}

function jsonError(error: ScanError): Record<string, unknown> {
  return { file: error.file, line: error.line, message: error.message };
}

/** The `--format json` contract of the design: `{findings, errors}`, each finding without engine internals. */
export function toJsonReport(
  findings: readonly Finding[],
  errors: readonly ScanError[],
): Record<string, unknown> {
  return { findings: findings.map(jsonFinding), errors: errors.map(jsonError) };
}

export function formatJson(findings: readonly Finding[], errors: readonly ScanError[]): string {
  return `${JSON.stringify(toJsonReport(findings, errors), null, 2)}\n`;
}

/** `formatJson` in pieces, a finding at a time (see `json-pieces.ts`). */
export function* jsonReportPieces(
  findings: readonly Finding[],
  errors: readonly ScanError[],
): Generator<string> {
  yield* jsonPieces({ findings: [], errors: errors.map(jsonError) }, 'findings', findings, jsonFinding);
  yield '\n';
}
