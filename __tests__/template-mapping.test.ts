/**
 * Findings on rendered Helm output point at the template document that wrote them, and fixes at the source never
 * write a key the template can already write (issue 17, items 1 and 2).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../src/core/apply.js';
import { templateLine } from '../src/core/source-map.js';
import { automountValueRefs, podSpecInsertion, writesAutomount } from '../src/core/template-edit.js';
import { alignSections, renderedIdentity, templateSections } from '../src/core/template-sections.js';
import { setValue } from '../src/core/values-fix.js';
import { HELM, parseReport, runBundledCli, sandbox } from './hostile/sandbox.js';
import { NO_HELM, because } from './tools.js';

const CHART = 'apiVersion: v2\nname: app\nversion: 0.1.0\n';
const HELPERS = '{{- define "app.fullname" -}}{{ .Release.Name }}-app{{- end }}\n';

/** Three documents in one template, the bindings' names built by a helper: cert-manager's `rbac.yaml` in small. */
const RBAC = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRole',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-issuers',
  'rules:',
  '  - {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"]}',
  '---',
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRoleBinding',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-issuers',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: {{ include "app.fullname" . }}-issuers}',
  'subjects:',
  '  - {kind: ServiceAccount, name: issuers, namespace: {{ .Release.Namespace }}}',
  '---',
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRoleBinding',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-admin',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
  'subjects:',
  '  - {kind: ServiceAccount, name: admin, namespace: {{ .Release.Namespace }}}',
  '',
].join('\n');

/** A pod spec whose automount the template writes when a value is set (Argo CD's chart), and a second workload. */
const SERVER = [
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-server',
  'spec:',
  '  ports: [{port: 80}]',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-server',
  'spec:',
  '  selector: {matchLabels: {app: server}}',
  '  template:',
  '    metadata: {labels: {app: server}}',
  '    spec:',
  '      serviceAccountName: server',
  '      {{- if kindIs "bool" .Values.server.automountServiceAccountToken }}',
  '      automountServiceAccountToken: {{ .Values.server.automountServiceAccountToken }}',
  '      {{- end }}',
  '      containers: [{name: server, image: server}]',
  '{{- if .Values.redis.enabled }}',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: {{ include "app.fullname" . }}-redis',
  'spec:',
  '  selector: {matchLabels: {app: redis}}',
  '  template:',
  '    metadata: {labels: {app: redis}}',
  '    spec:',
  '      serviceAccountName: redis',
  '      containers: [{name: redis, image: redis}]',
  '{{- end }}',
  '',
].join('\n');

const VALUES = [
  'server:',
  '  replicas: 1',
  '  # -- Mount the API token in the server pods',
  '  # automountServiceAccountToken: true',
  'redis:',
  '  enabled: true',
  '',
].join('\n');

const ACCOUNTS =
  'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: server}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: redis}\n';

