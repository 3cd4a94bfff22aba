import * as core from '@actions/core';
import { terminalText } from '../core/display-text.js';
import { type Finding, severityRank } from '../core/types.js';
import { plural } from '../core/words.js';

export type AnnotationLevel = 'notice' | 'warning' | 'failure';

/** Findings to report as workflow annotations, where no check run carries them: made once the notes are out. */
export interface FindingAnnotations {
  findings: readonly Finding[];
  levelOf: (finding: Finding) => AnnotationLevel;
  /** Whether a finding is new in the pull request (new ones go first); default all new. */
  isNew?: (finding: Finding) => boolean;
}

/**
 * GitHub shows at most 10 workflow annotations of each level per step (and 50 per job), and drops the rest. The
 * notes and the files that could not be checked go out first; findings take at most this many of each level, and one
 * notice counts those left out.
 */
export const FINDINGS_PER_LEVEL = 8;
const SHOWN_PER_LEVEL = 10;

const LEVELS: Record<AnnotationLevel, number> = { failure: 2, warning: 1, notice: 0 };

/**
 * Workflow annotations (`::error` and kin) for findings: the most severe of each level (new before existing), at most
 * `FINDINGS_PER_LEVEL` each, and a notice counting the rest; every finding is also a plain line of the log.
 * `shown` counts the annotations of each level the step made already (notes, unjudged files), which GitHub shows
 * first.
 */
export function annotate(
  { findings, levelOf, isNew = () => true }: FindingAnnotations,
  shown: Partial<Record<AnnotationLevel, number>> = {},
): void {
  const open = findings
    .filter((finding) => !finding.suppressed)
    .map((finding, order) => ({ finding, order, level: levelOf(finding), isNew: isNew(finding) }));
  if (open.length === 0) return;
  core.info(`Findings (${open.length}):`);
  for (const { finding, level, isNew: fresh } of open) {
    core.info(
      `  ${level} ${logText(finding.file)}:${finding.line} ${finding.ruleId} (${finding.severity}, ${fresh ? 'new' : 'existing'}): ${logText(finding.message)}`,
    );
  }
  const ranked = [...open].sort(
    (a, b) =>
      LEVELS[b.level] - LEVELS[a.level] ||
      Number(b.isNew) - Number(a.isNew) ||
      severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
      a.order - b.order,
  );
  const room: Record<AnnotationLevel, number> = { failure: 0, warning: 0, notice: 0 };
  for (const level of Object.keys(room) as AnnotationLevel[]) {
    // The notice counting the rest takes one place among the notices, the step's failure one among the errors.
    const free = SHOWN_PER_LEVEL - (shown[level] ?? 0) - (level === 'warning' ? 0 : 1);
    room[level] = Math.max(0, Math.min(FINDINGS_PER_LEVEL, free));
  }
  let left = 0;
  for (const { finding, level } of ranked) {
    if (room[level] === 0) {
      left += 1;
      continue;
    }
    room[level] -= 1;
    const properties = {
      title: finding.ruleId,
      file: finding.file,
      startLine: finding.line,
      endLine: finding.endLine,
    };
    const message = logText(finding.message);
    if (level === 'failure') core.error(message, properties);
    else if (level === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  }
  if (left > 0) {
    core.notice(
      `${plural(left, 'more finding')} not annotated: GitHub shows at most ${SHOWN_PER_LEVEL} annotations of each level per step. ` +
        'Every finding is listed in this step\'s log ("Findings"), in the job summary and in SARIF.',
    );
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
