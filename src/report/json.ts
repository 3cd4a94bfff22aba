import type { Finding, ScanError } from '../core/types.js';

/** The `--format json` contract of the design: `{findings, errors}`, each finding without engine internals. */
export function toJsonReport(
  findings: readonly Finding[],
  errors: readonly ScanError[],
): Record<string, unknown> {
  return {
    findings: findings.map((finding) => {
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
      return entry;
    }),
    errors: errors.map((error) => ({ file: error.file, line: error.line, message: error.message })),
  };
}

export function formatJson(findings: readonly Finding[], errors: readonly ScanError[]): string {
  return `${JSON.stringify(toJsonReport(findings, errors), null, 2)}\n`;
}
