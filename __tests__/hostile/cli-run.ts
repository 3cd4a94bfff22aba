/**
 * The setup the hostile CLI tests repeat: the files of a repository written to a fresh folder and the bundled CLI
 * (dist/cli/index.js) run there as a user would run it, the folder removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../e2e/run-action.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCliOn(
  files: Record<string, string>,
  args: string[],
  env: Record<string, string> = {},
): CliRun {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-hostile-cli-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'index.js'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
