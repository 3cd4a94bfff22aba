import { applyFixes } from '../core/apply.js';
import { lineFixOf } from '../core/fix.js';
import { type Finding, type Fix, severityRank } from '../core/types.js';
import { fingerprint } from '../report/sarif.js';
import { countFindings, severityBreakdown } from '../report/summary.js';
import type { RuleMeta } from '../rules/types.js';
import { RULE_DOCS_URL } from '../version.js';
import { type CommentableLines, inOneHunk } from './patch.js';

const MARKER = /<!-- kube-token-guard:fingerprints=([0-9a-f,]+) -->/;
const RESOLVED_MARKER = '<!-- kube-token-guard:resolved -->';

/** Escapes text for GitHub Markdown outside code spans: no HTML, no mentions, no links smuggled in by names. */
export function escapeMarkdown(text: string): string {
  return text
    .split('`')
    .map((part, index) =>
      index % 2 === 1
        ? part
        : part
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/@/g, '@\u200b')
            .replace(/\[/g, '\\[')
            .replace(/\]/g, '\\]'),
    )
    .join('`');
}

export interface PlannedComment {
  path: string;
  line: number;
  startLine?: number;
  body: string;
  findings: Finding[];
}

export interface ExistingComment {
  id: number;
  body: string;
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** Introduced findings that get no inline comment (outside the diff, or over the cap): listed in the body. */
  inBody: Finding[];
  /** Introduced findings already commented by an earlier run. */
  alreadyCommented: Finding[];
  /** Comments of earlier runs whose findings are gone, to be marked resolved. */
  resolved: ExistingComment[];
}

function bySeverity(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line
  );
}

/**
 * Findings whose fixes touch overlapping lines become one suggestion: two suggestions on one line would conflict, and
 * accepting one would make the other outdated.
 */
function groupByFixLines(
  findings: Finding[],
  text: string | undefined,
): { findings: Finding[]; fix: Fix | null }[] {
  const groups: { findings: Finding[]; fix: Fix | null }[] = [];
  for (const finding of [...findings].sort(
    (a, b) => (a.fix?.startLine ?? a.line) - (b.fix?.startLine ?? b.line),
  )) {
    const fix = finding.fix;
    const last = groups[groups.length - 1];
    if (fix && last?.fix && text !== undefined && fix.startLine <= last.fix.endLine) {
      const merged = mergeFixes(text, [last.fix, fix]);
      if (merged) {
        last.findings.push(finding);
        last.fix = merged;
        continue;
      }
    }
    groups.push({ findings: [finding], fix });
  }
  return groups;
}

function mergeFixes(text: string, fixes: Fix[]): Fix | null {
  const edits = fixes.flatMap((fix) => fix.edits);
  if (applyFixes(text, fixes).applied !== fixes.length) return null;
  return lineFixOf(text, edits);
}

export interface CommentContext {
  rules: ReadonlyMap<string, RuleMeta>;
  /** Changed files' commentable lines, by path. */
  lines: ReadonlyMap<string, CommentableLines>;
  /** Head contents of the changed files, to merge suggestions on the same lines. */
  texts: ReadonlyMap<string, string>;
  maxComments: number;
}

/**
 * Plans the inline comments of one review: a comment per introduced finding (or group of findings sharing their
 * fix's lines) that lies inside the diff, with a suggestion when its fix does; the rest go to the review body.
 * Findings an earlier run already commented are not commented again.
 */
