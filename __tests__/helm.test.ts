import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { splitRenderedDocuments, templateLine } from '../src/core/source-map.js';
import { templatePath } from '../src/adapters/helm.js';
import { podSpecInsertion } from '../src/core/template-edit.js';
import { applyEdits } from '../src/core/apply.js';
import { runCliCaptured } from './helpers.js';
import { HELM, HELM4, NO_HELM, NO_HELM4, because } from './tools.js';

const ROOT = join(import.meta.dirname, '..');
/** Real charts kept in the repository, with their sources and licence (fixtures/corpus/SOURCES.md). */
const CORPUS = join(ROOT, '__tests__/fixtures/corpus');
const CORPUS_CHARTS = ['argo-rollouts', 'cert-manager', 'onlineboutique', 'sealed-secrets'];

/** `scan --format json` of `cwd` in-process, with `helm` as the helm binary. */
async function scanJson(cwd: string, args: string[] = [], helm: string | undefined = HELM ?? undefined) {
  const scan = ['scan', '--format', 'json', '--fail-on', 'none', ...args];
  const { code, stdout, stderr } = await runCliCaptured(scan, cwd, false, { KUBE_TOKEN_GUARD_HELM: helm });
  return {
    code,
    report: JSON.parse(stdout) as { findings: Record<string, unknown>[]; errors: Record<string, unknown>[] },
    stderr,
  };
}

