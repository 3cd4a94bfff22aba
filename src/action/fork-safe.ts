/**
 * The fork-safe pair. A `pull_request` job from a fork gets a read-only token, so `mode: scan` writes what the review
 * and the check run are made from to a results file, which the workflow uploads as an artifact. A `workflow_run` job,
 * which has a write token and runs the base repository's workflow, downloads it and `mode: publish` posts them,
 * without checking out or running anything of the pull request.
 *
 * The results file was made by a job the pull request's author controls, so the publisher trusts none of it: it
 * finds the pull request through GitHub and requires its head to be the commit the scanning run ran on, recomputes
 * the commentable lines from GitHub's own diff, applies its own `fail-on`, drops any finding that is malformed or
 * names an unknown rule (and existing ones in files the pull request does not change: a new one may be anywhere, and
 * adding one can only fail the check), and escapes the notes it passes on (the file's reading: results-file.ts). Nor does it
 * trust the file to have kept secrets out: it learns the pull request's secrets from GitHub's own diff (and from the
 * texts in the file), and filters the findings and notes as the scanning run does.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { listPullFiles } from '../api/pull-files.js';
import { getPullRequest } from '../api/pull-request.js';
import type { GitHub } from '../api/client.js';
import type { ResolvedConfig } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';
import type { SecretFilter } from '../core/redact.js';
import { secretLinesOfFiles, secretsOfFiles } from '../core/secrets.js';
import type { Finding, ScanError, Severity } from '../core/types.js';
import { type CommentableLines, newSideText, parsePatch } from '../pr/patch.js';
import { escapeMarkdown } from '../pr/review.js';
import { isBlocking } from '../report/summary.js';
import { type PullRequestContext, type RunContext, fileCount } from './context.js';
import { isCut } from './changed-files.js';
import type { ActionInputs } from './inputs.js';
import type { FindingAnnotations } from './annotations.js';
import { type PublishableResults, publishPullRequest } from './publish.js';

import { FORMAT, type ResultsFile, VERSION, parseResults, readResults } from './results-file.js';

/**
 * `mode: scan`: writes the results next to the workspace and returns the absolute path. The file is uploaded as an
 * artifact, which anyone who can read the repository's runs can download: it goes through the secret filter like any
 * output, and carries no text of a file holding a secret (texts only serve to merge suggestions).
 */
export async function writeResults(
  inputs: ActionInputs,
  pr: PullRequestContext,
  results: PublishableResults,
  config: ResolvedConfig,
): Promise<string> {
  const withFindings = new Set(
    results.introduced.flatMap((finding) => [finding.file, ...(finding.fix?.file ? [finding.fix.file] : [])]),
  );
  const file: ResultsFile = {
    format: FORMAT,
    version: VERSION,
    pullRequest: { number: pr.number, headSha: pr.headSha },
    introduced: results.introduced,
    existing: results.existing,
    changedFiles: results.changedFiles,
    notes: results.notes,
    errors: results.errors,
    texts: Object.fromEntries(
      withoutSecrets(
        [...results.texts].filter(([path]) => withFindings.has(path)),
        results.secrets,
        config,
      ),
    ),
  };
  const path = resolve(inputs.workingDirectory, inputs.resultsFile);
  await writeFile(path, `${results.secrets.redact(JSON.stringify(file))}\n`);
  return path;
}

/** The texts that hold no secret: no Secret or literal credential (by the scan's rules), no value the filter knows. */
function withoutSecrets(
  texts: [string, string][],
  secrets: SecretFilter,
  config: ResolvedConfig,
): [string, string][] {
  const secretLines = secretLinesOfFiles(
    texts.map(([path, text]) => ({ path, text })),
    config,
  );
  return texts.filter(([path, text]) => !secretLines.get(path)?.size && !secrets.contains(text));
}

export interface PublishOutcome {
  pr: PullRequestContext;
  introduced: Finding[];
  existing: Finding[];
  blocking: Finding[];
  changedFiles: number;
  notes: string[];
  unjudged: ScanError[];
  /** Findings no check run carries, for workflow annotations made after the notes and the unjudged files. */
  annotations: FindingAnnotations | null;
}

