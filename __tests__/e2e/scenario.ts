/**
 * One pull request, ready for the Action to run on: a git repository with the base and head commits, a fake GitHub
 * serving that pull request, and the `pull_request` event payload. Most end-to-end tests start here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePullRequestEvent, writeWorkflowRunEvent } from './event.js';
import { FakeGitHub, type FakeGitHubOptions } from './fake-github.js';
import { type MakeRepoOptions, type RepoFixture, filesOfCommit, makeRepo } from './git-fixture.js';
import { type ActionRun, runAction } from './run-action.js';

export const OWNER = 'octo-org';
export const REPO = 'manifests';
export const FORK = 'contributor/manifests';

export interface ScenarioOptions extends Omit<MakeRepoOptions, 'owner' | 'repo'> {
  /** Default 7. */
  number?: number;
  /** The pull request comes from `contributor/manifests`. */
  fork?: boolean;
  /** Options of the fake GitHub besides the pull request (permissions, faults, ...). */
  fake?: Partial<FakeGitHubOptions>;
  /** The fake serves the files of the head, base and merge base commits (for a checkout that lacks them). */
  serveContents?: boolean;
}

export interface Scenario {
  repo: RepoFixture;
  fake: FakeGitHub;
  eventPath: string;
  number: number;
  headRepoFullName: string;
  /** Stops the fake GitHub and removes the repository. */
  dispose(): Promise<void>;
}

export async function pullRequestScenario(options: ScenarioOptions): Promise<Scenario> {
  const { number = 7, fork = false, fake: fakeOptions, serveContents, ...repoOptions } = options;
  const repo = makeRepo({ ...repoOptions, owner: OWNER, repo: REPO });
  const headRepoFullName = fork ? FORK : `${OWNER}/${REPO}`;
  const contents = serveContents
    ? Object.fromEntries(
        [repo.headSha, repo.baseSha, repo.mergeBaseSha].map((sha) => [sha, filesOfCommit(repo, sha)]),
      )
    : undefined;
  const fake = await fakeForPullRequest(repo, number, headRepoFullName, {
    ...(contents ? { contents } : {}),
    ...fakeOptions,
  });
  const eventPath = writePullRequestEvent({
    owner: OWNER,
    repo: REPO,
    number,
    headSha: repo.headSha,
    baseSha: repo.baseSha,
    headRef: repo.headRef,
    headRepoFullName,
    changedFiles: repo.files.length,
  });
  return {
    repo,
    fake,
    eventPath,
    number,
    headRepoFullName,
    dispose: async () => {
      await fake.stop();
      repo.remove();
    },
  };
}

/** A fake GitHub serving the pull request from `repo`'s base to its head (a second one can serve the same). */
export function fakeForPullRequest(
  repo: RepoFixture,
  number: number,
  headRepoFullName: string,
  options: Partial<FakeGitHubOptions> = {},
): Promise<FakeGitHub> {
  return FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    validateResponses: true,
    ...options,
    pull: {
      number,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
      mergeBaseSha: repo.mergeBaseSha,
      headRef: repo.headRef,
      headRepoFullName,
      files: repo.files,
    },
  });
}

export interface PublishRun {
  run: ActionRun;
  fake: FakeGitHub;
  /** The publishing job's workspace: the results file and what the run wrote. */
  workspace: string;
  /** Stops the fake GitHub and removes the workspace. */
  dispose(): Promise<void>;
}

/**
 * The publishing half of the fork-safe pair: `mode: publish` in a `workflow_run` job, with a write token, whose
 * workspace holds only the downloaded results file (no checkout of the pull request from the fork `FORK`).
 */
export async function publishResults(
  repo: RepoFixture,
  number: number,
  results: string,
  event: Partial<Parameters<typeof writeWorkflowRunEvent>[0]> = {},
): Promise<PublishRun> {
  const fake = await fakeForPullRequest(repo, number, FORK);
  const workspace = mkdtempSync(join(tmpdir(), 'ktg-publish-'));
  writeFileSync(join(workspace, 'kube-token-guard-results.json'), results);
  const eventPath = writeWorkflowRunEvent({
    owner: OWNER,
    repo: REPO,
    headSha: repo.headSha,
    headRepoFullName: FORK,
    ...event,
  });
  const run = await runAction({
    workspace,
    eventPath,
    apiUrl: fake.url,
    inputs: { mode: 'publish' },
    env: { GITHUB_EVENT_NAME: 'workflow_run' },
  });
  return {
    run,
    fake,
    workspace,
    dispose: async () => {
      await fake.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
