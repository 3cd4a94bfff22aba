/**
 * The Action keeps its scratch copies in the runner's RUNNER_TEMP, which the runner empties at every job's start and
 * end, not in the machine's /tmp, which a self-hosted runner keeps from job to job.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writePullRequestEvent } from './event.js';
import { FakeGitHub } from './fake-github.js';
import { type RepoFixture, makeRepo } from './git-fixture.js';
import { runAction } from './run-action.js';

const fixtures: { repo: RepoFixture; fake: FakeGitHub }[] = [];
afterEach(async () => {
  for (const { repo, fake } of fixtures.splice(0)) {
    await fake.stop();
    repo.remove();
  }
});

it('renders charts in a scratch folder inside RUNNER_TEMP, and removes it', async () => {
  const stubs = mkdtempSync(join(tmpdir(), 'ktg-helm-stub-'));
  const record = join(stubs, 'folders');
  // A stand-in for helm that notes the folder it runs in (the Action's scratch home for it) and renders one object.
  const helm = join(stubs, 'helm');
  writeFileSync(
    helm,
    `#!/bin/sh\npwd >> '${record}'\nprintf -- '---\\n# Source: web/templates/cm.yaml\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\n'\n`,
  );
  chmodSync(helm, 0o755);
  const repo = makeRepo({
    owner: 'octo-org',
    repo: 'manifests',
    base: { 'README.md': 'charts\n' },
    head: {
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
    },
  });
  const fake = await FakeGitHub.start({
    owner: 'octo-org',
    repo: 'manifests',
    pull: {
      number: 4,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
      mergeBaseSha: repo.mergeBaseSha,
      files: repo.files,
    },
  });
  fixtures.push({ repo, fake });
  const run = await runAction({
    workspace: repo.dir,
    eventPath: writePullRequestEvent({
      owner: 'octo-org',
      repo: 'manifests',
      number: 4,
      headSha: repo.headSha,
      baseSha: repo.baseSha,
    }),
    apiUrl: fake.url,
    inputs: {},
    env: { KUBE_TOKEN_GUARD_HELM: helm },
  });
  expect(run.status, run.stderr).toBe(0);
  const folders = readFileSync(record, 'utf8').trim().split('\n');
  expect(folders.length).toBeGreaterThan(0);
  for (const folder of folders) {
    expect(folder.startsWith(`${run.env.RUNNER_TEMP}/`), folder).toBe(true);
    expect(existsSync(folder), folder).toBe(false);
  }
});
