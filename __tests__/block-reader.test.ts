/**
 * The block reader (src/core/block-reader.ts) against js-yaml's fast reader and the `yaml` package: on every document
 * it takes, the same data (keys in the same order), the same tree node for node, and no error from either; and against
 * Kubernetes' own reader (the Go oracle) on mutated documents. It may leave any document to the others; it must never
 * take one and read it otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBlock } from '../src/core/block-reader.js';
import { plainAscii, plainValue } from '../src/core/block-scalars.js';
import { KNOWN_KEYS, knownKey } from '../src/core/known-keys.js';
import { resolvePlain } from '../src/core/kubernetes-scalars.js';
import { documentChunks } from '../src/core/chunks.js';
import { loadDocuments } from '../src/core/load.js';
import { readFully } from '../src/core/full-read.js';
import { LineStarts } from '../src/core/line-starts.js';
import { readFast } from '../src/core/tree.js';
import type { TreeDocument } from '../src/core/tree-types.js';
import type { ScanError, SourceFile } from '../src/core/types.js';
import { random } from '../bench/generate-corpus.js';
import { manifestFiles } from './helpers.js';
import { ORACLE_MISSING, readAsKubernetes } from './k8s-oracle.js';
import { because } from './tools.js';

/** Data with its keys' order visible: two readings agree only if they built each map in the same order. */
function ordered(value: unknown): string {
  return JSON.stringify(value);
}

/** The block reader's reading of a document it takes, held to the other two readers; null when it leaves it. */
function agreed(text: string, from = 0, to = text.length): TreeDocument | null {
  const block = readBlock(text, from, to);
  if (block === undefined) {
    expect(readFast(text, from, to), 'no document for js-yaml either').toBeUndefined();
    return null;
  }
  if (block === null) return null;
  const context = JSON.stringify(text.slice(from, to));
  let fast: TreeDocument | null | undefined;
  expect(() => (fast = readFast(text, from, to)), context).not.toThrow();
  expect(fast, context).toBeTruthy();
  expect(block.value, context).toStrictEqual(fast!.value);
  expect(ordered(block.value), context).toBe(ordered(fast!.value));
  expect(block.contents, context).toStrictEqual(fast!.contents);
  expect([block.start, block.end], context).toEqual([fast!.start, fast!.end]);
  // The full reader, as the loader uses it (the `yaml` package with Kubernetes' scalars).
  const errors: ScanError[] = [];
  const full = readFully({ path: 'block.yaml', text }, new LineStarts(text), from, to, errors);
  expect(errors, context).toEqual([]);
  expect(full, context).toBeTruthy();
  expect(block.value, context).toStrictEqual(full!.value);
  expect(ordered(block.value), context).toBe(ordered(full!.value));
  expect(block.contents, context).toStrictEqual(full!.contents);
  return block;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, "tier": 'front'}
spec:
  replicas: 2
  template:
    metadata:
      annotations:
        note: 'it''s here'   # a comment
    spec:
      serviceAccountName: web
      automountServiceAccountToken: no
      containers:
      - name: web
        image: nginx:1.27
        args: ["--port", '8080', -v, 0x1F, 1_000]
        env:
        - name: A
          value: "yes"
        ports: [{containerPort: 8080, protocol: TCP}]
        resources: {}