export function planReview(
  introduced: Finding[],
  existing: ExistingComment[],
  context: CommentContext,
): ReviewPlan {
  const posted = new Map<string, ExistingComment>();
  for (const comment of existing) {
    const match = MARKER.exec(comment.body);
    if (!match) continue;
    for (const print of match[1]!.split(',')) posted.set(print, comment);
  }
  const plan: ReviewPlan = { comments: [], inBody: [], alreadyCommented: [], resolved: [] };
  const current = new Set(introduced.map(fingerprint));
  for (const comment of new Set(posted.values())) {
    if (comment.body.includes(RESOLVED_MARKER)) continue;
    const prints = MARKER.exec(comment.body)![1]!.split(',');
    if (!prints.some((print) => current.has(print))) plan.resolved.push(comment);
  }

  const pending = introduced.filter((finding) => {
    const comment = posted.get(fingerprint(finding));
    if (comment && !comment.body.includes(RESOLVED_MARKER)) {
      plan.alreadyCommented.push(finding);
      return false;
    }
    return !finding.suppressed;
  });
  const byFile = new Map<string, Finding[]>();
  // A fix may live in another file than its finding (a chart's values file): the suggestion goes where the fix is.
  for (const finding of pending) {
    const path = finding.fix?.file ?? finding.file;
    byFile.set(path, [...(byFile.get(path) ?? []), finding]);
  }

  const candidates: PlannedComment[] = [];
  for (const [path, findings] of byFile) {
    const lines = context.lines.get(path);
    for (const group of groupByFixLines(findings, context.texts.get(path))) {
      const fix = group.fix;
      const anchor = group.findings[0]!;
      if (!lines?.inline) {
        plan.inBody.push(...group.findings);
      } else if (fix && inOneHunk(lines, fix.startLine, fix.endLine)) {
        candidates.push(comment(path, fix.startLine, fix.endLine, group.findings, fix, context));
      } else if (anchor.file === path && lines.right.has(anchor.line)) {
        candidates.push(comment(path, anchor.line, anchor.line, group.findings, null, context));
      } else {
        plan.inBody.push(...group.findings);
      }
    }
  }
  candidates.sort((a, b) => bySeverity(a.findings[0]!, b.findings[0]!));
  plan.comments = candidates.slice(0, Math.max(0, context.maxComments));
  for (const over of candidates.slice(plan.comments.length)) plan.inBody.push(...over.findings);
  plan.inBody.sort(bySeverity);
  return plan;
}

function comment(
  path: string,
  start: number,
  end: number,
  findings: Finding[],
  fix: Fix | null,
  context: CommentContext,
): PlannedComment {
  const parts: string[] = [];
  for (const finding of findings) {
    const meta = context.rules.get(finding.ruleId);
    parts.push(
      `**kube-token-guard** · [\`${finding.ruleId}\`](${RULE_DOCS_URL}/${finding.ruleId}.md) · **${finding.severity}**`,
      '',
      escapeMarkdown(finding.message),
    );
    if (meta) parts.push('', `<details><summary>Why it matters</summary>\n\n${meta.rationale}\n\n</details>`);
    parts.push('');
  }
  if (fix) {
    // Four backticks, so that a replacement holding a fence of three cannot end the block early.
    parts.push('````suggestion', fix.replacement, '````', '');
  }
  const ids = [...new Set(findings.map((finding) => finding.ruleId))].join(',');
  parts.push(
    `<sub>An accepted exception can be recorded on the resource: \`kube-token-guard.io/ignore: "${ids}: <reason>"\`.</sub>`,
    `<!-- kube-token-guard:fingerprints=${findings.map(fingerprint).join(',')} -->`,
  );
  const planned: PlannedComment = { path, line: end, body: parts.join('\n'), findings };
  if (start !== end) planned.startLine = start;
  return planned;
}

/** The body of a comment whose finding is gone: struck through and marked, so later runs leave it alone. */
export function resolvedBody(body: string, headSha: string): string {
  const original = body.replace(/^````suggestion$/m, '````yaml');
  return `✅ **Resolved**: no longer reported at ${headSha.slice(0, 7)}.\n\n<details><summary>Original comment</summary>\n\n${original}\n\n</details>\n${RESOLVED_MARKER}`;
}

/** `2 high, 1 medium`: the unsuppressed findings by severity, highest first (as the CLI's summary line). */
export function severityCounts(findings: readonly Finding[]): string {
  return severityBreakdown(countFindings(findings, 'none'));
}
