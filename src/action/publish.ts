/**
 * Publishing a scanned pull request: one review with inline suggestions, a check run with a summary table and
 * annotations, and workflow annotations where a check run cannot be made. Used by the one-job mode and by the
 * fork-safe publisher alike; it reads nothing of the repository, only the results it is given.
 */
import * as core from '@actions/core';
import { type GitHub, apiErrorDetail, statusOf } from '../api/client.js';
import { type AnnotationInput, publishCheckRun } from '../api/check-run.js';
import {
  type DraftReviewComment,
  acceptsReviewComments,
  createReview,
  deletePendingReviews,
  isPendingReviewConflict,
} from '../api/create-review.js';
import { type ReviewComment, listReviewComments, updateReviewComment } from '../api/review-comments.js';
import type { SecretFilter } from '../core/redact.js';
import { type Finding, type Severity, severityRank } from '../core/types.js';
import type { CommentableLines } from '../pr/patch.js';
import { isolateRefused } from '../pr/isolate.js';
import {
  type PlannedComment,
  codeSpan,
  escapeMarkdown,
  planReview,
  resolvedBody,
  severityCounts,
} from '../pr/review.js';
import { annotationLevel, findingList, summaryMarkdown, truncate, MAX_OUTPUT_CHARS } from '../pr/summary.js';
import { registry } from '../rules/index.js';
import type { RuleMeta } from '../rules/types.js';
import { annotate } from './annotations.js';
import type { ActionInputs } from './inputs.js';
import { ownMarkedComments } from './own-comments.js';
import type { PullRequestContext, RunContext } from './context.js';
import { permissionHint, since } from './hints.js';

/**
 * The most trial reviews (pending, deleted at once) spent on finding the inline comments GitHub refuses when it
 * refuses a review without naming them: enough to find one among 32 comments. Each costs two requests, and GitHub
 * paces review creation, so a few seconds.
 */
const MAX_REVIEW_PROBES = 6;

/** What a scan of a pull request leaves to publish: everything the review and the check run are made from. */
export interface PublishableResults {
  introduced: Finding[];
  existing: Finding[];
  blocking: Finding[];
  changedFiles: number;
  /** The lines of each changed file a review comment may sit on. */
  lines: Map<string, CommentableLines>;
  /** The head text of the files with findings (suggestions touching the same lines are merged). */
  texts: Map<string, string>;
  notes: string[];
  /** The commit the check run goes on. */
  checkSha: string;
  /**
   * The secrets of the run. The findings and notes have been through it already; every text sent to GitHub goes
   * through it once more, as it is sent.
   */
  secrets: SecretFilter;
}

/**
 * Publishes the review and the check run of a scanned pull request (falling back to workflow annotations when the
 * check run cannot be created, or `canWrite` is false). Notes on what could not be done are added to `results.notes`.
 */
