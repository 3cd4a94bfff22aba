import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { type CollectedFiles, collectFiles, collectFromGit, decodeFile } from '../adapters/files.js';
import { GitRepository, materialize } from '../adapters/git.js';
import { probeValues } from '../adapters/probe.js';
import { type RenderOutcome, mapRenderedFindings, renderCollected, renderTools } from '../adapters/render.js';
import { type GitHub, apiErrorDetail, isRateLimited, statusOf } from '../api/client.js';
import { publishCheckRun } from '../api/check-run.js';
import { getFileContent, getMergeBase } from '../api/contents.js';
import {
  type DraftReviewComment,
  acceptsReviewComments,
  createReview,
  deletePendingReviews,
  isPendingReviewConflict,
} from '../api/create-review.js';
import { type PullFile, listPullFiles } from '../api/pull-files.js';
import { listReviewComments, updateReviewComment } from '../api/review-comments.js';
import type { ResolvedConfig } from '../config/config.js';
import { type ScanResult, scanFiles } from '../core/scan.js';
import {
  type Finding,
  type ScanError,
  type ScanNotice,
  type Severity,
  type SourceFile,
  severityRank,
} from '../core/types.js';
import { splitFindings } from '../pr/differential.js';
import { type CommentableLines, diffContents, parsePatch } from '../pr/patch.js';
import { isolateRefused } from '../pr/isolate.js';
import { type PlannedComment, planReview, resolvedBody, severityCounts } from '../pr/review.js';
import { annotationLevel, findingList, summaryMarkdown, truncate, MAX_OUTPUT_CHARS } from '../pr/summary.js';
import { isBlocking } from '../report/summary.js';
import { registry } from '../rules/index.js';
import type { RuleMeta } from '../rules/types.js';
import { annotate, logText } from './annotations.js';
import { runAutofix } from './autofix.js';
import { writeResults } from './fork-safe.js';
import type { ActionInputs } from './inputs.js';
import type { PullRequestContext, RunContext } from './context.js';

export interface PullRequestOutcome {
  head: ScanResult & { collected: CollectedFiles };
  introduced: Finding[];
  existing: Finding[];
  blocking: Finding[];
  /** Scanned files the pull request changes, rendered templates of the charts it touches included. */
  changedFiles: number;
  /** The autofix commit pushed to the branch, and how many findings it fixed. */
  autofixCommit: string | null;
  fixedCount: number;
  /** The fixes as a unified diff, when they were not pushed (fork pull requests), and the command applying it. */
  patch: string | null;
  applyCommand: string;
  /** Where findings were published, and what could not be. */
  notes: string[];
}

/** Milliseconds since `start`, for the log. */
function since(start: number): string {
  return `${Math.round(performance.now() - start)} ms`;
}

/** Why a request failed, for a message the user can act on: the permission a 403 or 404 points to, say. */
function permissionHint(error: unknown, permission: string): string {
  const status = statusOf(error);
  if (isRateLimited(error)) {
    return `GitHub's rate limit did not lift in time (HTTP ${status}: ${apiErrorDetail(error)})`;
  }
  if (status === 403 || status === 404) {
    return `the token cannot do this (HTTP ${status}: ${apiErrorDetail(error)}); grant it \`${permission}\` in the workflow's \`permissions:\` block`;
  }
  return status !== undefined ? `HTTP ${status}: ${apiErrorDetail(error)}` : apiErrorDetail(error);
}

/**
 * The most trial reviews (pending, deleted at once) spent on finding the inline comments GitHub refuses when it
 * refuses a review without naming them: enough to find one among 32 comments. Each costs two requests, and GitHub
 * paces review creation, so a few seconds.
 */
const MAX_REVIEW_PROBES = 6;

/**
 * Reviews one pull request: scans the repository at the head and at the merge base, reports the findings of the
 * changed files as introduced or existing, and publishes them as one review, a check run and the job summary.
 */
