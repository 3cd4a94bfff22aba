/**
 * Property tests over generated manifests (fast-check): random workloads, ServiceAccounts, Namespaces, Secrets and
 * bindings, written in random styles (block or flow collections at any depth, plain, single or double quotes, quoted
 * keys, comments before keys and after values, indentation 2 or 4, indented or flush sequences, CRLF, a missing final
 * newline, `---` markers, List kinds, JSON), and then broken at random for the loader.
 *
 * - the loader, the model and the scan never throw, and every location lies inside its file;
 * - every fix's edits apply, the result parses, the line form is the same change, and only the intended field changes
 *   (or, for `namespace-default-sa`, exactly one hardened ServiceAccount document is added);
 * - the whole autofix reverts nothing, changes only intended fields, keeps JSON files JSON, and leaves no fixable finding.
 *
 * Runs are bounded and the seed fixed, so the test is quick and repeatable. A failure prints fast-check's seed, path and
 * counterexample, followed by the generated files; rerun it with KTG_FUZZ_SEED=<seed> (and KTG_FUZZ_PATH=<path> to
 * replay just the counterexample). KTG_FUZZ_RUNS=<n> runs longer.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { Document, isCollection, isScalar, parseAllDocuments, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../src/config/config.js';
import { applyFixes } from '../src/core/apply.js';
import { autofix } from '../src/core/autofix.js';
import { loadDocuments } from '../src/core/load.js';
import { scanFiles } from '../src/core/scan.js';
import type { Finding, Fix, SourceFile } from '../src/core/types.js';
import { comparable, expectFullReadingAgrees } from './fast-reader.js';

const SEED = Number(process.env.KTG_FUZZ_SEED ?? 0x6b7467);
const RUNS = Number(process.env.KTG_FUZZ_RUNS ?? 120);
const PATH = process.env.KTG_FUZZ_PATH;

function runOptions(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, ...(PATH ? { path: PATH } : {}) };
}

type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------------------------
// Objects

const namespaceArb = fc.constantFrom('default', 'shop', 'ops');
const accountArb = fc.constantFrom('default', 'web', 'api', 'worker');
const automountArb = fc.constantFrom<unknown>(undefined, undefined, true, false, 'no', 'yes');

const envArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      name: fc.constantFrom('LOG_LEVEL', 'REGION', 'toString'),
      value: fc.constantFrom('info', 'x y: z', '#hash', "it's", 'AKIAFUZZFUZZFUZZFUZZ'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      name: fc.constantFrom('AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'),
      value: fc.constantFrom('fuzz/secret', 'AKIAFUZZFUZZFUZZFUZZ'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'token' } } }),
  },
);

const containerArb = fc.record(
  {
    name: fc.constantFrom('app', 'sidecar'),
    image: fc.constantFrom('nginx:1.27', 'busybox'),
    env: fc.uniqueArray(envArb, { minLength: 1, maxLength: 2, selector: (variable) => variable.name }),
    args: fc.array(
      fc.constantFrom(
        '--a',
        '-b=c',
        'd e',
        '/bin/cp /usr/local/bin/tool /var/run/tool && /bin/ln -sf /var/run/tool',
      ),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: ['name', 'image'] },
);

const volumeArb = fc.oneof(
  fc
    .record(
      {
        name: fc.constant('sa-token'),
        expirationSeconds: fc.constantFrom(300, 3600, 7200, 86400),
        audience: fc.constantFrom('vault', 'api'),
      },
      { requiredKeys: ['name'] },
    )
    .map(({ name, ...token }) => ({
      name,
      projected: { sources: [{ serviceAccountToken: { path: 'token', ...token } }] },
    })),
  fc.constant({ name: 'token', secret: { secretName: 'token' } }),
  fc.constant({ name: 'scratch', emptyDir: {} }),
);

const podSpecArb = fc
  .record(
    {
      account: fc.record({
        field: fc.constantFrom('none', 'serviceAccountName', 'serviceAccount', 'both', 'empty'),
        name: accountArb,
      }),
      automount: automountArb,
      // Names are unique where Kubernetes requires them to be (findings are told apart by them).
      containers: fc.uniqueArray(containerArb, {
        minLength: 1,
        maxLength: 2,
        selector: (container) => container.name,
      }),
      initContainers: containerArb.map((container) => [{ ...container, name: 'init' }]),
      volumes: fc.uniqueArray(volumeArb, { minLength: 1, maxLength: 2, selector: (volume) => volume.name }),
      restartPolicy: fc.constantFrom('Always', 'Never'),
      nodeSelector: fc.constant({ 'kubernetes.io/os': 'linux' }),
    },
    { requiredKeys: ['account', 'automount', 'containers'] },
  )
  .map(({ account, automount, ...rest }) => {
    const spec: Json = {};
    if (account.field === 'serviceAccountName' || account.field === 'both')
      spec.serviceAccountName = account.name;
    if (account.field === 'serviceAccount' || account.field === 'both') spec.serviceAccount = account.name;
    if (account.field === 'empty') spec.serviceAccountName = '';
    if (automount !== undefined) spec.automountServiceAccountToken = automount;
    return { ...spec, ...rest };
  });

const ignoreArb = fc.constantFrom(
  undefined,
  undefined,
  'automount-token: calls the API',
  'automount-token',
  'no-such-rule: typo',
  'all: vendored',
);

function metadata(name: string, namespace: string | undefined, ignore?: string): Json {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(ignore ? { annotations: { 'kube-token-guard.io/ignore': ignore } } : {}),
  };
}

const workloadArb = fc
  .record({
    kind: fc.constantFrom(
      'Pod',
      'Deployment',
      'StatefulSet',
      'DaemonSet',
      'ReplicaSet',
      'Job',
      'CronJob',
      'PodTemplate',
      'Rollout',
      // Names of Object.prototype's members: lookups by kind must not find them.
      'constructor',
      'toString',
    ),
    name: fc.constantFrom('web', 'api', 'batch'),
    namespace: fc.option(namespaceArb, { nil: undefined }),
    podSpec: podSpecArb,
    ignore: ignoreArb,
    templateIgnore: ignoreArb,
  })
  .map(({ kind, name, namespace, podSpec, ignore, templateIgnore }): Json => {
    const template = {
      metadata: {
        labels: { app: name },
        ...(templateIgnore ? { annotations: { 'kube-token-guard.io/ignore': templateIgnore } } : {}),
      },
      spec: podSpec,
    };
    const apiVersion =
      kind === 'Pod' || kind === 'PodTemplate'
        ? 'v1'
        : kind === 'Job' || kind === 'CronJob'
          ? 'batch/v1'
          : kind === 'Rollout'
            ? 'argoproj.io/v1alpha1'
            : 'apps/v1';
    const base = { apiVersion, kind, metadata: metadata(name, namespace, ignore) };
    if (kind === 'Pod') return { ...base, spec: podSpec };
    if (kind === 'PodTemplate') return { ...base, template };
    if (kind === 'CronJob')
      return { ...base, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } } };
    return { ...base, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template } };
  });

const serviceAccountArb = fc
  .record(
    {
      name: accountArb,
      namespace: namespaceArb,
      automount: automountArb,
      secrets: fc.constant([{ name: 'token' }]),
      identity: fc.constantFrom(
        { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/web' },
        { 'iam.gke.io/gcp-service-account': 'web@p.iam.gserviceaccount.com' },
      ),
      imagePullSecrets: fc.constant([{ name: 'registry' }]),
    },
    { requiredKeys: ['name', 'namespace', 'automount'] },
  )
  .map(({ name, namespace, automount, secrets, identity, imagePullSecrets }): Json => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace, ...(identity ? { annotations: identity } : {}) },
    ...(secrets ? { secrets } : {}),
    ...(imagePullSecrets ? { imagePullSecrets } : {}),
    ...(automount !== undefined ? { automountServiceAccountToken: automount } : {}),
  }));

const namespaceObjectArb = namespaceArb.map((name): Json => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { team: 'a' } },
}));

const secretArb = fc
  .record({ namespace: namespaceArb, legacy: fc.boolean() })
  .map(({ namespace, legacy }): Json => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'token',
      namespace,
      ...(legacy ? { annotations: { 'kubernetes.io/service-account.name': 'web' } } : {}),
    },
    type: legacy ? 'kubernetes.io/service-account-token' : 'Opaque',
    data: { token: 'dG9rZW4=', constructor: 'eA==' },
  }));

const bindingArb = fc
  .record({
    namespace: namespaceArb,
    role: fc.constantFrom('cluster-admin', 'edit', 'view', 'secret-reader'),
    subject: fc.oneof(
      accountArb.map((name) => ({ kind: 'ServiceAccount', name })),
      fc.constantFrom('system:serviceaccounts', 'constructor').map((name) => ({
        kind: 'Group',
        name,
        apiGroup: 'rbac.authorization.k8s.io',
      })),
    ),
  })
  .map(({ namespace, role, subject }): Json[] => [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'secret-reader', namespace },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `to-${role}`, namespace },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: role === 'secret-reader' ? 'Role' : 'ClusterRole',
        name: role,
      },
      subjects: [{ ...subject, ...(subject.kind === 'ServiceAccount' ? { namespace } : {}) }],
    },
  ]);

const inertArb = fc.constant<Json>({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings' },
  data: { 'app.yaml': 'a: 1\nb: [2]\n', note: '--- not a marker' },
});

const objectsArb = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: workloadArb.map((object) => [object]) },
      { weight: 3, arbitrary: serviceAccountArb.map((object) => [object]) },
      { weight: 2, arbitrary: namespaceObjectArb.map((object) => [object]) },
      { weight: 1, arbitrary: secretArb.map((object) => [object]) },
      { weight: 1, arbitrary: bindingArb },
      { weight: 1, arbitrary: inertArb.map((object) => [object]) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((groups) => groups.flat());

// ---------------------------------------------------------------------------------------------------------------
// Styles

interface Style {
  format: 'yaml' | 'json';
  indent: 2 | 4;
  indentSeq: boolean;
  /** Collections at this depth and below are written in flow style; -1: none. */
  flowDepth: number;
  quoting: 'plain' | 'single' | 'double' | 'mixed';
  keys: 'plain' | 'double' | 'single';
  /** Chance in 100 of a comment before a key, and after a value. */
  comments: number;
  crlf: boolean;
  finalNewline: boolean;
  startMarker: boolean;
  list: boolean;
  jsonIndent: 0 | 2 | 4;
  /** Seeds the choices made node by node (mixed quoting, where comments go, key order). */
  seed: number;
  shuffleKeys: boolean;
  /** Long plain scalars folded over lines at this width, as kubectl writes them (0: never). */
  lineWidth: 0 | 24 | 40;
  /** A comment-only chunk before the first document (a licence header), and one after the last. */
  headerComment: boolean;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  format: fc.constantFrom('yaml', 'yaml', 'yaml', 'json'),
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  flowDepth: fc.constantFrom(-1, -1, 0, 1, 2, 3, 4, 5),
  quoting: fc.constantFrom('plain', 'single', 'double', 'mixed'),
  keys: fc.constantFrom('plain', 'plain', 'double', 'single'),
  comments: fc.constantFrom(0, 0, 10, 40),
  crlf: fc.boolean(),
  finalNewline: fc.boolean(),
  startMarker: fc.boolean(),
  list: fc.boolean(),
  jsonIndent: fc.constantFrom(0, 2, 4),
  seed: fc.integer({ min: 0, max: 0x7fffffff }),
  shuffleKeys: fc.boolean(),
  lineWidth: fc.constantFrom(0, 0, 24, 40),
  headerComment: fc.boolean(),
});

