/**
 * Documents are read by js-yaml with a YAML 1.1 schema, offsets recorded from its events (`src/core/tree.ts`), and only
 * what that reader does not model goes to the `yaml` package. These tests hold the fast reader to the full parser: the
 * same documents, objects, values, node offsets, errors and findings with fixes, on hand-written edge cases, on the
 * generated corpus, the fixtures (with the real manifests and charts of fixtures/corpus) and the examples. Documents of kinds no rule reads are only
 * counted: they must never hide anything.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../src/config/config.js';
import { applyFixes } from '../src/core/apply.js';
import { hasAnchor, inertCandidate, isInert } from '../src/core/inert.js';
import { credentialPairs } from '../src/core/credentials.js';
import { type LoadResult, loadDocuments, loadFiles } from '../src/core/load.js';
import { readFastAlone } from '../src/core/fast-reading.js';
import { PackedWriter, documentOfParts, gatherForSending, partsOf } from '../src/core/packed-tree.js';
import type { SecondThread, SecondThreadFactory } from '../src/core/second-thread.js';
import { READ, SCREEN, TASK_FIELDS } from '../src/core/thread-protocol.js';
import { planTexts, textReader, writeTexts } from '../src/core/shared-texts.js';
import { lineStartsOf } from '../src/core/line-starts.js';
import { SLAB_BYTES, offerSlabMemory } from '../src/core/slab-memory.js';
import { scanFiles } from '../src/core/scan.js';
import { readFast, readsDifferently } from '../src/core/tree.js';
import type { SourceFile } from '../src/core/types.js';
import type { NodeSpan, PathSegment, TreeNode } from '../src/core/tree-types.js';
import { generateCorpus } from '../bench/generate-corpus.js';
import { comparable, expectFullReadingAgrees } from './fast-reader.js';
import { filesIn, findingsOf, manifestFiles, scan, yaml } from './helpers.js';

const load = (text: string, path = 'manifest.yaml') => loadDocuments({ path, text });

const CRD = yaml`
  apiVersion: apiextensions.k8s.io/v1
  kind: CustomResourceDefinition
  metadata:
    name: widgets.example.com
  spec:
    group: example.com
    names: {kind: Widget, plural: widgets}
    scope: Namespaced
    versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              containers: {type: array, description: "mentions containers, Secrets and ServiceAccounts"}
`;
const SERVICE = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    ports: [{port: 80}]
`;
const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    template:
      spec:
        containers:
          - name: web
            image: nginx
`;

describe('documents that cannot matter', () => {
  it('are counted but not modelled, and everything after them keeps its lines and offsets', () => {
    const text = [CRD, SERVICE, DEPLOYMENT].join('\n---\n') + '\n';
    const result = load(text);
    expect(result.inert).toBe(2);
    expect(result.documents).toBe(3);
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Deployment']);
    expect(result.objects[0]!.docIndex).toBe(2);

    const scanned = scan(text);
    expect(scanned.stats.resources).toBe(3);
    const [finding] = findingsOf(scanned, 'automount-token');
    const podSpecLine = text.split('\n').indexOf('    spec:') + 1;
    expect(finding!.line).toBe(podSpecLine);
    // The fix's offsets are into the original text: applying it gives exactly the intended file.
    const fixed = applyFixes(text, [finding!.fix!]).text;
    expect(fixed).toBe(text.replace('    spec:\n', '    spec:\n      automountServiceAccountToken: false\n'));
  });

  it('still have their syntax errors and duplicate keys reported, with their lines', () => {
    const broken = SERVICE.replace('  ports: [{port: 80}]', '  ports: [{port: 80}\n  selector: {}');
    const duplicated = SERVICE.replace('  name: web', '  name: web\n  name: other');
    const text = [broken, duplicated, DEPLOYMENT].join('\n---\n');
    const result = load(text);
    expect(result.inert).toBe(0);
    expect(result.errors.length).toBeGreaterThanOrEqual(2);
    expect(result.errors.some((error) => error.message.startsWith('YAML syntax error'))).toBe(true);
    const duplicate = result.errors.find((error) => error.message.startsWith('YAML duplicate key'));
    expect(duplicate?.line).toBe(text.split('\n').indexOf('  name: other') + 1);
    // It names the key and where it was first written.
    const first = text.split('\n').indexOf('  name: web', text.split('\n').indexOf('---')) + 1;
    expect(duplicate?.message).toBe(
      `YAML duplicate key "name" (first at line ${first}): Map keys must be unique`,
    );
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Deployment']);
  });

  it('name a JSON document’s errors as JSON errors', () => {
    const text = '{"apiVersion": "v1", "kind": "ServiceAccount",\n "metadata": {"name": "a", "name": "b"}}\n';
    const result = load(text, 'sa.json');
    expect(result.errors.map((error) => [error.line, error.message])).toEqual([
      [2, 'JSON duplicate key "name" (first at line 2): Map keys must be unique'],
    ]);
    const broken = load('{"kind": "ServiceAccount" "apiVersion": "v1"}\n', 'sa.json');
    expect(broken.errors[0]?.message).toMatch(/^JSON syntax error: /);
  });

  it('never include an object with a pod template, a List, or a suppression annotation', () => {
    const rollout = yaml`
      apiVersion: argoproj.io/v1alpha1
      kind: Rollout
      metadata: {name: canary}
      spec:
        template:
          spec:
            containers: [{name: app, image: app}]
    `;
    const annotated = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: settings
        annotations:
          kube-token-guard.io/ignore: automount-token
    `;
    const list = yaml`
      apiVersion: v1
      kind: ConfigMapList
      items: []
    `;
    const result = load([rollout, annotated, list].join('\n---\n'));
    expect(result.inert).toBe(0);
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Rollout', 'ConfigMap']);
    const scanned = scan([rollout, annotated].join('\n---\n'));
    expect(findingsOf(scanned, 'automount-token').map((finding) => finding.resource.name)).toEqual([
      'canary',
    ]);
    expect(findingsOf(scanned, 'invalid-suppression').map((finding) => finding.resource.name)).toEqual([
      'settings',
    ]);
  });

  it('refuse files with a directive or content on a marker line, which Kubernetes refuses whole', () => {
    // kubectl splits at each line starting with `---` and refuses one with more than a comment after the dashes; a
    // directive then stands alone before its document. Other YAML readers take both.
    const cases: Array<[string, number, RegExp]> = [
      [`%YAML 1.1\n---\n${SERVICE}\n---\n${DEPLOYMENT}`, 1, /^a YAML directive \("%YAML 1\.1"\): Kubernetes/],
      [
        `${SERVICE}\n--- {apiVersion: v1, kind: Service, metadata: {name: a}}\n`,
        SERVICE.split('\n').length + 1,
        /^`---` followed by "\{apiVersion: v1, kind: Service, metadata": Kubernetes refuses the whole file/,
      ],
      [`${SERVICE}\n--- !!map\n${DEPLOYMENT}`, SERVICE.split('\n').length + 1, /^`---` followed by "!!map"/],
      [`${SERVICE}\n----\n${DEPLOYMENT}`, SERVICE.split('\n').length + 1, /^`---` followed by "-"/],
    ];
    for (const [text, line, message] of cases) {
      const result = load(text);
      expect(result.objects).toEqual([]);
      expect(result.errors).toEqual([
        { file: 'manifest.yaml', line, message: expect.stringMatching(message) },
      ]);
    }
    // A comment after the dashes is a marker to every reader.
    expect(load(`${SERVICE}\n--- # next\n${DEPLOYMENT}`).errors).toEqual([]);
  });

  it("refuse what Kubernetes' YAML reader refuses and others read: a control character, a flow value starting with `:`", () => {
    const bell = load(`${SERVICE}\n---\n${DEPLOYMENT.replace('name: web', 'name: web\u0007')}`);
    expect(bell.errors).toEqual([
      {
        file: 'manifest.yaml',
        line:
          SERVICE.split('\n').length +
          1 +
          DEPLOYMENT.split('\n').findIndex((line) => line.includes('name: web')) +
          1,
        message: expect.stringMatching(
          /^a control character \(U\+0007\): Kubernetes' YAML reader refuses the file/,
        ),
      },
    ]);
    // In a comment too, which js-yaml takes: in a document no rule reads (screened), and in one it reads.
    for (const text of [`${SERVICE}# bell \u0007\n`, `${DEPLOYMENT}# bell \u0007\n`]) {
      const result = load(text);
      expect(result.errors).toEqual([
        {
          file: 'manifest.yaml',
          line: text.split('\n').length - 1,
          message: expect.stringMatching(/^a control character/),
        },
      ]);
    }
    // JSON may carry one in a string: Kubernetes reads a stream starting with `{` as JSON.
    expect(load('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a\u007f"}}').errors).toEqual(
      [],
    );
    const colon = load(DEPLOYMENT.replace('name: web', 'name: web\n  labels: {tier: :30}'));
    expect(colon.errors).toHaveLength(1);
    expect(colon.errors[0]!.message).toMatch(/^YAML plain value `:30` in a flow collection/);
    // A colon inside or at the end of a plain value is text to every reader.
    expect(load(DEPLOYMENT.replace('name: web', 'name: web\n  labels: {tier: a:b, x: "c:"}')).errors).toEqual(
      [],
    );
  });

  it('go the full way when they hold an anchor, found as the pattern for one finds it', () => {
    // The pattern the search stands for: `&` at the start or after a blank, `[`, `{` or `,`, then a name's start.
    const pattern = /(?:^|[\s[{,])&[^\s,[\]{}]/;
    const pieces = [
      '&',
      '&a',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u00a0',
      '\u2028',
      '[',
      ']',
      '{',
      '}',
      ',',
      'x',
      ':',
      '-',
      '*',
      '🚢',
      '\ud83d',
    ];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let found = 0;
    for (let round = 0; round < 20_000; round++) {
      const text = Array.from({ length: 1 + (next() % 6) }, () => pieces[next() % pieces.length]).join('');
      expect(hasAnchor(text), JSON.stringify(text)).toBe(pattern.test(text));
      if (pattern.test(text)) found++;
    }
    expect(found).toBeGreaterThan(1000);
    for (const file of manifestFiles()) expect(hasAnchor(file.text), file.path).toBe(pattern.test(file.text));
    const anchored = SERVICE.replace('metadata:', 'metadata: &meta');
    expect(inertCandidate(SERVICE, 0, SERVICE.length)).toBe(true);
    expect(inertCandidate(anchored, 0, anchored.length)).toBe(false);
  });

  it('screen a CRD whose validation rules hold `&&`, and still no document with an anchor', () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: workflows.example.com}',
      'spec:',
      '  versions:',
      '  - name: v1',
      '    schema:',
      '      openAPIV3Schema:',
      '        x-kubernetes-validations:',
      "        - rule: '!(has(self.count) && has(self.end))'",
      '        - rule: (has(self.manifest) && !has(self.from)) || (!has(self.manifest)',
      '            && has(self.from))',
      '        - message: a && b # && c',
      '',
    ].join('\n');
    expect(hasAnchor(crd)).toBe(true);
    expect(inertCandidate(crd, 0, crd.length)).toBe(true);
    expect(isInert(crd, 0, crd.length)).toBe(true);
    const anchored = [
      crd.replace("        - rule: '!(has", "        - &rule\n          rule: '!(has"),
      crd.replace('            && has(self.from))', '          x: &&anchor has(self.from)'),
      crd.replace('        - message: a && b # && c', '        - message: !!str &m a && b'),
    ];
    for (const text of anchored) {
      expect(text).not.toBe(crd);
      expect(inertCandidate(text, 0, text.length), text).toBe(false);
    }
  });

  it('go the full way when they hold a tab or a lone carriage return', () => {
    for (const [text, expected] of [
      ['a: 1\r\nb: 2\r\n', false],
      ['a: 1\rb: 2', true],
      ['a: 1\r\n\rb: 2', true],
      ['a:\t1', true],
      ['a: 1\n', false],
    ] as const) {
      expect(readsDifferently(text), JSON.stringify(text)).toBe(expected);
    }
  });

  it('keep CRLF files and multi-byte text at the same offsets', () => {
    const text = [CRD.replace('mentions', 'erwähnt 🚢'), DEPLOYMENT].join('\n---\n').replace(/\n/g, '\r\n');
    const result = load(text);
    expect(result.inert).toBe(1);
    const [finding] = findingsOf(scan(text), 'automount-token');
    const fixed = applyFixes(text, [finding!.fix!]).text;
    expect(fixed).toContain('    spec:\r\n      automountServiceAccountToken: false\r\n');
    expect(fixed.replace('      automountServiceAccountToken: false\r\n', '')).toBe(text);
  });
});

/** Loads the text both ways and expects the same; returns the fast load. */
function agree(text: string, path = 'manifest.yaml'): LoadResult {
  const file = { path, text };
  const fast = loadDocuments(file);
  const full = loadDocuments(file, { fast: false });
  expect(comparable(fast), `${path}:\n${text}`).toStrictEqual(comparable(full));
  return fast;
}

