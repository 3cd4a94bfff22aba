/**
 * The crds/ folders of charts. helm install creates every .yaml, .yml and .json file below the crds/ of a chart and
 * of its dependencies (archived ones included, extensions in any case) without checking that it is a
 * CustomResourceDefinition: a Pod there runs. Each is judged once, as helm prints it (`--include-crds`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured, yaml } from './helpers.js';
import { HELM, NO_HELM, because } from './tools.js';

const POD = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: from-crds
  spec:
    containers:
      - name: c
        image: busybox:1.36
`;

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function chart(name: string): Record<string, string> {
  return {
    [`${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name.split('/').at(-1)}\nversion: 0.1.0\n`,
    [`${name}/templates/cm.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
  };
}

async function scan(dir: string) {
  const { code, stdout } = await runCliCaptured(['scan', '--format', 'json'], dir, false, {
    KUBE_TOKEN_GUARD_HELM: HELM ?? undefined,
  });
  const report = JSON.parse(stdout) as {
    findings: Array<{ file: string; line: number; ruleId: string; rendered?: boolean }>;
    errors: unknown[];
  };
  const automount = report.findings.filter((finding) => finding.ruleId === 'automount-token');
  return { code, errors: report.errors, automount };
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'objects in crds/ folders, as helm install creates them'), () => {
  it('judges a crds/ file of an archived subchart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-crds-'));
    write(dir, { ...chart('web'), ...chart('build/sub'), 'build/sub/crds/pod.yaml': POD });
    const env = { PATH: process.env.PATH, HOME: dir };
    execFileSync(HELM!, ['package', 'build/sub', '-d', 'web/charts'], { cwd: dir, env });
    execFileSync('rm', ['-r', 'build'], { cwd: dir });
    const { code, errors, automount } = await scan(dir);
    expect(errors).toEqual([]);
    expect(automount).toHaveLength(1);
    expect(code).toBe(1);
  });

  it('judges crds/ files whatever the case of their extension, each once, each document at its lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-crds-'));
    write(dir, {
      ...chart('web'),
      'web/crds/pod.YAML': POD,
      'web/crds/nested/pod.yml': POD.replace('from-crds', 'nested'),
      'web/crds/two.yaml': `---\n${POD.replace('from-crds', 'one')}---\n# the second\n${POD.replace('from-crds', 'two')}`,
    });
    const { code, errors, automount } = await scan(dir);
    expect(errors).toEqual([]);
    expect(code).toBe(1);
    const places = automount.map((finding) => `${finding.file}:${finding.line}`).sort();
    // Read as plain files too, they would be reported twice; `two.yaml`'s second Pod at its own `spec:`.
    expect(places).toEqual([
      'web/crds/nested/pod.yml:5',
      'web/crds/pod.YAML:5',
      'web/crds/two.yaml:16',
      'web/crds/two.yaml:6',
    ]);
    expect(automount.every((finding) => finding.rendered === true)).toBe(true);
  });
});
