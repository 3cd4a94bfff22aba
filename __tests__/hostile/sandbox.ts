/**
 * The setting of every hostile test: a repository written by an attacker, a folder around it that nothing may touch
 * (canary files that must never be read, written or created), the real helm and kustomize, and the bundled CLI run as
 * a user runs it, in the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterEach } from 'vitest';

import { HELM, KUSTOMIZE, ROOT } from '../tools.js';

export { HELM, KUSTOMIZE, ROOT, findTool } from '../tools.js';

export interface Sandbox {
  /** The folder holding the repository and the canaries. */
  top: string;
  /** The repository the attacker wrote. */
  repo: string;
  /** A file outside the repository holding `CANARY`, which nothing may read. */
  secretFile: string;
  /** Absolute path of a canary that must never come to exist. */
  mustNotExist(name: string): string;
  /** Every file below `top`, outside the repository, with a hash of its content. */
  outsideSnapshot(): Map<string, string>;
}

/** Text that must never appear in any output: it only exists outside the repository. */
export const CANARY = 'ktg-hostile-canary-7c1f';

const sandboxes: string[] = [];
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path to text or bytes) into a fresh repository beside a canary file; removed after the test. */
export function sandbox(files: Record<string, string | Buffer>): Sandbox {
  const top = mkdtempSync(join(tmpdir(), 'ktg-hostile-'));
  sandboxes.push(top);
  const repo = join(top, 'repo');
  mkdirSync(repo);
  const secretFile = join(top, 'outside-secret.yaml');
  writeFileSync(secretFile, `token: ${CANARY}\n`);
  writeFiles(repo, files);
  return {
    top,
    repo,
    secretFile,
    mustNotExist: (name) => join(top, name),
    outsideSnapshot: () => snapshot(top, repo),
  };
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function snapshot(top: string, skip: string): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === skip) continue;
      if (statSync(path).isDirectory()) walk(path);
      else result.set(path, createHash('sha1').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(top);
  return result;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI (`dist/cli/index.js`) in `cwd` with helm and kustomize on PATH, as a user would. */
export function runBundledCli(cwd: string, args: string[], env: Record<string, string> = {}): CliRun {
  const tools = [HELM, KUSTOMIZE].filter((tool): tool is string => tool !== null).map(dirname);
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: [...tools, process.env.PATH ?? ''].join(delimiter), HOME: cwd, ...env },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Writes `files` into a fresh repository (removed after the test) and runs the bundled CLI there. */
export function runCliOn(
  files: Record<string, string>,
  args: string[],
  env: Record<string, string> = {},
): CliRun {
  return runBundledCli(sandbox(files).repo, args, env);
}

/** The same, without blocking the test's event loop (for tests that serve something meanwhile). */
export function runBundledCliAsync(cwd: string, args: string[]): Promise<CliRun> {
  const tools = [HELM, KUSTOMIZE].filter((tool): tool is string => tool !== null).map(dirname);
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], {
    cwd,
    env: { PATH: [...tools, process.env.PATH ?? ''].join(delimiter), HOME: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A TCP listener on a loopback port that counts the connections made to it: any count above 0 is a network leak. */
export async function connectionCounter(): Promise<{
  port: number;
  connections: () => number;
  close(): void;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, connections: () => count, close: () => server.close() };
}

/** A Deployment whose pod mounts the default token: a finding that shows a file was really scanned. */
export function insecureDeployment(name: string): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  selector: {matchLabels: {app: a}}',
    '  template:',
    '    metadata: {labels: {app: a}}',
    '    spec:',
    '      containers: [{name: a, image: b}]',
    '',
  ].join('\n');
}

/** How a test renders the chart in folder `dir` of its sandbox: release `c`, namespace `default`, no values. */
export function chartRender(dir: string) {
  return { dir, release: 'c', namespace: 'default', kubeVersion: '1.31.0', valuesFiles: [], set: {} };
}

export interface JsonReport {
  findings: { ruleId: string; file: string; resource: { name: string } }[];
  errors: { file: string; line: number | null; message: string }[];
}

export function parseReport(run: CliRun): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new Error(`not a JSON report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
}
