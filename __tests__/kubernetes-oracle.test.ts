/**
 * The loader held to Kubernetes' own reading of YAML: a Go program (`__tests__/oracle`) reads every file here the way
 * kubectl does, and the loader must judge exactly the objects Kubernetes would apply, or refuse the file (an error
 * fails the check, so a refusal can never let a manifest through). See `verdictOf` in k8s-oracle.ts for the rule.
 *
 * Covered: plain scalars from the shared tables and generators, as values and as keys; hostile documents (merge keys
 * that override, duplicate keys, tags, aliases, document markers in every spelling, byte order marks and UTF-16, JSON
 * streams); generated manifests that combine them; and every manifest shipped in the repository. Each runs through the
 * fast reader and the full one.
 *
 * `.ci/run` builds the oracle and sets KTG_REQUIRE_ORACLE=1, so there a missing oracle fails; elsewhere the suite is
 * skipped with a warning giving the command that builds it.
 */
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePlain } from '../src/core/kubernetes-scalars.js';
import { ORACLE_MISSING, readAsKubernetes, verdictOf } from './k8s-oracle.js';
import {
  AWKWARD,
  SCALARS,
  isPlainEverywhere,
  numberLike,
  randomScalar,
  timestampLike,
} from './scalar-table.js';
import { because } from './tools.js';

const SEED = Number(process.env.KTG_ORACLE_SEED ?? 0x6b3873);
const RUNS = Number(process.env.KTG_ORACLE_RUNS ?? 1);
const ROOT = join(import.meta.dirname, '..');

const NOT_REQUIRED =
  process.env.KTG_REQUIRE_ORACLE === '1' ? null : 'KTG_REQUIRE_ORACLE is not 1 (.ci/run sets it)';
it.skipIf(NOT_REQUIRED)(
  because(NOT_REQUIRED, 'has the Go oracle built (.ci/run builds it and requires it)'),
  () => {
    expect(ORACLE_MISSING).toBeNull();
  },
);

