/**
 * Runs the bundled Action (`dist/index.js`) the way the GitHub Actions runner does for a `pull_request`
 * workflow: a fresh environment of `GITHUB_*` variables, inputs as `INPUT_*` variables (with the defaults of
 * `action.yml`), and files for the step's outputs and job summary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { NODE24 } from '../tools.js';

/** The repository root. */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

export interface RunActionOptions {
  /** `GITHUB_WORKSPACE`, and the working directory of the process. */
  workspace: string;
  eventPath: string;
  /** `GITHUB_API_URL`: the fake GitHub's `url`. */
  apiUrl: string;
  /** Inputs by their name in `action.yml` (`fail-on`), as a workflow's `with:` gives them. */
  inputs: Record<string, string>;
  /** The Node binary; default the one running the tests. `node24()` is the one the Action declares. */
  node?: string;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** What `${{ github.token }}` in an input default stands for; default `ghs_...` test token. */
  token?: string;
  /** Default `dist/index.js` of the repository. */
  entry?: string;
  /** Default 120 s; the process is killed after it. */
  timeoutMs?: number;
}

export interface ActionRun {
  /** Exit code; `null` when killed (timeout or signal). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The job summary the step wrote (`GITHUB_STEP_SUMMARY`). */
  summary: string;
  /** The step's outputs (`GITHUB_OUTPUT`). */
  outputs: Record<string, string>;
  /** The environment the process ran with, for debugging. */
  env: Record<string, string>;
}

/** The token `runAction` gives the Action by default (the fake GitHub accepts any token unless told one). */
export const TEST_TOKEN = 'ghs_kubeTokenGuardTestToken0000000000000';

interface EventFields {
  repository?: { full_name?: string; owner?: { login?: string } };
  pull_request?: {
    number?: number;
    merge_commit_sha?: string | null;
    head?: { ref?: string };
    base?: { ref?: string };
  };
  sender?: { login?: string };
}

interface ActionMetadata {
  inputs?: Record<string, { default?: unknown }>;
}

/** The runner's name for an input's variable: `INPUT_` + upper case, spaces to `_` (dashes stay). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Input defaults of `action.yml`, with the expressions a default can use evaluated. */
function inputDefaults(context: Record<string, string>): Record<string, string> {
  const metadata = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionMetadata;
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default === undefined || input.default === null) continue;
    defaults[name] = String(input.default).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
      const value = context[expression];
      if (value === undefined) {
        throw new Error(`runAction cannot evaluate \${{ ${expression} }} in the default of input ${name}`);
      }
      return value;
    });
  }
  return defaults;
}

/** Parses `GITHUB_OUTPUT`: `name<<DELIMITER\nvalue\nDELIMITER` blocks, and the older `name=value` lines. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const end = lines.indexOf(delimiter!, index + 1);
      if (end < 0) throw new Error(`GITHUB_OUTPUT: ${name} has no closing delimiter ${delimiter}`);
      outputs[name] = lines.slice(index + 1, end).join('\n');
      index = end;
      continue;
    }
    const single = /^([^=]+)=(.*)$/.exec(line);
    if (single) outputs[single[1]!] = single[2]!;
    else if (line.trim() !== '') throw new Error(`GITHUB_OUTPUT: cannot parse line ${JSON.stringify(line)}`);
  }
  return outputs;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const event = JSON.parse(readFileSync(options.eventPath, 'utf8')) as EventFields;
  const repository = event.repository?.full_name ?? '';
  const number = event.pull_request?.number;
  const runner = mkdtempSync(join(tmpdir(), 'ktg-runner-'));
  const temp = join(runner, 'temp');
  const home = join(runner, 'home');
  mkdirSync(temp);
  mkdirSync(home);
  const summaryFile = join(runner, 'step_summary');
  const outputFile = join(runner, 'output');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const token = options.token ?? TEST_TOKEN;

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: options.eventPath,
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: event.repository?.owner?.login ?? repository.split('/')[0] ?? '',
    GITHUB_SHA: event.pull_request?.merge_commit_sha ?? '',
    GITHUB_REF: number !== undefined ? `refs/pull/${number}/merge` : '',
    GITHUB_HEAD_REF: event.pull_request?.head?.ref ?? '',
    GITHUB_BASE_REF: event.pull_request?.base?.ref ?? '',
    GITHUB_ACTOR: event.sender?.login ?? '',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: temp,
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'kube-token-guard',
  };
  const inputs = {
    ...inputDefaults({
      'github.token': token,
      'github.workspace': options.workspace,
      'github.repository': repository,
    }),
    ...options.inputs,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  Object.assign(env, options.env);

  const entry = options.entry ?? join(REPO_ROOT, 'dist', 'index.js');
  const child = spawn(options.node ?? process.execPath, [entry], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const timer = setTimeout(() => {
    stderr += `\n[runAction] killed after ${timeoutMs} ms\n`;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [status, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, killed) => resolve([code, killed]));
  }).finally(() => clearTimeout(timer));

  return {
    status,
    signal,
    stdout,
    stderr,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    env,
  };
}

/** The Node 24 binary the Action declares (`runs.using: node24`), when installed; see the module comment. */
export function node24(): string | null {
  return NODE24;
}
