/**
 * Issue 15.4: the gate is set by the base branch. Before, the config came from the pull request's head, so a pull
 * request could set `fail-on: none` or exempt its own workloads and pass its own check. Now the policy is the base
 * branch's config; a pull request that changes it gets a note (it takes effect after the merge), and the suppression
 * annotations it adds are listed for reviewers. Run through the bundled Action against the fake GitHub.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { insecureWorker } from './manifests.js';
import { pullRequestRunner } from './pull-request-run.js';
import { runAction } from './run-action.js';
import { pullRequestScenario } from './scenario.js';

const runPullRequest = pullRequestRunner();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CONFIG = '.github/kube-token-guard.yml';
const WORKER = insecureWorker();

describe('the policy of a pull request', () => {
  it('is the base branch config: a pull request setting `fail-on: none` still fails, with a note', async () => {
    const { run, fake } = await runPullRequest({
      head: { 'deploy/worker.yaml': WORKER, [CONFIG]: 'fail-on: none\n' },
    });
    expect(fake.violations).toEqual([]);
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('1 new finding at or above high');
    expect(check.output.summary).toContain(
      "This pull request changes `.github/kube-token-guard.yml`. The check uses the base branch's config: the change takes effect after the merge.",
    );
    expect(run.stdout).toContain('The base branch');
    expect(run.status).toBe(1);
  });

  it('ignores exemptions a pull request adds for its own workloads until they are merged', async () => {
    const { fake } = await runPullRequest({
      base: { [CONFIG]: 'fail-on: high\n' },
      head: {
        'deploy/worker.yaml': WORKER,
        [CONFIG]:
          'fail-on: high\nexemptions:\n  - rule: automount-token\n    names: [worker]\n    reason: trust me\n',
      },
    });
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
  });

  it("applies the base branch's own relaxations", async () => {
    const { run, fake } = await runPullRequest({
      base: { [CONFIG]: 'fail-on: none\n' },
      head: { 'deploy/worker.yaml': WORKER },
    });
    expect(fake.checkRuns[0]!.conclusion).toBe('success');
    expect(run.stdout).toContain("The policy is the base branch's .github/kube-token-guard.yml");
    expect(run.status).toBe(0);
  });

  it('lists the suppression annotations a pull request adds, with their reasons, for reviewers', async () => {
    const suppressed = WORKER.replace(
      'metadata:\n  name: worker\n',
      'metadata:\n  name: worker\n  annotations:\n    kube-token-guard.io/ignore: "automount-token: calls the API"\n',
    );
    const { fake } = await runPullRequest({ head: { 'deploy/worker.yaml': suppressed } });
    expect(fake.checkRuns[0]!.output.summary).toMatch(
      /This pull request adds 1 suppression annotation \(`kube-token-guard.io\/ignore`\), each hiding a finding from this check: `deploy\/worker\.yaml:\d+` `automount-token` \(calls the API\)\./,
    );
  });

  it('lists the workloads a pull request makes API clients, with the evidence, for reviewers', async () => {
    // The annotation turns the blocking finding of a pod running as `default` into a non-blocking one: the pull
    // request brings its own evidence, so reviewers are shown it.
    const client = WORKER.replace(
      'metadata:\n  name: worker\n',
      'metadata:\n  name: worker\n  annotations:\n    kube-token-guard.io/api-client: "leader election"\n',
    );
    expect(client).not.toBe(WORKER);
    const { fake, run } = await runPullRequest({ head: { 'deploy/worker.yaml': client } });
    expect(fake.violations).toEqual([]);
    expect(fake.checkRuns[0]!.output.summary).toMatch(
      /This pull request adds 1 finding about workloads judged API clients: their token stays and they do not block, on this evidence: `deploy\/worker\.yaml:\d+` `automount-token` \(the annotation `kube-token-guard\.io\/api-client` says so: "leader election"\)\./,
    );
    expect(run.status).toBe(0);
  });

  it('is read through the API when the checkout lacks the base commit (a shallow clone of the head)', async () => {
    const scenario = await pullRequestScenario({
      base: { [CONFIG]: 'fail-on: none\n' },
      head: { 'deploy/worker.yaml': WORKER },
      // What GitHub holds at the base branch, served by the contents API.
      fake: { contents: { main: { [CONFIG]: 'fail-on: none\n' } } },
    });
    cleanups.push(() => scenario.dispose());
    const shallow = mkdtempSync(join(tmpdir(), 'ktg-shallow-'));
    cleanups.push(() => rmSync(shallow, { recursive: true, force: true }));
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${scenario.repo.dir}`, shallow]);
    const run = await runAction({
      workspace: shallow,
      eventPath: scenario.eventPath,
      apiUrl: scenario.fake.url,
      inputs: {},
    });
    expect(scenario.fake.violations).toEqual([]);
    expect(scenario.fake.requests.some((request) => request.path.includes('/contents/.github'))).toBe(true);
    expect(scenario.fake.checkRuns[0]!.conclusion).toBe('success');
    expect(run.status).toBe(0);
  });
});
