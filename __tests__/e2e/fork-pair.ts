/**
 * The fork-safe pair as the runner runs it: `mode: scan` in a `pull_request` job of a fork's pull request with a
 * read-only token, then `mode: publish` in a `workflow_run` job whose workspace holds only the downloaded results
 * file. Each half registers its clean-up in the caller's list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { writeWorkflowRunEvent } from './event.js';
import type { FakeGitHub } from './fake-github.js';
import type { RepoFixture } from './git-fixture.js';
import { type ActionRun, runAction } from './run-action.js';
import { publishResults, pullRequestScenario } from './scenario.js';

export const NUMBER = 12;

export type Cleanups = (() => Promise<void> | void)[];
export type PublishEvent = Partial<Parameters<typeof writeWorkflowRunEvent>[0]>;

/** The scanning half: a fork's pull request adding `head`, a read-only token. The run and the results file's text. */
export async function forkScan(
  cleanups: Cleanups,
  options: { head: Record<string, string> },
): Promise<{ repo: RepoFixture; run: ActionRun; fake: FakeGitHub; results: string }> {
  const scenario = await pullRequestScenario({
    base: { 'deploy/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: readme}\n' },
    head: options.head,
    number: NUMBER,
    fork: true,
    fake: { permissions: { pullRequests: 'read', checks: 'none', contents: 'read' } },
  });
  cleanups.push(() => scenario.dispose());
  const { repo, fake, eventPath } = scenario;
  const run = await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: { mode: 'scan' } });
  const results = readFileSync(join(repo.dir, 'kube-token-guard-results.json'), 'utf8');
  return { repo, run, fake, results };
}

/** The publishing half: a `workflow_run` job whose workspace holds only the downloaded results. */
export async function forkPublish(
  cleanups: Cleanups,
  repo: RepoFixture,
  results: string,
  event: PublishEvent = {},
): Promise<{ run: ActionRun; fake: FakeGitHub }> {
  const published = await publishResults(repo, NUMBER, results, event);
  cleanups.push(() => published.dispose());
  return published;
}
