import { terminalLines, terminalText } from '../core/display-text.js';
import type { ScanError, ScanNotice, Severity } from '../core/types.js';
import type { Finding } from '../core/types.js';
import { appliedByFix, countFindings, severityBreakdown } from './summary.js';
import { maxOf } from '../core/arrays.js';

const COLORS: Record<Severity | 'dim' | 'bold' | 'path', [number, number]> = {
  critical: [35, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [2, 22],
  dim: [2, 22],
  bold: [1, 22],
  path: [4, 24],
};

/** The indent of the following lines of a message of several lines (helm's errors): never a line of our own. */
const CONTINUED = '    ';

export interface TextOptions {
  color: boolean;
  failOn: Severity | 'none';
  showSuppressed?: boolean;
}

/**
 * Human-readable report: findings grouped by file, then errors, then one summary line. Names, paths and messages come
 * from the scanned files and the tools that rendered them: their control and bidirectional characters are written as
 * escapes (see core/display-text.ts), so that only this function's colour codes reach the terminal.
 */
export function formatText(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  notices: readonly ScanNotice[],
  options: TextOptions,
): string {
  return [...textPieces(findings, errors, notices, options)].join('');
}

/** `formatText` in pieces, a line at a time, each with its line break. */
export function* textPieces(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  notices: readonly ScanNotice[],
  options: TextOptions,
): Generator<string> {
  const paint = (style: keyof typeof COLORS, text: string) =>
    options.color ? `\u001b[${COLORS[style][0]}m${text}\u001b[${COLORS[style][1]}m` : text;
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    if (!options.showSuppressed && finding.suppressed) continue;
    const list = byFile.get(finding.file);
    if (list) list.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  for (const [file, list] of byFile) {
    yield `${paint('path', terminalText(file))}\n`;
    const width = maxOf(
      list.map((finding) => String(finding.line).length),
      1,
    );
    for (const finding of list) {
      const tags = [
        appliedByFix(finding) ? 'fixable' : finding.fix ? 'suggestion' : '',
        finding.suppressed ? `suppressed: ${terminalText(finding.suppression?.reason ?? '')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      yield (
        `  ${paint('dim', String(finding.line).padStart(width))}  ${paint(finding.severity, finding.severity.padEnd(8))} ` +
        `${paint('bold', finding.ruleId)}  ${terminalText(finding.message)}${tags ? paint('dim', ` [${tags}]`) : ''}\n`
      );
    }
    yield '\n';
  }
  for (const error of errors) {
    yield `${paint('high', 'error')} ${terminalText(error.file)}${error.line ? `:${error.line}` : ''}: ${terminalLines(error.message, CONTINUED)}\n`;
  }
  for (const notice of notices)
    yield `${paint('dim', 'notice')} ${terminalText(notice.file)}: ${terminalLines(notice.message, CONTINUED)}\n`;
  if (errors.length > 0 || notices.length > 0) yield '\n';

  const counts = countFindings(findings, options.failOn);
  const parts: string[] = [];
  if (counts.total === 0) parts.push('No findings');
  else {
    parts.push(
      `${counts.total} finding${counts.total === 1 ? '' : 's'} (${severityBreakdown(counts)}) in ${counts.files} file${counts.files === 1 ? '' : 's'}`,
    );
  }
  if (counts.blocking > 0) parts.push(`${counts.blocking} at or above ${options.failOn}`);
  if (counts.fixable > 0) parts.push(`${counts.fixable} fixable with --fix`);
  if (counts.suppressed > 0) parts.push(`${counts.suppressed} suppressed`);
  if (errors.length > 0) parts.push(`${errors.length} error${errors.length === 1 ? '' : 's'}`);
  const mark = counts.blocking > 0 || errors.length > 0 ? paint('high', '✖') : paint('low', '✔');
  yield `${mark} ${parts.join(' · ')}\n`;
}