/** A document that matters to the scan, with `extra` lines appended to it. */
function serviceAccount(extra: string): string {
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: probe\n${extra}`;
}

interface Tally {
  agreed: number;
  refused: number;
}

/** Reads every file with the oracle once, then requires the loader (fast and full) to agree or refuse on each. */
function expectAgreeOrRefuse(files: ReadonlyArray<string | Uint8Array>): Tally {
  const kubernetes = readAsKubernetes(files);
  const tally: Tally = { agreed: 0, refused: 0 };
  files.forEach((file, index) => {
    for (const fast of [true, false]) {
      const verdict = verdictOf(file, kubernetes[index]!, { fast });
      const context = `${fast ? 'fast' : 'full'} reader on ${JSON.stringify(typeof file === 'string' ? file : [...file])}`;
      expect(verdict.disagreement, context).toBeNull();
      if (fast) tally[verdict.refused ? 'refused' : 'agreed']++;
    }
  });
  return tally;
}

/** Like expectAgreeOrRefuse, and the loader must not refuse: these are files Kubernetes reads without trouble. */
function expectAgree(files: readonly string[]): void {
  const kubernetes = readAsKubernetes(files);
  files.forEach((file, index) => {
    expect(
      kubernetes[index]!.some((document) => 'error' in document),
      `oracle on ${file}`,
    ).toBe(false);
    for (const fast of [true, false]) {
      expect(verdictOf(file, kubernetes[index]!, { fast }), `${fast ? 'fast' : 'full'}: ${file}`).toEqual({
        refused: false,
        disagreement: null,
      });
    }
  });
}

function sample<T>(arbitrary: fc.Arbitrary<T>, count: number, offset = 0): T[] {
  return fc.sample(arbitrary, { seed: SEED + offset, numRuns: count * RUNS });
}

describe.skipIf(ORACLE_MISSING)(because(ORACLE_MISSING, 'the oracle is kubectl’s reader'), () => {
  it('applies a merge over a key written above it, keeps the last of duplicate keys, and reads YAML 1.1 words', () => {
    const [merged, duplicate, words] = readAsKubernetes([
      'roleRef: {name: view, <<: {name: cluster-admin}}\n',
      'a: 1\na: 2\n',
      'a: yes\nb: 0o17\nc: 1:20\nd: 2001-12-14\n',
    ]);
    expect(merged).toEqual([{ json: { roleRef: { name: 'cluster-admin' } } }]);
    expect(duplicate).toEqual([{ json: { a: 2 } }]);
    expect(words).toEqual([{ json: { a: true, b: 15, c: '1:20', d: '2001-12-14' } }]);
  });

  it('splits at --- lines, skips empty documents, stops at the first it cannot read, and decodes UTF-16', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: 1\n', 'utf16le')]);
    const [split, stopped, decoded] = readAsKubernetes([
      'a: 1\n---\n# none\n---\nb: 2\n',
      'a: 1\n---\nb: [\n---\nc: 3\n',
      utf16,
    ]);
    expect(split).toEqual([{ json: { a: 1 } }, { json: { b: 2 } }]);
    expect(stopped).toHaveLength(2);
    expect(stopped![1]).toHaveProperty('error');
    expect(decoded).toEqual([{ json: { a: 1 } }]);
  });
});

describe.skipIf(ORACLE_MISSING)(
  because(ORACLE_MISSING, 'plain scalars mean to the loader what they mean to Kubernetes'),
  () => {
    it('resolvePlain gives each table scalar its Kubernetes value (or JSON cannot carry it)', () => {
      const scalars = [
        ...SCALARS,
        ...sample(numberLike, 1500),
        ...sample(randomScalar, 1500, 1),
        ...sample(timestampLike, 500, 2),
      ].filter(isPlainEverywhere);
      const kubernetes = readAsKubernetes(scalars.map((scalar) => `k: ${scalar}\n`));
      scalars.forEach((scalar, index) => {
        const [document] = kubernetes[index]!;
        const { value } = resolvePlain(scalar);
        if (typeof value === 'number' && !Number.isFinite(value)) {
          expect(document, scalar).toHaveProperty('error');
        } else {
          expect(document, scalar).toEqual({ json: { k: value } });
        }
      });
    });

    it('every table scalar, as a value and as a key, is read as Kubernetes reads it or refused', () => {
      const scalars = [...SCALARS, ...sample(numberLike, 300, 3)].filter(isPlainEverywhere);
      const files = scalars.flatMap((scalar) => [
        serviceAccount(`value: ${scalar}\n`),
        serviceAccount(`entries: [a, ${scalar}]\n`),
        serviceAccount(`labels:\n  ${scalar}: v\n`),
        serviceAccount(`labels: {${scalar}: v, other: w}\n`),
      ]);
      const tally = expectAgreeOrRefuse(files);
      // Refusals are for keys Kubernetes cannot take as written (null, floats) and values JSON cannot carry.
      expect(tally.agreed).toBeGreaterThan(tally.refused * 4);
    });

    it('awkward scalars, quoted every way, are read as Kubernetes reads them or refused', () => {
      const files = AWKWARD.flatMap((scalar) => [
        serviceAccount(`value: '${scalar.replace(/'/g, "''")}'\n`),
        serviceAccount(`value: ${JSON.stringify(scalar)}\n`),
      ]);
      expectAgreeOrRefuse(files);
    });
  },
);

const BINDING =
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: n}\n';
const SUBJECTS = 'subjects: [{kind: ServiceAccount, name: default, namespace: n}]\n';