describe('rendered output mapping', () => {
  it('splits helm output by document with its # Source template', () => {
    const output =
      '---\n# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\n---\n# Source: app/charts/db/templates/sts.yaml\nkind: StatefulSet\n';
    expect(splitRenderedDocuments(output)).toEqual([
      {
        source: 'app/templates/sa.yaml',
        text: '# Source: app/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\n',
      },
      {
        source: 'app/charts/db/templates/sts.yaml',
        text: '# Source: app/charts/db/templates/sts.yaml\nkind: StatefulSet\n',
      },
    ]);
    expect(templatePath('deploy/app', 'app/charts/db/templates/sts.yaml')).toBe(
      'deploy/app/charts/db/templates/sts.yaml',
    );
    expect(templatePath('', 'app/templates/sa.yaml')).toBe('templates/sa.yaml');
  });

  it('finds the best template line for a field, key by key', () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels: {{- include "x.labels" . | nindent 8 }}',
      '    spec:',
      '      serviceAccountName: {{ include "x.sa" . }}',
      '      containers:',
    ].join('\n');
    expect(templateLine(template, ['spec', 'template', 'spec'])).toBe(7);
    expect(templateLine(template, ['spec', 'template', 'spec', 'serviceAccountName'])).toBe(8);
    expect(templateLine(template, ['spec', 'template', 'spec', 'automountServiceAccountToken'])).toBe(7);
    expect(templateLine(template, ['metadata', 'name'])).toBe(1);
  });

  it('finds a list item by its literal `- name:` line, inside actions such as `with`', () => {
    const template = [
      'spec:',
      '  containers:',
      '    - name: {{ .Chart.Name }}',
      '      env:',
      '        - name: CSI_ENDPOINT',
      '          value: unix:///csi.sock',
      '        {{- with .Values.awsAccessSecret }}',
      '        - name: AWS_ACCESS_KEY_ID',
      '          valueFrom:',
      '            secretKeyRef: {name: {{ .name }}, key: {{ .keyId }}}',
      '        - name: "AWS_SECRET_ACCESS_KEY"',
      '          valueFrom: {secretKeyRef: {name: {{ .name }}, key: {{ .accessKey }}}}',
      '        {{- end }}',
      '    - name: sidecar',
      '      env:',
      '        - name: AWS_ACCESS_KEY_ID',
    ].join('\n');
    const env = (...names: string[]) => names.map((name) => ({ name }));
    const rendered = {
      spec: {
        containers: [
          { name: 'plugin', env: env('CSI_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY') },
          { name: 'sidecar', env: env('AWS_ACCESS_KEY_ID') },
        ],
      },
    };
    const line = (path: Array<string | number>) => templateLine(template, path, undefined, rendered);
    expect(line(['spec', 'containers', 0, 'env', 1])).toBe(8);
    expect(line(['spec', 'containers', 0, 'env', 1, 'valueFrom'])).toBe(9);
    expect(line(['spec', 'containers', 0, 'env', 2])).toBe(11);
    // The first container's name is written with an action: its fields are found from the list's key on, as before.
    expect(line(['spec', 'containers', 0, 'env'])).toBe(4);
    expect(line(['spec', 'containers', 1])).toBe(14);
    expect(line(['spec', 'containers', 1, 'env', 0])).toBe(16);
    // Without the rendered object, the list's key.
    expect(templateLine(template, ['spec', 'containers', 0, 'env', 1])).toBe(4);
  });

  it("finds an item's keys in a list written in its key's column", () => {
    const template = [
      'spec:',
      '  volumes:',
      '  - name: token',
      '    projected:',
      '      sources:',
      '      - serviceAccountToken:',
      '          path: token',
      '          expirationSeconds: {{ .Values.expiration }}',
      '  nodeSelector: {}',
    ].join('\n');
    const rendered = {
      spec: { volumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: {} }] } }] },
    };
    const sources = ['spec', 'volumes', 0, 'projected', 'sources', 0, 'serviceAccountToken'];
    expect(templateLine(template, sources, undefined, rendered)).toBe(6);
    expect(templateLine(template, [...sources, 'expirationSeconds'], undefined, rendered)).toBe(8);
    expect(templateLine(template, [...sources, 'expirationSeconds'])).toBe(8);
    // A key of the list's own column that is no item ends it.
    expect(templateLine(template, ['spec', 'volumes', 0, 'nodeSelector'])).toBe(2);
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'Helm charts rendered with the real helm'), () => {
  function workspace(): string {
    return mkdtempSync(join(tmpdir(), 'ktg-helm-test-'));
  }

  it('renders a `helm create` chart and points findings at its templates', async () => {
    const dir = workspace();
    execFileSync(HELM!, ['create', 'web'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    // Run as the namespace's `default` ServiceAccount: the chart's Deployment then mounts a shared token.
    const values = join(dir, 'web/values.yaml');
    const document = parseDocument(readFileSync(values, 'utf8'));
    document.setIn(['serviceAccount', 'create'], false);
    writeFileSync(values, document.toString());
    const { report, stderr } = await scanJson(dir);
    expect(report.errors).toEqual([]);
    expect(stderr).toMatch(/Rendered 1 Helm chart/);
    const automount = report.findings.find((finding) => finding.ruleId === 'automount-token')!;
    expect(automount).toMatchObject({
      file: 'web/templates/deployment.yaml',
      rendered: true,
      severity: 'high',
    });
    const template = readFileSync(join(dir, 'web/templates/deployment.yaml'), 'utf8').split('\n');
    expect(template[(automount.line as number) - 1]).toMatch(/^\s+spec:/);
    // No value controls it, but the pod spec is written literally: the fix goes into the template, under `spec:`.
    const fix = automount.fix as { file: string; startLine: number; replacement: string };
    expect(fix.file).toBe('web/templates/deployment.yaml');
    expect(fix.startLine).toBe((automount.line as number) + 1);
    expect(fix.replacement.split('\n')[0]).toMatch(/^\s+automountServiceAccountToken: false$/);
    expect((automount.resource as { namespace: string }).namespace).toBe('default');
  });

  it('places a duplicate key of a rendered document at its template line, and its first place when it can tell', async () => {
    const dir = workspace();
    const chart = join(dir, 'demo');
    mkdirSync(join(chart, 'templates'), { recursive: true });
    writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(
      join(chart, 'templates/_helpers.tpl'),
      '{{- define "demo.labels" -}}\napp: demo\n{{- end }}\n',
    );
    // From an `include` and from a line with an action; then two literal lines.
    writeFileSync(
      join(chart, 'templates/cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    {{- include "demo.labels" . | nindent 4 }}\n' +
        '    tier: node\n    app: {{ .Chart.Name }}\ndata:\n  a: b\n  c: d\n  a: e\n',
    );
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([
      {
        file: 'demo/templates/cm.yaml',
        line: 8,
        message: expect.stringMatching(/^YAML duplicate key "app": /),
      },
      {
        file: 'demo/templates/cm.yaml',
        line: 12,
        message: expect.stringMatching(/^YAML duplicate key "a" \(first at line 10\): /),
      },
    ]);
  });

  it('renders the real charts of the corpus and reports on their templates', async () => {
    const dir = workspace();
    for (const chart of CORPUS_CHARTS)
      cpSync(join(CORPUS, chart), join(dir, 'charts', chart), { recursive: true });
    const { report, stderr } = await scanJson(dir);
    expect(report.errors).toEqual([]);
    expect(stderr).toMatch(/Rendered 4 Helm charts/);
    const files = new Set(report.findings.map((finding) => finding.file as string));
    expect([...files].every((file) => /^charts\/[^/]+\/templates\//.test(file))).toBe(true);
    expect(report.findings.some((finding) => finding.ruleId === 'sa-privileged-rbac')).toBe(true);
  });

  it('reports a broken chart as an error of that chart and still scans the others', async () => {
    const dir = workspace();
    execFileSync(HELM!, ['create', 'good'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    execFileSync(HELM!, ['create', 'broken'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    writeFileSync(
      join(dir, 'broken/templates/service.yaml'),
      'kind: Service\nmetadata:\n  name: {{ .Values.missing.deeper }\n',
    );
    writeFileSync(
      join(dir, 'plain.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n',
    );
    const { report, code } = await scanJson(dir);
    // At the template and line helm names.
    expect(report.errors).toEqual([
      {
        file: 'broken/templates/service.yaml',
        line: 3,
        message: expect.stringMatching(
          /^helm template failed: .*parse error at \(broken\/templates\/service.yaml:3\)/,
        ),
      },
    ]);
    expect(report.findings.some((finding) => finding.file === 'plain.yaml')).toBe(true);
    expect(code).toBe(2);
  });

  it.each([
    ['helm 3', HELM],
    ['helm 4', HELM4],
  ])(
    '%s: a `required` value that is missing is an error at the template line that asks for it',
    async (_name, helm) => {
      if (!helm) return;
      const dir = workspace();
      execFileSync(HELM!, ['create', 'lb'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
      const deployment = join(dir, 'lb/templates/deployment.yaml');
      const lines = readFileSync(deployment, 'utf8').split('\n');
      const at = lines.findIndex((line) => /^\s+containers:/.test(line));
      lines.splice(at, 0, '      {{- $cluster := required "clusterName is required" .Values.clusterName }}');
      writeFileSync(deployment, lines.join('\n'));
      // A missing value in a nested template: helm 3 says `template: ...:<line>:<column>: executing`, helm 4 `Error:
      // <template>:<line>:<column>` and `executing` on the next line.
      writeFileSync(
        join(dir, 'lb/templates/extra.yaml'),
        'kind: ConfigMap\n\ndata: {{ .Values.nothing.here }}\n',
      );
      writeFileSync(join(dir, 'lb/values.yaml'), `${readFileSync(join(dir, 'lb/values.yaml'), 'utf8')}`);
      const { report } = await scanJson(dir, [], helm);
      expect(report.errors).toHaveLength(1);
      expect(report.errors[0]).toMatchObject({
        file: expect.stringMatching(/^lb\/templates\/(deployment|extra)\.yaml$/),
      });
      const error = report.errors[0] as { file: string; line: number };
      expect(error.line).toBe(error.file.endsWith('deployment.yaml') ? at + 1 : 3);
    },
  );

  it('knows an object named with randAlphaNum by its template line: the same identity at every render', async () => {
    const dir = workspace();
    execFileSync(HELM!, ['create', 'web'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    writeFileSync(
      join(dir, 'web/templates/tests/test-connection.yaml'),
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: "{{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}"',
        '  annotations: {"helm.sh/hook": test}',
        'spec:',
        '  containers: [{name: wget, image: busybox}]',
        '  restartPolicy: Never',
        '',
      ].join('\n'),
    );
    const fingerprints = async () => {
      const { stdout } = await runCliCaptured(
        ['scan', '--format', 'sarif', '--fail-on', 'none'],
        dir,
        false,
        {
          KUBE_TOKEN_GUARD_HELM: HELM!,
        },
      );
      const results = (
        JSON.parse(stdout) as {
          runs: {
            results: {
              ruleId: string;
              partialFingerprints: object;
              locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
            }[];
          }[];
        }
      ).runs[0]!.results;
      return results
        .filter((result) =>
          result.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('test-connection.yaml'),
        )
        .map((result) => `${result.ruleId} ${JSON.stringify(result.partialFingerprints)}`)
        .sort();
    };
    const first = await fingerprints();
    expect(first.some((entry) => entry.startsWith('automount-token '))).toBe(true);
    expect(await fingerprints()).toEqual(first);
  });

  it('places a failed render only at a file of the chart, whatever the template makes helm print', async () => {
    const dir = workspace();
    const files: Record<string, string> = {
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      // A hostile template's own message names places outside the chart, and one that does not exist.
      'c/templates/a.yaml':
        'kind: ConfigMap\n{{ fail "parse error at (c/../../../etc/passwd:9) template: c/templates/none.yaml:4:1: x" }}\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([
      { file: 'c/templates/a.yaml', line: 2, message: expect.stringMatching(/^helm template failed: /) },
    ]);
  });

  it('leaves a library chart to the charts that depend on it, and a chart whose Chart.yaml is excluded out', async () => {
    const dir = workspace();
    const files: Record<string, string> = {
      'lib/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 1.0.0\ntype: library\n',
      'lib/templates/_helpers.tpl': '{{- define "common.name" -}}common{{- end }}\n',
      'needs-values/Chart.yaml': 'apiVersion: v2\nname: needs-values\nversion: 1.0.0\n',
      'needs-values/templates/cm.yaml': 'kind: ConfigMap\nname: {{ required "name" .Values.name }}\n',
      '.github/kube-token-guard.yml': 'exclude: ["needs-values/Chart.yaml"]\n',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { report, code, stderr } = await scanJson(dir);
    expect(report.errors).toEqual([]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'notice: lib/Chart.yaml: a library chart (`type: library`) is not rendered on its own: the charts depending on it render it',
    );
    expect(stderr).not.toContain('needs-values');
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'chart settings, dependencies and safety'), () => {
  function chartRepo(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-helm-settings-'));
    execFileSync(HELM!, ['create', 'web'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
    return dir;
  }

  it('renders a chart listed in the config with its release, namespace, values files and --set values', async () => {
    const dir = chartRepo();
    writeFileSync(join(dir, 'prod-values.yaml'), 'serviceAccount:\n  create: false\n');
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github/kube-token-guard.yml'),
      'charts:\n  - path: web\n    release: storefront\n    namespace: shop\n    values: [prod-values.yaml]\n    set: {replicaCount: 2}\n',
    );
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([]);
    const automount = report.findings.find(
      (finding) => finding.ruleId === 'automount-token' && finding.file === 'web/templates/deployment.yaml',
    )!;
    expect(automount.resource).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'storefront-web',
    });
  });

  it('uses a library chart vendored in charts/, offline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-helm-library-'));
    const files: Record<string, string> = {
      'app/Chart.yaml':
        'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: common\n    version: 1.0.0\n    repository: https://charts.example.com\n',
      'app/values.yaml': 'automount: true\n',
      'app/templates/deployment.yaml': '{{ include "common.deployment" . }}\n',
      'app/charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 1.0.0\ntype: library\n',
      'app/charts/common/templates/_deployment.tpl': [
        '{{- define "common.deployment" -}}',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: {{ .Release.Name }}',
        'spec:',
        '  template:',
        '    spec:',
        '      automountServiceAccountToken: {{ .Values.automount }}',
        '      containers:',
        '        - name: app',
        '          image: nginx',
        '{{- end }}',
      ].join('\n'),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([]);
    expect(report.findings.find((finding) => finding.ruleId === 'default-service-account')).toMatchObject({
      file: 'app/templates/deployment.yaml',
      severity: 'high',
      rendered: true,
    });
  });

  it('reports a dependency that is not vendored as an error of that chart', async () => {
    const dir = chartRepo();
    writeFileSync(
      join(dir, 'web/Chart.yaml'),
      `${readFileSync(join(dir, 'web/Chart.yaml'), 'utf8')}dependencies:\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.example.com\n`,
    );
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([
      {
        file: 'web/Chart.yaml',
        line: null,
        message: expect.stringMatching(/^helm template failed: .*missing in charts\/ directory/),
      },
    ]);
  });

  it('refuses values files outside the repository', async () => {
    const dir = chartRepo();
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github/kube-token-guard.yml'),
      'charts:\n  - path: web\n    values: [../../etc/passwd]\n',
    );
    const { report } = await scanJson(dir);
    expect(report.errors).toEqual([
      {
        file: 'web/Chart.yaml',
        line: null,
        message: 'values file ../../etc/passwd is outside the repository; the chart is not rendered',
      },
    ]);
  });
});

const helms: [string, string, string | null][] = [
  ['helm v3', HELM ?? '', NO_HELM],
  ['helm v4', HELM4 ?? '', NO_HELM4],
];

for (const [name, helm, skip] of helms)
  describe.skipIf(skip)(because(skip, `fix at the source: values probing (${name})`), () => {
    const run = (cwd: string, args: string[]) => scanJson(cwd, args, helm);

    /**
     * A `helm create` chart whose ServiceAccount uses IRSA and leaves `serviceAccount.automount` empty. (Its default,
     * `true`, renders explicit consent on a dedicated account: the evidence of an API client, which no fix touches.)
     */
    function irsaChart(): string {
      const dir = mkdtempSync(join(tmpdir(), 'ktg-probe-'));
      execFileSync(helm, ['create', 'web'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir } });
      const values = join(dir, 'web/values.yaml');
      const document = parseDocument(readFileSync(values, 'utf8'));
      document.setIn(['serviceAccount', 'annotations'], {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web',
      });
      document.setIn(['serviceAccount', 'automount'], null);
      writeFileSync(values, document.toString());
      return dir;
    }

    it('finds the value that controls a finding and offers the values.yaml edit', async () => {
      const dir = irsaChart();
      const { report, stderr } = await run(dir, []);
      expect(stderr).toMatch(/Probed chart values with \d+ renders? .*3 findings fixable at the source/);
      expect(stderr).toMatch(
        /^Timing: read \d+ ms, render \d+ ms, scan \d+ ms, probe \d+ ms \(documents \d+ ms, rules \d+ ms, secrets \d+ ms\)\.$/m,
      );
      const finding = report.findings.find((entry) => entry.ruleId === 'workload-identity-automount')!;
      expect(finding).toMatchObject({ file: 'web/templates/serviceaccount.yaml', rendered: true });
      const fix = finding.fix as { file: string; startLine: number; replacement: string };
      expect(fix.file).toBe('web/values.yaml');
      expect(fix.replacement).toBe('  automount: false');
      expect(readFileSync(join(dir, 'web/values.yaml'), 'utf8').split('\n')[fix.startLine - 1]).toMatch(
        /^ {2}automount:( null)?$/,
      );
    });

    it('--fix edits values.yaml and the finding is gone on re-render', async () => {
      const dir = irsaChart();
      const fixed = await run(dir, ['--fix']);
      expect(fixed.stderr).toMatch(
        /Fixed 3 findings in 2 files: web\/values.yaml \(2\), web\/templates\/tests\/test-connection.yaml \(1\)/,
      );
      expect(fixed.report.findings.map((finding) => finding.ruleId)).not.toContain('automount-token');
      expect(fixed.report.findings.map((finding) => finding.ruleId)).not.toContain(
        'workload-identity-automount',
      );
      expect(readFileSync(join(dir, 'web/values.yaml'), 'utf8')).toContain('  automount: false');
    });

    it('probes only the values a finding`s templates can see: its subchart`s section and global', async () => {
      // An umbrella chart: a finding in subchart `web`, automount keys of other sections beside its own.
      const dir = irsaChart();
      const umbrella = join(dir, 'umbrella');
      mkdirSync(join(umbrella, 'charts'), { recursive: true });
      renameSync(join(dir, 'web'), join(umbrella, 'charts/web'));
      writeFileSync(join(umbrella, 'Chart.yaml'), 'apiVersion: v2\nname: umbrella\nversion: 0.1.0\n');
      const others = ['alpha', 'beta', 'gamma']
        .map((section) => `${section}:\n  serviceAccount:\n    automount: true\n`)
        .join('');
      const web = 'web:\n  serviceAccount:\n    automount:\n';
      const renders = async (values: string) => {
        writeFileSync(join(umbrella, 'values.yaml'), values);
        const { stderr } = await run(dir, []);
        return /Probed chart values with (\d+) renders? .*2 findings fixable at the source/.exec(stderr)?.[1];
      };
      // As many renders as without the other sections' keys: none is spent on alpha, beta or gamma.
      const alone = await renders(web);
      expect(alone).toBeDefined();
      expect(await renders(others + web)).toBe(alone);
    });
  });

describe('template fixes', () => {
  it('inserts under a literal pod spec line, at the children indentation, skipping template actions', () => {
    const template =
      'kind: Deployment\nspec:\n  template:\n    spec:\n      {{- with .Values.x }}\n      {{- end }}\n      containers:\n        - name: a\n';
    const edit = podSpecInsertion(template, 4)!;
    expect(applyEdits(template, [edit])).toBe(
      template.replace('    spec:\n', '    spec:\n      automountServiceAccountToken: false\n'),
    );
  });

  it('does not insert where the pod spec is not written literally', () => {
    expect(podSpecInsertion('kind: Pod\nspec: {{ toYaml .Values.spec | nindent 2 }}\n', 2)).toBeNull();
  });
});
