import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import { type FindingAnnotations, annotate, logText } from './action/annotations.js';
import { filterProcessOutput } from './action/log-filter.js';
import { readRunContext } from './action/context.js';
import { readInputs } from './action/inputs.js';
import { publishFromResults } from './action/fork-safe.js';
import { checkConclusion } from './action/publish.js';
import { type PullRequestOutcome, reviewPullRequest } from './action/pull-request.js';
import { loadBasePolicy } from './action/policy.js';
import { loadConfigFile } from './adapters/config-file.js';
import { GitRepository } from './adapters/git.js';
import { renderTools } from './adapters/render.js';
import { scanWorkspace } from './adapters/workspace.js';
import { apiErrorDetail, createGitHub, statusOf } from './api/client.js';
import { ConfigurationError } from './config/errors.js';
import { terminalLines, withoutBidiControls } from './core/display-text.js';
import { SecretFilter } from './core/redact.js';
import type { Finding, ScanError } from './core/types.js';
import { codeFence } from './pr/review.js';
import { annotationLevel, findingList, summaryMarkdown, truncate, unjudgedFiles } from './pr/summary.js';
import { toSarif } from './report/sarif.js';
import { countFindings, isBlocking } from './report/summary.js';
import { registry } from './rules/index.js';

/**
 * The Action's entry. On a pull request: one review with suggestions, a check run, the job summary and SARIF, and a
 * failed step when the pull request introduces findings at or above `fail-on`. On other events: the same scan of the
 * workspace, reported as workflow annotations, job summary and SARIF.
 */