export async function reviewPullRequest(
  github: GitHub,
  inputs: ActionInputs,
  context: RunContext,
  config: ResolvedConfig,
  failOn: Severity | 'none',
): Promise<PullRequestOutcome> {
  const pr = context.pullRequest!;
  const { owner, repo } = pr;
  const notes: string[] = [];

  let started = performance.now();
  const files = await listPullFiles(github, owner, repo, pr.number).catch((error: unknown) => {
    // A server error that outlived the retries is reported by run() with the request it was.
    if ((statusOf(error) ?? 0) >= 500) throw error;
    throw new Error(`cannot list the pull request's files: ${permissionHint(error, 'pull-requests: read')}`);
  });
  core.info(`Pull request #${pr.number} changes ${files.length} files (listed in ${since(started)}).`);

  started = performance.now();
  const git = new GitRepository(inputs.workingDirectory);
  const temporary: string[] = [];
  try {
    const { collected: head, fromGit } = await readHead(git, inputs, config, pr);
    const { charts, kustomizations } = head;
    const isTouched = (dir: string) =>
      files.some(
        (file) => under(file.filename, dir) || (file.previous_filename && under(file.previous_filename, dir)),
      );
    const touchedCharts = charts.filter(isTouched);
    // Overlays share bases and patches across folders: a change to any kustomization folder may change any output.
    const kustomizeTouched = kustomizations.some(isTouched);
    const inChart = (path: string) => charts.some((dir) => under(path, dir));
    const fromTouchedChart = (file: SourceFile) => touchedCharts.some((dir) => under(file.path, dir));
    const fromKustomize = (file: SourceFile) => file.rendered === true && !inChart(file.path);

    const headRender = await renderAt(
      head,
      fromGit ? { git, rev: pr.headSha } : { root: inputs.workingDirectory },
      config,
      temporary,
    );
    head.files.push(...headRender.files);
    head.errors.push(...headRender.errors);
    head.notices.push(...headRender.notices);
    for (const notice of head.notices)
      core.info(`Notice: ${logText(notice.file)}: ${logText(notice.message)}`);
    const headResult = scanFiles(head.files, config);
    await mapRenderedFindings(headResult.findings, headRender.root);
    const probe = await probeValues({
      root: headRender.root,
      config,
      helm: renderTools(process.env).helm,
      // Only charts the pull request touches report findings here; probing the others would be wasted renders.
      charts: headRender.rendered.filter((chart) => touchedCharts.includes(chart.render.dir)),
      files: head.files,
      findings: headResult.findings,
    });
    if (probe.renders > 0) {
      core.info(
        `Probed chart values with ${probe.renders} renders in ${probe.milliseconds} ms: ${probe.fixed} fixable at the source (values or templates).`,
      );
    }
    core.info(
      `Scanned the head: ${headResult.stats.files} files, ${headResult.stats.documents} documents, ` +
        `${headResult.findings.length} findings in ${since(started)}` +
        (headRender.log ? ` (${headRender.log})` : '.'),
    );

    started = performance.now();
    const inRendered = (path: string) => inChart(path) || kustomizations.some((dir) => under(path, dir));
    const headPaths = new Set(head.files.map((file) => file.path));
    const changed = files.filter((file) => file.status !== 'removed' && headPaths.has(file.filename));
    // A chart or overlay the pull request touches (a template, values, a patch) may change any of its output.
    const changedPaths = new Set([
      ...changed.map((file) => file.filename),
      ...headRender.files
        .filter((file) => fromTouchedChart(file) || (kustomizeTouched && fromKustomize(file)))
        .map((file) => file.path),
    ]);
    const base = await readBase(
      github,
      git,
      pr,
      files.filter((file) => !inRendered(file.previous_filename ?? file.filename)),
    );
    const rerender = { charts: touchedCharts, kustomizations: kustomizeTouched ? kustomizations : [] };
    let baseRendered: SourceFile[] = [];
    if (rerender.charts.length > 0 || rerender.kustomizations.length > 0) {
      if (await git.hasCommit(base.mergeBase)) {
        baseRendered = (await renderAt(rerender, { git, rev: base.mergeBase }, config, temporary)).files;
      } else {
        notes.push(
          'The checkout lacks the merge base, so touched Helm charts and kustomize overlays were not rendered there: ' +
            'their findings count as existing. Check out with `fetch-depth: 0` to tell new findings from old ones.',
        );
        baseRendered = headRender.files.filter((file) => fromTouchedChart(file) || fromKustomize(file));
      }
    }
    const baseFiles = [
      ...baseFileSet(head.files, files, base.texts, inRendered),
      ...headRender.files.filter(
        (file) => !fromTouchedChart(file) && !(kustomizeTouched && fromKustomize(file)),
      ),
      ...baseRendered,
    ];
    const baseResult = scanFiles(baseFiles, config);
    core.info(
      `Scanned the merge base: ${baseFiles.length} files, ${baseResult.findings.length} findings in ${since(started)}.`,
    );
    const split = splitFindings(headResult.findings, baseResult.findings, changedPaths);
    let autofixCommit: string | null = null;
    let fixedCount = 0;
    let patch: string | null = null;
    let applyCommand = 'git apply';
    if (inputs.autofix) {
      const fixed = await runAutofix({
        github,
        git,
        // The scanning half of the fork-safe pair has a read-only token: its fixes go to a patch, as for a fork.
        pr: inputs.mode === 'scan' ? { ...pr, fork: true } : pr,
        inputs,
        config,
        files: head.files,
        findings: [...split.introduced, ...split.existing],
        changedPaths,
        renderRoot: headRender.root,
      });
      notes.push(...fixed.notes);
      autofixCommit = fixed.commit;
      if (!fixed.commit) patch = fixed.patch;
      applyCommand = fixed.applyCommand;
      if (fixed.commit) fixedCount = fixed.fixed.size;
      // What the pushed commit fixed neither blocks nor gets a comment.
      if (fixed.commit) {
        split.introduced = split.introduced.filter((finding) => !fixed.fixed.has(finding.identity));
        split.existing = split.existing.filter((finding) => !fixed.fixed.has(finding.identity));
      }
    }
    const { introduced, existing } = split;
    const counted = config.report === 'all' ? [...introduced, ...existing] : introduced;
    const blocking = counted.filter((finding) => isBlocking(finding, failOn));
    const open = introduced.filter((finding) => !finding.suppressed);
    core.info(
      `${open.length} new findings${open.length > 0 ? ` (${severityCounts(open)})` : ''}, ` +
        `${existing.filter((finding) => !finding.suppressed).length} existing, ${blocking.length} blocking.`,
    );

    const lines = new Map<string, CommentableLines>();
    const texts = new Map(head.files.map((file) => [file.path, file.text]));
    for (const file of changed) {
      lines.set(
        file.filename,
        file.patch !== undefined && file.patch !== null
          ? parsePatch(file.patch)
          : diffContents(
              base.texts.get(file.previous_filename ?? file.filename) ?? '',
              texts.get(file.filename) ?? '',
            ),
      );
    }
    // Files that are not scanned themselves but can hold a fix: a chart's values file.
    for (const file of files) {
      if (file.status !== 'removed' && !lines.has(file.filename) && file.patch)
        lines.set(file.filename, parsePatch(file.patch));
    }

    const results: PublishableResults = {
      introduced,
      existing,
      blocking,
      changedFiles: changedPaths.size,
      lines,
      texts,
      notes,
      // After an autofix commit the check belongs to the new head: that is what a merge would take.
      checkSha: autofixCommit ?? pr.headSha,
    };
    if (inputs.mode === 'scan') {
      const path = await writeResults(inputs, pr, results);
      core.info(`Wrote the results for the publishing job to ${path} (upload it as an artifact).`);
      annotate([...introduced, ...existing], (finding) =>
        annotationLevel(finding, failOn, introduced.includes(finding)),
      );
    } else {
      if (pr.fork) {
        notes.push(
          'This pull request comes from a fork, so the workflow token is read-only: findings are reported as workflow ' +
            'annotations, in this summary and in SARIF instead of a review and a check run. The fork-safe mode ' +
            '(`mode: scan` and `mode: publish`) posts them as a review and a check run.',
        );
      }
      await publishPullRequest(github, context, inputs, pr, failOn, config.report, results, !pr.fork);
    }
    for (const note of notes) core.warning(note);
    return {
      head: { ...headResult, collected: head },
      introduced,
      existing,
      blocking,
      changedFiles: changedPaths.size,
      autofixCommit,
      fixedCount,
      patch,
      applyCommand,
      notes,
    };
  } finally {
    await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

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
  const { introduced, existing, blocking, lines, texts, notes } = results;
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
    );
  }
  let checked = false;
  if (canWrite) {
    started = performance.now();
    const summary = summaryMarkdown({
      introduced,
      existing,
      failOn,
      blocking,
      changedManifests: results.changedFiles,
      // What happened so far (an autofix commit, a review that could not be posted) belongs on the check too.
      notes: [...notes],
    });
    try {
      const run = await publishCheckRun(github, owner, repo, {
        name: inputs.checkName,
        headSha: results.checkSha,
        conclusion: blocking.length > 0 ? 'failure' : 'success',
        output: {
          title: checkTitle(introduced, blocking, failOn, report),
          summary,
          text: truncate(
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
        },
        annotations: [...introduced, ...existing]
          .filter((finding) => !finding.suppressed)
          .map((finding) => ({
            path: finding.file,
            start_line: finding.line,
            end_line: finding.endLine,
            annotation_level: annotationLevel(finding, failOn, introduced.includes(finding)),
            title: `${finding.ruleId} (${finding.severity}, ${introduced.includes(finding) ? 'new' : 'existing'})`,
            message: finding.message,
          })),
        detailsUrl: context.runUrl ?? undefined,
      });
      checked = true;
      core.info(`Published check run "${inputs.checkName}" (${run.id}) in ${since(started)}.`);
    } catch (error) {
      notes.push(
        `The check run was not created: ${permissionHint(error, 'checks: write')}. Findings are reported as workflow annotations instead.`,
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

/** The repository at the pull request's head: the workspace when it is checked out there, else git's objects. */
async function readHead(
  git: GitRepository,
  inputs: ActionInputs,
  config: ResolvedConfig,
  pr: PullRequestContext,
): Promise<{ collected: CollectedFiles; fromGit: boolean }> {
  const checkedOut = await git.head();
  if (checkedOut !== pr.headSha && checkedOut !== null && (await git.hasCommit(pr.headSha))) {
    core.info(
      `The workspace is at ${checkedOut.slice(0, 7)}; reading the pull request head ${pr.headSha.slice(0, 7)} from git.`,
    );
    return {
      collected: await collectFromGit(git, pr.headSha, config.include, config.exclude),
      fromGit: true,
    };
  }
  if (checkedOut !== null && checkedOut !== pr.headSha) {
    core.warning(
      `The workspace is at ${checkedOut.slice(0, 7)}, not the pull request head ${pr.headSha.slice(0, 7)}, and git does not have the head: ` +
        'findings may point at lines that differ. Check out `${{ github.event.pull_request.head.sha }}` with `fetch-depth: 0`.',
    );
  }
  const collected = await collectFiles({
    root: inputs.workingDirectory,
    paths: inputs.paths,
    include: config.include,
    exclude: config.exclude,
  });
  return { collected, fromGit: false };
}

/**
 * Contents of the changed files at the merge base (the differential's reference, not the base branch's tip): from git
 * when the checkout has it, else from the API. Null for files that did not exist there.
 */
async function readBase(
  github: GitHub,
  git: GitRepository,
  pr: PullRequestContext,
  files: PullFile[],
): Promise<{ texts: Map<string, string | null>; mergeBase: string }> {
  const paths = files
    .filter((file) => file.status !== 'added')
    .map((file) => file.previous_filename ?? file.filename);
  const result = new Map<string, string | null>(paths.map((path) => [path, null]));
  const fromGit = (await git.hasCommit(pr.baseSha)) && (await git.hasCommit(pr.headSha));
  let mergeBase = fromGit ? await git.mergeBase(pr.baseSha, pr.headSha) : null;
  if (!mergeBase) {
    mergeBase = await getMergeBase(github, pr.owner, pr.repo, pr.baseSha, pr.headSha).catch(
      (error: unknown) => {
        core.warning(
          `Cannot find the merge base (${permissionHint(error, 'contents: read')}); comparing with the base branch tip.`,
        );
        return pr.baseSha;
      },
    );
  }
  if (await git.hasCommit(mergeBase)) {
    const contents = await git.readFiles(mergeBase, paths);
    for (const [path, buffer] of contents) {
      const decoded = decodeFile(path, buffer);
      result.set(path, 'text' in decoded ? decoded.text : null);
    }
    return { texts: result, mergeBase };
  }
  // Only files the scan could read matter; the others' base versions would not be scanned anyway.
  const wanted = paths.filter((path) => /\.(ya?ml|json)$/i.test(path));
  core.info(
    `The checkout lacks the merge base ${mergeBase.slice(0, 7)}: reading ${wanted.length} base files through the API.`,
  );
  for (const path of wanted) {
    const buffer = await getFileContent(github, pr.owner, pr.repo, path, mergeBase);
    if (!buffer) continue;
    const decoded = decodeFile(path, buffer);
    result.set(path, 'text' in decoded ? decoded.text : null);
  }
  return { texts: result, mergeBase };
}

/**
 * The plain files of the repository at the merge base: the head's plain files, with the changed ones as they were
 * there. Charts are rendered separately.
 */
function baseFileSet(
  headFiles: SourceFile[],
  files: PullFile[],
  baseTexts: Map<string, string | null>,
  inChart: (path: string) => boolean,
): SourceFile[] {
  const changedAtHead = new Set(files.map((file) => file.filename));
  const result = headFiles.filter((file) => !file.rendered && !changedAtHead.has(file.path));
  for (const file of files) {
    if (file.status === 'added') continue;
    const path = file.previous_filename ?? file.filename;
    const text = baseTexts.get(path);
    if (text !== null && text !== undefined && !inChart(path)) result.push({ path, text });
  }
  return result;
}

/** Whether `path` lies in folder `dir` (the repository root when empty). */
function under(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}

/**
 * Renders charts and builds overlays as they are in the workspace, or at a git revision (written to a temporary
 * folder, removed by the caller), returning the rendered files and the folder their sources are read from.
 */
async function renderAt(
  units: { charts: string[]; kustomizations: string[] },
  source: { root: string } | { git: GitRepository; rev: string },
  config: ResolvedConfig,
  temporary: string[],
): Promise<{
  files: SourceFile[];
  errors: ScanError[];
  notices: ScanNotice[];
  root: string;
  log: string | null;
  rendered: RenderOutcome['charts'];
}> {
  let root: string;
  if ('root' in source) {
    root = source.root;
  } else {
    root = await mkdtemp(join(tmpdir(), 'ktg-render-'));
    temporary.push(root);
    for (const dir of [...units.charts, ...units.kustomizations])
      await materialize(source.git, source.rev, dir, root);
  }
  const collected = {
    files: [] as SourceFile[],
    charts: units.charts,
    kustomizations: units.kustomizations,
    errors: [] as ScanError[],
    notices: [] as ScanNotice[],
  };
  const rendering = await renderCollected(collected, root, config, renderTools(process.env));
  return { ...collected, root, log: rendering.log, rendered: rendering.charts };
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
): Promise<boolean> {
  const started = performance.now();
  let existing: { id: number; body: string }[];
  try {
    existing = (await listReviewComments(github, pr.owner, pr.repo, pr.number)).map((comment) => ({
      id: Number(comment.id),
      body: comment.body,
    }));
  } catch (error) {
    notes.push(`Review comments could not be read: ${permissionHint(error, 'pull-requests: read')}.`);
    return false;
  }
  const plan = planReview(introduced, existing, commentContext);
  for (const comment of plan.resolved) {
    await updateReviewComment(
      github,
      pr.owner,
      pr.repo,
      comment.id,
      resolvedBody(comment.body, pr.headSha),
    ).catch((error: unknown) => {
      notes.push(
        `An earlier comment could not be marked resolved: ${permissionHint(error, 'pull-requests: write')}.`,
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
    reviewBody({
      open,
      blocking,
      failOn,
      inline,
      inBody: plan.inBody,
      refused,
      maxComments: inputs.maxComments,
    });
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
      const places = refused.slice(0, 5).map((comment) => `${comment.path}:${comment.line}`);
      if (count > places.length) places.push(`${count - places.length} more`);
      notes.push(
        `GitHub refused ${count} inline comment${count === 1 ? '' : 's'} (${places.join(', ')}): ${detail}. ` +
          `The findings ${count === 1 ? 'it carried are' : 'they carried are'} listed in the review body instead.`,
      );
    }
    core.info(`Posted a review with ${inline.length} inline comments in ${since(started)}.`);
    return true;
  } catch (error) {
    notes.push(`The review was not posted: ${permissionHint(error, 'pull-requests: write')}.`);
    return false;
  }
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
