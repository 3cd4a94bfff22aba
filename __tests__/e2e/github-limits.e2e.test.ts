/**
 * GitHub's size limits, counted as GitHub counts them: a check run's summary and text in UTF-8 bytes, after every
 * change the Action makes to them (redaction, escapes). A run with a long list of findings still gets its check run.
 */
import { afterEach, expect, it } from 'vitest';
import { runAction } from './run-action.js';
import { HARDENED_APP, insecureWorker } from './manifests.js';
import { type Scenario, pullRequestScenario } from './scenario.js';

const scenarios: Scenario[] = [];
afterEach(async () => {
  for (const scenario of scenarios.splice(0)) await scenario.dispose();
}, 60_000);

it('cuts the check run text of 400 insecure Deployments to 65,535 bytes, not characters', async () => {
  const workers = Array.from({ length: 400 }, (_, index) => insecureWorker(`worker-${index}`)).join('---\n');
  const scenario = await pullRequestScenario({
    base: { 'deploy/web.yaml': HARDENED_APP },
    head: { 'deploy/workers.yaml': workers },
  });
  scenarios.push(scenario);
  const { repo, fake, eventPath } = scenario;
  const run = await runAction({
    workspace: repo.dir,
    eventPath,
    apiUrl: fake.url,
    inputs: {},
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
