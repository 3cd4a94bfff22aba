/**
 * GitHub's size limits, counted as GitHub counts them: a check run's summary and text in UTF-8 bytes, after every
 * change the Action makes to them (redaction, escapes). A run with a long list of findings still gets its check run.
 */
import { expect, it } from 'vitest';
import { HARDENED_APP, insecureWorker } from './manifests.js';
import { pullRequestRunner } from './pull-request-run.js';

const runPullRequest = pullRequestRunner();

/** `count` insecure Deployments in one file a pull request adds. */
const workers = (count: number) =>
  Array.from({ length: count }, (_, index) => insecureWorker(`worker-${index}`)).join('---\n');

it('cuts the check run text of 400 insecure Deployments to 65,535 bytes, not characters', async () => {
  const { run, fake } = await runPullRequest({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head: { 'deploy/workers.yaml': workers(400) },
    timeoutMs: 300_000,
  });
  expect(run.status, run.stdout + run.stderr).toBe(1);
  expect(fake.violations).toEqual([]);
  expect(fake.checkRuns).toHaveLength(1);
  const text = fake.checkRuns[0]!.output.text ?? '';
  expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(65535);
  expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(65000);
  expect(text).not.toMatch(/\p{Cs}/u);
  expect(text).toMatch(/… \(truncated: the full list is in the SARIF report and the job log\)$/);
}, 400_000);

it('without a check run, makes the notes first and at most 8 finding annotations of each level, logging every finding', async () => {
  const { run, fake } = await runPullRequest({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head: { 'deploy/workers.yaml': workers(30) },
    fake: { permissions: { checks: 'none' } },
  });
  expect(run.status, run.stdout + run.stderr).toBe(1);
  expect(fake.checkRuns).toEqual([]);
  const commands = run.stdout.split('\n').filter((line) => /^::(?:error|warning|notice)\b/.test(line));
  const of = (level: string) => commands.filter((line) => line.startsWith(`::${level}`));
  // The note saying why there is no check run comes before any finding's annotation.
  expect(commands[0]).toMatch(/^::warning::The check run was not created/);
  expect(commands.filter((line) => line.startsWith('::error title=')).length).toBeLessThanOrEqual(8);
  // With the step's failure message.
  expect(of('error').length).toBeLessThanOrEqual(10);
  expect(of('warning').length).toBeLessThanOrEqual(10);
  expect(of('notice').length).toBeLessThanOrEqual(10);
  expect(commands.length).toBeLessThanOrEqual(50);
  expect(of('notice').at(-1)).toMatch(/more findings not annotated/);
  // Every finding is still in the log, as a plain line.
  for (let index = 0; index < 30; index++) {
    expect(run.stdout).toMatch(
      new RegExp(`^  failure deploy/workers\\.yaml:\\d+ automount-token .*worker-${index}\\b`, 'm'),
    );
  }
});
