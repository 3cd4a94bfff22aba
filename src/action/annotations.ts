import * as core from '@actions/core';
import type { Finding } from '../core/types.js';

/** Workflow annotations (`::error` and kin) for findings, where no check run carries them. */
export function annotate(
  findings: readonly Finding[],
  levelOf: (finding: Finding) => 'notice' | 'warning' | 'failure',
): void {
  for (const finding of findings) {
    if (finding.suppressed) continue;
    const properties = {
      title: finding.ruleId,
      file: finding.file,
      startLine: finding.line,
      endLine: finding.endLine,
    };
    const level = levelOf(finding);
    if (level === 'failure') core.error(finding.message, properties);
    else if (level === 'warning') core.warning(finding.message, properties);
    else core.notice(finding.message, properties);
  }
}