/** Documents written to make a reader judge another object than the one Kubernetes applies. */
const HOSTILE: readonly string[] = [
  // Merge keys: over a key written above, under one written below, from aliases, lists, nested merges.
  `${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: view, <<: {name: cluster-admin}}\n`,
  `${BINDING}${SUBJECTS}roleRef:\n  kind: ClusterRole\n  name: view\n  <<: {name: cluster-admin}\n`,
  `${BINDING}${SUBJECTS}roleRef:\n  <<: {name: cluster-admin}\n  kind: ClusterRole\n  name: view\n`,
  `${BINDING}${SUBJECTS}base: &b {name: cluster-admin, kind: ClusterRole}\nroleRef:\n  name: view\n  <<: *b\n`,
  `${BINDING}${SUBJECTS}roleRef:\n  name: view\n  <<: [{name: admin}, {name: cluster-admin}]\n`,
  `${BINDING}${SUBJECTS}roleRef:\n  <<: [{name: admin}, {name: cluster-admin}]\n  kind: ClusterRole\n`,
  `${BINDING}${SUBJECTS}roleRef:\n  name: view\n  <<: {<<: {name: cluster-admin}}\n`,
  serviceAccount('automountServiceAccountToken: false\n<<: {automountServiceAccountToken: null}\n'),
  serviceAccount('<<: {automountServiceAccountToken: true}\nautomountServiceAccountToken: false\n'),
  serviceAccount('x: &x {automountServiceAccountToken: true}\n<<: *x\n'),
  serviceAccount('<<: null\n'),
  serviceAccount('<<: [a]\n'),
  serviceAccount('"<<": {automountServiceAccountToken: true}\n'),
  serviceAccount('? <<\n: {automountServiceAccountToken: true}\n'),
  // Duplicate keys (Kubernetes keeps the last) and keys that become the same field.
  serviceAccount('automountServiceAccountToken: false\nautomountServiceAccountToken: true\n'),
  serviceAccount('labels: {1: a, "1": b}\n'),
  serviceAccount('labels: {y: a, "true": b}\n'),
  serviceAccount('labels: {0x1F: a, "31": b}\n'),
  `${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: view}\nroleRef: {kind: ClusterRole, name: cluster-admin}\n`,
  // Keys Kubernetes turns into other text, or refuses.
  serviceAccount('labels: {~: a}\n'),
  serviceAccount('labels: {1.5: a}\n'),
  serviceAccount('labels: {1e3: a}\n'),
  serviceAccount('labels: {0o17: a, 0b11: b, 0777: c}\n'),
  serviceAccount('labels: {[a]: b}\n'),
  serviceAccount('labels: {? {a: 1} : b}\n'),
  serviceAccount('labels: {9223372036854775807: a}\n'),
  serviceAccount('labels: {18446744073709551615: a}\n'),
  serviceAccount('x: &k key\nlabels: {*k : a}\n'),
  // Tags.
  serviceAccount('automountServiceAccountToken: !!bool "false"\n'),
  serviceAccount('automountServiceAccountToken: !!str false\n'),
  serviceAccount('automountServiceAccountToken: !custom false\n'),
  serviceAccount('automountServiceAccountToken: !!binary ZmFsc2U=\n'),
  serviceAccount('automountServiceAccountToken: !!null ""\n'),
  serviceAccount('automountServiceAccountToken: !!int "0"\n'),
  serviceAccount('automountServiceAccountToken: !!float 0\n'),
  serviceAccount('automountServiceAccountToken: ! false\n'),
  serviceAccount('labels: !!set {a, b}\n'),
  serviceAccount('labels: !!omap [{a: 1}]\n'),
  serviceAccount('labels: !!map {a: 1}\n'),
  serviceAccount('secrets: !!seq [{name: token}]\n'),
  serviceAccount('automountServiceAccountToken: !<tag:yaml.org,2002:bool> false\n'),
  `%TAG !k! tag:yaml.org,2002:\n---\n${serviceAccount('automountServiceAccountToken: !k!bool false\n')}`,
  // Scalars with meanings that differ between YAML versions and readers.
  serviceAccount('automountServiceAccountToken: no\n'),
  serviceAccount('automountServiceAccountToken: Off\n'),
  serviceAccount('automountServiceAccountToken: y\n'),
  serviceAccount('automountServiceAccountToken: .inf\n'),
  serviceAccount('automountServiceAccountToken: 0o0\n'),
  serviceAccount('expirationSeconds: 0o7020\nother: 1:20\nwhen: 2001-12-14\nbig: 1e400\n'),
  // Aliases, anchors, and a document that reuses its own parts.
  `${BINDING}s: &s [{kind: ServiceAccount, name: default, namespace: n}]\nsubjects: *s\nroleRef: {kind: ClusterRole, name: edit}\n`,
  serviceAccount('a: &a [x]\nb: [*a, *a, *a]\n'),
  // Document markers in every spelling.
  `${serviceAccount('')}---\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
  `${serviceAccount('')}--- # comment\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
  `${serviceAccount('')}---#comment\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
  `${serviceAccount('')}...\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
  `${serviceAccount('')}...\n---\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
  `${serviceAccount('')}----\n${BINDING}${SUBJECTS}\n`,
  `--- ${serviceAccount('').replace(/\n/g, ' ')}\n`,
  `---\n---\n${serviceAccount('')}---\n`,
  `%YAML 1.1\n---\n${serviceAccount('automountServiceAccountToken: yes\n')}`,
  `%YAML 1.2\n---\n${serviceAccount('automountServiceAccountToken: yes\n')}`,
  `# c\n${serviceAccount('')}--- \t\n${serviceAccount('automountServiceAccountToken: true\n')}`,
  `${serviceAccount('note: |\n  text\n')}---\n${serviceAccount('')}`,
  `${serviceAccount('note: "a\n  b"\n')}---\n${serviceAccount('')}`,
  `${serviceAccount('note: "a\n---\n  b"\n')}`,
  `${serviceAccount('note: |\n  a\n---\n  b\n')}`,
  // Lists.
  `apiVersion: v1\nkind: List\nitems:\n- ${serviceAccount('').replace(/\n(?!$)/g, '\n  ')}- ${BINDING.replace(/\n(?!$)/g, '\n  ')}  ${SUBJECTS}  roleRef: {kind: ClusterRole, name: edit}\n`,
  // JSON: single objects, streams, duplicate keys.
  '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}, "automountServiceAccountToken": false}',
  '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}\n{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "b"}}\n',
  '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}, "automountServiceAccountToken": false, "automountServiceAccountToken": true}',
  '  \n{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}',
  '[{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "a"}}]',
  // Whitespace and line breaks.
  serviceAccount('automountServiceAccountToken:\tfalse\n'),
  serviceAccount('automountServiceAccountToken: false\n').replace(/\n/g, '\r\n'),
  serviceAccount('automountServiceAccountToken: false\r').replace(/\n/g, '\r'),
  `\uFEFF${serviceAccount('automountServiceAccountToken: false\n')}`,
  serviceAccount('automountServiceAccountToken: false # true\n'),
  serviceAccount('automountServiceAccountToken: "false"\n'),
  serviceAccount("automountServiceAccountToken: 'true'\n"),
  serviceAccount('automountServiceAccountToken: >-\n  false\n'),
  serviceAccount('automountServiceAccountToken:\n  false\n'),
  serviceAccount('automountServiceAccountToken: fal\n  se\n'),
  serviceAccount('"automountServiceAccountToken": false\n'),
  serviceAccount('automount\\u0053erviceAccountToken: false\n'),
  serviceAccount('"automount\\u0053erviceAccountToken": false\n'),
  serviceAccount('x: "\\0\\a\\x41\\u263A\\U0001F600\\N\\_\\L\\P"\n'),
  // Line breaks of YAML 1.1 that YAML 1.2 reads as text: next line, line and paragraph separators.
  serviceAccount('automountServiceAccountToken: true\u0085automountServiceAccountToken: false\n'),
  serviceAccount('automountServiceAccountToken: false\u2028x: 1\n'),
  serviceAccount('automountServiceAccountToken: false\u2029x: 1\n'),
  serviceAccount('x: "a\u2028b"\ny: |\n  a\u2029b\n'),
  serviceAccount('x: 1 # comment\u2028automountServiceAccountToken: true\n'),
  // Control characters, a byte order mark in the middle, and invalid UTF-8 (as bytes, below).
  serviceAccount('automountServiceAccountToken: false\u0007\n'),
  serviceAccount('x: 1\n\uFEFFautomountServiceAccountToken: true\n'),
  // Lists: kubectl reads any document with `items` as one, and applies the items, untyped ones taking its kind.
  'apiVersion: v1\nkind: PodList\nitems:\n  - metadata: {name: p}\n    spec: {containers: [{name: a, image: a}]}\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a, image: a}]}}\n',
  'apiVersion: apps/v1\nkind: DeploymentList\nitems:\n  - metadata: {name: d}\n    spec: {template: {spec: {containers: [{name: a, image: a}]}}}\n  - {kind: Pod, metadata: {name: p}}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: a}]}\nitems: null\n',
  'apiVersion: v1\nkind: List\nitems: {a: b}\n',
  'apiVersion: v1\nkind: List\nitems: [x]\n',
  'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Pod, metadata: {name: p}}]}\n',
  '{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "s"}, "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"automountServiceAccountToken": true, "containers": [{"name": "a", "image": "a"}]}}]}\n',
];