/** A small deterministic generator (mulberry32), so one style seed always writes the same text. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Key order changed the way people write manifests: `apiVersion` and `kind` stay first. */
function shuffled(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffled(item, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Json).map(([key, item]) => [key, shuffled(item, next)] as const);
  const fixed = entries.filter(([key]) => key === 'apiVersion' || key === 'kind');
  const rest = entries.filter(([key]) => key !== 'apiVersion' && key !== 'kind');
  for (let index = rest.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [rest[index], rest[other]] = [rest[other]!, rest[index]!];
  }
  return Object.fromEntries([...fixed, ...rest]);
}

function toYaml(value: unknown, style: Style, next: () => number): string {
  const doc = new Document(value, { version: '1.1' });
  const pick = () =>
    style.quoting === 'mixed'
      ? (['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'] as const)[Math.floor(next() * 3)]!
      : ({ plain: 'PLAIN', single: 'QUOTE_SINGLE', double: 'QUOTE_DOUBLE' } as const)[style.quoting];
  visit(doc, {
    Collection(_, node, path) {
      const depth = path.filter((entry) => isCollection(entry)).length;
      if (style.flowDepth >= 0 && depth >= style.flowDepth) node.flow = true;
    },
    Pair(_, pair) {
      if (isScalar(pair.key)) {
        if (style.keys !== 'plain') pair.key.type = style.keys === 'double' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
        if (next() * 100 < style.comments) pair.key.commentBefore = ' a note';
      }
      if (isScalar(pair.value) && next() * 100 < style.comments) pair.value.comment = ' why';
    },
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string') node.type = pick();
    },
  });
  return doc.toString({
    indent: style.indent,
    indentSeq: style.indentSeq,
    lineWidth: style.lineWidth,
  });
}

