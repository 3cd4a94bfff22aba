/**
 * The fork-safe pair. A `pull_request` job from a fork gets a read-only token, so `mode: scan` writes what the review
 * and the check run are made from to a results file, which the workflow uploads as an artifact. A `workflow_run` job,
 * which has a write token and runs the base repository's workflow, downloads it and `mode: publish` posts them,
 * without checking out or running anything of the pull request.
 *
 * The results file was made by a job the pull request's author controls, so the publisher trusts none of it: it
 * finds the pull request through GitHub and requires its head to be the commit the scanning run ran on, recomputes
 * the commentable lines from GitHub's own diff, applies its own `fail-on`, drops any finding that is malformed,
 * names an unknown rule or a file the pull request does not change, and escapes the notes it passes on. Nor does it
 * trust the file to have kept secrets out: it learns the pull request's secrets from GitHub's own diff (and from the
 * texts in the file), and filters the findings and notes as the scanning run does.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { listPullFiles } from '../api/pull-files.js';
import { getPullRequest } from '../api/pull-request.js';
import type { GitHub } from '../api/client.js';
import type { ResolvedConfig } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';
import { isRecord } from '../core/model.js';
import type { SecretFilter } from '../core/redact.js';
import { secretLinesOfFiles, secretsOfFiles } from '../core/secrets.js';
import { type Finding, type ScanError, type Severity, isSeverity } from '../core/types.js';
import { type CommentableLines, newSideText, parsePatch } from '../pr/patch.js';
import { escapeMarkdown } from '../pr/review.js';
import { isBlocking } from '../report/summary.js';
import { registry } from '../rules/index.js';
import { type PullRequestContext, type RunContext, fileCount } from './context.js';
import { isCut } from './changed-files.js';
import type { ActionInputs } from './inputs.js';
import type { FindingAnnotations } from './annotations.js';
import { type PublishableResults, publishPullRequest } from './publish.js';

const FORMAT = 'kube-token-guard-results';
const VERSION = 1;
/** Bounds on what the publisher reads: far above any real scan, far below what could exhaust the runner. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_FINDINGS = 20_000;
const MAX_NOTES = 20;
const MAX_TEXT = 2_000;
const MAX_ERRORS = 200;

interface ResultsFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  pullRequest: { number: number; headSha: string };
  introduced: Finding[];
  existing: Finding[];
  changedFiles: number;
  notes: string[];
  /** Head texts of the files with new findings, for merging suggestions that touch the same lines. */
  texts: Record<string, string>;
  /** Files in scope the scan could not judge: the publisher fails the check for them. */
  errors: ScanError[];
}

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

async function readResults(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `cannot read the results file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): download the ` +
        "scanning run's artifact first, e.g. actions/download-artifact with `run-id: ${{ github.event.workflow_run.id }}`",
    );
  }
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw new ConfigurationError(`the results file ${path} is larger than ${MAX_FILE_BYTES} bytes`);
  }
  return text;
}

