/**
 * Rendering never reads outside the repository: not through a values file, not through a symbolic link a pull
 * request adds to a chart or an overlay, not through a file an overlay names by an absolute or `..` path.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderChart } from '../src/adapters/helm.js';
import { runCli } from '../src/cli/main.js';
import { buildOverlay } from '../src/adapters/kustomize.js';
import { linkLeaving } from '../src/adapters/links.js';
import { KUSTOMIZE, NO_KUSTOMIZE, because } from './tools.js';

const MARKER = 'ktg-outside-marker-4242';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A repository folder and, beside it (outside it), a file holding a marker that must never be read. */
function setUp(files: Record<string, string>): { repo: string; outside: string } {
  const top = mkdtempSync(join(tmpdir(), 'ktg-paths-'));
  folders.push(top);
  const repo = join(top, 'repo');
  const outside = join(top, 'secret.yaml');
  writeFileSync(outside, `token: ${MARKER}\n`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  return { repo, outside };
}

const CHART = {
  'web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'web/values.yaml': 'name: web\n',
  'web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.name }}}\n',
};
const render = (root: string, valuesFiles: string[] = []) =>
  renderChart(
    { dir: 'web', release: 'web', namespace: 'default', kubeVersion: '1.33.0', valuesFiles, set: {} },
    { root, binary: '/nonexistent/helm-is-never-run' },
  );

describe('charts', () => {
  it('a symbolic link in a chart that leaves the repository stops the render, naming the link', async () => {
    const { repo, outside } = setUp(CHART);
    symlinkSync(outside, join(repo, 'web/files-secret.yaml'));
    const result = await render(repo);
    expect(result.files).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: 'web/Chart.yaml',
        line: null,
        message: 'web/files-secret.yaml is a symbolic link leaving the repository; the chart is not rendered',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(MARKER);
  });

  it('a values file that is a link to outside the repository is refused like a `..` path', async () => {
    const { repo, outside } = setUp(CHART);
    symlinkSync(outside, join(repo, 'prod-values.yaml'));
    const result = await render(repo, ['prod-values.yaml']);
    expect(result.errors[0]!.message).toBe(
      'values file prod-values.yaml is outside the repository; the chart is not rendered',
    );
    expect(JSON.stringify(result)).not.toContain(MARKER);
  });

  it('links inside the repository, and dangling links, are fine', async () => {
    const { repo } = setUp({ ...CHART, 'shared/common.yaml': 'a: 1\n' });
    symlinkSync(join(repo, 'shared/common.yaml'), join(repo, 'web/common.yaml'));
    symlinkSync(join(repo, 'does-not-exist'), join(repo, 'web/dangling.yaml'));
    expect(await linkLeaving(repo, 'web')).toBeNull();
  });
});

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'kustomize overlays'), () => {
  const OVERLAY = {
    'base/kustomization.yaml': 'resources: [cm.yaml]\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base}\n',
  };

  it('a symbolic link in the overlay that leaves the repository stops the build', async () => {
    const { repo, outside } = setUp({
      ...OVERLAY,
      'prod/kustomization.yaml': 'resources: [../base, extra.yaml]\n',
    });
    symlinkSync(outside, join(repo, 'prod/extra.yaml'));
    const result = await buildOverlay(repo, 'prod', { binary: KUSTOMIZE! });
    expect(result.files).toEqual([]);
    expect(result.errors[0]!.message).toBe(
      'prod/extra.yaml is a symbolic link leaving the repository; the overlay is not built',
    );
  });

  it('a file named by a `..` path out of the repository is not read: the build fails', async () => {
    const { repo } = setUp({
      ...OVERLAY,
      'prod/kustomization.yaml':
        'resources: [../base]\nconfigMapGenerator:\n  - name: leak\n    files: [../../secret.yaml]\n',
    });
    const result = await buildOverlay(repo, 'prod', { binary: KUSTOMIZE! });
    expect(result.files).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(MARKER);
  });

  it('the usual base and overlay layout still builds', async () => {
    const { repo } = setUp({
      ...OVERLAY,
      'prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
    });
    const result = await buildOverlay(repo, 'prod', { binary: KUSTOMIZE! });
    expect(result.errors).toEqual([]);
    expect(result.files.map((file) => file.text).join('\n')).toContain('name: prod-base');
  });
});