`;

describe('the block reader', () => {
  const taken: Array<[string, string]> = [
    ['a deployment of every common construct', DEPLOYMENT],
    ['CRLF line ends', DEPLOYMENT.replaceAll('\n', '\r\n')],
    ['no final line break', DEPLOYMENT.trimEnd()],
    [
      'lists in their key’s column and deeper, nested in items',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata:\n    name: a\n  secrets:\n  - name: x\n  -   name: y\n      extra: z\n- - one\n  - two\n-   "quoted"\n- \'single\': key\n  other: b\n',
    ],
    [
      'empty values, also before a comment and at the end',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n  annotations: # none\nsecrets:\nautomountServiceAccountToken:',
    ],
    [
      'comments everywhere, blank lines and odd spacing',
      '# head\n\napiVersion: v1   # c\nkind : ServiceAccount\n  # indented comment\nmetadata:\n\n    name:    a  \n    "labels" :   {}\n# tail\n',
    ],
    [
      'literal and folded scalars with every chomping',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  a: |\n    one\n\n    two  \n  b: >-\n    folded\n    text\n\n    para\n  c: |+\n    kept\n\n\n  d: >\n\n    leading blank\n  e: |-\n      deep\n       deeper\n  f: |\n    # not a comment\n    x: y\n',
    ],
    [
      'plain scalars folded over lines',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotations:\n    a: one\n     two\n            three\n    b: one  \n      two  \n    c: one\n\n      two\n\n\n      three\n    d: one\n      two # a comment\n    e: a#b\n      c#d  # comment\n    f: one\n      - two\n      [three] {four} "five" \'six\' &seven *eight !nine |ten >eleven\n    g: 1\n      2\nsecrets:\n- name: one\n   two\n- one\n two\n- - one\n   two\n',
    ],
    [
      'YAML 1.1 scalars as Kubernetes reads them',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels: {a: yes, b: off, c: 0777, e: 0x1F, f: .5, i: 1_000, j: "no", k: -1, m: 1e3}\n  annotations:\n    d: 1:30\n    h: 2001-12-14\n    nu: Null\n    g: ~\n    o: TRUE\n    p: 08\n    q: 0b101\n    l: +2\nautomountServiceAccountToken: No\n',
    ],
    [
      'keys JavaScript orders first, and keys that look like indicators',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {b: x, "10": y, a: z}\n  annotations:\n    "8080": port\n    -dash: x\n    a:b: c\n    x#y: z\n    key with spaces: v\nspec:\n  nodeSelector: {"0": b}\n',
    ],
    [
      'flow collections nested on one line',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {a: b}}\nspec: {containers: [{name: a, image: b, args: [], env: [{name: x, value: "1"}]}], volumes: []}\n',
    ],
  ];
  for (const [name, text] of taken) {
    it(`reads ${name} as js-yaml and the yaml package do`, () => {
      expect(agreed(text), name).not.toBeNull();
    });
  }

  const left: Array<[string, string]> = [
    ['a tab', 'a: b\nc:\td\n'],
    ['a character beyond ASCII', 'a: "ü"\n'],
    ['a lone carriage return', 'a: b\rc: d\n'],
    ['a byte order mark', '\ufeffa: b\n'],
    ['an anchor and an alias', 'a: &x b\nc: *x\n'],
    ['a tag', 'a: !!str b\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a merge key', 'a: {b: c}\n<<: {d: e}\n'],
    ['a merge key in a flow map', 'a: {<<: {d: e}}\n'],
    ['a key that is a boolean to Kubernetes', 'on: x\n'],
    ['a key that is a number', 'a:\n  8080: x\n'],
    ['a null key', '~: x\n'],
    ['a plain key that is a boolean in a flow map', 'a: {y: x}\n'],
    ['a duplicate key', 'a: b\na: c\n'],
    ['a duplicate key in a flow map', 'a: {b: c, b: d}\n'],
    ['__proto__', 'a: b\n__proto__: {c: d}\n'],
    ['a quoted merge key', 'a: b\n"<<": {c: d}\n'],
    ['__proto__ quoted in a flow map', "a: {'__proto__': b}\n"],
    ['an escape', 'a: "b\\nc"\n'],
    ['a quoted scalar over lines', 'a: "b\n  c"\n'],
    ['an indentation indicator', 'a: |2\n    b\n'],
    ['a comment after a block indicator', 'a: | # c\n  b\n'],
    ['an empty block scalar', 'a: |\nb: c\n'],
    ['a folded scalar with a deeper line', 'a: >\n  b\n    c\n  d\n'],
    ['a blank line deeper than a block scalar', 'a: |\n  b\n     \n  c\n'],
    ['a block scalar at the end without a line break', 'a: |\n  b'],
    ['leading blank lines deeper than a block scalar', 'a: |\n     \n  b\n'],
    ['a flow collection over lines', 'a: [b,\n  c]\n'],
    ['a trailing comma', 'a: [b, ]\n'],
    ['a plain scalar outside the flow set', 'a: {b: c:d}\n'],
    ['a flow pair without a space', 'a: {b:c}\n'],
    ['a comment glued to a quote', 'a: "b"#c\n'],
    ['a comment glued to a bracket', 'a: [b]#c\n'],
    ['text after a quoted scalar', 'a: "b" c\n'],
    ['a continuation line that is a key', 'a: b\n  c: d\n'],
    ['a folded scalar broken by a comment line', 'a: b\n  # c\n  d\n'],
    ['a continuation after a comment', 'a: b # c\n  d\n'],
    ['an empty list item', 'a:\n- \n- b\n'],
    ['a list item on the next line', 'a:\n-\n  b: c\n'],
    ['a list as the document', '- a\n- b\n'],
    ['a scalar as the document', 'a\n'],
    ['a second colon after a key', 'a: b: c\n'],
    ['a list on a key’s line', 'a: - b\n'],
    ['a key between two indentations', 'a:\n    b: c\n  d: e\n'],
    ['a line less indented than the document', '  a: b\nc: d\n'],
    ['a list item after a map entry in its column', 'a: b\n- c\n'],
    ['an infinity', 'a: .inf\n'],
    ['a scalar on the line after its key', 'a:\n  b\n'],
    ['an over-long key', `${'k'.repeat(1025)}: v\n`],
    ['a reserved indicator', 'a: @b\n'],
  ];
  for (const [name, text] of left) {
    it(`leaves ${name} to the other readers`, () => {
      expect(readBlock(text, 0, text.length), name).toBeNull();
    });
  }

  it('gives plain scalars the meaning `resolvePlain` gives them, taking its shortcuts only where they agree', () => {
    const texts = [
      ...[
        '0',
        '1',
        '10',
        '007',
        '010',
        '08',
        '1_0',
        '123456789012345',
        '1234567890123456',
        '9007199254740993',
      ],
      ...[
        '-1',
        '+1',
        '1e3',
        '.5',
        '0x1F',
        '0o17',
        '0b101',
        '1:30',
        '2001-12-14',
        '1.0',
        '12345678901234567890',
      ],
      ...['y', 'Y', 'yes', 'n', 'no', 'No', 'on', 'off', 'true', 'False', 'null', 'Null', '~', ''],
      ...[
        'abc',
        'Foo',
        'nope',
        'tea',
        'onion',
        'offset',
        'yaml',
        'trueish',
        'f',
        'o',
        'zz',
        '_1',
        '/x',
        '-x',
      ],
    ];
    for (const text of texts) expect(plainValue(text), text).toStrictEqual(resolvePlain(text).value);
    for (const text of ['.inf', '-.Inf', '.nan', '<<']) expect(() => plainValue(text), text).toThrow();
  });

  it('takes only documents of printable ASCII, line feeds and CRLF, judged within their own bounds', () => {
    /** The rule, a character at a time: a carriage return counts only with its line feed inside the document. */
    const reference = (text: string, from: number, to: number) => {
      for (let at = from; at < to; at++) {
        const code = text.charCodeAt(at);
        if ((code >= 0x20 && code <= 0x7e) || code === 0x0a) continue;
        if (code === 0x0d && at + 1 < to && text.charCodeAt(at + 1) === 0x0a) continue;
        return false;
      }
      return true;
    };
    const characters = fc.constantFrom(
      'a',
      ' ',
      '~',
      '\n',
      '\r',
      '\t',
      '\x7f',
      '\x1f',
      '\u00e9',
      '\u2028',
      '\ud83d',
    );
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 40 }), fc.nat(), fc.nat(), (chars, a, b) => {
        const text = chars.join('');
        const from = Math.min(a, b) % (text.length + 1);
        const to = from + (Math.max(a, b) % (text.length - from + 1));
        expect(plainAscii(text, from, to)).toBe(reference(text, from, to));
      }),
      { numRuns: 3000 },
    );
    // A carriage return whose line feed is past the end, and one at the very end.
    expect(plainAscii('a\r\nb', 0, 2)).toBe(false);
    expect(plainAscii('a\r\nb', 0, 4)).toBe(true);
    expect(plainAscii('ab\r', 0, 3)).toBe(false);
  });

  it('takes a known key only where the text spells exactly it, and every known key reads as plain text', () => {
    for (const key of KNOWN_KEYS) {
      expect(plainValue(key), key).toBe(key);
      const line = `  ${key}: x`;
      expect(knownKey(line, 2, 2 + key.length), key).toBe(key);
      expect(knownKey(line, 2, 1 + key.length), key).not.toBe(key);
      expect(knownKey(`${line.slice(0, -4)}X: x`, 2, 2 + key.length), key).toBeUndefined();
    }
    expect(new Set(KNOWN_KEYS).size).toBe(KNOWN_KEYS.length);
    expect(knownKey('nameé', 0, 5)).toBeUndefined();
    expect(knownKey('é', 0, 1)).toBeUndefined();
  });

  it('leaves nesting deep enough to exhaust the stack to the others, which report it', () => {
    for (const text of [
      `apiVersion: v1\nkind: ConfigMap\ndata:\n  a: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
      `apiVersion: v1\nkind: ConfigMap\ndata:\n  a:\n  ${'- '.repeat(20_000)}x\n`,
    ]) {
      expect(readBlock(text, 0, text.length)).toBeNull();
      const loaded = loadDocuments({ path: 'deep.yaml', text });
      expect(loaded.objects.length + loaded.errors.length).toBeGreaterThan(0);
    }
  });

  it('finds no document in blank lines and comments, as js-yaml’s reader does', () => {
    for (const text of ['', '\n', '# c\n', '  # c\n\n# d', '\r\n# c\r\n']) {
      expect(readBlock(text, 0, text.length), JSON.stringify(text)).toBeUndefined();
      expect(readFast(text, 0, text.length), JSON.stringify(text)).toBeUndefined();
    }
  });

  const documents = documentsOf(manifestFiles());

  it('reads nearly every generated, fixture, example and real manifest, each as the others do', () => {
    let read = 0;
    for (const { text, from, to } of documents) if (agreed(text, from, to)) read++;
    expect(documents.length).toBeGreaterThan(700);
    expect(read / documents.length).toBeGreaterThan(0.9);
  });

  const mutated = mutations(documents, 4000, 20261130);

  it('on mutated manifests, reads each document it takes as the others do, and leaves many', () => {
    let read = 0;
    for (const text of mutated) if (agreed(text)) read++;
    // Both outcomes are common: the mutations test what it takes and what it leaves.
    expect(read).toBeGreaterThan(mutated.length / 5);
    expect(read).toBeLessThan(mutated.length * 0.9);
  });

  it.skipIf(ORACLE_MISSING)(
    because(ORACLE_MISSING, 'on mutated manifests, reads each document it takes as Kubernetes does'),
    () => {
      const takenTexts = mutated.filter((text) => readBlock(text, 0, text.length));
      const kubernetes = readAsKubernetes(takenTexts);
      takenTexts.forEach((text, index) => {
        const [document, ...rest] = kubernetes[index]!;
        expect(rest, text).toEqual([]);
        // The JSON Kubernetes gets (a list also says what it applies of its items: the loader's concern, not this).
        expect(document && 'json' in document ? document.json : document, text).toEqual(
          readBlock(text, 0, text.length)!.value,
        );
      });
    },
  );
});

