/**
 * Issue 14.1: nothing a pull request writes reaches helm or kustomize as an option. Before the fix, the chart name
 * was helm's release argument, so `name: --post-renderer=sh` made helm pipe the rendered chart into a shell, and the
 * scan said "No findings"; `--output-dir=..` made helm write the chart outside the repository; a config
 * `release: --set-file=x=/etc/passwd` read a file of the runner into the chart's values.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/adapters/helm.js';
import {
  CANARY,
  HELM,
  chartRender,
  insecureDeployment,
  parseReport,
  runBundledCli,
  sandbox,
  writeFiles,
} from './sandbox.js';
import { NO_HELM, because } from '../tools.js';

const chart = (name: string, templates: Record<string, string>) => ({
  'c/Chart.yaml': `apiVersion: v2\nname: ${JSON.stringify(name)}\nversion: 0.1.0\n`,
  'c/values.yaml': 'replicas: 1\n',
  ...Object.fromEntries(Object.entries(templates).map(([path, text]) => [`c/templates/${path}`, text])),
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'a chart name is never an option of helm'), () => {
  it('`--post-renderer=sh` runs no shell, and the chart is rendered and judged', () => {
    const box = sandbox({});
    const canary = box.mustNotExist('post-renderer-ran');
    writeFiles(
      box.repo,
      chart('--post-renderer=sh', {
        // Valid YAML that is also a shell script: a post-renderer `sh` would run the second half of the line.
        'script.yaml': `k: v; touch ${canary}\n`,
        'deploy.yaml': insecureDeployment('web'),
      }),
    );
    const run = runBundledCli(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    expect(existsSync(canary)).toBe(false);
    const report = parseReport(run);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((finding) => `${finding.ruleId} ${finding.file}`)).toContain(
      'automount-token c/templates/deploy.yaml',
    );
  });

  it('`--output-dir=..` writes nothing outside the repository', () => {
    const box = sandbox(chart('--output-dir=..', { 'deploy.yaml': insecureDeployment('web') }));
    const before = box.outsideSnapshot();
    const run = runBundledCli(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    expect(box.outsideSnapshot()).toEqual(before);
    expect(parseReport(run).findings.map((finding) => finding.file)).toContain('c/templates/deploy.yaml');
  });

  it('a config `release: --set-file=x=<file>` is refused with its line, and the file is never read', () => {
    const box = sandbox(
      chart('c', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "{{ .Values.x }}"}\n' }),
    );
    writeFiles(box.repo, {
      '.github/kube-token-guard.yml': `charts:\n  - path: c\n    release: "--set-file=x=${box.secretFile}"\n`,
    });
    const run = runBundledCli(box.repo, ['scan', '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      '.github/kube-token-guard.yml:3: charts.0.release: must be a Helm release name',
    );
    expect(run.stdout + run.stderr).not.toContain(CANARY);
  });

  it('a render given an option-like release, namespace or values key directly refuses to run helm', async () => {
    const box = sandbox(chart('c', { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' }));
    const base = chartRender('c');
    for (const hostile of [
      { release: `--set-file=x=${box.secretFile}` },
      { namespace: '--kubeconfig=/dev/null' },
      { kubeVersion: '--debug' },
      { set: { 'x,y': '1' } },
    ]) {
      const result = await renderChart({ ...base, ...hostile }, { root: box.repo, binary: HELM! });
      expect(result.files).toEqual([]);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]!.message).toMatch(/; the chart is not rendered$/);
      expect(JSON.stringify(result)).not.toContain(CANARY);
    }
    expect(readFileSync(box.secretFile, 'utf8')).toContain(CANARY);
  });
});
