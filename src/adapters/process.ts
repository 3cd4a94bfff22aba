import { execFile } from 'node:child_process';

/**
 * Renders never reach the network: a chart repository or a remote kustomize base would be a download of code the
 * pull request chose. Every proxy points at a closed local port, so such a fetch fails at once with a clear error.
 */
export const OFFLINE: Record<string, string> = {
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
  GIT_TERMINAL_PROMPT: '0',
};

export interface ToolResult {
  /** 0, a process exit code, `ENOENT` when the tool is not installed, or `TIMEOUT`. */
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/** Runs a rendering tool without a shell, offline, with a timeout; never rejects. */
export function runTool(
  binary: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout: number,
): Promise<ToolResult> {
  return new Promise((done) => {
    execFile(
      binary,
      args,
      { env: { ...env, ...OFFLINE }, timeout, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? ((error as NodeJS.ErrnoException).code ?? (error.killed ? 'TIMEOUT' : 1)) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Why a tool run failed, in one line: a timeout, or the end of what it wrote to stderr. */
export function failureReason(result: ToolResult, timeoutMs: number): string {
  if (result.code === 'TIMEOUT') return `timed out after ${timeoutMs / 1000} s`;
  return (
    clip(result.stderr.trim().split('\n').slice(-3).join(' '), 500) || `exit code ${String(result.code)}`
  );
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