describe('which template document wrote a rendered document', () => {
  it('cuts a template where helm cuts its output, reading literal kinds and names', () => {
    const sections = templateSections(RBAC);
    expect(sections.map(({ start, end }) => [start, end])).toEqual([
      [0, 6],
      [7, 14],
      [15, 23],
    ]);
    expect(sections.map((section) => [...(section.kinds ?? [])])).toEqual([
      ['ClusterRole'],
      ['ClusterRoleBinding'],
      ['ClusterRoleBinding'],
    ]);
    expect(sections[2]).toMatchObject({ names: [{ parts: ['-admin'], literal: false }] });
  });

  it('matches documents by kind and by the literal parts of their names', () => {
    const sections = templateSections(RBAC);
    const documents = [
      { kind: 'ClusterRole', name: 'r-app-issuers' },
      { kind: 'ClusterRoleBinding', name: 'r-app-admin' },
    ];
    expect(alignSections(sections, documents)).toEqual([0, 2]);
  });

  it('requires only the literal parts of a name that every render writes, not those inside if, with or range', () => {
    // istio's convention: the revision suffix only when there is a revision.
    const template =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n' +
      '  name: istiod{{- if not (eq .Values.revision "") }}-{{ .Values.revision }}{{- end }}\nspec: {}\n';
    const [section] = templateSections(template);
    expect(section).toMatchObject({ names: [{ parts: ['istiod'], literal: false }] });
    for (const name of ['istiod', 'istiod-canary'])
      expect(alignSections([section!], [{ kind: 'Deployment', name }])).toEqual([0]);
    const ranged = templateSections(
      'kind: ConfigMap\nmetadata:\n  name: {{ range .Values.x }}a-{{ end }}b-{{ .Release.Name }}\n',
    );
    expect(ranged[0]!.names).toEqual([{ parts: ['b-'], literal: false }]);
  });

  it('takes each name line of an if and its else as a name the section may write', () => {
    // strimzi's cluster operator: one name when it watches every namespace, another when not.
    const template = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      '  {{- if .Values.watchAnyNamespace }}',
      '  name: op-namespaced',
      '  {{- else }}',
      '  name: op-{{ .Release.Name }}',
      '  {{- end }}',
      '  labels:',
      '    name: not-this-one',
      'subjects: []',
      '---',
      'kind: RoleBinding',
      'metadata:',
      '  name: other',
      '',
    ].join('\n');
    const sections = templateSections(template);
    expect(sections[0]!.names).toEqual([
      { parts: ['op-namespaced'], literal: true },
      { parts: ['op-'], literal: false },
    ]);
    for (const name of ['op-namespaced', 'op-r'])
      expect(alignSections(sections, [{ kind: 'RoleBinding', name }])).toEqual([0]);
    expect(alignSections(sections, [{ kind: 'RoleBinding', name: 'other' }])).toEqual([1]);
    expect(
      alignSections(sections, [
        { kind: 'RoleBinding', name: 'op-r' },
        { kind: 'RoleBinding', name: 'other' },
      ]),
    ).toEqual([0, 1]);
  });

  it('follows helm`s output order: sorted by kind, in template order within a kind', () => {
    // helm template orders the documents of a release by kind (ServiceAccount before Service before Deployment).
    const template = SERVER.replace('{{- if .Values.redis.enabled }}\n', '').replace('{{- end }}\n', '');
    const documents = [
      { kind: 'Service', name: 'r-app-server' },
      { kind: 'Deployment', name: 'r-app-server' },
      { kind: 'Deployment', name: 'r-app-redis' },
    ];
    expect(alignSections(templateSections(template), documents)).toEqual([0, 1, 2]);
  });

  it('gives a `range` section all its documents, and skips sections an `if` left out', () => {
    const template = [
      '{{- range .Values.apps }}',
      '---',
      'kind: ConfigMap',
      'metadata:',
      '  name: {{ . }}',
      '{{- end }}',
      '---',
      'kind: Secret',
      'metadata:',
      '  name: literal',
    ].join('\n');
    const documents = [
      { kind: 'Secret', name: 'literal' },
      { kind: 'ConfigMap', name: 'a' },
      { kind: 'ConfigMap', name: 'b' },
    ];
    expect(alignSections(templateSections(template), documents)).toEqual([2, 1, 1]);
  });

  it('says so when no section can have written a document, rather than guessing', () => {
    const sections = templateSections(
      'kind: Role\nmetadata:\n  name: a\n---\nkind: Role\nmetadata:\n  name: b\n',
    );
    expect(alignSections(sections, [{ kind: 'Role', name: 'c' }])).toEqual([null]);
    expect(alignSections(sections, [{ kind: 'RoleBinding', name: 'a' }])).toEqual([null]);
  });

  it('reads a rendered document`s kind and name from its top-level lines', () => {
    expect(
      renderedIdentity(
        '# Source: x\napiVersion: v1\nkind: "Pod"\nmetadata:\n  labels:\n    name: no\n  name: p\n',
      ),
    ).toEqual({
      kind: 'Pod',
      name: 'p',
    });
  });

  it('finds a field only inside its own document', () => {
    const sections = templateSections(RBAC);
    expect(templateLine(RBAC, ['subjects'], sections[1])).toBe(13);
    expect(templateLine(RBAC, ['subjects'], sections[2])).toBe(21);
    // The whole file's first match is another document's: what findings pointed at before.
    expect(templateLine(RBAC, ['subjects'])).toBe(13);
    expect(templateLine(RBAC, ['spec'], sections[2])).toBe(16);
  });
});

