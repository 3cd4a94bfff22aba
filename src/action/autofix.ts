import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { GitRepository } from '../adapters/git.js';
import { readInside } from '../adapters/links.js';
import { type GitHub, apiErrorDetail } from '../api/client.js';
import { commitFiles } from '../api/commit.js';
import type { ResolvedConfig } from '../config/config.js';
import { applyFixes } from '../core/apply.js';
import { autofix } from '../core/autofix.js';
import type { SecretFilter } from '../core/redact.js';
import { secretLinesOfFiles } from '../core/secrets.js';
import type { Finding, Fix, SourceFile } from '../core/types.js';
import { patchWithoutSecrets } from '../pr/fix-patch.js';
import { codeSpan, escapeMarkdown } from '../pr/review.js';
import { plural } from '../core/words.js';
import { logText } from './annotations.js';
import type { PullRequestContext } from './context.js';
import type { ActionInputs } from './inputs.js';

/** The trailer that marks the Action's own commits, so a run on one of them does not fix again (no loop). */
export const AUTOFIX_TRAILER = 'Kube-Token-Guard-Autofix: true';

export interface AutofixOutcome {
  /** The pushed commit, when one was pushed. */
  commit: string | null;
  /** Identities of the findings the fixes remove. */
  fixed: Set<string>;
  /** Files changed and their new contents (also for the patch of a fork pull request). */
  files: Map<string, string>;
  /** The same files' contents at the scanned head, before the fixes. */
  before: Map<string, string>;
  /** The unified diff of the changes, for fork pull requests. */
  patch: string | null;
  /** The command that applies `patch`. */
  applyCommand: string;
  notes: string[];
}

/**
 * Applies every safe fix of the findings in the pull request's changed files: manifest edits (in passes until stable),
 * values and template edits found by probing charts, hardened `default` ServiceAccounts for new Namespaces. Never
 * touches `.github/`. Pushes one commit to the pull request's branch, or for forks writes a patch instead.
 */
