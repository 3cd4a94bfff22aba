/**
 * The policy a pull request is checked against: the config of its base branch. A pull request may change the config
 * file like any other, so reading it from the head would let a pull request set `fail-on: none` or exempt its own
 * workloads and pass its own check. The head's config is reviewed like code and takes effect once merged.
 */
import * as core from '@actions/core';
import type { GitRepository } from '../adapters/git.js';
import type { GitHub } from '../api/client.js';
import { getFileContent } from '../api/contents.js';
import type { PullFile } from '../api/pull-files.js';
import { DEFAULT_CONFIG_PATHS, type ResolvedConfig, defaultConfig, parseConfig } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';
import { CONFIG_EVIDENCE } from '../core/api-clients.js';
import type { Finding } from '../core/types.js';
import { codeSpan, escapeMarkdown } from '../pr/review.js';
import type { PullRequestContext } from './context.js';
import { permissionHint } from './hints.js';

export interface BasePolicy {
  config: ResolvedConfig;
  /** The config file of the base branch, or null for the embedded defaults. */
  file: string | null;
}

/**
 * The config at the pull request's base commit (the branch it merges into): from git when the checkout has that
 * commit, else through the API. `explicit` is the Action's `config` input; without it the usual paths are tried.
 */
export async function loadBasePolicy(
  github: GitHub,
  git: GitRepository,
  pr: PullRequestContext,
  explicit: string | undefined,
): Promise<BasePolicy> {
  const candidates = explicit ? [explicit] : DEFAULT_CONFIG_PATHS;
  const local = await git.hasCommit(pr.baseSha);
  for (const candidate of candidates) {
    const path = candidate.replace(/^\.\//, '');
    let text: string | null;
    if (local) {
      const found = (await git.readFiles(pr.baseSha, [path])).get(path);
      text = found ? found.toString('utf8') : null;
    } else {
      const buffer = await getFileContent(github, pr.owner, pr.repo, path, pr.baseSha).catch(
        (error: unknown) => {
          throw new ConfigurationError(
            `cannot read ${path} at the base branch (${pr.baseSha.slice(0, 7)}): ${permissionHint(error, 'contents: read')}`,
          );
        },
      );
      text = buffer ? buffer.toString('utf8') : null;
    }
    if (text === null) continue;
    const config = parseConfig(text.replace(/^\uFEFF/, ''), candidate);
    core.info(`The policy is the base branch's ${candidate} (${pr.baseSha.slice(0, 7)}).`);
    return { config, file: candidate };
  }
  if (explicit) {
    throw new ConfigurationError(
      `${explicit}: no such file at the base branch (${pr.baseSha.slice(0, 7)}); the policy of a pull request is the ` +
        "base branch's config, so add it there first",
    );
  }
  core.info(`The base branch (${pr.baseSha.slice(0, 7)}) has no config file: the policy is the defaults.`);
  return { config: defaultConfig(), file: null };
}

/** A note for reviewers when the pull request changes the config: it is not what this check used. */
export function configChangeNote(files: readonly PullFile[], explicit: string | undefined): string | null {
  const candidates = new Set(
    (explicit ? [explicit] : DEFAULT_CONFIG_PATHS).map((path) => path.replace(/^\.\//, '')),
  );
  const changed = files.filter(
    (file) =>
      candidates.has(file.filename) || (file.previous_filename && candidates.has(file.previous_filename)),
  );
  if (changed.length === 0) return null;
  return (
    `This pull request changes ${changed.map((file) => codeSpan(file.filename)).join(', ')}. ` +
    "The check uses the base branch's config: the change takes effect after the merge. Review it as you would code."
  );
}

/** Findings shown at most in a note for reviewers; the rest are counted. */
const MAX_LISTED = 10;

/**
 * A note listing the suppression annotations the pull request adds: each hides a finding from this check, so its
 * reason is for reviewers to weigh (exemptions in the config only count once merged; annotations count at once).
 */
export function addedSuppressionsNote(introduced: readonly Finding[]): string | null {
  const added = introduced.filter(
    (finding) => finding.suppressed && finding.suppression?.kind === 'annotation',
  );
  if (added.length === 0) return null;
  return (
    `This pull request adds ${added.length} suppression annotation${added.length === 1 ? '' : 's'} ` +
    `(\`kube-token-guard.io/ignore\`), each hiding a finding from this check: ` +
    `${listed(added, (finding) => finding.suppression?.reason ?? '')}.`
  );
}

/**
 * A note listing the findings the pull request introduces about workloads judged API clients: their token stays and
 * they do not block, on evidence the pull request itself may bring (a binding, the `kube-token-guard.io/api-client`
 * annotation), so reviewers see each with its evidence. Those listed in the base branch's `api-clients` are left out.
 */
export function addedApiClientsNote(introduced: readonly Finding[]): string | null {
  const added = introduced.filter(
    (finding) =>
      !finding.suppressed &&
      finding.apiClient !== undefined &&
      !finding.apiClient.startsWith(CONFIG_EVIDENCE),
  );
  if (added.length === 0) return null;
  return (
    `This pull request adds ${added.length} finding${added.length === 1 ? '' : 's'} about workloads judged API ` +
    `clients: their token stays and they do not block, on this evidence: ${listed(added, (finding) => finding.apiClient ?? '')}.`
  );
}

/** `file:line` `rule` (detail) for each finding, the first MAX_LISTED of them, the rest counted. */
function listed(findings: readonly Finding[], detail: (finding: Finding) => string): string {
  const entries = findings
    .slice(0, MAX_LISTED)
    .map(
      (finding) =>
        `${codeSpan(`${finding.file}:${finding.line}`)} ${codeSpan(finding.ruleId)} (${escapeMarkdown(detail(finding))})`,
    );
  if (findings.length > entries.length) entries.push(`and ${findings.length - entries.length} more`);
  return entries.join('; ');
}
