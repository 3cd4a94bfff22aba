import { rm } from 'node:fs/promises';
import * as core from '@actions/core';
import { type CollectedFiles, under } from '../adapters/files.js';
import { GitRepository } from '../adapters/git.js';
import { probeSummary, probeValues } from '../adapters/probe.js';
import { renderTools } from '../adapters/render.js';
import { learnSecretSources } from '../adapters/secret-sources.js';
import type { GitHub } from '../api/client.js';
import type { PullFile } from '../api/pull-files.js';
import type { ResolvedConfig } from '../config/config.js';
import { append } from '../core/arrays.js';
import { mergeRenderedDuplicates } from '../core/duplicates.js';
import type { SecretFilter } from '../core/redact.js';
import { type ScanResult, scanFiles } from '../core/scan.js';
import { identifiersOf, placesOf } from '../core/secrets.js';
import { secondThread } from '../core/second-thread.js';
import type { Finding, ScanError, Severity, SourceFile } from '../core/types.js';
import { plural } from '../core/words.js';
import { splitFindings } from '../pr/differential.js';
import { moveLines } from '../pr/line-map.js';
import { type CommentableLines, diffContents, parsePatch } from '../pr/patch.js';
import { severityCounts } from '../pr/review.js';
import { annotationLevel, unjudgedFiles } from '../pr/summary.js';
import { isBlocking } from '../report/summary.js';
import { type FindingAnnotations, logText } from './annotations.js';
import { runAutofix } from './autofix.js';
import { listChangedFiles } from './changed-files.js';
import { writeResults } from './fork-safe.js';
import { readBase } from './merge-base.js';
import { onHeadLines, readHead } from './read-head.js';
import { unitsAtCommit } from './units-through-api.js';
import { readInside } from '../adapters/links.js';
import { renderAt } from './render-at.js';
import { since } from './hints.js';
import { addedApiClientsNote, addedSuppressionsNote, configChangeNote } from './policy.js';
import type { ActionInputs } from './inputs.js';
import type { RunContext } from './context.js';
import { type PublishableResults, publishPullRequest } from './publish.js';

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
  /** Files in the pull request's scope that could not be judged: they fail the check. */
  unjudged: ScanError[];
  /** Findings no check run carries, for workflow annotations made after the notes and the unjudged files. */
  annotations: FindingAnnotations | null;
}

/**
 * Reviews one pull request: scans the repository at the head and at the merge base, reports the findings of the
 * changed files as introduced or existing, and publishes them as one review, a check run and the job summary.
 * `secrets` learns the secrets of what is read; what is returned and published has been through it.
 */