function render(objects: Json[], style: Style, path: string): SourceFile {
  const next = random(style.seed);
  const values = style.shuffleKeys ? objects.map((object) => shuffled(object, next) as Json) : objects;
  const list = { apiVersion: 'v1', kind: 'List', items: values };
  let text: string;
  if (style.format === 'json') {
    text = JSON.stringify(values.length === 1 && !style.list ? values[0] : list, null, style.jsonIndent);
    text += '\n';
  } else {
    const documents = style.list ? [list] : values;
    text = documents.map((value) => toYaml(value, style, next)).join('---\n');
    if (style.startMarker || style.headerComment) text = `---\n${text}`;
    if (style.headerComment) text = `# Licensed under the terms\n#\n${text}---\n# end of file\n`;
  }
  if (style.crlf) text = text.replace(/\n/g, '\r\n');
  if (!style.finalNewline) text = text.replace(/\r?\n$/, '');
  return { path: `${path}.${style.format}`, text };
}

const filesArb = fc
  .array(fc.tuple(objectsArb, styleArb), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.map(([objects, style], index) => render(objects, style, `deploy/m${index}`)));

// ---------------------------------------------------------------------------------------------------------------
// Checks

const INTENDED_KEYS: Record<string, string[]> = {
  'automount-token': ['automountServiceAccountToken'],
  'default-sa-automount': ['automountServiceAccountToken'],
  'workload-identity-automount': ['automountServiceAccountToken'],
  'projected-token-expiration': ['expirationSeconds'],
  'deprecated-service-account-field': ['serviceAccount', 'serviceAccountName'],
};

