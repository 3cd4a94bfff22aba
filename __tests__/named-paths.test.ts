/**
 * Paths named inside a chart or a kustomization folder, as pre-commit hooks and changed-files wrappers pass them: the
 * chart is rendered (the overlays including the folder are built) and the findings at those paths are reported, never
 * a green "No findings" for a template read as a plain file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured, yaml } from './helpers.js';
import { HELM, KUSTOMIZE, NO_HELM, NO_KUSTOMIZE, because } from './tools.js';

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-named-'));
  for (const [path, text] of Object.entries({ '.git/HEAD': 'ref: refs/heads/main\n', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function deployment(name: string, spec = ''): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}
    spec:
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          containers:
            - name: web
              image: {{ .Values.image }}
  `.replace('      containers:', `${spec}      containers:`);
}

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'chart/values.yaml': 'image: nginx:1.27\n',
  'chart/templates/web.yaml': deployment('web'),
  'chart/templates/api.yaml': deployment('api'),
  'chart/templates/quiet.yaml': deployment(
    'quiet',
    '      automountServiceAccountToken: false\n      serviceAccountName: quiet\n',
  ),
  'chart/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
  'chart/charts/sub/templates/worker.yaml': deployment('worker'),
};

async function scan(cwd: string, args: string[]) {
  const { code, stdout, stderr } = await runCliCaptured(['scan', '--format', 'json', ...args], cwd, false, {
    KUBE_TOKEN_GUARD_HELM: HELM ?? undefined,
    KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE ?? undefined,
  });
  const report = JSON.parse(stdout) as {
    findings: Array<{ file: string; ruleId: string }>;
    errors: unknown[];
  };
  return {
    code,
    stderr,
    errors: report.errors,
    files: [...new Set(report.findings.map((f) => f.file))].sort(),
  };
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'a path named inside a chart renders the chart'), () => {
  it('reports the findings of the named template, folder or subchart, never a skipped green', async () => {
    const dir = repository(CHART);
    const web = await scan(dir, ['chart/templates/web.yaml']);
    expect(web).toMatchObject({ code: 1, errors: [], files: ['chart/templates/web.yaml'] });
    expect(web.stderr).not.toMatch(/outside of a Helm chart/);
    expect(web.stderr).toMatch(/Rendered 1 Helm chart/);
    const templates = await scan(dir, ['chart/templates']);
    expect(templates.files).toEqual(['chart/templates/api.yaml', 'chart/templates/web.yaml']);
    const sub = await scan(dir, ['chart/charts/sub']);
    expect(sub.files).toEqual(['chart/charts/sub/templates/worker.yaml']);
    // A template with nothing to report is a true green: the chart rendered, and nothing there is wrong.
    expect(await scan(dir, ['chart/templates/quiet.yaml'])).toMatchObject({ code: 0, files: [] });
  });

  it('reports every finding of the chart for its values file, Chart.yaml or a helper', async () => {
    const dir = repository({ ...CHART, 'chart/templates/_helpers.tpl': '{{- define "x" -}}{{- end -}}\n' });
    const all = [
      'chart/charts/sub/templates/worker.yaml',
      'chart/templates/api.yaml',
      'chart/templates/web.yaml',
    ];
    for (const path of ['chart/values.yaml', 'chart/Chart.yaml', 'chart/templates/_helpers.tpl']) {
      expect(await scan(dir, [path]), path).toMatchObject({ code: 1, files: all });
    }
  });

  it('roots a path inside a chart outside any repository at the chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-named-'));
    for (const [path, text] of Object.entries(CHART)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const run = await scan(join(dir, 'chart/templates'), ['web.yaml']);
    expect(run).toMatchObject({ code: 1, files: ['templates/web.yaml'] });
  });

  it('--fix on a named template leaves the rest of the chart alone', async () => {
    const stray = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: stray}
      spec:
        containers: [{name: a, image: b}]
    `;
    const dir = repository({ ...CHART, 'chart/extra/stray.yaml': stray });
    await runCliCaptured(['scan', 'chart/templates/quiet.yaml', '--fix'], dir, false, {
      KUBE_TOKEN_GUARD_HELM: HELM ?? undefined,
    });
    expect(readFileSync(join(dir, 'chart/extra/stray.yaml'), 'utf8')).toBe(stray);
    expect((await scan(dir, ['chart/extra/stray.yaml'])).files).toEqual(['chart/extra/stray.yaml']);
  });
});

describe.skipIf(NO_KUSTOMIZE)(because(NO_KUSTOMIZE, 'a path named inside a kustomization folder'), () => {
  const files = {
    'base/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
    'base/deploy.yaml': deployment(
      'web',
      '      automountServiceAccountToken: false\n      serviceAccountName: web\n',
    ).replace('{{ .Values.image }}', 'nginx'),
    'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\npatches:\n  - path: patch.yaml\n',
    'overlays/prod/patch.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        template:
          spec:
            automountServiceAccountToken: true
            serviceAccountName: default
    `,
  };

  it('builds the overlays that include it and reports what they make of it', async () => {
    const dir = repository(files);
    // Read alone, the base is hardened; the overlay that includes it runs it as `default`.
    for (const path of ['base/deploy.yaml', 'overlays/prod/patch.yaml', 'base/kustomization.yaml']) {
      const run = await scan(dir, [path]);
      expect(run, path).toMatchObject({ code: 1, errors: [], files: ['base/deploy.yaml'] });
      expect(run.stderr, path).toMatch(/Rendered 1 kustomize overlay/);
    }
  });
});
