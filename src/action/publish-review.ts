/**
 * The review of a pull request: one review whose inline comments carry suggestions, posted once per run. Earlier
 * comments are recognised by their markers (the Action's own only), comments GitHub cannot place are found with a
 * few trial reviews and moved to the review body, and what could not be done becomes a note.
 */
import * as core from '@actions/core';
import { type GitHub, apiErrorDetail } from '../api/client.js';
import {
  type DraftReviewComment,
  acceptsReviewComments,
  createReview,
  deletePendingReviews,
  isPendingReviewConflict,
  reviewRefusal,
} from '../api/create-review.js';
import { type ReviewComment, listReviewComments, updateReviewComment } from '../api/review-comments.js';
import type { SecretFilter } from '../core/redact.js';
import { type Finding, type Severity, severityRank } from '../core/types.js';
import { isolateRefused } from '../pr/isolate.js';
import {
  type ExistingComment,
  type PlannedComment,
  codeSpan,
  escapeMarkdown,
  planReview,
  resolvedBody,
  severityCounts,
  supersededBody,
} from '../pr/review.js';
import { findingList } from '../pr/summary.js';
import type { ActionInputs } from './inputs.js';
import { ownMarkedComments } from './own-comments.js';
import type { PullRequestContext } from './context.js';
import { permissionHint, since } from './hints.js';

/**
 * The most trial reviews (pending, deleted at once) spent on finding the inline comments GitHub refuses when it
 * refuses a review without naming them: enough to find one among 32 comments. Each costs two requests, and GitHub
 * paces review creation, so a few seconds.
 */
const MAX_REVIEW_PROBES = 6;

/** Earlier comments a run marks resolved; each is a request. */
const MAX_RESOLVED_UPDATES = 10;

export async function publishReview(
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
    outdated: isOutdated(comment),
  }));
  const plan = planReview(introduced, existing, commentContext);
  // Never expected to change anything (fixes that would quote a secret were withheld); a net, as the body is sent.
  for (const comment of plan.comments) comment.body = secrets.redact(comment.body);
  // One request each: a run marks a bounded number; the rest are marked by the next runs.
  let updates = MAX_RESOLVED_UPDATES;
  const mark = async (comments: ExistingComment[], body: typeof resolvedBody, what: string) => {
    for (const comment of comments.slice(0, Math.max(0, updates))) {
      updates -= 1;
      await updateReviewComment(
        github,
        pr.owner,
        pr.repo,
        comment.id,
        body(secrets.redact(comment.body), pr.headSha),
      ).catch((error: unknown) => {
        notes.push(
          `An earlier comment could not be marked ${what}: ${hintNote(error, 'pull-requests: write')}.`,
        );
      });
    }
  };
  await mark(plan.resolved, resolvedBody, 'resolved');
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
      const refusal = reviewRefusal(error);
      if (refusal === 'commit') {
        // The head moved during the run: no comment placed on the scanned head would do, on any line.
        notes.push(
          `The review was not posted: the pull request's head moved since ${pr.headSha.slice(0, 7)} was scanned ` +
            `(GitHub: ${escapeMarkdown(apiErrorDetail(error))}). The run on the new head reviews it.`,
        );
        return false;
      }
      // A 422 about the comments: GitHub cannot place some inline comment, and does not say which.
      if (refusal !== 'comments' || plan.comments.length === 0) throw error;
      const detail = apiErrorDetail(error);
      let refused = await findRefusedComments(github, pr, plan.comments, detail);
      inline = plan.comments.filter((comment) => !refused.includes(comment));
      try {
        await postClearingPending(inline, refused);
      } catch (again) {
        if (reviewRefusal(again) !== 'comments' || inline.length === 0) throw again;
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
    // Only once their findings are commented again: an outdated comment is the only trace of them until then.
    await mark(plan.superseded, supersededBody, 'superseded');
    if (plan.superseded.length > 0)
      core.info(
        `Commented again the findings of ${plan.superseded.length} outdated comment(s), marked superseded.`,
      );
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
export function hintNote(error: unknown, permission: string): string {
  return escapeMarkdown(permissionHint(error, permission));
}

/**
 * Whether GitHub shows a comment as outdated: a push changed the lines it was on. GitHub then answers `line` and
 * `position` null (keeping `original_line` and `original_position`); a file-level comment has no line at all.
 */
function isOutdated(comment: ReviewComment): boolean {
  return comment.subject_type !== 'file' && comment.line == null && comment.position == null;
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