describe.skipIf(ORACLE_MISSING)(because(ORACLE_MISSING, 'hostile documents'), () => {
  it('each is read as Kubernetes reads it, or refused', () => {
    const tally = expectAgreeOrRefuse(HOSTILE);
    expect(tally.agreed + tally.refused).toBe(HOSTILE.length);
  });

  it('in UTF-16 with a byte order mark, and with a UTF-8 one', () => {
    const utf16le = (text: string) =>
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = (text: string) => utf16le(text).swap16();
    const utf8 = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expectAgreeOrRefuse(HOSTILE.slice(0, 20).flatMap((text) => [utf16le(text), utf16be(text), utf8(text)]));
  });

  it('in UTF-32, which kubectl cannot read, is refused', () => {
    const utf32 = (text: string, littleEndian: boolean) => {
      const units = [0xfeff, ...[...text].map((char) => char.codePointAt(0)!)];
      const bytes = Buffer.alloc(units.length * 4);
      units.forEach((unit, index) =>
        littleEndian ? bytes.writeUInt32LE(unit, index * 4) : bytes.writeUInt32BE(unit, index * 4),
      );
      return bytes;
    };
    const files = HOSTILE.slice(0, 5).flatMap((text) => [utf32(text, true), utf32(text, false)]);
    const kubernetes = readAsKubernetes(files);
    files.forEach((file, index) => {
      expect(kubernetes[index]).toEqual([{ error: expect.any(String) }]);
      expect(verdictOf(file, kubernetes[index]!)).toEqual({ refused: true, disagreement: null });
    });
  });

  it('the documents Kubernetes reads plainly are read, not refused', () => {
    expectAgree([
      serviceAccount('automountServiceAccountToken: no\n'),
      serviceAccount('<<: {automountServiceAccountToken: true}\nautomountServiceAccountToken: false\n'),
      serviceAccount('labels: {0o17: a, y: b, 12: c}\n'),
      serviceAccount('automountServiceAccountToken: !!bool "false"\n'),
      `${BINDING}s: &s [{kind: ServiceAccount, name: default, namespace: n}]\nsubjects: *s\nroleRef: {kind: ClusterRole, name: edit}\n`,
      `${serviceAccount('')}--- # comment\n${BINDING}${SUBJECTS}roleRef: {kind: ClusterRole, name: edit}\n`,
      serviceAccount('automountServiceAccountToken: false\n').replace(/\n/g, '\r\n'),
      // Plain scalars folded over lines (kubectl's and kustomize's long arguments), and comment-only chunks.
      serviceAccount(
        'labels:\n  a: one  \n    two\n\n\n    three # c\n  b: a#b\n   c\nsecrets:\n- one\n  two\n',
      ),
      serviceAccount('secrets:\n- name: one\n\n    two\n- - x\n    y\n').replace(/\n/g, '\r\n'),
      `# licence\n#\n---\n${serviceAccount('')}---\n# only a comment\n---\n${serviceAccount('')}---\n# end\n`,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Generated manifests: a ServiceAccount, a Pod or a RoleBinding, written with random constructs from the hostile list.

const scalarArb = fc.oneof(
  fc.constantFrom(...SCALARS.filter((scalar) => scalar.length < 20)),
  fc.constantFrom('false', 'true', 'no', 'yes', 'default', 'cluster-admin', 'view', '3600', '0o7020'),
);
const keyArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('name', 'automountServiceAccountToken', 'serviceAccountName', 'x'),
  },
  { weight: 1, arbitrary: scalarArb },
);

interface Style {
  flow: boolean;
  quoteKeys: boolean;
  indent: number;
}

/** A value: a scalar (plain, quoted or tagged), an alias of an anchor written before, a small map or sequence. */
const valueArb: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { weight: 6, arbitrary: scalarArb },
    { weight: 1, arbitrary: scalarArb.map((scalar) => JSON.stringify(scalar)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom('!!str', '!!bool', '!!int', '!custom', '!'), scalarArb)
        .map(([tag, s]) => `${tag} ${s}`),
    },
    { weight: 1, arbitrary: fc.constant('*anchor') },
    {
      weight: 2,
      arbitrary: fc
        .uniqueArray(fc.tuple(keyArb, tie('value')), { maxLength: 3, selector: ([key]) => key })
        .map((pairs) => `{${pairs.map(([key, value]) => `${key}: ${value}`).join(', ')}}`),
    },
    {
      weight: 1,
      arbitrary: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(keyArb, tie('value')), { minLength: 1, maxLength: 2, selector: ([key]) => key })
        .map((pairs) => `{<<: {${pairs.map(([key, value]) => `${key}: ${value}`).join(', ')}}, name: n}`),
    },
  ),
})).value;

