/**
 * `pull_request` webhook payloads for end-to-end tests, made from GitHub's real example (from
 * `@octokit/webhooks-examples`) with the repository, the pull request and its commits replaced.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import type { PullRequestEvent, PullRequestOpenedEvent } from '@octokit/webhooks-types';
import { defaultMergeCommitSha } from './fake-github.js';

export interface PullRequestEventOptions {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  /** `owner/repo` of the head when the pull request comes from a fork. */
  headRepoFullName?: string;
  /** Default `opened`; only the `action` field changes, the rest stays the `opened` example. */
  action?: PullRequestEvent['action'];
  /** Default `feature` and `main`. */
  headRef?: string;
  baseRef?: string;
  /** Default the fake GitHub's default for the same head and base. */
  mergeCommitSha?: string;
  /** Where to write `event.json`; default a new temporary folder. */
  dir?: string;
  /** `changed_files`, how many files GitHub counts the pull request changing; default the example's 1. */
  changedFiles?: number;
}

const EXAMPLE_OWNER = 'Codertocat';
const EXAMPLE_REPO = 'Hello-World';

function openedExample(): PullRequestOpenedEvent {
  const require = createRequire(import.meta.url);
  const definitions = require('@octokit/webhooks-examples') as WebhookDefinition[];
  const example = definitions
    .find((definition): definition is WebhookDefinition<'pull_request'> => definition.name === 'pull_request')
    ?.examples.find((candidate) => candidate.action === 'opened');
  if (!example) throw new Error('@octokit/webhooks-examples has no pull_request opened example');
  return structuredClone(example) as PullRequestOpenedEvent;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A replacement string taken as is (`$` is special in `String.replace`). */
function literalReplacement(text: string): string {
  return text.replaceAll('$', '$$$$');
}

/** Replaces every occurrence of the example's values in the strings of a payload (URLs, names, labels). */
function replaceStrings<T>(value: T, replacements: [RegExp, string][]): T {
  if (typeof value === 'string') {
    return replacements.reduce<string>(
      (text, [pattern, replacement]) => text.replace(pattern, replacement),
      value,
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => replaceStrings(item, replacements)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements)]),
    ) as T;
  }
  return value;
}

/** Builds the payload GitHub sends for a pull request event. */
export function pullRequestEvent(options: PullRequestEventOptions): PullRequestEvent {
  const example = openedExample();
  const headRef = options.headRef ?? 'feature';
  const baseRef = options.baseRef ?? 'main';
  const fullName = `${options.owner}/${options.repo}`;
  const pull = example.pull_request;
  const payload = replaceStrings(example, [
    [new RegExp(literal(`${EXAMPLE_OWNER}/${EXAMPLE_REPO}`), 'g'), literalReplacement(fullName)],
    [new RegExp(`/(pulls?|issues)/${example.number}\\b`, 'g'), `/$1/${options.number}`],
    [new RegExp(pull.head.sha, 'g'), options.headSha],
    [new RegExp(pull.base.sha, 'g'), options.baseSha],
    [new RegExp(`\\b${EXAMPLE_OWNER}\\b`, 'g'), literalReplacement(options.owner)],
  ]);
  const pr = payload.pull_request;
  payload.number = options.number;
  pr.number = options.number;
  if (options.changedFiles !== undefined) pr.changed_files = options.changedFiles;
  pr.merge_commit_sha = options.mergeCommitSha ?? defaultMergeCommitSha(options.headSha, options.baseSha);
  pr.head.sha = options.headSha;
  pr.head.ref = headRef;
  pr.head.label = `${options.owner}:${headRef}`;
  pr.base.sha = options.baseSha;
  pr.base.ref = baseRef;
  pr.base.label = `${options.owner}:${baseRef}`;
  payload.repository.name = options.repo;
  payload.repository.full_name = fullName;
  payload.repository.owner.login = options.owner;
  payload.repository.default_branch = baseRef;
  payload.repository.master_branch = baseRef;
  pr.base.repo = structuredClone(payload.repository);

  const headRepo = options.headRepoFullName;
  if (headRepo && headRepo.toLowerCase() !== fullName.toLowerCase()) {
    const [forkOwner = '', forkName = ''] = headRepo.split('/');
    const fork = replaceStrings(structuredClone(payload.repository), [
      [new RegExp(literal(fullName), 'g'), literalReplacement(headRepo)],
      [new RegExp(`\\b${literal(options.owner)}\\b`, 'g'), literalReplacement(forkOwner)],
    ]);
    fork.id = payload.repository.id + 1;
    fork.node_id = Buffer.from(`010:Repository${fork.id}`).toString('base64');
    fork.name = forkName;
    fork.full_name = headRepo;
    fork.fork = true;
    fork.owner.login = forkOwner;
    pr.head.repo = fork;
    pr.head.user = structuredClone(fork.owner);
    pr.head.label = `${forkOwner}:${headRef}`;
    pr.user = structuredClone(fork.owner);
    pr.author_association = 'CONTRIBUTOR';
    payload.sender = structuredClone(fork.owner);
  } else {
    pr.head.repo = structuredClone(payload.repository);
  }
  if (options.action) (payload as { action: string }).action = options.action;
  return payload as PullRequestEvent;
}