describe('the fast reader agrees with the full parser', () => {
  const modelled: Array<[string, string]> = [
    ['block maps and lists', DEPLOYMENT],
    [
      'flow collections',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a, labels: {p: "1", q: \'2\'}}\nspec: {containers: [{name: a, image: b}, {name: c}], automountServiceAccountToken: no}\n',
    ],
    [
      'JSON',
      '{"apiVersion": "v1", "kind": "ServiceAccount",\n "metadata": {"name": "a", "annotations": {}},\n "automountServiceAccountToken": false, "secrets": []}\n',
    ],
    [
      'a flow map over lines as the root',
      '{\n  apiVersion: v1,\n  kind: ServiceAccount,\n  metadata: {name: x}\n}\n',
    ],
    [
      'comments everywhere',
      '# head\napiVersion: v1 # c\nkind: ServiceAccount\n# between\nmetadata:   # after key\n  # before\n  name: a  # tail\n\n  namespace: b\n# end\n',
    ],
    [
      'empty values',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n  annotations: # none\nautomountServiceAccountToken:\n',
    ],
    [
      'empty value at the end without a newline',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\nautomountServiceAccountToken:',
    ],
    [
      'block scalars',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: |\n    one\n\n    two\n\n  b: >-\n    folded\n    text\n  c: |+\n    kept\n\n  d: |2\n      indented\n  e: |\n# comment after\ntype: Opaque\n',
    ],
    [
      'compact and nested lists',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    args:\n    - - x\n      - y\n    - [z]\n    env: []\n  - {name: b}\n',
    ],
    [
      'quoted keys and odd spacing',
      'apiVersion: v1\n"kind": ServiceAccount\nmetadata :\n  \'name\'  :   a\nautomountServiceAccountToken:    false\n',
    ],
    [
      'YAML 1.1 scalars',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels: {a: yes, b: off, c: 0777, d: 1:30, e: 0x1F, f: .5, g: ~, h: 2001-12-14, i: 1_000, j: "no"}\nautomountServiceAccountToken: No\n',
    ],
    [
      'a List',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n',
    ],
    [
      'several documents, empty ones and end markers',
      `---\n# only a comment\n---\n${DEPLOYMENT}...\n---\n\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n...\n`,
    ],
    ['CRLF line ends', DEPLOYMENT.replace(/\n/g, '\r\n')],
    ['a byte order mark and multi-byte text', `\ufeff${DEPLOYMENT.replace('nginx', '"ngïnx 🚢"')}`],
    ['a scalar and a list as documents', `just text\n---\n- a\n- b\n---\n${DEPLOYMENT}`],
    ['no final newline', DEPLOYMENT.trimEnd()],
    [
      'plain scalars folded over lines, as kubectl writes long arguments',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n      - args:\n        - /bin/cp /usr/local/bin/argocd /var/run/argocd/argocd && /bin/ln -sf /var/run/argocd/argocd\n          /var/run/argocd/argocd-cmp-server\n        - --one\n         two\n        command: [sh]\n        name: a\n',
    ],
    [
      'folded plain scalars indented every way, with blank lines, comments after, trailing spaces and #',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    a: one\n     two\n            three\n    b: one  \n      two  \n    c: one\n\n      two\n\n\n      three\n    d: one\n      two # a comment\n    e: a#b\n      c#d  # comment\n    f: one\n      two\n    # a comment line after\n    g: one\n      - two\n      [three] {four} "five" \'six\' &seven *eight !nine |ten >eleven\n    h: 1\n      2\n    i: "yes"\n    j: yes\n      no\n  labels:\n    k: one\n\n      two\n\n    l: x\nsecrets:\n- name: one\n   two\n- one\n two\n- - one\n   two\n',
    ],
    [
      'folded plain scalars with CRLF line ends',
      'apiVersion: v1\r\nkind: ServiceAccount\r\nmetadata:\r\n  name: a\r\n  annotations:\r\n    a: one  \r\n      two\r\n\r\n      three\r\n',
    ],
    [
      'comment-only chunks at the start, between documents and at the end',
      `# Copyright\n#\n# licence text\n---\n${DEPLOYMENT}---\n# only comments\n\n  # indented\n---\n---\n${DEPLOYMENT}---\n# trailer\n`,
    ],
  ];
  for (const [name, text] of modelled) {
    it(`reads ${name} itself, with the same result`, () => {
      const result = agree(text);
      expect(result.objects.length + result.inert, name).toBeGreaterThan(0);
      expect(
        result.objects.every((object) => object.doc.fast),
        name,
      ).toBe(true);
    });
  }

  const unmodelled: Array<[string, string]> = [
    [
      'a flow collection over lines inside a block one',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {\n  name: a\n}\n',
    ],
    [
      'a tab',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\nautomountServiceAccountToken:\tfalse\n',
    ],
    ['a lone carriage return', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\r# x\n'],
    [
      'multi-line quoted scalars',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    q: "three\n      four"\n    r: \'five\n      six\'\n',
    ],
    [
      'a folded plain scalar with a tab',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    p: one\n    \ttwo\n',
    ],
    [
      'a folded plain scalar in a flow collection',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations: {p: one\n    two}\n',
    ],
    [
      'a folded plain scalar as a key',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    p: one\n     two: three\n',
    ],
    ['a folded plain scalar as the document', 'just\ntext\n'],
    [
      'a folded plain scalar continued on a line no deeper than its map',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    p: one\n    two\n',
    ],
    [
      'a folded plain scalar broken by a comment line',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    p: one\n      # c\n      two\n',
    ],
    [
      'a quoted scalar continued on a line indented too little',
      'apiVersion: "\nv1"\nkind: ServiceAccount\nmetadata: {name: a}\n',
    ],
    [
      'anchors and aliases',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: &n p}\nspec:\n  serviceAccountName: *n\n  containers: [{name: a}]\n',
    ],
    [
      'merge keys',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  <<: {automountServiceAccountToken: true}\n  containers: [{name: a}]\n',
    ],
    [
      'an explicit merge key',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ? <<\n  : {automountServiceAccountToken: true}\n  containers: [{name: a}]\n',
    ],
    [
      'tags',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: !!str a}\nautomountServiceAccountToken: !!bool false\n',
    ],
    ['explicit keys', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  ? name\n  : a\n'],
    ['a null key', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\n~: x\n'],
    [
      'a key YAML 1.1 reads as a boolean',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, labels: {on: x}}\n',
    ],
    ['a numeric key', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, labels: {1: x}}\n'],
    [
      'an empty item in a nested list',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a}]\n  x:\n  - -\n  - b\n',
    ],
    [
      'a duplicate key',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\nautomountServiceAccountToken: false\nautomountServiceAccountToken: true\n',
    ],
    [
      'a syntax error',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a\nautomountServiceAccountToken: false\n',
    ],
    ['a marker glued to a key', '---kind: ServiceAccount\napiVersion: v1\nmetadata: {name: a}\n'],
    ['a directive', `%YAML 1.1\n---\n${DEPLOYMENT}`],
    [
      'content on the marker line',
      `--- {apiVersion: v1, kind: ServiceAccount, metadata: {name: a}}\n---\n${DEPLOYMENT}`,
    ],
  ];
  for (const [name, text] of unmodelled) {
    it(`leaves ${name} to the full parser, with the same result`, () => {
      const result = agree(text);
      expect(result.objects.some((object) => object.doc.fast) && name !== 'a directive', name).toBe(false);
    });
  }

  it('takes a chunk of comments and blank lines for no document without the full parser; `~` is one', () => {
    for (const text of ['# c\n', '\n  # c\n\n# d', '#', '   \n', '\r\n# c\r\n']) {
      expect(readFast(`---${text}`, 3, text.length + 3), JSON.stringify(text)).toBeUndefined();
    }
    expect(readFast('# c\n~\n', 0, 6)?.value).toBeNull();
    expect(readFast('# c\n{}\n', 0, 6)?.value).toEqual({});
  });

  it('keeps trees packed: the same tree however often and in whatever order documents are looked at', () => {
    const text = Array.from({ length: 12 }, (_, index) =>
      DEPLOYMENT.replace('name: web', `name: web-${index}`),
    ).join('---\n');
    const objects = load(text).objects;
    expect(objects).toHaveLength(12);
    const first = objects.map((object) => structuredClone(object.doc.contents));
    // Past the few kept unpacked, in reverse and again: each tree is unpacked anew and equal to the first reading.
    for (const object of [...objects].reverse())
      expect(object.doc.contents).toStrictEqual(first[objects.indexOf(object)]);
    for (const [index, object] of objects.entries()) {
      expect(object.doc.contents).toStrictEqual(first[index]);
      expect(object.doc.contents).toBe(object.doc.contents);
    }
  });

  it('unpacks what the full reader reads: keys JavaScript orders first, documents past 64 KiB, ones in a second thread', () => {
    const numbered =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {b: x, "10": y, a: z, "2": w}\nspec:\n  nodeSelector:\n    zone: a\n    "0": b\n  containers: [{name: a}]\n';
    const long = DEPLOYMENT.replace(
      'name: web',
      `name: web\n  annotations:\n    note: ${'x'.repeat(70_000)}\n    after: here`,
    );
    for (const text of [
      numbered,
      long,
      `${long}---\n${numbered}`,
      `${'#'.repeat(70_000)}\n---\n${numbered}`,
    ]) {
      const [fast, full] = [load(text), loadDocuments({ path: 'f.yaml', text }, { fast: false })];
      expect(fast.objects.map((object) => object.doc.fast)).not.toContain(false);
      expect(fast.objects.map((object) => object.doc.contents)).toStrictEqual(
        full.objects.map((object) => object.doc.contents),
      );
      // What a second thread sends: the parts, cloned.
      const sent = fast.objects.map((object) => documentOfParts(structuredClone(partsOf(object.doc)!)));
      expect(sent.map((doc) => doc.contents)).toStrictEqual(
        full.objects.map((object) => object.doc.contents),
      );
    }
  });

  it('finds each collection in the numbers as the unpacked tree has it, entries placed, and nothing else', () => {
    const span = (node: TreeNode): NodeSpan =>
      node.kind === 'map' || node.kind === 'seq'
        ? { kind: node.kind, start: node.start, end: node.end, flow: node.flow }
        : node;
    const shallow = (node: TreeNode) =>
      node.kind === 'map'
        ? { ...span(node), items: node.items.map((pair) => ({ key: pair.key, value: span(pair.value) })) }
        : node.kind === 'seq'
          ? { ...span(node), items: node.items.map(span) }
          : undefined;
    /** Every path of the tree, with its node. */
    const paths = (node: TreeNode, path: PathSegment[] = []): Array<[PathSegment[], TreeNode]> => [
      [path, node],
      ...(node.kind === 'map'
        ? node.items.flatMap((pair) => paths(pair.value, [...path, pair.key!.value as string]))
        : node.kind === 'seq'
          ? node.items.flatMap((item, index) => paths(item, [...path, index]))
          : []),
    ];
    const numbered =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {b: x, "10": y, a: z, "2": w}\nspec:\n  nodeSelector:\n    zone: a\n    "0": b\n  containers:\n  - name: a\n    args: [x, y]\n    env:\n    - {name: A, value: b}\n';
    const long = `${numbered}  hostname: ${'x'.repeat(70_000)}\n`;
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers:\n    - name: c\n';
    let checked = 0;
    const packedOwn = new Set<string>();
    for (const file of [
      ...manifestFiles(200),
      { path: 'n.yaml', text: numbered },
      { path: 'l.yaml', text: long },
      { path: 'list.yaml', text: list },
    ]) {
      const documents = new Set(loadDocuments(file).objects.map((object) => object.doc));
      for (const doc of documents) {
        if (!doc.collectionAt) continue;
        if (['l.yaml', 'list.yaml', 'n.yaml'].includes(file.path)) packedOwn.add(file.path);
        // The document as a second thread sends it: the lookups read its numbers alone.
        const packed = documentOfParts(partsOf(doc)!);
        for (const [path, node] of paths(doc.contents!)) {
          expect(packed.collectionAt!(path), `${file.path} ${path.join('.')}`).toEqual(shallow(node));
          expect(packed.collectionAt!([...path, 'no-such-key'])).toBeUndefined();
          expect(packed.collectionAt!([...path, 1_000])).toBeUndefined();
          expect(packed.collectionAt!([...path, -1])).toBeUndefined();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    // The three made here were read fast: kept key names, a layout of 32-bit numbers, a List's items.
    expect([...packedOwn].sort()).toEqual(['l.yaml', 'list.yaml', 'n.yaml']);
  });

  it('writes packed trees into shared numbers, and refuses a writer used after a newer one was made', () => {
    const older = new PackedWriter();
    older.scalar(0, 0, 1);
    const newer = new PackedWriter();
    newer.scalar(0, 2, 5);
    expect(() => older.scalar(0, 1, 2)).toThrow(/newer one/);
    expect(() => older.document(0, 1, 'a')).toThrow(/newer one/);
    expect(newer.document(10, 15, 'abc').contents).toEqual({
      kind: 'scalar',
      start: 12,
      end: 15,
      value: 'abc',
      style: 'plain',
    });
  });

  it('keeps the numbers of documents read one after another in shared slabs, and sends a batch in one buffer', () => {
    const wide = DEPLOYMENT.replace(
      'name: web',
      `name: web\n  annotations:\n    note: ${'x'.repeat(70_000)}`,
    );
    const docs = [...manifestFiles(120), { path: 'wide.yaml', text: wide }]
      .flatMap((file) => loadDocuments(file).objects.map((object) => object.doc))
      .filter((doc) => partsOf(doc) !== null);
    const layouts = new Set(docs.map((doc) => partsOf(doc)!.layout));
    expect(docs.length).toBeGreaterThan(250);
    expect(layouts.size).toBeLessThan(docs.length / 20);
    const expected = docs.map((doc) => doc.contents);
    const batch = docs.slice(-40).map((doc) => partsOf(doc)!);
    const buffers = gatherForSending(batch);
    // One buffer of 16-bit numbers for the batch, one of 32-bit numbers for the wide document.
    expect(buffers).toHaveLength(2);
    expect(batch.every((parts) => buffers.includes(parts.layout.buffer as ArrayBuffer))).toBe(true);
    const received = structuredClone(batch, { transfer: buffers }).map(documentOfParts);
    expect(buffers.every((buffer) => buffer.byteLength === 0)).toBe(true);
    expect(received.map((doc) => doc.contents)).toStrictEqual(expected.slice(-40));
    // The slabs the documents were read into stay whole here.
    expect(docs.map((doc) => doc.collectionAt!([])?.items.length)).toEqual(
      expected.map((node) => (node?.kind === 'map' ? node.items.length : undefined)),
    );
  });

  it('writes slabs into memory offered for them before fresh memory, a slab at a time, in the order offered', () => {
    const files = manifestFiles(1500);
    const alone = files.flatMap((file) => loadDocuments(file).objects.map((object) => object.doc.contents));
    // Two slabs and a half, then one slab; and a piece too small for a slab, which is not taken.
    const pieces = [
      new ArrayBuffer(2.5 * SLAB_BYTES),
      new ArrayBuffer(SLAB_BYTES),
      new ArrayBuffer(SLAB_BYTES - 2),
    ];
    for (const piece of pieces) offerSlabMemory(piece);
    const docs = files.flatMap((file) => loadDocuments(file).objects.map((object) => object.doc));
    const layouts = [...new Set(docs.flatMap((doc) => partsOf(doc)?.layout ?? []))];
    expect(layouts.length).toBeGreaterThan(6);
    // After the slab being written when the memory came: the three slabs offered, in order; then fresh memory.
    const placed = layouts.map((layout) => [pieces.indexOf(layout.buffer as ArrayBuffer), layout.byteOffset]);
    expect(placed.slice(1, 5)).toStrictEqual([
      [0, 0],
      [0, SLAB_BYTES],
      [1, 0],
      [-1, 0],
    ]);
    expect(placed.filter(([piece]) => piece !== -1)).toHaveLength(3);
    // The same trees read from offered memory as from fresh.
    expect(docs.map((doc) => doc.contents)).toStrictEqual(alone);
  });

  it('gives up on a document rather than mislead: a merge key found as a value of the wrong key', () => {
    // js-yaml reads `? <<` in a block map as a plain key; the `yaml` package merges it. Only the full reading counts.
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  ? <<\n  : {automountServiceAccountToken: true}\n  containers: [{name: a}]\n';
    const [object] = loadDocuments({ path: 'p.yaml', text }).objects;
    expect((object!.value.spec as Record<string, unknown>).automountServiceAccountToken).toBe(true);
  });

  const files = manifestFiles();

  it('on generated, fixture, example and real manifests: same documents, objects, offsets and errors', () => {
    let fast = 0;
    let inert = 0;
    for (const file of files) {
      const result = agree(file.text, file.path);
      fast += result.objects.filter((object) => object.doc.fast).length;
      inert += result.inert;
      for (const object of result.objects)
        if (object.doc.fast) expectFullReadingAgrees(file.text, object.doc);
    }
    // The fast path was taken, and inert documents were only counted.
    expect(fast).toBeGreaterThan(500);
    expect(inert).toBeGreaterThan(50);
  });

  it('on the same files: the same findings, lines and fixes under both configurations', () => {
    const configs = [defaultConfig(), parseConfig('extends: strict\n', '.github/kube-token-guard.yml')];
    for (const config of configs) {
      const fast = scanFiles(files, config);
      const full = scanFiles(files, config, undefined, { fast: false });
      expect(fast.findings.length).toBeGreaterThan(100);
      expect(fast.findings).toStrictEqual(full.findings);
      expect(fast.errors).toStrictEqual(full.errors);
      expect(fast.stats).toStrictEqual(full.stats);
    }
  });
});

describe('the texts a second thread reads', () => {
  it('come back from shared memory as they were: ASCII, other characters, empty, and ill-formed ones sent as they are', () => {
    const texts = [
      DEPLOYMENT,
      '',
      'name: tööl # ✓ 🚀\n',
      'a: \ud800 lone\n',
      'x'.repeat(70_000),
      'b: \udc00\n',
      'kind: Pod\r\n',
    ];
    const plan = planTexts(texts);
    expect([...plan.lengths].map((length) => length >= 0)).toEqual([
      true,
      true,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(plan.strings.filter((text) => text !== null)).toEqual([texts[3], texts[5]]);
    expect(plan.bytes).toBe(
      texts.reduce((sum, text, index) => sum + (plan.lengths[index]! >= 0 ? Buffer.byteLength(text) : 0), 0),
    );
    const memory = new SharedArrayBuffer(plan.bytes);
    writeTexts(texts, plan, memory);
    const read = textReader(plan, memory);
    // Out of order and twice, as the thread asks for them.
    for (const index of [6, 2, 2, 0, 3, 4, 1, 5, 6]) expect(read(index)).toBe(texts[index]);
  });
});

describe('documents taken by a second thread', () => {
  const corpus = mkdtempSync(join(tmpdir(), 'ktg-second-thread-'));
  generateCorpus(300, corpus);
  // Beside the generated manifests, documents the fast reader gives back or reads as no object, and an error.
  const odd: SourceFile = {
    path: join(corpus, 'odd.yaml'),
    text: [
      '# only a comment',
      'kind: ServiceAccount\napiVersion: v1\nmetadata: &m {name: anchored, namespace: a}\n',
      '[1, 2, 3]',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: broken\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {template: {spec: {containers: []}}}\n',
    ].join('\n---\n'),
  };
  const files: SourceFile[] = [...filesIn(corpus), odd];

  /**
   * A second thread played in this one: it takes every other task of each kind before the caller asks, and answers
   * as the worker does (the parts of a tree cloned, as posting them to another thread does), or not at all.
   */
  function playedThread(answers: boolean): SecondThreadFactory & { asked: string[] } {
    const asked: string[] = [];
    const factory = (texts: readonly string[], tasks: Int32Array): SecondThread => {
      const field = (task: number, index: number) => tasks[task * TASK_FIELDS + index]!;
      const text = (task: number) => texts[field(task, 0)]!;
      return {
        verdict(task) {
          asked.push(/^kind: *(\S+)/m.exec(text(task).slice(field(task, 1), field(task, 2)))![1]!);
          expect(field(task, 3)).toBe(SCREEN);
          return answers && task % 2 === 0 ? isInert(text(task), field(task, 1), field(task, 2)) : undefined;
        },
        claim: (task) => task % 2 === 1,
        reading(task) {
          expect(field(task, 3)).toBe(READ);
          if (!answers) return undefined;
          const reading = readFastAlone(text(task), field(task, 1), field(task, 2));
          if (!reading) return undefined;
          const parts = reading.tree ? partsOf(reading.tree) : null;
          return {
            documents: reading.documents,
            tree: parts ? documentOfParts(structuredClone(parts)) : null,
          };
        },
        credentialValues(text) {
          return answers && text % 2 === 0
            ? credentialPairs(texts[text]!).map((pair) => pair.value)
            : undefined;
        },
        lineStarts(text) {
          asked.push(`lines of ${text}`);
          return answers && text % 2 === 0 ? lineStartsOf(texts[text]!) : undefined;
        },
        close: () => ({ screened: 0, read: 0 }),
      };
    };
    return Object.assign(factory, { asked });
  }

  it('gives the same result whether the thread answers or leaves its tasks to the caller', () => {
    const loadedAlone = loadFiles(files);
    const alone = loadedAlone.results;
    const credentialsAlone = loadedAlone.credentialValues();
    expect(credentialsAlone).toStrictEqual(
      files.map((file) => credentialPairs(file.text).map((pair) => pair.value)),
    );
    expect(credentialsAlone.flat().length).toBeGreaterThan(0);
    for (const answers of [true, false]) {
      const thread = playedThread(answers);
      const loaded = loadFiles(files, { secondThread: thread });
      expect(loaded.credentialValues(), String(answers)).toStrictEqual(credentialsAlone);
      expect(loaded.close()).toStrictEqual({ screened: 0, read: 0 });
      const helped = loaded.results;
      expect(helped.map(comparable), String(answers)).toStrictEqual(alone.map(comparable));
      const bounds = (results: LoadResult[]) =>
        results.flatMap((result) => result.objects.map((object) => [object.doc.start, object.doc.end]));
      expect(bounds(helped)).toStrictEqual(bounds(alone));
      // Every line placed where the caller alone places it, the thread's line starts taken or not.
      const places = (results: LoadResult[]) =>
        results.flatMap((result) =>
          result.objects.map((object) =>
            [object.doc.start, object.doc.end].map((at) => object.lines.linePos(at)),
          ),
        );
      expect(places(helped), String(answers)).toStrictEqual(places(alone));
      // Asked once for each file with an object, when an object is first placed; never before.
      const lineAsks = thread.asked.filter((entry) => entry.startsWith('lines of '));
      expect(lineAsks).toHaveLength(new Set(lineAsks).size);
      expect(lineAsks.length).toBe(helped.filter((result) => result.objects.length > 0).length);
      expect(thread.asked.length).toBeGreaterThan(20);
      expect(new Set(thread.asked)).not.toContain('Deployment');
      expect(new Set(thread.asked)).not.toContain('ServiceAccount');
    }
    const oddResult = alone[alone.length - 1]!;
    expect(oddResult.documents).toBe(4);
    expect(oddResult.errors).toHaveLength(1);
    expect(oddResult.objects.map((object) => object.value.metadata)).toStrictEqual([
      { name: 'anchored', namespace: 'a' },
      { name: 'web' },
    ]);
  });
});
