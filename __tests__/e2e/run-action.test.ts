import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_NODE24, because } from '../tools.js';
import { writePullRequestEvent } from './event.js';
import { TEST_TOKEN, inputVariable, node24, parseOutputFile, runAction } from './run-action.js';

/** A stand-in for dist/index.js that reports what it was given, the way @actions/core writes outputs. */
const STUB = `
const fs = require('node:fs');
const delimiter = 'ghadelimiter_' + process.pid;
fs.appendFileSync(process.env.GITHUB_OUTPUT,
  'env<<' + delimiter + '\\n' + JSON.stringify(process.env) + '\\n' + delimiter + '\\n' +
  'multi<<' + delimiter + '\\nline 1\\nline 2\\n' + delimiter + '\\n' +
  'version<<' + delimiter + '\\n' + process.version + '\\n' + delimiter + '\\n');
fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, '## Summary\\n');
process.stdout.write('::notice::cwd=' + process.cwd() + '\\n');
process.exitCode = Number(process.env.INPUT_EXIT || 0);
`;

function stub(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-stub-'));
  writeFileSync(join(dir, 'index.cjs'), STUB);
  return join(dir, 'index.cjs');
}

function event(): string {
  return writePullRequestEvent({
    owner: 'octo-org',
    repo: 'manifests',
    number: 5,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
  });
}

describe('runAction', () => {
  it('runs the entry point with only the variables the runner sets, inputs included', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ktg-workspace-'));
    const run = await runAction({
      workspace,
      eventPath: event(),
      apiUrl: 'http://127.0.0.1:9',
      inputs: { 'fail-on': 'high', 'my input': 'x', exit: '3' },
      entry: stub(),
    });
    expect(run.status).toBe(3);
    expect(run.stdout).toBe(`::notice::cwd=${workspace}\n`);
    expect(run.summary).toBe('## Summary\n');
    expect(run.outputs.multi).toBe('line 1\nline 2');
    const env = JSON.parse(run.outputs.env!) as Record<string, string>;
    expect(env).toMatchObject({
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      GITHUB_GRAPHQL_URL: 'http://127.0.0.1:9/graphql',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'octo-org/manifests',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      GITHUB_REF: 'refs/pull/5/merge',
      GITHUB_WORKSPACE: workspace,
      'INPUT_FAIL-ON': 'high',
      INPUT_MY_INPUT: 'x',
      // A default of action.yml the workflow did not override.
      'INPUT_SARIF-FILE': 'kube-token-guard.sarif',
    });
    expect(env.GITHUB_SHA).toMatch(/^[0-9a-f]{40}$/);
    expect(env.GITHUB_SHA).not.toBe('a'.repeat(40));
    expect(
      Object.keys(env)
        .filter((name) => !/^(GITHUB_|INPUT_|RUNNER_)/.test(name))
        .sort(),
    ).toEqual(['CI', 'HOME', 'PATH']);
    expect(TEST_TOKEN).toMatch(/^ghs_/);
  });

  it('names input variables as the runner does', () => {
    expect(inputVariable('fail-on')).toBe('INPUT_FAIL-ON');
    expect(inputVariable('working directory')).toBe('INPUT_WORKING_DIRECTORY');
  });

  it('parses GITHUB_OUTPUT blocks and single lines', () => {
    expect(parseOutputFile('a<<EOF\n1\n2\nEOF\nb=3\nc<<X\n\nX\n')).toEqual({ a: '1\n2', b: '3', c: '' });
  });

  it.skipIf(NO_NODE24)(because(NO_NODE24, 'runs on Node 24 when it is installed'), async () => {
    const run = await runAction({
      workspace: mkdtempSync(join(tmpdir(), 'ktg-workspace-')),
      eventPath: event(),
      apiUrl: 'http://127.0.0.1:9',
      inputs: {},
      entry: stub(),
      node: node24()!,
    });
    expect(run.outputs.version).toMatch(/^v24\./);
  });
});