/** Writes the payload to a file, as the runner does for `GITHUB_EVENT_PATH`, and returns its path. */
export function writePullRequestEvent(options: PullRequestEventOptions): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ktg-event-'));
  const file = join(dir, 'event.json');
  writeFileSync(file, JSON.stringify(pullRequestEvent(options), null, 2));
  return file;
}

export interface WorkflowRunEventOptions {
  owner: string;
  repo: string;
  /** The commit the scanning run ran on: the pull request's head. */
  headSha: string;
  /** `owner/repo` the head commit comes from (a fork's for a fork's pull request). */
  headRepoFullName: string;
  /** What GitHub lists in `workflow_run.pull_requests`: nothing for a fork's pull request. */
  pullRequests?: number[];
  /** Default `pull_request`. */
  event?: string;
  runId?: number;
}

/**
 * The `workflow_run` `completed` payload a fork-safe publishing job receives, from GitHub's real example with the
 * repository, the run's event, head commit and pull requests replaced.
 */
export function writeWorkflowRunEvent(options: WorkflowRunEventOptions): string {
  const require = createRequire(import.meta.url);
  const definitions = require('@octokit/webhooks-examples') as WebhookDefinition[];
  const example = definitions
    .find((definition): definition is WebhookDefinition<'workflow_run'> => definition.name === 'workflow_run')
    ?.examples.find((candidate) => candidate.action === 'completed');
  if (!example) throw new Error('@octokit/webhooks-examples has no workflow_run completed example');
  const fullName = `${options.owner}/${options.repo}`;
  const payload = structuredClone(example);
  payload.repository.name = options.repo;
  payload.repository.full_name = fullName;
  payload.repository.owner.login = options.owner;
  const run = payload.workflow_run;
  run.id = options.runId ?? 4_242_424_242;
  run.event = options.event ?? 'pull_request';
  run.head_sha = options.headSha;
  run.status = 'completed';
  run.conclusion = 'failure';
  run.head_repository.full_name = options.headRepoFullName;
  run.repository.full_name = fullName;
  run.pull_requests = (options.pullRequests ?? []).map(
    (number) =>
      ({
        number,
        id: number,
        url: `https://api.github.com/repos/${fullName}/pulls/${number}`,
        head: { ref: 'feature', sha: options.headSha, repo: { id: 1, name: options.repo, url: '' } },
        base: { ref: 'main', sha: options.headSha, repo: { id: 1, name: options.repo, url: '' } },
      }) as (typeof run.pull_requests)[number],
  );
  const dir = mkdtempSync(join(tmpdir(), 'ktg-event-'));
  const file = join(dir, 'event.json');
  writeFileSync(file, JSON.stringify(payload, null, 2));
  return file;
}
