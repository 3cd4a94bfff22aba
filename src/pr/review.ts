import { applyFixes, sameEdits } from '../core/apply.js';
import { hasBidiControls, withoutBidiControls, withoutControls } from '../core/display-text.js';
import { lineFixOf, newlineOf } from '../core/fix.js';
import { type Finding, type Fix, severityRank } from '../core/types.js';
import { fingerprint } from '../report/sarif.js';
import { countFindings, severityBreakdown } from '../report/summary.js';
import type { RuleMeta } from '../rules/types.js';
import { RULE_DOCS_URL } from '../version.js';
import { type CommentableLines, inOneHunk } from './patch.js';
import { append, maxOf } from '../core/arrays.js';

/**
 * Findings one comment describes: a suggestion that fixes more lists the rest in the review's body, so a comment stays
 * far below GitHub's 65,536 characters (a message is at most 8,000, a rationale about 1,000).
 */
const COMMENT_FINDINGS = 5;

const MARKER = /<!-- kube-token-guard:fingerprints=([0-9a-f,]+) -->/;
const RESOLVED_MARKER = '<!-- kube-token-guard:resolved -->';
const SUPERSEDED_MARKER = '<!-- kube-token-guard:superseded -->';

/** Whether a comment carries the marker of the findings it comments (see `planReview`). */
export function hasFingerprintMarker(body: string): boolean {
  return MARKER.test(body);
}

/** Line breaks of every kind: a message is one paragraph, and a break could start a heading, list or HTML block. */
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;

/**
 * Plain text made inert, rendered as it reads: no HTML or entities, no mentions (a zero-width space after `@`), no
 * links, images or autolinked URLs (escaped brackets, `\://` and `www\.`), no emphasis, nothing that ends a table
 * cell.
 */
function escapeText(text: string): string {
  return text
    .replace(/[\\`|[\]*_~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b')
    .replace(/:\/\//g, '\\://')
    .replace(/(www)\./gi, '$1\\.');
}

/**
 * Escapes a message for GitHub Markdown, keeping the code spans rules write (`like this`). Names in a message come
 * from the scanned files and may hold anything, so code spans are recognised exactly as Markdown pairs them (a single
 * backtick up to the next single backtick) and everything else is escaped, stray backticks and backslashes included:
 * no HTML, no mentions, no links or images, nothing that breaks out of a paragraph or a table row.
 */
export function escapeMarkdown(text: string): string {
  // Leading blanks would make an indented code block; trailing ones a hard line break. Bidirectional controls would
  // reorder what the reader sees, and other controls act in a log: they become visible escapes.
  const flat = withoutControls(text.replace(LINE_BREAKS, ' ')).trim();
  let result = '';
  let index = 0;
  while (index < flat.length) {
    const tick = flat.indexOf('`', index);
    if (tick === -1) {
      result += escapeText(flat.slice(index));
      break;
    }
    result += escapeText(flat.slice(index, tick));
    const run = /^`+/.exec(flat.slice(tick))![0].length;
    const close = run === 1 ? closingTick(flat, tick + 1) : -1;
    if (close === -1) {
      result += '\\`'.repeat(run);
      index = tick + run;
    } else {
      result += flat.slice(tick, close + 1);
      index = close + 1;
    }
  }
  // A paragraph that starts like a heading, list item, fence or thematic break would become one.
  return result.replace(/^([#+=-]|\d+[.)])/, (marker: string) =>
    /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`,
  );
}

/** The offset of the single backtick that closes a code span opened before `from`, or -1. */
function closingTick(text: string, from: number): number {
  const pattern = /`+/g;
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0].length === 1) return match.index;
  }
  return -1;
}

/**
 * Any text (a file path, a branch name) as one inline code span, whatever backticks, line breaks, control or
 * bidirectional characters (shown as escapes) it holds.
 */
