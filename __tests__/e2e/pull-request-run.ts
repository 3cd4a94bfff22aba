/**
 * The setup the hostile end-to-end tests repeat: a pull request (base and head files) served by a fake GitHub, the
 * bundled Action (dist/index.js) run on it as the runner runs it, and both removed after the test.
 */
import { afterEach } from 'vitest';
import type { FakeGitHub, FakeGitHubOptions } from './fake-github.js';
import { type ActionRun, runAction } from './run-action.js';
import { type Scenario, pullRequestScenario } from './scenario.js';

export interface PullRequestRunOptions {
  base?: Record<string, string | Buffer>;
  head: Record<string, string | Buffer>;
  /** Options of the fake GitHub besides the pull request: faults, existing comments, the token's identity. */
  fake?: Partial<FakeGitHubOptions>;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** How long the Action may run (runAction's default otherwise). */
  timeoutMs?: number;
}

export interface PullRequestRun {
  run: ActionRun;
  fake: FakeGitHub;
  scenario: Scenario;
  /** Runs the Action again on the same pull request and fake GitHub (a re-run, or a later push's run). */
  again(inputs?: Record<string, string>): Promise<ActionRun>;
}

/** A function running the Action on a new pull request; call it at the top of a test file (it registers cleanup). */
export function pullRequestRunner(): (options: PullRequestRunOptions) => Promise<PullRequestRun> {
  const scenarios: Scenario[] = [];
  afterEach(async () => {
    for (const scenario of scenarios.splice(0)) await scenario.dispose();
  });
  return async (options) => {
    const scenario = await pullRequestScenario({
      base: options.base ?? { 'README.md': '# manifests\n' },
      head: options.head,
      fake: options.fake,
    });
    scenarios.push(scenario);
    const { repo, fake, eventPath } = scenario;
    const runOnce = (inputs: Record<string, string> = options.inputs ?? {}) =>
      runAction({
        workspace: repo.dir,
        eventPath,
        apiUrl: fake.url,
        inputs,
        env: options.env,
        timeoutMs: options.timeoutMs,
      });
    return { run: await runOnce(), fake, scenario, again: runOnce };
  };
}