export async function runAutofix(options: {
  github: GitHub;
  git: GitRepository;
  pr: PullRequestContext;
  inputs: ActionInputs;
  config: ResolvedConfig;
  files: SourceFile[];
  findings: Finding[];
  changedPaths: ReadonlySet<string>;
  /** Where rendered findings' sources (values files, templates) are read from. */
  renderRoot: string;
  /** The secrets of the run: a line holding one (in a values file too) is not quoted by the patch. */
  secrets: SecretFilter;
}): Promise<AutofixOutcome> {
  const { github, git, pr, inputs, config } = options;
  const outcome: AutofixOutcome = {
    commit: null,
    fixed: new Set(),
    files: new Map(),
    before: new Map(),
    patch: null,
    applyCommand: 'git apply',
    notes: [],
  };
  const headMessage = (await git.commitMessage(pr.headSha)) ?? (await headCommitMessage(github, pr));
  if (headMessage?.includes(AUTOFIX_TRAILER)) {
    core.info("Autofix: the head commit is this Action's own autofix commit; not fixing again.");
    return outcome;
  }
  const allowed = (path: string) => !path.startsWith('.github/');
  const inScope = (finding: Finding) =>
    !finding.suppressed &&
    finding.fix !== null &&
    finding.apiClient === undefined &&
    options.changedPaths.has(finding.file) &&
    allowed(finding.fix.file ?? finding.file);
  const clients = options.findings.filter(
    (finding) =>
      !finding.suppressed && finding.apiClient !== undefined && options.changedPaths.has(finding.file),
  );
  if (clients.length > 0) outcome.notes.push(apiClientNote(clients));

  const plainFiles = options.files.filter((file) => !file.rendered);
  const plain = autofix(plainFiles, config, (finding) => inScope(finding));
  const before = new Set(
    options.findings
      .filter((finding) => inScope(finding) && !finding.rendered)
      .map((finding) => finding.identity),
  );
  const after = new Set(plain.result.findings.map((finding) => finding.identity));
  for (const identity of before) if (!after.has(identity)) outcome.fixed.add(identity);
  const originals = new Map(plainFiles.map((file) => [file.path, file.text]));
  for (const file of plain.files) {
    if (file.text !== originals.get(file.path)) outcome.files.set(file.path, file.text);
  }

  // Values and template fixes of rendered output were verified by rendering; they apply once.
  const bySource = new Map<string, { fixes: Fix[]; findings: Finding[] }>();
  for (const finding of options.findings) {
    if (!finding.rendered || !inScope(finding) || !finding.fix?.file) continue;
    const entry = bySource.get(finding.fix.file) ?? { fixes: [], findings: [] };
    entry.fixes.push(finding.fix);
    entry.findings.push(finding);
    bySource.set(finding.fix.file, entry);
  }
  const sources = new Map(plainFiles.map((file) => [file.path, file.text]));
  for (const [path, { fixes, findings }] of bySource) {
    // Never expected to fail (a chart with a link leading out is not rendered); if it does, that source is left alone.
    const text = await readInside(options.renderRoot, path).catch(() => null);
    if (text === null) continue;
    sources.set(path, text);
    const applied = applyFixes(text, fixes);
    if (applied.applied === 0) continue;
    outcome.files.set(path, applied.text);
    // Fixes applied together may be the same edit (one values key for several findings): all of those are fixed.
    for (const finding of findings) outcome.fixed.add(finding.identity);
  }
  if (outcome.files.size === 0) {
    core.info('Autofix: nothing to fix automatically in the changed files.');
    return outcome;
  }

  for (const path of outcome.files.keys()) outcome.before.set(path, sources.get(path) ?? '');

  // The patch is shown in the job summary: its context lines must not quote a Secret or a credential next to a fix.
  const secret = secretLinesOfFiles(
    [...outcome.files.keys()].map((path) => ({ path, text: sources.get(path) ?? '' })),
    config,
  );
  const pieces: string[] = [];
  const withheld: string[] = [];
  for (const [path, text] of outcome.files) {
    const before = sources.get(path) ?? '';
    const lines = new Set([...(secret.get(path) ?? []), ...options.secrets.linesContaining(before)]);
    const piece = patchWithoutSecrets(path, before, text, lines);
    if (piece.text === null) withheld.push(path);
    else pieces.push(piece.text);
    if (piece.needsUnidiffZero) outcome.applyCommand = 'git apply --unidiff-zero';
  }
  outcome.patch = pieces.join('');
  if (withheld.length > 0) {
    outcome.notes.push(
      `The patch leaves out the fixes of ${withheld.map((path) => codeSpan(path)).join(', ')}: they change lines next to Secret data.`,
    );
  }

  if (pr.fork) {
    const patchPath = resolve(inputs.workingDirectory, 'kube-token-guard.patch');
    await writeFile(patchPath, outcome.patch);
    core.setOutput('patch-file', patchPath);
    outcome.notes.push(
      `The fixes were not pushed: this pull request comes from a fork, which the workflow token cannot write to. ` +
        `They are in the suggestions and in \`kube-token-guard.patch\` (apply with \`${outcome.applyCommand}\`).`,
    );
    return outcome;
  }
  if (!pr.headRef) {
    outcome.notes.push('The fixes were not pushed: the event payload does not name the head branch.');
    return outcome;
  }
  const count = outcome.fixed.size;
  // A commit that fails never ends the run: the review, check run, summary and SARIF still go out, with a note.
  const result = await commitFiles(github, {
    owner: pr.owner,
    repo: pr.repo,
    branch: pr.headRef,
    expectedHeadOid: pr.headSha,
    headline: inputs.autofixMessage,
    // `git log` prints the message raw on a terminal: the paths' control characters go as escapes.
    body: `Fixes ${count} ServiceAccount token finding${count === 1 ? '' : 's'} in ${[...outcome.files.keys()].map(logText).join(', ')}.\n\n${AUTOFIX_TRAILER}`,
    files: [...outcome.files].map(([path, contents]) => ({ path, contents })),
  }).catch((error: unknown) => ({ kind: 'refused' as const, message: apiErrorDetail(error) }));
  if (result.kind === 'committed') {
    outcome.commit = result.oid;
    core.info(
      `Autofix: pushed ${result.oid.slice(0, 7)} to ${logText(pr.headRef)} (${result.via}), fixing ${plural(count, 'finding')}.`,
    );
    outcome.notes.push(
      `${count} finding${count === 1 ? ' was' : 's were'} fixed by commit ${result.oid.slice(0, 7)}, pushed to ${codeSpan(pr.headRef)}.`,
    );
  } else if (result.kind === 'head-moved') {
    outcome.fixed.clear();
    outcome.notes.push(
      `The fixes were not pushed: ${codeSpan(pr.headRef)} moved since ${pr.headSha.slice(0, 7)} was scanned. The next run will fix the new head.`,
    );
  } else if (result.kind === 'forbidden') {
    outcome.fixed.clear();
    outcome.notes.push(
      `The fixes were not pushed: the token cannot write to the branch (${escapeMarkdown(result.message)}); grant it \`contents: write\`.`,
    );
  } else {
    outcome.fixed.clear();
    core.warning(`Autofix: GitHub refused the commit to ${logText(pr.headRef)}: ${logText(result.message)}`);
    outcome.notes.push(
      `The fixes were not pushed: GitHub refused the commit to ${codeSpan(pr.headRef)} (${escapeMarkdown(result.message)}). ` +
        'A branch protection rule or ruleset that requires changes through a pull request refuses commits of the ' +
        'Action: apply the suggestions, or the patch in the job summary, or exempt the branch from the rule.',
    );
  }
  return outcome;
}

async function headCommitMessage(github: GitHub, pr: PullRequestContext): Promise<string | null> {
  try {
    const response = await github.rest.repos.getCommit({ owner: pr.owner, repo: pr.repo, ref: pr.headSha });
    return response.data.commit.message;
  } catch {
    return null;
  }
}

/** What autofix leaves to a person: findings about API clients, whose token stays and whose consent is theirs. */
export function apiClientNote(findings: readonly Finding[]): string {
  const names = [...new Set(findings.map((finding) => `${finding.resource.kind} ${finding.resource.name}`))];
  const shown = names.slice(0, 5).map((name) => codeSpan(name));
  const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
  return (
    `Autofix left ${findings.length} finding${findings.length === 1 ? '' : 's'} to a person: ${shown.join(', ')}${more} ` +
    `${names.length === 1 ? 'is an API client' : 'are API clients'} (each finding names the evidence), so no fix removes ` +
    'their token, and only a person makes their consent explicit (`automountServiceAccountToken: true`).'
  );
}