/** Checks the untrusted file's shape; findings that do not pass are dropped and counted, the rest kept. */
function parseResults(text: string, path: string): { file: ResultsFile; dropped: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`the results file ${path} is not JSON: ${(error as Error).message}`);
  }
  const record = isRecord(value) ? value : {};
  const pull = isRecord(record.pullRequest) ? record.pullRequest : {};
  if (record.format !== FORMAT || record.version !== VERSION) {
    throw new ConfigurationError(
      `${path} is not a kube-token-guard results file of version ${VERSION}: use the same version of the Action in both jobs`,
    );
  }
  if (
    !isCount(pull.number) ||
    pull.number < 1 ||
    typeof pull.headSha !== 'string' ||
    !/^[0-9a-f]{40}$/.test(pull.headSha)
  ) {
    throw new ConfigurationError(`${path} names no pull request number and head commit`);
  }
  let dropped = 0;
  const findings = (list: unknown): Finding[] => {
    const items = Array.isArray(list) ? list.slice(0, MAX_FINDINGS) : [];
    dropped += (Array.isArray(list) ? list.length : 0) - items.length;
    return items.filter((item): item is Finding => {
      const ok = isFinding(item);
      if (!ok) dropped++;
      return ok;
    });
  };
  const texts: Record<string, string> = {};
  if (isRecord(record.texts)) {
    for (const [file, content] of Object.entries(record.texts)) {
      if (typeof content === 'string') texts[file] = content;
    }
  }
  const file: ResultsFile = {
    format: FORMAT,
    version: VERSION,
    pullRequest: { number: pull.number, headSha: pull.headSha },
    introduced: findings(record.introduced),
    existing: findings(record.existing),
    changedFiles: isCount(record.changedFiles) ? record.changedFiles : 0,
    notes: (Array.isArray(record.notes) ? record.notes : [])
      .filter((note): note is string => typeof note === 'string')
      .slice(0, MAX_NOTES)
      .map((note) => note.slice(0, MAX_TEXT)),
    texts,
    errors: scanErrors(record.errors),
  };
  return { file, dropped };
}

/** The errors of a results file that have the shape of errors (bounded); others are left out. */
function scanErrors(list: unknown): ScanError[] {
  if (!Array.isArray(list)) return [];
  return list
    .slice(0, MAX_ERRORS)
    .filter(
      (item): item is ScanError =>
        isRecord(item) &&
        isRelativePath(item.file) &&
        (item.line === null || (isCount(item.line) && item.line >= 1)) &&
        isText(item.message, MAX_TEXT),
    )
    .map((error) => ({ file: error.file, line: error.line, message: error.message }));
}

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value)) return false;
  const { resource, fix, suppression } = value;
  return (
    typeof value.ruleId === 'string' &&
    registry.ids.includes(value.ruleId) &&
    isSeverity(value.severity) &&
    isText(value.message, 8_000) &&
    isRelativePath(value.file) &&
    isCount(value.line) &&
    value.line >= 1 &&
    isCount(value.endLine) &&
    value.endLine >= value.line &&
    typeof value.suppressed === 'boolean' &&
    (suppression === undefined ||
      (isRecord(suppression) &&
        (suppression.kind === 'annotation' || suppression.kind === 'config') &&
        isText(suppression.reason, MAX_TEXT))) &&
    (value.rendered === undefined || typeof value.rendered === 'boolean') &&
    isText(value.identity, MAX_TEXT) &&
    isTextList(value.via) &&
    isTextList(value.also) &&
    Array.isArray(value.path) &&
    value.path.every((segment) => typeof segment === 'string' || isCount(segment)) &&
    isRecord(resource) &&
    isText(resource.apiVersion, 300) &&
    isText(resource.kind, 300) &&
    isText(resource.name, 300) &&
    (resource.namespace === null || isText(resource.namespace, 300)) &&
    (fix === null || isFix(fix))
  );
}

/** An optional list of texts, bounded like the rest of a finding. */
function isTextList(value: unknown): boolean {
  return (
    value === undefined ||
    (Array.isArray(value) && value.length <= 1_000 && value.every((entry) => isText(entry, MAX_TEXT)))
  );
}

function isFix(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return (
    (value.file === undefined || isRelativePath(value.file)) &&
    Array.isArray(value.edits) &&
    value.edits.every(
      (edit) => isRecord(edit) && isCount(edit.start) && isCount(edit.end) && isText(edit.text, 100_000),
    ) &&
    isCount(value.startLine) &&
    value.startLine >= 1 &&
    isCount(value.endLine) &&
    value.endLine >= value.startLine &&
    isText(value.replacement, 100_000)
  );
}

function isRelativePath(value: unknown): value is string {
  return (
    isText(value, 1_000) &&
    value !== '' &&
    !value.startsWith('/') &&
    !value.split('/').includes('..') &&
    // eslint-disable-next-line no-control-regex -- control characters are what is refused here
    !/[\u0000-\u001f]/.test(value)
  );
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
