/**
 * Issue 14.3: a scan makes no network request and reads nothing outside the repository. Before the fix, kustomize
 * connected to `ssh://` bases and fetched `http://127.0.0.1` bases (Go sends loopback requests past any proxy), built
 * `../` bases outside the repository, helm fetched a values schema's `$ref` from a loopback URL, the symbolic link
 * check of a chart gave up after 20,000 entries, and a config file could be a link to any file of the runner.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CANARY,
  connectionCounter,
  insecureDeployment,
  parseReport,
  runBundledCli,
  runBundledCliAsync,
  sandbox,
  writeFiles,
} from './sandbox.js';
import { NO_HELM, NO_KUSTOMIZE, because } from '../tools.js';

const listeners: { close(): void }[] = [];
afterEach(() => {
  for (const listener of listeners.splice(0)) listener.close();
});

async function listener() {
  const counter = await connectionCounter();
  listeners.push(counter);
  return counter;
}

const BASE = {
  'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
  'base/deploy.yaml': insecureDeployment('web'),
};

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'kustomize overlays'), () => {
  const remotes: [string, (port: number) => string][] = [
    ['an ssh:// base', (port) => `resources:\n  - ../base\n  - ssh://git@127.0.0.1:${port}/org/repo.git\n`],
    ['an scp-like git base', (port) => `resources:\n  - ../base\n  - git@127.0.0.1:${port}/org/repo.git\n`],
    [
      'an http:// file on loopback',
      (port) => `resources:\n  - ../base\n  - http://127.0.0.1:${port}/x.yaml\n`,
    ],
    [
      'a patch file named by URL',
      (port) => `resources: [../base]\npatches:\n  - path: http://localhost:${port}/p.yaml\n`,
    ],
    [
      'a URL inside an inline transformer configuration',
      (port) =>
        'resources: [../base]\ntransformers:\n  - |\n    apiVersion: builtin\n    kind: PatchTransformer\n' +
        `    metadata: {name: p}\n    path: http://127.0.0.1:${port}/p.yaml\n`,
    ],
  ];

  it.each(remotes)('%s is refused before kustomize runs: no connection is made', async (_, kustomization) => {
    const counter = await listener();
    const box = sandbox({ ...BASE, 'prod/kustomization.yaml': kustomization(counter.port) });
    const run = await runBundledCliAsync(box.repo, ['scan', '--format', 'json']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(counter.connections()).toBe(0);
    const report = parseReport(run);
    expect(report.errors).toEqual([
      {
        file: 'prod/kustomization.yaml',
        line: expect.any(Number),
        message: expect.stringMatching(/is a remote (reference|base)|names a remote base/),
      },
    ]);
    expect(report.errors[0]!.message).toMatch(/; the overlay is not built$/);
    expect(run.status).toBe(2);
  });

  it('a remote reference in a base is reported on the base, naming the overlay it refuses', async () => {
    const counter = await listener();
    const box = sandbox({
      'base/kustomization.yaml': `resources:\n  - deploy.yaml\n  - https://127.0.0.1:${counter.port}/x.yaml\n`,
      'base/deploy.yaml': insecureDeployment('web'),
      'prod/kustomization.yaml': 'resources: [../base]\n',
    });
    const report = parseReport(await runBundledCliAsync(box.repo, ['scan', '--format', 'json']));
    expect(counter.connections()).toBe(0);
    expect(report.errors).toEqual([
      {
        file: 'base/kustomization.yaml',
        line: 3,
        message: `resources[1] is a remote reference (https://127.0.0.1:${counter.port}/x.yaml); only files of the repository are read; the overlay prod is not built`,
      },
    ]);
  });

  it('a base outside the repository is refused, and nothing of it is read', () => {
    const box = sandbox({ 'prod/kustomization.yaml': 'resources:\n  - ../../outside-base\n' });
    writeFiles(box.top, {
      'outside-base/kustomization.yaml': 'resources: [deploy.yaml]\n',
      'outside-base/deploy.yaml': insecureDeployment(CANARY),
    });
    const run = runBundledCli(box.repo, ['scan', '--format', 'json']);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(parseReport(run).errors).toEqual([
      {
        file: 'prod/kustomization.yaml',
        line: 2,
        message: 'resources names ../../outside-base, outside the repository; the overlay is not built',
      },
    ]);
  });

  it('a base inside the repository, reached through `..`, still builds', () => {
    const box = sandbox({
      ...BASE,
      'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamePrefix: p-\n',
    });
    const report = parseReport(runBundledCli(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']));
    expect(report.errors).toEqual([]);
    expect(report.findings.map((finding) => finding.resource.name)).toContain('p-web');
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'Helm charts'), () => {
  const CHART = {
    'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
    'c/values.yaml': 'a: 1\n',
    'c/templates/deploy.yaml': insecureDeployment('web'),
  };

  it("a values schema's `$ref` to a loopback URL is never fetched", async () => {
    const counter = await listener();
    const box = sandbox({
      ...CHART,
      'c/values.schema.json': JSON.stringify({ $ref: `http://127.0.0.1:${counter.port}/schema.json` }),
    });
    const run = await runBundledCliAsync(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(counter.connections()).toBe(0);
    expect(parseReport(run).findings.map((finding) => finding.file)).toContain('c/templates/deploy.yaml');
  });

  it('a link out of the repository behind 20,001 files is found: the chart is refused, the file never read', () => {
    const box = sandbox({
      ...CHART,
      'c/templates/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: leak}\ndata: {pw: {{ .Files.Get "files/z/pw" | quote }}}\n',
    });
    mkdirSync(join(box.repo, 'c/files/a'), { recursive: true });
    for (let index = 0; index <= 20_000; index++) writeFileSync(join(box.repo, `c/files/a/${index}`), '');
    mkdirSync(join(box.repo, 'c/files/z'));
    symlinkSync(box.secretFile, join(box.repo, 'c/files/z/pw'));
    const run = runBundledCli(box.repo, ['scan', '--format', 'json']);
    expect(run.stdout + run.stderr).not.toContain(CANARY);
    expect(parseReport(run).errors).toEqual([
      {
        file: 'c/Chart.yaml',
        line: null,
        message: 'c/files/z/pw is a symbolic link leaving the repository; the chart is not rendered',
      },
    ]);
  });
});

describe('the config file', () => {
  it('is refused when it is a link out of the repository, and the file it names is never read', () => {
    const box = sandbox({ 'deploy.yaml': insecureDeployment('web') });
    // Were it read, `fail-on: none` would turn the check green.
    writeFiles(box.top, { 'outside-config.yml': `fail-on: none\n# ${CANARY}\n` });
    mkdirSync(join(box.repo, '.github'));
    symlinkSync(join(box.top, 'outside-config.yml'), join(box.repo, '.github/kube-token-guard.yml'));
    const run = runBundledCli(box.repo, ['scan']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '.github/kube-token-guard.yml: the config file is a symbolic link leading outside the repository; it is not read',
    );
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  });
});