export async function reviewPullRequest(
  github: GitHub,
  inputs: ActionInputs,
  context: RunContext,
  config: ResolvedConfig,
  failOn: Severity | 'none',
  secrets: SecretFilter,
): Promise<PullRequestOutcome> {
  const pr = context.pullRequest!;
  const notes: string[] = [];

  const git = new GitRepository(inputs.workingDirectory);
  const files = await listChangedFiles(github, git, pr);
  const configChange = configChangeNote(files, inputs.config);
  if (configChange) notes.push(configChange);

  let started = performance.now();
  const temporary: string[] = [];
  try {
    const {
      collected: head,
      fromGit,
      renderRoot,
      notAtHead,
    } = await readHead(github, git, inputs, config, pr, files);
    if (renderRoot !== null) temporary.push(renderRoot);
    const { charts, kustomizations } = head;
    // A chart's files, or a values file the config gives it from elsewhere (`charts[].values`), change its output.
    const isTouched = (dir: string) => {
      const values = new Set(
        config.charts.filter((chart) => chart.path === dir).flatMap((chart) => chart.values),
      );
      return files.some((file) =>
        [file.filename, file.previous_filename].some(
          (path) => typeof path === 'string' && (under(path, dir) || values.has(path)),
        ),
      );
    };
    const touchedCharts = charts.filter(isTouched);
    // Overlays share bases and patches across folders: a change to any kustomization folder may change any output.
    const kustomizeTouched = kustomizations.some(isTouched);
    const inChart = (path: string) => charts.some((dir) => under(path, dir));
    const fromTouchedChart = (file: SourceFile) => touchedCharts.some((dir) => under(file.path, dir));
    const fromKustomize = (file: SourceFile) => file.rendered === true && !inChart(file.path);

    const headRender = await renderAt(
      head,
      fromGit ? { git, rev: pr.headSha } : { root: renderRoot ?? inputs.workingDirectory },
      config,
      temporary,
    );
    append(head.files, headRender.files);
    append(head.errors, headRender.errors);
    append(head.notices, headRender.notices);
    // The paths of the files are names, never secrets (`allowIdentifiers`).
    secrets.allowIdentifiers(identifiersOf(head.files));
    secrets.allowPaths(placesOf(head));
    await learnSecretSources(secrets, headRender.root, head, config);
    for (const notice of head.notices)
      core.info(`Notice: ${logText(notice.file)}: ${logText(notice.message)}`);
    const headResult = scanFiles(head.files, config, undefined, { secondThread, credentials: true });
    // The credentials in the files' texts are among the scan's secret values (see scanFiles).
    secrets.addScan(headResult);
    secrets.allowIdentifiers(headResult.identifiers);
    const probe = await probeValues({
      root: headRender.root,
      config,
      helm: renderTools(process.env).helm,
      // Only charts the pull request touches report findings here; probing the others would be wasted renders.
      charts: headRender.rendered.filter((chart) => touchedCharts.includes(chart.render.dir)),
      files: head.files,
      scan: headResult,
    });
    const probed = probeSummary(probe);
    if (probed) core.info(probed);
    // After probing, which judges each render's findings: one finding per source location and rule.
    headResult.findings = onHeadLines(mergeRenderedDuplicates(headResult.findings), notAtHead);
    secrets.cleanFindings(headResult.findings);
    for (const list of [head.errors, head.notices, headResult.errors]) secrets.cleanMessages(list);
    core.info(
      `Scanned the head: ${plural(headResult.stats.files, 'file')}, ${plural(headResult.stats.documents, 'document')}, ` +
        `${plural(headResult.findings.length, 'finding')} in ${since(started)}` +
        (headRender.log ? ` (${headRender.log})` : '.'),
    );

    started = performance.now();
    // A manifest in a chart or kustomization folder that no build reads is scanned as a plain file (unbuilt.ts).
    const plainAtHead = new Set(head.files.filter((file) => !file.rendered).map((file) => file.path));
    const inRendered = (path: string) =>
      !plainAtHead.has(path) && (inChart(path) || kustomizations.some((dir) => under(path, dir)));
    const headPaths = new Set(head.files.map((file) => file.path));
    const changed = files.filter((file) => file.status !== 'removed' && headPaths.has(file.filename));
    // A chart or overlay the pull request touches (a template, values, a patch) may change any of its output.
    const changedPaths = new Set([
      ...changed.map((file) => file.filename),
      ...headRender.files
        .filter((file) => fromTouchedChart(file) || (kustomizeTouched && fromKustomize(file)))
        .map((file) => file.path),
    ]);
    // A file the pull request changes, or any file of a chart or overlay it touches, that could not be judged fails
    // the check: the pull request's check promises those were read. Others are named in the log and counted in a note.
    const inScope = (path: string) =>
      changedPaths.has(path) ||
      files.some((file) => file.status !== 'removed' && file.filename === path) ||
      touchedCharts.some((dir) => under(path, dir)) ||
      (kustomizeTouched && kustomizations.some((dir) => under(path, dir)));
    // An overlay's failed build may be placed on a base anywhere, even one no scan walks (`node_modules/`).
    const errorInScope = (error: ScanError) =>
      inScope(error.file) ||
      (error.build !== undefined && kustomizeTouched && kustomizations.includes(error.build));
    const allErrors = [...head.errors, ...headResult.errors];
    const unjudged = allErrors.filter(errorInScope);
    const elsewhere = allErrors.filter((error) => !errorInScope(error));
    for (const error of elsewhere)
      core.info(`Could not check ${logText(error.file)} (not changed here): ${logText(error.message)}`);
    if (elsewhere.length > 0) {
      const count = unjudgedFiles(elsewhere);
      notes.push(
        `${count} file${count === 1 ? '' : 's'} this pull request does not change could not be checked (see the job log); they do not fail this check.`,
      );
    }
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
        const atBase = await unitsAtCommit(github, pr, base.mergeBase, inputs.workingDirectory, rerender);
        if (atBase !== null) {
          temporary.push(atBase);
          baseRendered = (await renderAt(rerender, { root: atBase }, config, temporary)).files;
        } else {
          // Without the merge base's output every finding of these charts and overlays counts as new: a check that
          // cannot tell old from new fails rather than pass a new finding as an old one.
          notes.push(
            'The checkout lacks the merge base and its charts and overlays could not be read through the API, so every ' +
              'finding of the Helm charts and kustomize overlays this pull request touches counts as new. Check out with ' +
              '`fetch-depth: 0` to tell new findings from old ones.',
          );
        }
      }
    }
    const baseFiles = [
      ...baseFileSet(head.files, files, base.texts, inRendered),
      ...headRender.files.filter(
        (file) => !fromTouchedChart(file) && !(kustomizeTouched && fromKustomize(file)),
      ),
      ...baseRendered,
    ];
    const baseResult = scanFiles(baseFiles, config, undefined, { secondThread, credentials: true });
    secrets.addScan(baseResult);
    secrets.allowIdentifiers(baseResult.identifiers);
    core.info(
      `Scanned the merge base: ${plural(baseFiles.length, 'file')}, ${plural(baseResult.findings.length, 'finding')} in ${since(started)}.`,
    );
    const split = splitFindings(headResult.findings, baseResult.findings, changedPaths);
    const newElsewhere = split.introduced.filter((finding) => !changedPaths.has(finding.file)).length;
    if (newElsewhere > 0) {
      notes.push(
        `${newElsewhere === 1 ? '1 new finding is' : `${newElsewhere} new findings are`} in files this pull request does not change: ` +
          'its changes elsewhere (a ServiceAccount, a binding, a namespace) gave them. GitHub shows no diff of those files, ' +
          'so they are listed here rather than commented on.',
      );
    }
    let autofixCommit: string | null = null;
    let fixedCount = 0;
    let patch: string | null = null;
    let applyCommand = 'git apply';
    let moved: ReturnType<typeof moveLines> | null = null;
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
        secrets,
      });
      notes.push(...fixed.notes);
      autofixCommit = fixed.commit;
      if (!fixed.commit) patch = fixed.patch;
      applyCommand = fixed.applyCommand;
      if (fixed.commit) fixedCount = fixed.fixed.size;
      // What the pushed commit fixed neither blocks nor gets a comment; what remains is on its lines there.
      if (fixed.commit) {
        moved = moveLines(
          new Map(
            [...fixed.files].map(([path, after]) => [path, { before: fixed.before.get(path) ?? '', after }]),
          ),
        );
        split.introduced = split.introduced.filter((finding) => !fixed.fixed.has(finding.identity));
        split.existing = split.existing.filter((finding) => !fixed.fixed.has(finding.identity));
      }
    }
    const { introduced, existing } = split;
    const suppressing = addedSuppressionsNote(introduced);
    if (suppressing) notes.push(suppressing);
    const clients = addedApiClientsNote(introduced);
    if (clients) notes.push(clients);
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
    // Files that are not scanned themselves but hold a fix (a chart's values file): their text gives the suggestion
    // its line endings.
    for (const finding of introduced) {
      const path = finding.fix?.file;
      if (path === undefined || texts.has(path)) continue;
      const text = await readInside(headRender.root, path).catch(() => null);
      if (text !== null) texts.set(path, text);
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
      errors: unjudged,
      // After an autofix commit the check belongs to the new head: that is what a merge would take.
      checkSha: autofixCommit ?? pr.headSha,
      atCheck: moved
        ? {
            introduced: introduced.map(moved.finding),
            existing: existing.map(moved.finding),
            blocking: blocking.map(moved.finding),
            errors: unjudged.map(moved.error),
          }
        : undefined,
      secrets,
    };
    let annotations: FindingAnnotations | null;
    if (inputs.mode === 'scan') {
      const path = await writeResults(inputs, pr, results, config);
      core.info(`Wrote the results for the publishing job to ${path} (upload it as an artifact).`);
      annotations = {
        findings: [...introduced, ...existing],
        levelOf: (finding) => annotationLevel(finding, failOn, introduced.includes(finding)),
        isNew: (finding) => introduced.includes(finding),
      };
    } else {
      if (pr.fork) {
        notes.push(
          'This pull request comes from a fork, so the workflow token is read-only: findings are reported as workflow ' +
            'annotations, in this summary and in SARIF instead of a review and a check run. The fork-safe mode ' +
            '(`mode: scan` and `mode: publish`) posts them as a review and a check run.',
        );
      }
      annotations = await publishPullRequest(
        github,
        context,
        inputs,
        pr,
        failOn,
        config.report,
        results,
        !pr.fork,
      );
    }
    for (const note of notes) core.warning(note);
    // The job summary tells what the check run tells, on the same commit's lines.
    const shown = results.atCheck ?? { introduced, existing, blocking, errors: unjudged };
    return {
      head: { ...headResult, collected: head },
      introduced: shown.introduced,
      existing: shown.existing,
      blocking: shown.blocking,
      changedFiles: changedPaths.size,
      autofixCommit,
      fixedCount,
      patch,
      applyCommand,
      notes,
      unjudged: shown.errors,
      annotations,
    };
  } finally {
    await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
  }
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