export async function publishPullRequest(
  github: GitHub,
  context: RunContext,
  inputs: ActionInputs,
  pr: PullRequestContext,
  failOn: Severity | 'none',
  report: 'new' | 'all',
  results: PublishableResults,
  canWrite: boolean,
): Promise<void> {
  const { introduced, existing, blocking, lines, texts, notes, secrets } = results;
  const { owner, repo } = pr;
  let started: number;
  const rules = new Map<string, RuleMeta>(registry.rules.map((rule) => [rule.meta.id, rule.meta]));

  let published = false;
  if (canWrite && inputs.commentMode !== 'off') {
    published = await publishReview(
      github,
      pr,
      inputs,
      introduced,
      { rules, lines, texts, maxComments: inputs.commentMode === 'summary' ? 0 : inputs.maxComments },
      failOn,
      blocking,
      notes,
      secrets,
    );
  }
  let checked = false;
  if (canWrite) {
    started = performance.now();
    const { annotations, left } = checkAnnotations(introduced, existing, failOn);
    const summary = summaryMarkdown({
      introduced,
      existing,
      failOn,
      blocking,
      changedManifests: results.changedFiles,
      // What happened so far (an autofix commit, a review that could not be posted) belongs on the check too.
      notes: [
        ...notes,
        ...(left > 0
          ? [
              `${left} more finding${left === 1 ? ' is' : 's are'} not annotated: a check run carries at most ${MAX_CHECK_ANNOTATIONS} annotations (the new and most severe first). Every finding is listed below, in the job summary and in SARIF.`,
            ]
          : []),
      ],
    });
    try {
      const run = await publishCheckRun(github, owner, repo, {
        name: inputs.checkName,
        headSha: results.checkSha,
        conclusion: blocking.length > 0 ? 'failure' : 'success',
        output: {
          title: checkTitle(introduced, blocking, failOn, report),
          summary: secrets.redact(summary),
          text: secrets.redact(
            truncate(
              [
                introduced.length > 0 ? `### New findings\n\n${findingList(introduced)}` : '',
                existing.length > 0
                  ? `### Existing findings in the changed files\n\n${findingList(existing)}`
                  : '',
              ]
                .filter(Boolean)
                .join('\n\n') || 'No findings in the changed files.',
              MAX_OUTPUT_CHARS,
            ),
          ),
        },
        annotations: annotations.map((annotation) => ({
          ...annotation,
          message: secrets.redact(annotation.message),
        })),
        detailsUrl: context.runUrl ?? undefined,
      });
      checked = true;
      core.info(`Published check run "${inputs.checkName}" (${run.id}) in ${since(started)}.`);
    } catch (error) {
      notes.push(
        `The check run was not created: ${hintNote(error, 'checks: write')}. Findings are reported as workflow annotations instead.`,
      );
    }
  }
  if (!checked) {
    annotate([...introduced, ...existing], (finding) =>
      annotationLevel(finding, failOn, introduced.includes(finding)),
    );
  }
  if (!published && canWrite && inputs.commentMode !== 'off') core.info('No review was posted.');
}

/** Earlier comments a run marks resolved; each is a request. */
const MAX_RESOLVED_UPDATES = 10;

/**
 * Annotations a check run carries: GitHub takes 50 a request, so each 50 more is one more request. However many
 * findings a pull request produces (thousands of pods, or a tampered results file), a run spends at most
 * `MAX_CHECK_ANNOTATIONS / 50` requests on them; the new and most severe go first, and the count left is reported.
 */
export const MAX_CHECK_ANNOTATIONS = 200;

function checkAnnotations(
  introduced: readonly Finding[],
  existing: readonly Finding[],
  failOn: Severity | 'none',
): { annotations: AnnotationInput[]; left: number } {
  const levels = { failure: 2, warning: 1, notice: 0 };
  const open = [
    ...introduced.filter((finding) => !finding.suppressed).map((finding) => ({ finding, isNew: true })),
    ...existing.filter((finding) => !finding.suppressed).map((finding) => ({ finding, isNew: false })),
  ].map((entry) => ({ ...entry, level: annotationLevel(entry.finding, failOn, entry.isNew) }));
  const ranked = open
    .map((entry, order) => ({ ...entry, order }))
    .sort(
      (a, b) =>
        Number(b.isNew) - Number(a.isNew) ||
        levels[b.level] - levels[a.level] ||
        severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
        a.order - b.order,
    );
  const annotations = ranked.slice(0, MAX_CHECK_ANNOTATIONS).map(({ finding, isNew, level }) => ({
    path: finding.file,
    start_line: finding.line,
    end_line: finding.endLine,
    annotation_level: level,
    title: `${finding.ruleId} (${finding.severity}, ${isNew ? 'new' : 'existing'})`,
    message: finding.message,
  }));
  return { annotations, left: ranked.length - annotations.length };
}

function checkTitle(
  introduced: Finding[],
  blocking: Finding[],
  failOn: Severity | 'none',
  report: 'new' | 'all',
): string {
  const open = introduced.filter((finding) => !finding.suppressed);
  if (blocking.length > 0) {
    const kind = report === 'all' ? '' : 'new ';
    return `${blocking.length} ${kind}finding${blocking.length === 1 ? '' : 's'} at or above ${failOn}`;
  }
  if (open.length > 0)
    return `${open.length} new finding${open.length === 1 ? '' : 's'} (${severityCounts(open)})`;
  return 'No new ServiceAccount token findings';
}

