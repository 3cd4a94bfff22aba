import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * Renders never reach the network: a chart repository or a remote kustomize base would be a download of code the
 * pull request chose. Every proxy points at a closed local port, so a fetch by name fails at once; git may use no
 * protocol at all (kustomize clones remote bases with it). Go bypasses proxies for loopback addresses, so remote
 * references are also refused before a build (`kustomize-sources.ts`) and helm's schema loader is switched off.
 */
export const OFFLINE: Record<string, string> = {
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
  GIT_TERMINAL_PROMPT: '0',
  GIT_ALLOW_PROTOCOL: 'kube-token-guard-allows-none',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Bounds on one tool run: what a render may cost whatever the pull request holds. */
export interface ToolLimits {
  timeoutMs: number;
  /** Bytes of standard output kept; beyond it the tool is stopped and the run fails. */
  maxOutputBytes: number;
  /** Resident memory of the tool; beyond it the tool is stopped and the run fails. */
  maxMemoryBytes: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  timeoutMs: 60_000,
  maxOutputBytes: 64 * 1024 * 1024,
  maxMemoryBytes: 2 * 1024 * 1024 * 1024,
};

/**
 * The bounds of a run that must end by `deadline` (a `performance.now()` time shared by several runs): the timeout is
 * cut to the time left. Null when none is left.
 */
export function limitsBefore(
  deadline: number | undefined,
  overrides: Partial<ToolLimits> = {},
): ToolLimits | null {
  const limits = { ...DEFAULT_TOOL_LIMITS, ...overrides };
  if (deadline === undefined) return limits;
  const left = Math.floor(deadline - performance.now());
  return left > 0 ? { ...limits, timeoutMs: Math.min(limits.timeoutMs, left) } : null;
}

export interface ToolResult {
  /**
   * 0, a process exit code, `ENOENT` when the tool is not installed, `TIMEOUT`, `OUTPUT` (more output than allowed)
   * or `MEMORY` (more memory than allowed).
   */
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** Standard error kept from a tool: its last lines name the failure. */
const MAX_STDERR_BYTES = 64 * 1024;
const MEMORY_POLL_MS = 100;

/**
 * Runs a rendering tool without a shell, offline, in `cwd` (a scratch folder: a relative path the tool writes to lands
 * there), with a timeout and bounds on its output and memory; never rejects. The tool runs in a process group of its
 * own, so anything it starts is stopped with it.
 */
export function runTool(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  limits: ToolLimits = DEFAULT_TOOL_LIMITS,
): Promise<ToolResult> {
  return new Promise((done) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(binary, args, {
        cwd,
        env: { ...env, ...OFFLINE, GOMEMLIMIT: String(Math.floor(limits.maxMemoryBytes / 2)) },
        stdio: ['ignore', 'pipe', 'pipe'],
        // A group of its own, so stopping it stops what it started (on Windows a new group would open a console).
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      done({ code: (error as NodeJS.ErrnoException).code ?? 1, stdout: '', stderr: String(error) });
      return;
    }
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: string | null = null;
    const stop = (reason: string) => {
      if (stopped !== null) return;
      stopped = reason;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      if (stopped !== null) return;
      outBytes += chunk.length;
      if (outBytes > limits.maxOutputBytes) stop('OUTPUT');
      else out.push(chunk);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err = (err + chunk).slice(-MAX_STDERR_BYTES);
    });
    const timer = setTimeout(() => stop('TIMEOUT'), limits.timeoutMs);
    const watch = setInterval(() => {
      if (child.pid === undefined) return;
      void residentBytes(child.pid).then((bytes) => {
        if (bytes !== null && bytes > limits.maxMemoryBytes) stop('MEMORY');
      });
    }, MEMORY_POLL_MS);
    let settled = false;
    const finish = (code: number | string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      done({ code: stopped ?? code, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    };
    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 1));
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** The resident memory of a process from Linux's `/proc`, or null where there is none (macOS) or it has ended. */
async function residentBytes(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  const kilobytes = status === null ? null : /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kilobytes ? Number(kilobytes) * 1024 : null;
}

/** Why a tool run failed, in one line: a bound it hit, or the end of what it wrote to stderr. */
export function failureReason(result: ToolResult, limits: ToolLimits = DEFAULT_TOOL_LIMITS): string {
  if (result.code === 'TIMEOUT') return `timed out after ${limits.timeoutMs / 1000} s`;
  if (result.code === 'OUTPUT')
    return `stopped: it wrote more than ${limits.maxOutputBytes / 1024 / 1024} MiB of output`;
  if (result.code === 'MEMORY')
    return `stopped: it used more than ${Math.round(limits.maxMemoryBytes / 1024 / 1024)} MiB of memory`;
  return (
    clip(result.stderr.trim().split('\n').slice(-3).join(' '), 500) || `exit code ${String(result.code)}`
  );
}

/**
 * The path of a program: `name` itself when it is a path, else the first executable of that name on this process's
 * PATH; null when there is none. Lets a tool run with an empty PATH of its own.
 */
export async function findExecutable(name: string): Promise<string | null> {
  const executable = (path: string) =>
    access(path, constants.X_OK).then(
      () => path,
      () => null,
    );
  if (name.includes('/') || isAbsolute(name)) return executable(resolve(name));
  // Windows finds `helm` as `helm.exe`: the extensions it tries are in PATHEXT.
  const extensions =
    process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const found = await executable(join(dir, name + extension));
      if (found !== null) return found;
    }
  }
  return null;
}

/**
 * At most `limit` characters, cut between words: the secret filter recognises a value it knows only whole, so a cut
 * must not leave the start of one (a secretGenerator literal that kustomize quotes) at the end of the line.
 */
function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf(' ', limit - 1);
  return `${text.slice(0, cut > 0 ? cut : 0)} …`;
}

/**
 * A renderer that is not there is an error of the chart or overlay it would have rendered: what it would have checked is
 * unchecked. The message says how to install it, or how to leave rendering off on purpose.
 */
export function missingTool(tool: 'helm' | 'kustomize', named: string | undefined): string {
  const variable = tool === 'helm' ? 'KUBE_TOKEN_GUARD_HELM' : 'KUBE_TOKEN_GUARD_KUSTOMIZE';
  const where = named ? `${variable} names ${named}, which is not an executable` : `${tool} is not on PATH`;
  const install =
    tool === 'helm'
      ? 'install helm 3.16 or later (https://helm.sh/docs/intro/install/)'
      : 'install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/)';
  return `${where}, so this is not ${tool === 'helm' ? 'rendered' : 'built'}: ${install}, or set \`render: false\` in the config to leave charts and overlays unchecked`;
}
