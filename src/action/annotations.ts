import * as core from '@actions/core';
import { terminalText } from '../core/display-text.js';
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
    const message = logText(finding.message);
    if (level === 'failure') core.error(message, properties);
    else if (level === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
}

/**
 * Text from the repository (a file path, a message naming resources) made safe for one line of the log. The runner
 * reads any line that starts with `::` as a workflow command, and a path may hold line breaks: without this, a file
 * named `x\n::stop-commands::t` would silence every annotation after it. Line breaks, other control characters (the
 * log shows ANSI colours) and bidirectional controls are written as escapes; callers start the line with their own
 * words, never with such text.
 */
export function logText(text: string): string {
  return terminalText(text);
}