export async function run(): Promise<void> {
  // The secrets of everything this run reads, learned as it reads them; every text it writes goes through them: the
  // log (all of it, here), the job summary and SARIF (below), GitHub (publish.ts), the results file (fork-safe.ts).
  const secrets = new SecretFilter();
  filterProcessOutput(secrets);
  try {
    const started = performance.now();
    const inputs = readInputs();
    const context = await readRunContext(process.env);
    // A pull request is checked against its base branch's config: it cannot relax its own check.
    const reviewing = inputs.mode !== 'publish' && context.pullRequest !== null;
    if ((inputs.mode === 'publish' || reviewing) && !inputs.token)
      throw new ConfigurationError('input token is empty: pass `token: ${{ github.token }}` (the default)');
    const config = reviewing
      ? (
          await loadBasePolicy(
            createGitHub(inputs.token, context.apiUrl),
            new GitRepository(inputs.workingDirectory),
            context.pullRequest!,
            inputs.config,
          )
        ).config
      : await loadConfigFile(inputs.workingDirectory, inputs.config);
    const failOn = inputs.failOn ?? config.failOn;
    core.info(
      `kube-token-guard: ${config.file ? `config ${config.file}` : 'default configuration'}` +
        `${reviewing ? ' of the base branch' : ''}, fail-on ${failOn}.`,
    );

    let findings: Finding[];
    let errors: ScanError[];
    /** The errors that fail the run: in a pull request, those of the files in its scope. */
    let unjudged: ScanError[];
    let summary: string;
    let blocking: Finding[];
    let introducedCount: number | null = null;
    /** Findings for workflow annotations (no check run carries them), and the notes the log shows as warnings. */
    let annotations: FindingAnnotations | null = null;
    let notesShown = 0;
    if (inputs.mode === 'publish' || context.pullRequest) {
      const github = createGitHub(inputs.token, context.apiUrl);
      let patch = '';
      let outcome: Pick<
        PullRequestOutcome,
        'introduced' | 'existing' | 'blocking' | 'changedFiles' | 'notes'
      >;
      if (inputs.mode === 'publish') {
        const published = await publishFromResults(github, inputs, context, config, failOn, secrets);
        outcome = published;
        annotations = published.annotations;
        findings = [...outcome.introduced, ...outcome.existing];
        errors = published.unjudged;
        unjudged = published.unjudged;
      } else {
        const reviewed = await reviewPullRequest(github, inputs, context, config, failOn, secrets);
        outcome = reviewed;
        annotations = reviewed.annotations;
        findings = reviewed.head.findings;
        errors = [...reviewed.head.collected.errors, ...reviewed.head.errors];
        unjudged = reviewed.unjudged;
        core.setOutput('autofix-commit', reviewed.autofixCommit ?? '');
        core.setOutput('fixed', reviewed.fixedCount);
        if (reviewed.patch) patch = patchDetails(reviewed.patch, reviewed.applyCommand);
      }
      blocking = outcome.blocking;
      notesShown = outcome.notes.length;
      introducedCount = outcome.introduced.filter((finding) => !finding.suppressed).length;
      summary = [
        summaryMarkdown({
          introduced: outcome.introduced,
          existing: outcome.existing,
          failOn,
          blocking,
          unjudged,
          changedManifests: outcome.changedFiles,
          notes: outcome.notes,
        }),
        patch,
        outcome.introduced.length > 0
          ? `\n### New findings\n\n${findingList(outcome.introduced, 20000)}`
          : '',
      ].join('\n');
    } else {
      if (inputs.mode === 'scan') {
        throw new ConfigurationError(
          `mode scan runs on pull_request events (this is ${context.eventName || 'no event'}): it scans a pull request for a later publish job`,
        );
      }
      const { collected, result } = await scanWorkspace(
        inputs.workingDirectory,
        inputs.paths,
        config,
        renderTools(process.env),
        (line) => core.info(logText(line)),
        secrets,
      );
      findings = result.findings;
      errors = [...collected.errors, ...result.errors];
      unjudged = errors;
      for (const notice of [...collected.notices, ...result.notices])
        core.info(`Notice: ${logText(notice.file)}: ${logText(notice.message)}`);
      annotations = { findings, levelOf: (finding) => annotationLevel(finding, failOn, true) };
      blocking = findings.filter((finding) => isBlocking(finding, failOn));
      summary = [
        summaryMarkdown({
          introduced: findings,
          existing: [],
          failOn,
          blocking,
          unjudged,
          changedManifests: collected.files.length,
          scope: 'workspace',
          notes: [],
        }),
        findings.length > 0 ? `\n${findingList(findings, 20000)}` : '',
      ].join('\n');
    }
    for (const error of unjudged)
      core.error(terminalLines(error.message, ''), { file: error.file, startLine: error.line ?? undefined });
    // After the notes and the unjudged files: GitHub shows the first annotations of each level of a step only.
    if (annotations) annotate(annotations, { failure: unjudged.length, warning: notesShown });

    const rules = registry.rules
      .filter((rule) => config.rules[rule.meta.id]?.enabled)
      .map((rule) => rule.meta);
    const sarifPath = resolve(inputs.workingDirectory, inputs.sarifFile);
    await writeFile(sarifPath, secrets.redact(JSON.stringify(toSarif(findings, errors, rules))));

    const counts = countFindings(findings, failOn);
    const conclusion = checkConclusion(blocking, unjudged);
    core.setOutput('findings', counts.total);
    core.setOutput('new-findings', introducedCount ?? counts.total);
    core.setOutput('blocking', blocking.length);
    core.setOutput('suppressed', counts.suppressed);
    core.setOutput('sarif-file', sarifPath);
    core.setOutput('conclusion', conclusion);

    // The last exit of the job summary: no secret and no bidirectional control (which reorders what a reader sees)
    // leaves, whatever got this far.
    await core.summary
      .addHeading('kube-token-guard', 2)
      .addRaw(withoutBidiControls(secrets.redact(summary)), true)
      .write();
    core.info(`Done in ${Math.round(performance.now() - started)} ms.`);

    const failures = [
      unjudged.length > 0
        ? `${unjudgedFiles(unjudged)} file(s) could not be checked (see the errors above)`
        : '',
      blocking.length > 0
        ? `${blocking.length} ${introducedCount === null || config.report === 'all' ? '' : 'new '}finding(s) at or above ${failOn}`
        : '',
    ].filter(Boolean);
    if (failures.length > 0) {
      core.setFailed(`${failures.join('; ')}. See the check run, the review comments or the job summary.`);
    }
  } catch (error) {
    const status = statusOf(error);
    // A configuration error may quote the repository's config file.
    if (error instanceof ConfigurationError) core.setFailed(terminalLines(error.message, ''));
    else if (status !== undefined) {
      // GitHub kept refusing after the retries: say which request and what GitHub said, not a stack trace.
      const request = (error as { request?: { method?: string; url?: string } }).request;
      core.setFailed(
        `kube-token-guard could not finish: GitHub answered HTTP ${status} to ${request?.method ?? 'a request'} ` +
          `${request?.url ?? ''}${status >= 500 ? ' after retrying' : ''} (${oneLine(apiErrorDetail(error))}). ` +
          'Re-run the job: what was already posted is not posted twice.',
      );
    } else
      core.setFailed(
        `kube-token-guard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
  }
}

/** An error text on one short line; an HTML error page (GitHub's 502/503) is named, not quoted. */
function oneLine(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  return line.startsWith('<') ? 'an HTML error page' : line.slice(0, 300);
}

/** The fixes of a fork pull request as a patch in the job summary, in a fence no line of the patch can close. */
function patchDetails(patch: string, applyCommand: string): string {
  const text = truncate(patch, 30000);
  const fence = codeFence(text, 4);
  return `\n<details><summary>The fixes as a patch (apply with <code>${applyCommand}</code>)</summary>\n\n${fence}diff\n${text}\n${fence}\n\n</details>\n`;
}