async function publishReview(
  github: GitHub,
  pr: PullRequestContext,
  inputs: ActionInputs,
  introduced: Finding[],
  commentContext: Parameters<typeof planReview>[2],
  failOn: Severity | 'none',
  blocking: Finding[],
  notes: string[],
  secrets: SecretFilter,
): Promise<boolean> {
  const started = performance.now();
  let listed: ReviewComment[];
  try {
    listed = await listReviewComments(github, pr.owner, pr.repo, pr.number);
  } catch (error) {
    notes.push(`Review comments could not be read: ${hintNote(error, 'pull-requests: read')}.`);
    return false;
  }
  // Only the Action's own comments say what was commented or is to be marked resolved.
  const existing = (await ownMarkedComments(github, listed)).map((comment) => ({
    id: Number(comment.id),
    body: comment.body,
  }));
  const plan = planReview(introduced, existing, commentContext);
  // Never expected to change anything (fixes that would quote a secret were withheld); a net, as the body is sent.
  for (const comment of plan.comments) comment.body = secrets.redact(comment.body);
  // One request each: a run marks a bounded number; the rest are marked by the next runs.
  for (const comment of plan.resolved.slice(0, MAX_RESOLVED_UPDATES)) {
    await updateReviewComment(
      github,
      pr.owner,
      pr.repo,
      comment.id,
      resolvedBody(secrets.redact(comment.body), pr.headSha),
    ).catch((error: unknown) => {
      notes.push(
        `An earlier comment could not be marked resolved: ${hintNote(error, 'pull-requests: write')}.`,
      );
    });
  }
  if (plan.comments.length === 0 && plan.inBody.length === 0) {
    core.info(
      `Review: nothing new to comment (${plan.alreadyCommented.length} already commented, ${plan.resolved.length} marked resolved).`,
    );
    return false;
  }
  const open = introduced.filter((finding) => !finding.suppressed);
  const bodyOf = (inline: PlannedComment[], refused: PlannedComment[]) =>
    secrets.redact(
      reviewBody({
        open,
        blocking,
        failOn,
        inline,
        inBody: plan.inBody,
        refused,
        maxComments: inputs.maxComments,
      }),
    );
  const post = (inline: PlannedComment[], refused: PlannedComment[]) =>
    createReview(
      github,
      pr.owner,
      pr.repo,
      pr.number,
      pr.headSha,
      bodyOf(inline, refused),
      inline.map(draft),
    );
  // A run that died between creating and submitting a review leaves it pending, and GitHub then refuses new ones.
  const postClearingPending = async (inline: PlannedComment[], refused: PlannedComment[]) => {
    try {
      await post(inline, refused);
    } catch (error) {
      if (!isPendingReviewConflict(error)) throw error;
      const deleted = await deletePendingReviews(github, pr.owner, pr.repo, pr.number);
      core.info(`Deleted ${deleted} leftover pending review(s) of this token; posting again.`);
      await post(inline, refused);
    }
  };
  let inline = plan.comments;
  try {
    try {
      await postClearingPending(plan.comments, []);
    } catch (error) {
      // A 422 that is not about a pending review: GitHub cannot place some inline comment, and does not say which.
      if (statusOf(error) !== 422 || isPendingReviewConflict(error) || plan.comments.length === 0)
        throw error;
      const detail = apiErrorDetail(error);
      let refused = await findRefusedComments(github, pr, plan.comments, detail);
      inline = plan.comments.filter((comment) => !refused.includes(comment));
      try {
        await postClearingPending(inline, refused);
      } catch (again) {
        if (statusOf(again) !== 422 || inline.length === 0) throw again;
        // Refused again: the trials and the review disagree. Every finding goes to the body rather than none.
        core.info(
          `GitHub refused the review again (${apiErrorDetail(again)}); posting it without inline comments.`,
        );
        refused = plan.comments;
        inline = [];
        await post([], refused);
      }
      const count = refused.length;
      // The paths are the pull request author's to choose: code spans, so no link, image or mention renders.
      const places = refused.slice(0, 5).map((comment) => codeSpan(`${comment.path}:${comment.line}`));
      if (count > places.length) places.push(`${count - places.length} more`);
      notes.push(
        `GitHub refused ${count} inline comment${count === 1 ? '' : 's'} (${places.join(', ')}): ${escapeMarkdown(detail)}. ` +
          `The findings ${count === 1 ? 'it carried are' : 'they carried are'} listed in the review body instead.`,
      );
    }
    core.info(`Posted a review with ${inline.length} inline comments in ${since(started)}.`);
    return true;
  } catch (error) {
    notes.push(`The review was not posted: ${hintNote(error, 'pull-requests: write')}.`);
    return false;
  }
}