const bodyArb = fc
  .tuple(
    fc.constantFrom('ServiceAccount', 'Pod', 'RoleBinding'),
    fc.uniqueArray(fc.tuple(keyArb, valueArb), { minLength: 1, maxLength: 5, selector: ([key]) => key }),
    fc.record({ flow: fc.boolean(), quoteKeys: fc.boolean(), indent: fc.constantFrom(2, 4) }),
    fc.integer({ min: 0, max: 3 }).map((draw) => draw === 0),
  )
  .map(([kind, pairs, style, merge]: [string, Array<[string, string]>, Style, boolean]) => {
    const key = (name: string) => (style.quoteKeys ? JSON.stringify(name) : name);
    const pad = ' '.repeat(style.indent);
    const head = `apiVersion: v1\nkind: ${kind}\nanchored: &anchor {name: a}\nmetadata:\n${pad}name: x\n`;
    const entries = pairs.map(([name, value]) => `${key(name)}: ${value}`);
    if (merge) entries.push('<<: *anchor');
    const spec = style.flow
      ? `spec: {${entries.join(', ')}}\n`
      : `spec:\n${entries.map((entry) => `${pad}${entry}\n`).join('')}`;
    return head + spec;
  });

const separatorArb = fc.constantFrom(
  '---\n',
  '--- # c\n',
  '---#c\n',
  '...\n---\n',
  '...\n',
  '---\n---\n',
  '\n',
);
const fileArb = fc
  .tuple(
    fc.array(bodyArb, { minLength: 1, maxLength: 3 }),
    fc.array(separatorArb, { minLength: 3, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([bodies, separators, crlf]) => {
    const text = bodies.map((body, index) => (index === 0 ? body : separators[index]! + body)).join('');
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

describe.skipIf(ORACLE_MISSING)(because(ORACLE_MISSING, 'generated manifests'), () => {
  it('are read as Kubernetes reads them, or refused; and mostly read', () => {
    const files = sample(fileArb, 1500, 4);
    const tally = expectAgreeOrRefuse(files);
    // A loader that refused everything would pass the rule above; it must read many of these deliberately hostile
    // files (the rest hold merges over earlier keys, mistyped tags, duplicate fields and the like).
    expect(tally.agreed).toBeGreaterThan(files.length / 3);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The manifests shipped in the repository: examples and test fixtures (chart templates aside).

function manifests(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ya?ml|json)$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    if (
      /[/\\]templates[/\\]/.test(path) ||
      entry.name === 'Chart.yaml' ||
      entry.name === 'kustomization.yaml'
    )
      continue;
    found.push(path);
  }
  return found;
}

describe.skipIf(ORACLE_MISSING)(because(ORACLE_MISSING, 'manifests in the repository'), () => {
  const paths = [...manifests(join(ROOT, 'examples')), ...manifests(join(ROOT, '__tests__', 'fixtures'))];

  it('are read as Kubernetes reads them, and refused only where Kubernetes cannot read them either', () => {
    expect(paths.length).toBeGreaterThan(20);
    const files = paths.map((path) => readFileSync(path));
    const kubernetes = readAsKubernetes(files);
    files.forEach((file, index) => {
      const name = relative(ROOT, paths[index]!);
      const verdict = verdictOf(file, kubernetes[index]!);
      expect(verdict.disagreement, name).toBeNull();
      if (verdict.refused)
        expect(
          kubernetes[index]!.some((document) => 'error' in document),
          `${name} is refused`,
        ).toBe(true);
    });
  });
});