/** `mode: publish`: posts the review and the check run of the results the scanning run left. */
export async function publishFromResults(
  github: GitHub,
  inputs: ActionInputs,
  context: RunContext,
  config: ResolvedConfig,
  failOn: Severity | 'none',
  secrets: SecretFilter,
): Promise<PublishOutcome> {
  const run = context.workflowRun;
  if (!run) {
    throw new ConfigurationError(
      `mode publish runs on workflow_run events (this is ${context.eventName || 'no event'}): see docs/examples/fork-safe-publish.yml`,
    );
  }
  if (run.event !== 'pull_request') {
    throw new ConfigurationError(
      `mode publish publishes scans of pull requests; workflow run ${run.id} ran on ${run.event}`,
    );
  }
  const path = resolve(inputs.workingDirectory, inputs.resultsFile);
  const results = parseResults(await readResults(path), path);
  const [owner, repo] = context.repository.split('/');
  if (!owner || !repo) throw new ConfigurationError('GITHUB_REPOSITORY is not set');

  const number = results.file.pullRequest.number;
  if (run.pullRequests.length > 0 && !run.pullRequests.includes(number)) {
    throw new ConfigurationError(
      `the results are for pull request #${number}, but workflow run ${run.id} ran for #${run.pullRequests.join(', #')}`,
    );
  }
  const pull = await getPullRequest(github, owner, repo, number);
  // The one fact the publisher takes from GitHub rather than the file: which commit was scanned.
  if (pull.head.sha !== run.headSha || results.file.pullRequest.headSha !== run.headSha) {
    throw new ConfigurationError(
      `the results do not belong to this workflow run: it ran on ${run.headSha}, pull request #${number} is at ` +
        `${pull.head.sha} and the results claim ${results.file.pullRequest.headSha}`,
    );
  }
  const headRepo = pull.head.repo?.full_name ?? '';
  const pr: PullRequestContext = {
    owner,
    repo,
    number,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    baseSha: pull.base.sha,
    headRepo,
    baseRepo: pull.base.repo.full_name,
    fork: headRepo !== pull.base.repo.full_name,
    changedFiles: fileCount(pull.changed_files),
  };
  core.info(
    `Publishing the results of workflow run ${run.id} for pull request #${number} (${pr.headSha.slice(0, 7)}).`,
  );

  const files = await listPullFiles(github, owner, repo, number);
  const lines = new Map<string, CommentableLines>();
  for (const file of files) {
    if (file.status !== 'removed')
      lines.set(file.filename, file.patch ? parsePatch(file.patch) : EMPTY_LINES);
  }
  // What the pull request holds, as GitHub shows it, and what the file says it holds: the secrets to keep out.
  const shown = files.flatMap((file) =>
    file.patch ? [{ path: file.filename, text: newSideText(file.patch) }] : [],
  );
  const given = Object.entries(results.file.texts).map(([path, text]) => ({ path, text }));
  for (const source of [shown, given]) secrets.learnScan(source, secretsOfFiles(source, config));
  // Only the paths GitHub lists: a path the results file made up could carry a secret out whole.
  secrets.allowPaths(files.map((file) => ({ path: file.filename })));
  const notes = results.file.notes.map((note) => escapeMarkdown(secrets.redact(note)));
  // New findings may be in files the pull request leaves alone (it changed an account or a binding they use), and
  // past GitHub's 3,000 files the scanning job read the others from git: new ones are kept whatever their file (a
  // results file that adds some can only fail its own check). Existing ones are those of the changed files.
  const cut = isCut(files.length, pr.changedFiles);
  const introduced = results.file.introduced;
  const existing = results.file.existing.filter((finding) => cut || lines.has(finding.file));
  secrets.cleanFindings([...introduced, ...existing]);
  const outside =
    results.file.introduced.length + results.file.existing.length - introduced.length - existing.length;
  if (results.dropped > 0 || outside > 0) {
    notes.push(
      `${results.dropped + outside} finding(s) of the results file were left out: ` +
        `${results.dropped} malformed or of an unknown rule, ${outside} existing ones in files the pull request does not change.`,
    );
  }
  const counted = config.report === 'all' ? [...introduced, ...existing] : introduced;
  const blocking = counted.filter((finding) => isBlocking(finding, failOn));
  // Errors only fail the check, so they are honoured as given (a scan that hides its own can do so anyway).
  const unjudged = results.file.errors;
  secrets.cleanMessages(unjudged);
  const texts = new Map(
    withoutSecrets(
      Object.entries(results.file.texts).filter(([file]) => lines.has(file)),
      secrets,
      config,
    ),
  );
  const publishable: PublishableResults = {
    introduced,
    existing,
    blocking,
    changedFiles: results.file.changedFiles,
    lines,
    texts,
    notes,
    errors: unjudged,
    checkSha: pr.headSha,
    secrets,
  };
  const { report } = config;
  const annotations = await publishPullRequest(
    github,
    context,
    inputs,
    pr,
    failOn,
    report,
    publishable,
    true,
  );
  for (const note of notes) core.warning(note);
  const changedFiles = results.file.changedFiles;
  return { pr, introduced, existing, blocking, changedFiles, notes, unjudged, annotations };
}

const EMPTY_LINES: CommentableLines = parsePatch('');
