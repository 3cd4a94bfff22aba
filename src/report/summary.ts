import { type Finding, type Severity, SEVERITIES, atLeast } from '../core/types.js';

export interface Counts {
  total: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  fixable: number;
  files: number;
  blocking: number;
}

/** Whether a finding fails the check: unsuppressed and at or above `failOn`. */
export function isBlocking(finding: Finding, failOn: Severity | 'none'): boolean {
  return !finding.suppressed && failOn !== 'none' && atLeast(finding.severity, failOn);
}

/**
 * Whether `--fix` applies the finding's fix: not an API client's (its fix makes consent explicit, a person's decision),
 * and not a rendered one's unless it edits a values file.
 */
export function appliedByFix(finding: Finding): boolean {
  return (
    finding.fix !== null &&
    finding.apiClient === undefined &&
    (!finding.rendered || finding.fix.file !== undefined)
  );
}

/** Counts of the unsuppressed findings; `blocking` are those at or above `failOn`; `fixable`, those `--fix` fixes. */
export function countFindings(findings: readonly Finding[], failOn: Severity | 'none'): Counts {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  const files = new Set<string>();
  let suppressed = 0;
  let fixable = 0;
  let blocking = 0;
  for (const finding of findings) {
    if (finding.suppressed) {
      suppressed++;
      continue;
    }
    bySeverity[finding.severity]++;
    files.add(finding.file);
    if (appliedByFix(finding)) fixable++;
    if (isBlocking(finding, failOn)) blocking++;
  }
  const total = findings.length - suppressed;
  return { total, bySeverity, suppressed, fixable, files: files.size, blocking };
}

export function severityBreakdown(counts: Counts): string {
  return [...SEVERITIES]
    .reverse()
    .filter((severity) => counts.bySeverity[severity] > 0)
    .map((severity) => `${counts.bySeverity[severity]} ${severity}`)
    .join(', ');
}