/**
 * Why a request failed, for a note: GitHub's answer may quote what the request carried (a path, a branch), so it is
 * escaped; the hint's own code spans (the permission to grant) stay code.
 */
function hintNote(error: unknown, permission: string): string {
  return escapeMarkdown(permissionHint(error, permission));
}

/** A planned comment as the review request carries it. */
function draft(comment: PlannedComment): DraftReviewComment {
  return {
    path: comment.path,
    line: comment.line,
    side: 'RIGHT',
    ...(comment.startLine !== undefined
      ? { start_line: comment.startLine, start_side: 'RIGHT' as const }
      : {}),
    body: comment.body,
  };
}

/**
 * The inline comments GitHub refuses, when it refused a review with all of them (422) without saying which: found with
 * a few trial reviews, pending and deleted at once, of half the comments at a time. Comments of one file go together,
 * as a file GitHub cannot resolve or whose diff it sees otherwise makes all of them fail.
 */
async function findRefusedComments(
  github: GitHub,
  pr: PullRequestContext,
  comments: PlannedComment[],
  detail: string,
): Promise<PlannedComment[]> {
  const started = performance.now();
  core.info(
    `GitHub refused the review with ${comments.length} inline comments (HTTP 422: ${detail}) without naming one; ` +
      `finding which with at most ${MAX_REVIEW_PROBES} trial reviews, deleted at once.`,
  );
  const byFile = [...comments].sort((a, b) => a.path.localeCompare(b.path));
  const isolated = await isolateRefused(
    byFile,
    (group) => acceptsReviewComments(github, pr.owner, pr.repo, pr.number, pr.headSha, group.map(draft)),
    MAX_REVIEW_PROBES,
  );
  core.info(
    `${isolated.refused.length} of ${comments.length} inline comments refused or undecided after ${isolated.questions} trial reviews in ${since(started)}` +
      (isolated.error !== undefined
        ? ` (a trial failed: ${permissionHint(isolated.error, 'pull-requests: write')})`
        : '') +
      '.',
  );
  return comments.filter((comment) => isolated.refused.includes(comment));
}

/** The review's own text: what the pull request introduces, and the findings without an inline comment. */
function reviewBody(input: {
  open: Finding[];
  blocking: Finding[];
  failOn: Severity | 'none';
  inline: PlannedComment[];
  /** Findings planned for the body: outside the diff, or over the comment limit. */
  inBody: Finding[];
  /** Comments GitHub refused, whose findings go to the body too. */
  refused: PlannedComment[];
  maxComments: number;
}): string {
  const { open, blocking, failOn, inline, refused } = input;
  const listed = [...input.inBody, ...refused.flatMap((comment) => comment.findings)].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) || a.file.localeCompare(b.file) || a.line - b.line,
  );
  const reasons = ['outside the diff', ...(input.maxComments > 0 ? ['over the comment limit'] : [])];
  if (refused.length > 0) reasons.push('refused by GitHub');
  const last = reasons.pop()!;
  const reasonText = reasons.length > 0 ? `${reasons.join(', ')} or ${last}` : last;
  return [
    '### kube-token-guard',
    '',
    `This pull request introduces ${open.length} ServiceAccount token finding${open.length === 1 ? '' : 's'} (${severityCounts(open)})` +
      (blocking.length > 0 ? `; ${blocking.length} at or above \`${failOn}\` block the merge.` : '.'),
    inline.length > 0
      ? `${inline.length} ${inline.length === 1 ? 'is' : 'are'} commented inline${inline.some((comment) => comment.body.includes('````suggestion')) ? ' with suggested fixes' : ''}.`
      : '',
    refused.length > 0
      ? `GitHub refused ${refused.length} inline comment${refused.length === 1 ? '' : 's'}; the findings ${refused.length === 1 ? 'it carried are' : 'they carried are'} listed below.`
      : '',
    listed.length > 0 ? `\nNot commented inline (${reasonText}):\n\n${findingList(listed, 60000)}` : '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}