const PARSE = { version: '1.1', uniqueKeys: true } as const;

function documentsOf(text: string): unknown[] {
  const docs = parseAllDocuments(text, PARSE);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list)
    if (doc.errors.length > 0) throw new Error(`does not parse: ${doc.errors[0]!.message}`);
  return list.filter((doc) => doc.contents !== null).map((doc) => doc.toJS({ maxAliasCount: 1000 }));
}

/** Paths where two plain values differ. */
function differences(a: unknown, b: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    if (Array.isArray(a) !== Array.isArray(b)) return [path];
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => differences((a as Json)[key], (b as Json)[key], [...path, key]));
  }
  return Object.is(a, b) ? [] : [path];
}

function isHardenedDefaultAccount(value: unknown): boolean {
  const object = value as Json | null;
  const meta = object?.metadata as Json | undefined;
  return (
    object?.kind === 'ServiceAccount' &&
    meta?.name === 'default' &&
    object.automountServiceAccountToken === false &&
    Object.keys(object).length === 4
  );
}

/**
 * The fixed documents are the original ones, changed only at intended keys, plus hardened `default` ServiceAccounts
 * appended by `namespace-default-sa`. Returns what is wrong, or null.
 */
function unintendedChanges(
  before: unknown[],
  after: unknown[],
  keys: Set<string>,
  appended: number,
): string | null {
  let index = 0;
  let added = 0;
  for (const doc of after) {
    const original = before[index];
    if (original !== undefined && isDeepStrictEqual(doc, original)) {
      index++;
      continue;
    }
    if (isHardenedDefaultAccount(doc) && added < appended) {
      added++;
      continue;
    }
    if (original === undefined) return `an extra document: ${JSON.stringify(doc)}`;
    const changed = differences(original, doc).filter((path) => !keys.has(String(path[path.length - 1])));
    if (changed.length > 0)
      return `document ${index} changed at ${changed.map((path) => path.join('.')).join(', ')}`;
    index++;
  }
  if (index !== before.length) return `${before.length - index} document(s) lost`;
  return null;
}

/** A fix applied as a review suggestion is: its lines replaced by `replacement`, in the file's line endings. */
function applyLineForm(text: string, fix: Fix): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(newline);
  lines.splice(
    fix.startLine - 1,
    fix.endLine - fix.startLine + 1,
    ...(fix.replacement === '' ? [] : fix.replacement.split('\n')),
  );
  return lines.join(newline);
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