describe('fixes in templates that already write the key', () => {
  const podSpec = (lines: string[]) =>
    ['kind: Deployment', 'spec:', '  template:', '    spec:', ...lines, '      containers: []', ''].join(
      '\n',
    );

  it.each([
    [
      'kindIs',
      [
        '      {{- if kindIs "bool" .Values.automount }}',
        '      automountServiceAccountToken: {{ .Values.automount }}',
        '      {{- end }}',
      ],
    ],
    [
      'hasKey',
      [
        '      {{- if hasKey .Values "automount" }}',
        '      automountServiceAccountToken: {{ .Values.automount }}',
        '      {{- end }}',
      ],
    ],
    ['with', ['      {{- with .Values.automount }}automountServiceAccountToken: {{ . }}{{ end }}']],
    ['a helper writing keys', ['      {{- include "app.podExtras" . | nindent 6 }}']],
    ['a values block', ['      {{- toYaml .Values.podSpecExtra | nindent 6 }}']],
  ])('inserts nothing where the pod spec holds %s', (_name, lines) => {
    const template = podSpec(lines);
    expect(writesAutomount(template, 3)).toBe(true);
    expect(podSpecInsertion(template, 4)).toBeNull();
  });

  it('still inserts where actions write values of literal keys only', () => {
    const template = podSpec([
      '      {{- with .Values.imagePullSecrets }}',
      '      imagePullSecrets:',
      '        {{- toYaml . | nindent 8 }}',
      '      {{- end }}',
    ]);
    const edit = podSpecInsertion(template, 4)!;
    expect(applyEdits(template, [edit])).toContain('    spec:\n      automountServiceAccountToken: false\n');
  });

  it('names the values a template consults where it writes the key', () => {
    expect(automountValueRefs(SERVER, 16)).toEqual([['server', 'automountServiceAccountToken']]);
    expect(automountValueRefs(SERVER, 32)).toEqual([]);
  });
});