/** A stand-in for helm: a script that records its arguments and environment, then does what `body` says. */
function fakeHelm(dir: string, body: string): { binary: string; record: string } {
  const binary = join(dir, 'fake-helm');
  const record = join(dir, 'record.txt');
  writeFileSync(
    binary,
    `#!/bin/sh\nfor argument in "$@"; do printf '%s\\n' "$argument"; done > '${record}'\necho --- >> '${record}'\nenv >> '${record}'\n${body}\n`,
  );
  chmodSync(binary, 0o755);
  return { binary, record };
}

describe('the rendering process', () => {
  it('is stopped at its timeout, and the chart gets an error saying so', async () => {
    const { repo } = setUp(CHART);
    const { binary } = fakeHelm(join(repo, '..'), 'sleep 30');
    const started = Date.now();
    const result = await renderChart(
      { dir: 'web', release: 'web', namespace: 'default', kubeVersion: '1.33.0', valuesFiles: [], set: {} },
      { root: repo, binary, limits: { timeoutMs: 500 } },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.files).toEqual([]);
    expect(result.errors.map((error) => error.message).join('\n')).toMatch(/timed out after 0.5 s/);
  });

  it('gets no token and no way to the network, and its arguments reach it verbatim, never through a shell', async () => {
    const { repo } = setUp(CHART);
    const { binary, record } = fakeHelm(join(repo, '..'), 'exit 0');
    const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, INPUT_TOKEN: process.env.INPUT_TOKEN };
    process.env.GITHUB_TOKEN = 'ghs_mustNotReachHelm';
    process.env.INPUT_TOKEN = 'ghs_mustNotReachHelmEither';
    const hostile = '$(touch pwned)`touch pwned2`;touch pwned3';
    try {
      await renderChart(
        {
          dir: 'web',
          release: 'web',
          namespace: 'default',
          kubeVersion: '1.33.0',
          valuesFiles: [],
          set: { 'image.tag': hostile },
        },
        { root: repo, binary },
      );
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const [argumentsText, environment] = readFileSync(record, 'utf8').split('\n---\n');
    expect(argumentsText!.split('\n')).toContain(`--set=image.tag=${hostile}`);
    for (const name of ['pwned', 'pwned2', 'pwned3']) {
      expect(existsSync(join(repo, name))).toBe(false);
      expect(existsSync(join(repo, '..', name))).toBe(false);
    }
    expect(environment).not.toContain('ghs_');
    expect(environment).toMatch(/^HTTPS_PROXY=http:\/\/127\.0\.0\.1:9$/m);
    expect(environment).toMatch(/^HTTP_PROXY=http:\/\/127\.0\.0\.1:9$/m);
    expect(environment).toMatch(/^HELM_CACHE_HOME=/m);
  });
});

describe('the scan of a repository', () => {
  it('reads no file through a link leaving it, nor through `..` paths in its config', async () => {
    const { repo, outside } = setUp({
      'deploy/app.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n',
      '.github/kube-token-guard.yml':
        'charts:\n  - path: ../outside\n    values: [../secret.yaml]\noverlays: [..]\ninclude: ["../**", "**"]\n',
    });
    symlinkSync(outside, join(repo, 'deploy/linked.yaml'));
    symlinkSync(join(repo, '..'), join(repo, 'parent'));
    let output = '';
    const code = await runCli(['scan', '--format', 'json'], {
      cwd: repo,
      env: {},
      stdout: { write: (text: string) => (output += text), isTTY: false },
      stderr: { write: (text: string) => (output += text) },
    });
    expect(output).not.toContain(MARKER);
    expect(output).toContain('.. is outside the repository; the overlay is not built');
    expect(code).toBe(2);
  });
});
