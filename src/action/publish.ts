/**
 * Publishing a scanned pull request: one review with inline suggestions, a check run with a summary table and
 * annotations, and workflow annotations where a check run cannot be made. Used by the one-job mode and by the
 * fork-safe publisher alike; it reads nothing of the repository, only the results it is given.
 */
import * as core from '@actions/core';
import type { GitHub } from '../api/client.js';
import { type AnnotationInput, publishCheckRun } from '../api/check-run.js';
import type { SecretFilter } from '../core/redact.js';
import { type Finding, type ScanError, type Severity, severityRank } from '../core/types.js';
import type { CommentableLines } from '../pr/patch.js';
import { severityCounts } from '../pr/review.js';
import { annotationLevel, findingList, summaryMarkdown, unjudgedFiles } from '../pr/summary.js';
import { registry } from '../rules/index.js';
import type { RuleMeta } from '../rules/types.js';
import type { FindingAnnotations } from './annotations.js';
import type { ActionInputs } from './inputs.js';
import type { PullRequestContext, RunContext } from './context.js';
import { since } from './hints.js';
import { hintNote, publishReview } from './publish-review.js';

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
  /** Files in scope that could not be judged (a read, parse or render error): each fails the check. */
  errors: ScanError[];
  /** The commit the check run goes on. */
  checkSha: string;
  /**
   * The findings and errors on the lines of `checkSha`, when it is an autofix commit on top of the reviewed head: the
   * check run's annotations and text name its lines, the review those of the head it reviews.
   */
  atCheck?: { introduced: Finding[]; existing: Finding[]; blocking: Finding[]; errors: ScanError[] };
  /**
   * The secrets of the run. The findings and notes have been through it already; every text sent to GitHub goes
   * through it once more, as it is sent.
   */
  secrets: SecretFilter;
}

/**
 * Publishes the review and the check run of a scanned pull request. When the check run cannot be created, or
 * `canWrite` is false, returns the findings for workflow annotations instead, which the caller makes after its notes
 * (GitHub shows only the first annotations of a step). Notes on what could not be done are added to `results.notes`.
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
): Promise<FindingAnnotations | null> {
  const { introduced, existing, blocking, lines, texts, notes, secrets, errors } = results;
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
  // The check run is on `checkSha`: after an autofix commit, that commit's lines (so are workflow annotations).
  const atCheck = results.atCheck ?? { introduced, existing, blocking, errors };
  let checked = false;
  if (canWrite) {
    started = performance.now();
    const { annotations, left } = checkAnnotations(
      atCheck.introduced,
      atCheck.existing,
      atCheck.errors,
      failOn,
    );
    const summary = summaryMarkdown({
      introduced: atCheck.introduced,
      existing: atCheck.existing,
      failOn,
      blocking: atCheck.blocking,
      unjudged: atCheck.errors,
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
        conclusion: checkConclusion(atCheck.blocking, atCheck.errors),
        output: {
          title: checkTitle(atCheck.introduced, atCheck.blocking, atCheck.errors, failOn, report),
          summary: secrets.redact(summary),
          // Cut to GitHub's size by publishCheckRun, once it made its last change to the text.
          text: secrets.redact(
            [
              atCheck.introduced.length > 0 ? `### New findings\n\n${findingList(atCheck.introduced)}` : '',
              atCheck.existing.length > 0
                ? `### Existing findings in the changed files\n\n${findingList(atCheck.existing)}`
                : '',
            ]
              .filter(Boolean)
              .join('\n\n') || 'No findings in the changed files.',
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
  if (!published && canWrite && inputs.commentMode !== 'off') core.info('No review was posted.');
  if (checked) return null;
  const isNew = (finding: Finding) => atCheck.introduced.includes(finding);
  return {
    findings: [...atCheck.introduced, ...atCheck.existing],
    levelOf: (finding) => annotationLevel(finding, failOn, isNew(finding)),
    isNew,
  };
}

/**
 * Annotations a check run carries: GitHub takes 50 a request, so each 50 more is one more request. However many
 * findings a pull request produces (thousands of pods, or a tampered results file), a run spends at most
 * `MAX_CHECK_ANNOTATIONS / 50` requests on them; the new and most severe go first, and the count left is reported.
 */
export const MAX_CHECK_ANNOTATIONS = 200;

function checkAnnotations(
  introduced: readonly Finding[],
  existing: readonly Finding[],
  errors: readonly ScanError[],
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
  // Files that could not be checked fail the check: they go first.
  const unjudged: AnnotationInput[] = errors.map((error) => ({
    path: error.file,
    start_line: error.line ?? 1,
    end_line: error.line ?? 1,
    annotation_level: 'failure',
    title: 'could not check this file',
    message: error.message,
  }));
  const findings = ranked.map(({ finding, isNew, level }) => ({
    path: finding.file,
    start_line: finding.line,
    end_line: finding.endLine,
    annotation_level: level,
    title: `${finding.ruleId} (${finding.severity}, ${isNew ? 'new' : 'existing'})`,
    message: finding.message,
  }));
  const annotations = [...unjudged, ...findings].slice(0, MAX_CHECK_ANNOTATIONS);
  return { annotations, left: unjudged.length + findings.length - annotations.length };
}

/** A check fails on blocking findings and on any file in scope it could not judge: green means all was read. */
export function checkConclusion(
  blocking: readonly Finding[],
  errors: readonly ScanError[],
): 'success' | 'failure' {
  return blocking.length > 0 || errors.length > 0 ? 'failure' : 'success';
}

function checkTitle(
  introduced: Finding[],
  blocking: Finding[],
  errors: readonly ScanError[],
  failOn: Severity | 'none',
  report: 'new' | 'all',
): string {
  const open = introduced.filter((finding) => !finding.suppressed);
  const kind = report === 'all' ? '' : 'new ';
  const findings =
    blocking.length > 0
      ? `${blocking.length} ${kind}finding${blocking.length === 1 ? '' : 's'} at or above ${failOn}`
      : open.length > 0
        ? `${open.length} new finding${open.length === 1 ? '' : 's'} (${severityCounts(open)})`
        : '';
  if (errors.length > 0) {
    const files = unjudgedFiles(errors);
    return `Could not check ${files} file${files === 1 ? '' : 's'}${findings ? `; ${findings}` : ''}`;
  }
  return findings || 'No new ServiceAccount token findings';
}