describe('values edits', () => {
  const edited = (text: string, path: string[]) => {
    const fix = setValue('values.yaml', text, path, 'false');
    return fix && applyEdits(text, fix.edits);
  };

  it('adds a setting below the commented-out line that documents it', () => {
    expect(edited(VALUES, ['server', 'automountServiceAccountToken'])).toBe(
      VALUES.replace(
        '  # automountServiceAccountToken: true\n',
        '  # automountServiceAccountToken: true\n  automountServiceAccountToken: false\n',
      ),
    );
  });

  it('adds a setting under a key that holds only comments, at their indentation', () => {
    const text = 'server:\n    # automount: true\nother: 1\n';
    expect(edited(text, ['server', 'automount'])).toBe(
      'server:\n    # automount: true\n    automount: false\nother: 1\n',
    );
  });

  it('adds missing parents, replaces what is there, and refuses what it cannot edit safely', () => {
    expect(edited('other: 1\n', ['server', 'automount'])).toBe('other: 1\nserver:\n  automount: false\n');
    expect(edited('server:\n  automount: true # keep\n', ['server', 'automount'])).toBe(
      'server:\n  automount: false # keep\n',
    );
    expect(edited('server: {a: 1}\n', ['server', 'automount'])).toBeNull();
    expect(edited('server: [1]\n', ['server', 'automount'])).toBeNull();
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'rendered charts, with the real helm'), () => {
  function chart(values = VALUES) {
    return sandbox({
      'app/Chart.yaml': CHART,
      'app/values.yaml': values,
      'app/templates/_helpers.tpl': HELPERS,
      'app/templates/rbac.yaml': RBAC,
      'app/templates/server.yaml': SERVER,
      'accounts.yaml': ACCOUNTS,
    }).repo;
  }

  it('points every finding into its own template document, on the field it names', () => {
    const repo = chart();
    const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
    const rendered = report.findings as unknown as {
      ruleId: string;
      file: string;
      line: number;
      resource: { kind: string; name: string };
    }[];
    const at = (name: string, ruleId: string) =>
      rendered.find((finding) => finding.resource.name === name && finding.ruleId === ruleId);
    expect(at('app-app-admin', 'sa-privileged-rbac')).toMatchObject({
      file: 'app/templates/rbac.yaml',
      line: 21,
    });
    expect(at('app-app-redis', 'automount-token')).toMatchObject({
      file: 'app/templates/server.yaml',
      line: 32,
    });
    expect(at('app-app-server', 'automount-token')).toMatchObject({
      file: 'app/templates/server.yaml',
      line: 16,
    });
    for (const finding of rendered.filter((entry) => entry.file.startsWith('app/templates/'))) {
      const lines = readFileSync(join(repo, finding.file), 'utf8').split('\n');
      let start = finding.line - 1;
      while (start > 0 && !lines[start - 1]!.startsWith('---')) start--;
      const section = lines.slice(start).join('\n').split('\n---')[0]!;
      expect(section, `${finding.ruleId} on ${finding.resource.name}`).toContain(
        `kind: ${finding.resource.kind}`,
      );
    }
  });

  it('fixes a key the template writes at its value, and the fixed chart renders it once under every value', () => {
    const repo = chart();
    const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
    const server = report.findings.find(
      (finding) => finding.ruleId === 'automount-token' && finding.resource.name === 'app-app-server',
    ) as unknown as { fix: { file: string; startLine: number; replacement: string } };
    expect(server.fix).toMatchObject({ file: 'app/values.yaml', startLine: 5 });
    expect(server.fix.replacement.split('\n')[0]).toBe('  automountServiceAccountToken: false');

    const fixed = runBundledCli(repo, ['scan', '--fix', '--format', 'json', '--fail-on', 'none']);
    expect(parseReport(fixed).findings.filter((finding) => finding.ruleId === 'automount-token')).toEqual([]);
    expect(readFileSync(join(repo, 'app/values.yaml'), 'utf8')).toContain(
      '  # automountServiceAccountToken: true\n  automountServiceAccountToken: false\n',
    );
    // kubectl and kustomize refuse a key written twice; helm itself does not notice.
    for (const set of [
      [],
      ['--set', 'server.automountServiceAccountToken=true'],
      ['--set', 'server.automountServiceAccountToken=false'],
    ]) {
      const output = execFileSync(HELM!, ['template', 'release', join(repo, 'app'), ...set], {
        encoding: 'utf8',
      });
      for (const document of parseAllDocuments(output, { uniqueKeys: true }))
        expect(document.errors.map((error) => error.message)).toEqual([]);
    }
  });

  it('points an error in rendered output at the template line that reads as it, or writes its key, else at its document', () => {
    const repo = sandbox({
      'app/Chart.yaml': CHART,
      'app/templates/_helpers.tpl': HELPERS,
      'app/templates/literal.yaml': RBAC.replace(
        '  name: {{ include "app.fullname" . }}-admin',
        '  name: x\n  name: y',
      ),
      'app/templates/built.yaml': RBAC.replace(
        '  name: {{ include "app.fullname" . }}-admin',
        '  name: {{ .Release.Name }}\n  name: {{ .Release.Name }}',
      ),
    }).repo;
    const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
    expect(report.errors).toEqual([
      // A line an action built is found by its key, among the lines writing it with an action: the second `name:`.
      expect.objectContaining({
        file: 'app/templates/built.yaml',
        line: 20,
        message: expect.stringMatching(/^YAML duplicate key "name" \(first at line 19\)/) as string,
      }),
      // The second `name:` of the third document, as written.
      expect.objectContaining({ file: 'app/templates/literal.yaml', line: 20 }),
    ]);
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'real charts with several documents in a template'), () => {
  const CORPUS = join(import.meta.dirname, 'fixtures/corpus');
  /** The corpus charts, copied into a fresh repository. */
  function corpusRepo(): string {
    const { repo } = sandbox({});
    for (const chart of ['argo-rollouts', 'cert-manager', 'onlineboutique', 'sealed-secrets'])
      cpSync(join(CORPUS, chart), join(repo, chart), { recursive: true });
    return repo;
  }
  type Located = {
    ruleId: string;
    file: string;
    line: number;
    resource: { kind: string; name: string };
    fix: unknown;
  };

  it('puts every finding inside its own template document, on a key line', () => {
    const repo = corpusRepo();
    const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
    const findings = report.findings as unknown as Located[];
    expect(findings.length).toBeGreaterThan(20);
    for (const finding of findings) {
      const lines = readFileSync(join(repo, finding.file), 'utf8').split('\n');
      let start = finding.line - 1;
      while (start > 0 && !lines[start - 1]!.startsWith('---')) start--;
      let end = finding.line;
      while (end < lines.length && !lines[end]!.startsWith('---')) end++;
      const kinds = lines.slice(start, end).filter((line) => line.startsWith('kind:'));
      const where = `${finding.ruleId} ${finding.resource.kind}/${finding.resource.name} at ${finding.file}:${finding.line}`;
      expect(
        kinds.some((line) => line.includes(finding.resource.kind) || line.includes('{{')),
        where,
      ).toBe(true);
      expect(lines[finding.line - 1], where).toMatch(/^\s*(- )?[\w.-]+:/);
    }
    // cert-manager's rbac.yaml: five bindings of the controller, five places (all on one line before).
    const bindings = findings.filter((finding) => finding.file === 'cert-manager/templates/rbac.yaml');
    expect(new Set(bindings.map((finding) => finding.line)).size).toBe(bindings.length);
    expect(bindings.length).toBeGreaterThanOrEqual(5);
    // sealed-secrets' service-proxier binding, not the key-admin one above it in the same file.
    const proxier = findings.find((finding) => finding.resource.name.endsWith('service-proxier'))!;
    const text = readFileSync(join(repo, proxier.file), 'utf8').split('\n');
    expect(text.slice(proxier.line - 15, proxier.line).join('\n')).toContain('service-proxier');
    // Online Boutique's redis-cart, written below cartservice in one template: its own pod spec, with a fix.
    const redis = findings.find(
      (finding) => finding.resource.name === 'redis-cart' && finding.ruleId === 'automount-token',
    )!;
    const cart = findings.find(
      (finding) => finding.resource.name === 'cartservice' && finding.ruleId === 'automount-token',
    )!;
    expect(redis.file).toBe('onlineboutique/templates/cartservice.yaml');
    expect(redis.line).toBeGreaterThan(cart.line);
    expect(redis.fix).not.toBeNull();
  });

  it('fixes the charts so that they render every key once and the findings are gone', () => {
    const repo = corpusRepo();
    const fixed = runBundledCli(repo, ['scan', '--fix', '--format', 'json', '--fail-on', 'none']);
    const left = (parseReport(fixed).findings as unknown as Located[]).filter(
      (finding) => finding.fix !== null,
    );
    expect(left).toEqual([]);
    for (const chart of ['onlineboutique', 'sealed-secrets', 'argo-rollouts']) {
      const output = execFileSync(HELM!, ['template', 'release', join(repo, chart)], { encoding: 'utf8' });
      for (const document of parseAllDocuments(output, { uniqueKeys: true }))
        expect(
          document.errors.map((error) => error.message),
          chart,
        ).toEqual([]);
    }
  });
});
