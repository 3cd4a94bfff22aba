import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../config/errors.js';

export interface PullRequestContext {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** The head branch, where an autofix commit goes. */
  headRef: string;
  baseSha: string;
  headRepo: string;
  baseRepo: string;
  /** From another repository: the workflow's token cannot write to this one. */
  fork: boolean;
  /** How many files GitHub counts the pull request changing (`changed_files`), when the event says. */
  changedFiles: number | null;
}

/** The run a `workflow_run` event reports on: the fork-safe publisher's only trusted facts about the scan. */
export interface WorkflowRunContext {
  id: number;
  /** The event that started the scanning run (`pull_request` for the fork-safe pattern). */
  event: string;
  headSha: string;
  /** `owner/repo` the scanned commit comes from (a fork's, for a fork's pull request). */
  headRepo: string;
  /** Pull requests GitHub lists for the run; empty for a fork's pull request. */
  pullRequests: number[];
}

export interface RunContext {
  eventName: string;
  apiUrl: string;
  serverUrl: string;
  repository: string;
  runUrl: string | null;
  pullRequest: PullRequestContext | null;
  workflowRun: WorkflowRunContext | null;
}

type Payload = {
  pull_request?: {
    number?: number;
    changed_files?: number;
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null };
    base?: { sha?: string; repo?: { full_name?: string } };
  };
  workflow_run?: {
    id?: number;
    event?: string;
    head_sha?: string;
    head_repository?: { full_name?: string } | null;
    pull_requests?: { number?: number }[];
  };
  repository?: { full_name?: string; name?: string; owner?: { login?: string } };
};

/** Reads the run's context from the runner's environment and event payload, once, when the run starts. */
export async function readRunContext(env: NodeJS.ProcessEnv): Promise<RunContext> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runUrl =
    env.GITHUB_RUN_ID && repository ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : null;
  const context: RunContext = {
    eventName,
    apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
    serverUrl,
    repository,
    runUrl,
    pullRequest: null,
    workflowRun: null,
  };
  const events = ['pull_request', 'pull_request_target', 'workflow_run'];
  if (!env.GITHUB_EVENT_PATH || !events.includes(eventName)) return context;
  let payload: Payload;
  try {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as Payload;
  } catch (error) {
    throw new ConfigurationError(
      `cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${(error as Error).message}`,
    );
  }
  if (eventName === 'workflow_run') {
    const run = payload.workflow_run;
    if (!run?.id || !run.head_sha || !run.event) {
      throw new ConfigurationError('the workflow_run event payload lacks the run id, event or head commit');
    }
    context.workflowRun = {
      id: run.id,
      event: run.event,
      headSha: run.head_sha,
      headRepo: run.head_repository?.full_name ?? '',
      pullRequests: (run.pull_requests ?? [])
        .map((pull) => pull.number)
        .filter((number): number is number => typeof number === 'number'),
    };
    return context;
  }
  const pull = payload.pull_request;
  const baseRepo = pull?.base?.repo?.full_name ?? payload.repository?.full_name ?? repository;
  const [owner, repo] = baseRepo.split('/');
  if (!pull?.number || !pull.head?.sha || !pull.base?.sha || !owner || !repo) {
    throw new ConfigurationError(
      'the pull_request event payload lacks the pull request number, head or base',
    );
  }
  const headRepo = pull.head.repo?.full_name ?? '';
  context.pullRequest = {
    owner,
    repo,
    number: pull.number,
    headSha: pull.head.sha,
    headRef: pull.head.ref ?? '',
    baseSha: pull.base.sha,
    headRepo,
    baseRepo,
    fork: headRepo !== baseRepo,
    changedFiles: fileCount(pull.changed_files),
  };
  return context;
}

/** A count GitHub sent, or null for anything else. */
export function fileCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}