interface Document {
  text: string;
  from: number;
  to: number;
}

function documentsOf(files: readonly SourceFile[]): Document[] {
  const found: Document[] = [];
  for (const { path, text } of files) {
    if (path.endsWith('.json') || text.includes('{{')) continue;
    for (const [from, to] of documentChunks(text) ?? []) {
      if (/^\s*[^\s#]/m.test(text.slice(from, to))) found.push({ text, from, to });
    }
  }
  return found;
}

/** Small edits of the kinds that change what YAML means, at seeded random places. */
const INSERTS = [
  ' ',
  '  ',
  '-',
  '- ',
  ':',
  ': ',
  '#',
  ' #',
  '"',
  "'",
  '\n',
  '\r\n',
  '|',
  '>',
  '|-',
  '>+',
  '[',
  ']',
  '{',
  '}',
  ',',
  ', ',
  '?',
  '&a ',
  '*a',
  '!',
  '%',
  '@',
  '\t',
  'x',
  '0',
  '~',
  '.inf',
  '\\',
  '<<',
  'on',
  '\n- ',
  '\n  ',
];

function mutations(documents: readonly Document[], count: number, seed: number): string[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const texts: string[] = [];
  for (let index = 0; index < count; index++) {
    const document = pick(documents);
    let text = document.text.slice(document.from, document.to);
    const edits = 1 + Math.floor(next() * 3);
    for (let edit = 0; edit < edits; edit++) {
      const lines = text.split('\n');
      const line = Math.floor(next() * lines.length);
      const kind = next();
      if (kind < 0.45) {
        // An insertion, mostly where structure is: a line's start, its indentation's end, after a colon.
        const target = lines[line]!;
        const places = [
          0,
          target.length - target.trimStart().length,
          target.indexOf(': ') + 2,
          target.length,
        ];
        const at =
          next() < 0.6
            ? pick(places.filter((place) => place >= 0))
            : Math.floor(next() * (target.length + 1));
        lines[line] = target.slice(0, at) + pick(INSERTS) + target.slice(at);
      } else if (kind < 0.6) {
        const target = lines[line]!;
        const at = Math.floor(next() * target.length);
        lines[line] = target.slice(0, at) + target.slice(at + 1 + Math.floor(next() * 3));
      } else if (kind < 0.8) {
        // Indentation one or two spaces off.
        const shift = pick([-2, -1, 1, 2]);
        lines[line] =
          shift > 0
            ? ' '.repeat(shift) + lines[line]
            : lines[line]!.replace(shift === -1 ? /^ / : /^ {1,2}/, '');
      } else if (kind < 0.9) {
        lines.splice(line, 0, lines[line]!);
      } else {
        lines.splice(line, 1);
      }
      text = lines.join('\n');
    }
    texts.push(text);
  }
  return texts;
}