export function codeSpan(text: string): string {
  const flat = withoutControls(text.replace(LINE_BREAKS, ' '));
  const longest = maxOf(
    (flat.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(longest + 1);
  // Markdown strips one space from each end of a span that has both, and a span cannot start or end with a backtick.
  if (flat.trim() === '') return flat === '' ? '` `' : `${fence}${flat}${fence}`;
  const pad =
    flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The backticks of a fenced block holding `content`: longer than any run inside it, and at least `minimum`. */
export function codeFence(content: string, minimum = 3): string {
  const longest = maxOf(
    (content.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  return '`'.repeat(Math.max(minimum, longest + 1));
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
  /**
   * GitHub shows it as outdated: a later push changed the lines it was on (the API answers `line` and `position`
   * null, keeping `original_line`), and its suggestion can no longer be applied.
   */
  outdated: boolean;
}

export interface ReviewPlan {
  comments: PlannedComment[];
  /** Introduced findings that get no inline comment (outside the diff, or over the cap): listed in the body. */
  inBody: Finding[];
  /** Introduced findings already commented by an earlier run. */
  alreadyCommented: Finding[];
  /** Comments of earlier runs whose findings are gone, to be marked resolved. */
  resolved: ExistingComment[];
  /**
   * Outdated comments of earlier runs whose findings are still open and have no current comment: those findings are
   * planned again (on the lines of the current head), and these are to be marked superseded once the review is posted.
   */
  superseded: ExistingComment[];
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
    // One values line can fix several findings (a setting two templates read): one suggestion for them all.
    if (fix && last?.fix && sameEdits(fix, last.fix)) {
      last.findings.push(finding);
      continue;
    }
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
  // A comment marked resolved or superseded by an earlier run is done with; the others say what is commented.
  const live = existing.filter(
    (comment) =>
      MARKER.test(comment.body) &&
      !comment.body.includes(RESOLVED_MARKER) &&
      !comment.body.includes(SUPERSEDED_MARKER),
  );
  const posted = new Map<string, ExistingComment[]>();
  for (const comment of live) {
    for (const print of printsOf(comment)) posted.set(print, [...(posted.get(print) ?? []), comment]);
  }
  const plan: ReviewPlan = { comments: [], inBody: [], alreadyCommented: [], resolved: [], superseded: [] };
  const current = new Set(introduced.map(fingerprint));
  for (const comment of live) {
    if (!printsOf(comment).some((print) => current.has(print))) plan.resolved.push(comment);
  }

  const superseded = new Set<ExistingComment>();
  const pending = introduced.filter((finding) => {
    const comments = posted.get(fingerprint(finding)) ?? [];
    if (comments.some((comment) => !comment.outdated)) {
      plan.alreadyCommented.push(finding);
      return false;
    }
    // Only outdated comments: GitHub cannot apply their suggestions, so the finding is commented afresh.
    if (!finding.suppressed) for (const comment of comments) superseded.add(comment);
    return !finding.suppressed;
  });
  plan.superseded = [...superseded];
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
        append(plan.inBody, group.findings);
      } else if (fix && inOneHunk(lines, fix.startLine, fix.endLine)) {
        candidates.push(comment(path, fix.startLine, fix.endLine, group.findings, fix, context));
        append(plan.inBody, group.findings.slice(COMMENT_FINDINGS));
      } else if (anchor.file === path && lines.right.has(anchor.line)) {
        candidates.push(comment(path, anchor.line, anchor.line, group.findings, null, context));
        append(plan.inBody, group.findings.slice(COMMENT_FINDINGS));
      } else {
        append(plan.inBody, group.findings);
      }
    }
  }
  candidates.sort((a, b) => bySeverity(a.findings[0]!, b.findings[0]!));
  plan.comments = candidates.slice(0, Math.max(0, context.maxComments));
  for (const over of candidates.slice(plan.comments.length)) append(plan.inBody, over.findings);
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
  const described = findings.slice(0, COMMENT_FINDINGS);
  for (const finding of described) {
    const meta = context.rules.get(finding.ruleId);
    parts.push(
      `**kube-token-guard** · [\`${finding.ruleId}\`](${RULE_DOCS_URL}/${finding.ruleId}.md) · **${finding.severity}**`,
      '',
      escapeMarkdown(finding.message),
    );
    if (meta) parts.push('', `<details><summary>Why it matters</summary>\n\n${meta.rationale}\n\n</details>`);
    parts.push('');
  }
  if (findings.length > described.length) {
    const more = findings.length - described.length;
    parts.push(
      `The same change fixes ${more} more finding${more === 1 ? '' : 's'}, listed in the review's body.`,
      '',
    );
  }
  if (fix && hasBidiControls(fix.replacement)) {
    // Accepting it would commit characters that make the lines read otherwise than they are: shown, not offered.
    const fence = codeFence(fix.replacement);
    parts.push(
      'The suggested change is not offered to accept: its lines hold bidirectional control characters, shown here ' +
        'as `\\u202e`-style escapes. Make the change by hand.',
      '',
      `${fence}yaml`,
      withoutBidiControls(fix.replacement),
      fence,
      '',
    );
  } else if (fix) {
    // At least four backticks, and more than any run in the replacement, which could otherwise end the block early.
    const fence = codeFence(fix.replacement, 4);
    parts.push(`${fence}suggestion`, fix.replacement, fence, '');
  }
  const ids = [...new Set(described.map((finding) => finding.ruleId))].join(',');
  parts.push(
    `<sub>An accepted exception can be recorded on the resource: \`kube-token-guard.io/ignore: "${ids}: <reason>"\`.</sub>`,
    `<!-- kube-token-guard:fingerprints=${described.map(fingerprint).join(',')} -->`,
  );
  // On a file with CRLF line endings the comment's lines end in CRLF, as a comment written in GitHub's web form does:
  // the suggestion's lines then carry the file's line endings into the commit that accepts it.
  const text = parts.join('\n');
  const body = newlineOf(context.texts.get(path) ?? '') === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
  const planned: PlannedComment = { path, line: end, body, findings: described };
  if (start !== end) planned.startLine = start;
  return planned;
}

/** The fingerprints a comment of this Action carries. */
function printsOf(comment: ExistingComment): string[] {
  return MARKER.exec(comment.body)?.[1]?.split(',') ?? [];
}

/** The body of a comment whose finding is gone: struck through and marked, so later runs leave it alone. */
export function resolvedBody(body: string, headSha: string): string {
  return retiredBody(`✅ **Resolved**: no longer reported at ${headSha.slice(0, 7)}.`, body, RESOLVED_MARKER);
}

/** The body of an outdated comment whose finding is still open and commented again on the current lines. */
export function supersededBody(body: string, headSha: string): string {
  return retiredBody(
    `↪️ **Superseded**: the lines this comment was on changed, and the finding is still open at ${headSha.slice(0, 7)}: ` +
      'see the newer comment (or the latest review).',
    body,
    SUPERSEDED_MARKER,
  );
}

/** A comment later runs leave alone: a headline, the original folded away (its suggestion no longer offered). */
function retiredBody(headline: string, body: string, marker: string): string {
  const original = body.replace(/^(````+)suggestion(\r?)$/m, '$1yaml$2');
  return `${headline}\n\n<details><summary>Original comment</summary>\n\n${original}\n\n</details>\n${marker}`;
}

/** `2 high, 1 medium`: the unsuppressed findings by severity, highest first (as the CLI's summary line). */
export function severityCounts(findings: readonly Finding[]): string {
  return severityBreakdown(countFindings(findings, 'none'));
}
