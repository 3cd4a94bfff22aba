import { type Finding, type ScanError, type Severity, severityRank } from '../core/types.js';
import { RULE_DOCS_URL } from '../version.js';
import { codeFence, codeSpan, escapeMarkdown, severityCounts } from './review.js';
import { maxOf } from '../core/arrays.js';
import { MAX_OUTPUT_BYTES, fitBytes } from '../core/text-limits.js';

export interface SummaryInput {
  introduced: Finding[];
  existing: Finding[];
  failOn: Severity | 'none';
  blocking: Finding[];
  changedManifests: number;
  notes: string[];
  /** A pull request's findings are new or existing; a workspace scan's are just findings. */
  scope?: 'pull-request' | 'workspace';
  /** Files in scope that could not be judged: each fails the check. */
  unjudged?: readonly ScanError[];
}

/** How many files in a list of errors: one file may carry several. */
export function unjudgedFiles(errors: readonly ScanError[]): number {
  return new Set(errors.map((error) => error.file)).size;
}

/** Errors listed in a summary; the rest are counted. */
const MAX_LISTED_ERRORS = 50;

/**
 * The files that could not be judged, first in a summary: a check that read only part of what it promises to check
 * must not look green.
 */
function unjudgedSection(errors: readonly ScanError[]): string[] {
  if (errors.length === 0) return [];
  const files = unjudgedFiles(errors);
  const listed = errors
    .slice(0, MAX_LISTED_ERRORS)
    .map(
      (error) =>
        `- ${codeSpan(error.line ? `${error.file}:${error.line}` : error.file)}: ${escapeMarkdown(error.message)}`,
    );
  if (errors.length > listed.length) listed.push(`- … and ${errors.length - listed.length} more`);
  return [
    `❌ **Could not check ${files} file${files === 1 ? '' : 's'}: the check fails until ${files === 1 ? 'it reads' : 'they read'} as Kubernetes would read ${files === 1 ? 'it' : 'them'}.** ` +
      'A file that is not a Kubernetes manifest can be left out by path with `exclude` in the config.',
    '',
    ...listed,
    '',
  ];
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The table of the check run, the job summary and the review body: new, existing and suppressed per rule. */
export function summaryMarkdown(input: SummaryInput): string {
  const all = [...input.introduced, ...input.existing];
  const rules = [...new Set(all.map((finding) => finding.ruleId))].sort((a, b) => {
    const top = (id: string) =>
      maxOf(all.filter((f) => f.ruleId === id).map((f) => severityRank(f.severity)));
    return top(b) - top(a) || a.localeCompare(b);
  });
  const open = (list: Finding[]) => list.filter((finding) => !finding.suppressed);
  const lines: string[] = [];
  const newOpen = open(input.introduced);
  const workspace = input.scope === 'workspace';
  const noun = (count: number) => `${workspace ? '' : 'new '}finding${count === 1 ? '' : 's'}`;
  const unjudged = input.unjudged ?? [];
  lines.push(...unjudgedSection(unjudged));
  if (input.blocking.length > 0) {
    lines.push(
      `❌ **${input.blocking.length} ${noun(input.blocking.length)} at or above \`${input.failOn}\` fail the check.**`,
    );
  } else if (newOpen.length > 0) {
    lines.push(
      `⚠️ ${newOpen.length} ${noun(newOpen.length)} (${severityCounts(newOpen)}), none at or above \`${input.failOn}\`.`,
    );
  } else if (unjudged.length > 0) {
    lines.push(`No ${workspace ? '' : 'new '}ServiceAccount token findings in the files that could be read.`);
  } else {
    lines.push(
      workspace
        ? '✅ No ServiceAccount token findings.'
        : '✅ This pull request introduces no ServiceAccount token findings.',
    );
  }
  lines.push('');
  if (rules.length > 0) {
    lines.push(
      row(['Rule', 'Highest severity', 'New', 'Existing', 'Suppressed']),
      row(['---', '---', '---:', '---:', '---:']),
    );
    for (const id of rules) {
      const of = (list: Finding[]) => list.filter((finding) => finding.ruleId === id);
      const highest = all
        .filter((finding) => finding.ruleId === id)
        .reduce<Severity>(
          (top, finding) => (severityRank(finding.severity) > severityRank(top) ? finding.severity : top),
          'info',
        );
      lines.push(
        row([
          `[\`${id}\`](${RULE_DOCS_URL}/${id}.md)`,
          highest,
          String(open(of(input.introduced)).length),
          String(open(of(input.existing)).length),
          String(of(all).filter((finding) => finding.suppressed).length),
        ]),
      );
    }
    lines.push('');
  }
  const files = [...new Set(all.map((finding) => finding.file))].sort();
  lines.push(
    `${input.changedManifests} ${workspace ? '' : 'changed '}file${input.changedManifests === 1 ? '' : 's'} scanned` +
      (files.length > 0 ? `; findings in ${files.map((file) => codeSpan(file)).join(', ')}` : '') +
      '.',
  );
  for (const note of input.notes) lines.push('', note);
  return truncate(lines.join('\n'), MAX_OUTPUT_BYTES);
}

/** One line per finding, for the check run's text and the review body. */
export function findingList(findings: readonly Finding[], limit = MAX_OUTPUT_BYTES): string {
  const lines = findings.map((finding) => {
    const line =
      `- **${finding.severity}** \`${finding.ruleId}\` ${codeSpan(`${finding.file}:${finding.line}`)}` +
      `${finding.suppressed ? ' (suppressed)' : ''}: ${escapeMarkdown(finding.message)}`;
    const fix = finding.fix;
    if (!fix?.file) return line;
    const fence = codeFence(fix.replacement);
    return (
      `${line} Suggested change at ${codeSpan(`${fix.file}:${fix.startLine}`)}:\n\n` +
      `  ${fence}yaml\n  ${fix.replacement.split('\n').join('\n  ')}\n  ${fence}`
    );
  });
  return truncate(lines.join('\n'), limit);
}

/** `text` cut to `limit` UTF-8 bytes (a note saying so included), on a code point's boundary. */
export function truncate(text: string, limit: number): string {
  return fitBytes(text, limit);
}

export function annotationLevel(
  finding: Finding,
  failOn: Severity | 'none',
  introduced: boolean,
): 'notice' | 'warning' | 'failure' {
  if (introduced && failOn !== 'none' && severityRank(finding.severity) >= severityRank(failOn))
    return 'failure';
  return severityRank(finding.severity) >= severityRank('medium') ? 'warning' : 'notice';
}
