import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Runs the bundled Action the way the runner does: inputs as INPUT_* variables, files for outputs and summary. */
function runAction(workspace: string, inputs: Record<string, string>) {
  const runnerFiles = mkdtempSync(join(tmpdir(), 'ktg-runner-'));
  const summary = join(runnerFiles, 'summary.md');
  const output = join(runnerFiles, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/index.js')], {
    cwd: workspace,
    env,
    encoding: 'utf8',
  });
  return { ...result, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(output, 'utf8') };
}

function examplesWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-action-'));
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  return dir;
}

describe('the bundled Action (dist/index.js) on the workspace', () => {
  it('annotates findings, writes SARIF, outputs and the job summary, and fails on blocking findings', () => {
    const workspace = examplesWorkspace();
    const result = runAction(workspace, { paths: 'examples/insecure', 'sarif-file': 'out.sarif' });
    expect(result.status).toBe(1);
    // The CronJob never calls the API; the api, bound to its Role, is an API client: a notice, never blocking.
    expect(result.stdout).toMatch(
      /::warning title=automount-token,file=examples\/insecure\/jobs-and-db\.yaml,line=\d+/,
    );
    expect(result.stdout).toMatch(
      /::notice title=automount-token,file=examples\/insecure\/api\.yaml,line=\d+/,
    );
    expect(result.stdout).toMatch(
      /::error title=sa-privileged-rbac,file=examples\/insecure\/rbac\.yaml,line=\d+/,
    );
    expect(result.stdout).toMatch(/::error::\d+ finding\(s\) at or above high/);
    const sarif = JSON.parse(readFileSync(join(workspace, 'out.sarif'), 'utf8'));
    expect(sarif.runs[0].results.length).toBeGreaterThan(10);
    expect(result.outputs).toMatch(/conclusion<<.*\nfailure\n/);
    expect(result.summary).toContain('automount-token');
  });

  it('succeeds on the hardened example', () => {
    const result = runAction(examplesWorkspace(), { paths: 'examples/hardened' });
    expect(result.status).toBe(0);
    expect(result.outputs).toMatch(/findings<<.*\n0\n/);
    expect(result.summary).toContain('✅ No ServiceAccount token findings.');
  });

  it('fails with a clear message on a bad fail-on input', () => {
    const result = runAction(examplesWorkspace(), { 'fail-on': 'severe' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::input fail-on must be one of');
  });
});
