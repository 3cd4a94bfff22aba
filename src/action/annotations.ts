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

/**
 * Text from the repository (a file path, a message naming resources) made safe for one line of the log. The runner
 * reads any line that starts with `::` as a workflow command, and a path may hold line breaks: without this, a file
 * named `x\n::stop-commands::t` would silence every annotation after it. Line breaks and other control characters are
 * written as escapes; callers start the line with their own words, never with such text.
 */
export function logText(text: string): string {
  return text.replace(
    /[\p{Cc}\u2028\u2029]/gu,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
