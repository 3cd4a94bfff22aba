/**
 * Issue 15.2: documents are read as Kubernetes reads them, or reported. The API server and kubectl read YAML with
 * `sigs.k8s.io/yaml` (go-yaml v2): a `<<` merge overwrites a key written above it in the same map, where YAML 1.1
 * readers keep the written key; kubectl decodes UTF-16 behind a byte order mark (k8s.io/cli-runtime's FileVisitor uses
 * `unicode.BOMOverride`). Before, `roleRef: {name: view, <<: {name: cluster-admin}}` was judged as `view` ("No
 * findings" on a cluster-admin binding) and a UTF-16 manifest was skipped as binary. Plain scalars follow go-yaml v2
 * (`0o17` is 15, `1:20` is text), and what Kubernetes reads in its own way (other tags, keys JSON cannot take,
 * infinities, YAML 1.1 line breaks such as U+2028) is an error. The Go oracle holds all of it to Kubernetes itself
 * (kubernetes-oracle.test.ts); this file pins down the messages and lines users see.
 */
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../src/adapters/decode.js';
import { loadDocuments } from '../src/core/load.js';
import { scan } from './helpers.js';

const BINDING = (roleRef: string) =>
  `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: app}\nroleRef: ${roleRef}\n` +
  'subjects: [{kind: ServiceAccount, name: app, namespace: shop}]\n';

describe('merge keys', () => {
  it('a merge that overwrites a key written above it is an error naming the key: the readers disagree', () => {
    const result = scan(
      BINDING(
        '{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view, <<: {name: cluster-admin}}',
      ),
    );
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: 'manifest.yaml',
        line: 4,
        message:
          'YAML merge key: `<<` here sets `name`, which this map also sets above it. Kubernetes reads the merged value, other YAML readers the one written in the map; write the field once.',
      },
    ]);
  });

  it('through an anchor, in a block map too', () => {
    const anchored =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: app\n' +
      '  labels: &admin {name: cluster-admin}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n' +
      '  name: view\n  <<: *admin\nsubjects: [{kind: ServiceAccount, name: app, namespace: shop}]\n';
    const result = scan(anchored);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 10,
        message: expect.stringMatching(/^YAML merge key: `<<` here sets `name`/),
      }),
    ]);
  });

  it('a merge whose keys the map writes after it reads the same everywhere, and is judged', () => {
    const result = scan(
      BINDING(
        '{<<: {name: view}, apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId)).toContain('sa-privileged-rbac');
  });
});

describe('encodings', () => {
  const TEXT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app}\n';

  it('UTF-16 with a byte order mark, little or big endian, is decoded', () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
    const big = Buffer.from(little.subarray(2)).swap16();
    expect(decodeFile('a.yaml', little)).toEqual({ path: 'a.yaml', text: TEXT, encoding: 'utf-16le' });
    expect(decodeFile('a.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), big]))).toEqual({
      path: 'a.yaml',
      text: TEXT,
      encoding: 'utf-16be',
    });
  });

  it('UTF-16 without a byte order mark is not read, as kubectl does not read it', () => {
    expect(decodeFile('a.yaml', Buffer.from(TEXT, 'utf16le'))).toMatchObject({ file: 'a.yaml', line: null });
  });

  it('findings of a UTF-16 file carry no fix: fixes are UTF-8 edits', () => {
    const worker =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, namespace: shop}\nspec:\n  selector: {matchLabels: {a: b}}\n' +
      '  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers: [{name: a, image: b}]\n';
    const decoded = decodeFile(
      'w.yaml',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(worker, 'utf16le')]),
    );
    const result = scan([decoded as { path: string; text: string }]);
    const automount = result.findings.find((finding) => finding.ruleId === 'automount-token')!;
    expect(automount).toBeDefined();
    expect(automount.fix).toBeNull();
  });
});

const ACCOUNT = (extra: string) =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: shop\n${extra}`;

describe('scalars mean what they mean to Kubernetes (go-yaml v2 rules, not YAML 1.1 or 1.2)', () => {
  it('0o and 0x prefixes are integers, base 60 and timestamps are text', () => {
    const result = scan(ACCOUNT('metadata2: {a: 0o17, b: 0X1F, c: 1:20, d: 2001-12-14, e: 08}\n'));
    expect(result.errors).toEqual([]);
  });

  it('an explicitly tagged boolean is read, and a mistyped tag is an error on its line', () => {
    const tagged = scan(ACCOUNT('automountServiceAccountToken: !!bool "false"\n'));
    expect(tagged.errors).toEqual([]);
    expect(tagged.findings.map((finding) => finding.ruleId)).not.toContain('automount-token');
    const mistyped = scan(ACCOUNT('automountServiceAccountToken: !!bool "maybe"\n'));
    expect(mistyped.errors).toEqual([
      { file: 'manifest.yaml', line: 6, message: 'YAML syntax error: cannot read "maybe" as a !!bool' },
    ]);
  });
});

describe('what Kubernetes reads in its own way is an error naming the line, and nothing of the document is judged', () => {
  const refused: Array<[string, string, number, RegExp]> = [
    [
      'a tag other than the core ones',
      'automountServiceAccountToken: !custom false\n',
      6,
      /^YAML tag `!custom`: /,
    ],
    ['a !!binary tag', 'note: !!binary aGk=\n', 6, /^YAML tag `!!binary`: /],
    ['an infinity', 'note: .inf\n', 6, /^YAML value `\.inf`: JSON, and so Kubernetes, cannot carry it\.$/],
    ['a null key', 'labels: {~: a}\n', 6, /^YAML map key `~`: Kubernetes cannot read it as a field name/],
    ['a float key', 'labels:\n  1.5: a\n', 7, /^YAML map key `1\.5`: /],
    ['a collection key', 'labels: {[a]: b}\n', 6, /^YAML map key written as a collection: /],
    [
      'two keys that are one field',
      'labels:\n  1: a\n  "1": b\n',
      8,
      /^YAML map key `1` is the same field to Kubernetes as the key on the line above with the same name \(`1`\)/,
    ],
    [
      'a comment ended by a line separator',
      'x: 1 # c\u2028automountServiceAccountToken: true\n',
      6,
      /^a line separator \(U\+2028\): Kubernetes reads it as a line break/,
    ],
    [
      'a carriage return alone',
      'x: 1\rautomountServiceAccountToken: true\n',
      6,
      /^a carriage return without a line feed: Kubernetes reads it as a line break/,
    ],
  ];
  it.each(refused)('%s', (_name, extra, line, message) => {
    const result = scan(ACCOUNT(extra));
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([{ file: 'manifest.yaml', line, message: expect.stringMatching(message) }]);
  });

  it('a separator line `---#comment` splits documents, as kubectl splits them', () => {
    const text = `${ACCOUNT('')}---# next\n${ACCOUNT('automountServiceAccountToken: true\n')}`;
    const result = loadDocuments({ path: 'manifest.yaml', text });
    expect(result.errors).toEqual([]);
    expect(result.objects.map((object) => object.value.automountServiceAccountToken)).toEqual([
      undefined,
      true,
    ]);
  });
});