/** Everything a failure needs to be read: the generated files, verbatim. */
function describeFiles(files: readonly SourceFile[]): string {
  return files.map((file) => `----- ${file.path}\n${JSON.stringify(file.text)}\n${file.text}`).join('\n');
}

/** Findings autofix applies: with a fix, not suppressed, not rendered, not about an API client (left to a person). */
function fixable(findings: readonly Finding[]): Finding[] {
  return findings.filter(
    (finding) => finding.fix && !finding.suppressed && !finding.rendered && finding.apiClient === undefined,
  );
}

const CONFIGS = [
  ['recommended', defaultConfig()],
  ['strict', parseConfig('extends: strict\n', '.github/kube-token-guard.yml')],
] as const;

describe('fuzzing the loader, the model and the fixes', () => {
  it('the generator writes what it means: every generated file parses', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        for (const file of files) {
          expect(() => documentsOf(file.text), describeFiles([file])).not.toThrow();
          if (file.path.endsWith('.json')) expect(() => JSON.parse(file.text) as unknown).not.toThrow();
        }
      }),
      runOptions(Math.min(RUNS, 60)),
    );
  });

  it('scans without exceptions, errors or locations outside the files', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        for (const [name, config] of CONFIGS) {
          const result = scanFiles(files, config);
          const context = `${name}\n${describeFiles(files)}`;
          expect(result.errors, context).toEqual([]);
          for (const finding of result.findings) {
            const file = files.find((candidate) => candidate.path === finding.file);
            expect(file, context).toBeDefined();
            const lines = lineCount(file!.text);
            // A lookup by a name such as `toString` once found Object's prototype and printed a function.
            expect(finding.message, context).not.toMatch(/\[native code\]|function \w*\(/);
            expect(finding.line, context).toBeGreaterThanOrEqual(1);
            expect(finding.endLine, context).toBeGreaterThanOrEqual(finding.line);
            expect(finding.endLine, context).toBeLessThanOrEqual(lines);
            if (finding.fix) {
              expect(finding.fix.startLine, context).toBeGreaterThanOrEqual(1);
              expect(finding.fix.endLine, context).toBeGreaterThanOrEqual(finding.fix.startLine);
              expect(finding.fix.endLine, context).toBeLessThanOrEqual(lines);
            }
          }
        }
      }),
      runOptions(RUNS),
    );
  });

  it('every fix applies, parses, is its own line form, and changes only its field', () => {
    fc.assert(
      fc.property(filesArb, (files) => {
        const result = scanFiles(files, defaultConfig());
        // API clients' fixes too: a person applies them, so they must hold as well as any other.
        const offered = result.findings.filter(
          (finding) => finding.fix && !finding.suppressed && !finding.rendered,
        );
        for (const finding of offered) {
          const file = files.find((candidate) => candidate.path === finding.file)!;
          const context = `${finding.ruleId} at ${finding.file}:${finding.line}\n${describeFiles([file])}`;
          const applied = applyFixes(file.text, [finding.fix!]);
          expect(applied.applied, context).toBe(1);
          expect(applyLineForm(file.text, finding.fix!), `${context}\nline form`).toBe(applied.text);
          let before: unknown[] = [];
          let after: unknown[] = [];
          expect(() => {
            before = documentsOf(file.text);
            after = documentsOf(applied.text);
          }, context).not.toThrow();
          if (file.path.endsWith('.json'))
            expect(() => JSON.parse(applied.text) as unknown, context).not.toThrow();
          const appended = finding.ruleId === 'namespace-default-sa' ? 1 : 0;
          expect(after.length, context).toBe(before.length + appended);
          const keys = new Set(INTENDED_KEYS[finding.ruleId] ?? []);
          expect(unintendedChanges(before, after, keys, appended), context).toBeNull();
          expect(isDeepStrictEqual(before, after), `${context}\nthe fix changes something`).toBe(false);
          // The finding is gone once its fix is in (one of them, when a resource is declared twice).
          const again = scanFiles(
            files.map((candidate) => (candidate === file ? { ...file, text: applied.text } : candidate)),
            defaultConfig(),
          );
          expect(again.errors, context).toEqual([]);
          const count = (findings: readonly Finding[]) =>
            findings.filter((other) => other.identity === finding.identity && !other.suppressed).length;
          expect(count(again.findings), `${context}\nstill reported`).toBeLessThan(count(result.findings));
        }
      }),
      runOptions(RUNS),
    );
  });

  it('autofix converges: nothing reverted, only intended fields changed, no fixable finding left', () => {
    const allKeys = new Set(Object.values(INTENDED_KEYS).flat());
    fc.assert(
      fc.property(filesArb, (files) => {
        const context = describeFiles(files);
        const fixed = autofix(files, defaultConfig());
        expect(fixed.reverted, context).toEqual([]);
        expect(fixed.result.errors, context).toEqual([]);
        expect(
          fixable(fixed.result.findings).map(
            (finding) => `${finding.ruleId} ${finding.file}:${finding.line}`,
          ),
          context,
        ).toEqual([]);
        fixed.files.forEach((file, index) => {
          const original = files[index]!;
          if (file.text === original.text) return;
          const before = documentsOf(original.text);
          const after = documentsOf(file.text);
          expect(unintendedChanges(before, after, allKeys, after.length - before.length), context).toBeNull();
          if (file.path.endsWith('.json'))
            expect(() => JSON.parse(file.text) as unknown, context).not.toThrow();
          // Line endings stay the file's own.
          if (original.text.includes('\r\n'))
            expect(file.text.replace(/\r\n/g, ''), context).not.toContain('\n');
        });
      }),
      runOptions(Math.max(1, Math.floor(RUNS / 2))),
    );
  });

  it('the fast reader agrees with the full parser: whole results on generated files, each document it reads on broken ones', () => {
    fc.assert(
      fc.property(filesArb, fc.array(mutationArb, { maxLength: 3 }), (files, mutations) => {
        for (const file of files) {
          const context = describeFiles([file]);
          expect(comparable(loadDocuments(file)), context).toStrictEqual(
            comparable(loadDocuments(file, { fast: false })),
          );
          const broken = { ...file, text: mutated(file.text, mutations) };
          for (const object of loadDocuments(broken).objects) {
            if (object.doc.fast) expectFullReadingAgrees(broken.text, object.doc);
          }
        }
        const fast = scanFiles(files, defaultConfig());
        const full = scanFiles(files, defaultConfig(), undefined, { fast: false });
        expect(fast.findings, describeFiles(files)).toStrictEqual(full.findings);
      }),
      runOptions(RUNS),
    );
  });

  it('the loader and the scan survive broken files', () => {
    // Broken files make the yaml package warn about collection keys on the process (a known defect of the loader,
    // reported: it parses with the default log level); here that is noise, so those warnings are held back.
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
      if (!String(warning).startsWith('Keys with collection values'))
        emitWarning.call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      survivesBrokenFiles();
    } finally {
      process.emitWarning = emitWarning;
    }
  });
});

const mutationArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 0, max: 6 }),
  insert: fc.constantFrom(
    '',
    ':',
    '{',
    '}',
    '[',
    '- ',
    '\n',
    '\n      ',
    '\t',
    '"',
    "'",
    '&a ',
    '*a',
    '!!str ',
    '? ',
    '#',
    '---\n',
    '\r',
    '%YAML 1.1\n',
    '{{ x }}',
    '\u0000',
    '\ufeff',
  ),
});

function mutated(
  text: string,
  mutations: ReadonlyArray<{ at: number; length: number; insert: string }>,
): string {
  let result = text;
  for (const { at, length, insert } of mutations) {
    const offset = Math.floor(at * result.length);
    result = result.slice(0, offset) + insert + result.slice(offset + length);
  }
  return result;
}

function survivesBrokenFiles(): void {
  fc.assert(
    fc.property(filesArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (files, mutations) => {
      const broken = files.map((file) => ({ ...file, text: mutated(file.text, mutations) }));
      const context = describeFiles(broken);
      for (const file of broken) expect(() => loadDocuments(file), context).not.toThrow();
      for (const [, config] of CONFIGS) {
        let result: ReturnType<typeof scanFiles> | undefined;
        expect(() => (result = scanFiles(broken, config)), context).not.toThrow();
        for (const error of result!.errors) {
          if (error.line !== null) expect(error.line, context).toBeGreaterThanOrEqual(1);
        }
      }
      expect(() => autofix(broken, defaultConfig()), context).not.toThrow();
    }),
    runOptions(RUNS),
  );
}
