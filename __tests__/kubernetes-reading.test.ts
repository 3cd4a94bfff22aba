/**
 * Issue 15.2: documents are read as Kubernetes reads them, or reported. The API server and kubectl read YAML with
 * `sigs.k8s.io/yaml` (go-yaml v2): a `<<` merge overwrites a key written above it in the same map, where YAML 1.1
 * readers keep the written key; kubectl decodes UTF-16 behind a byte order mark (k8s.io/cli-runtime's FileVisitor uses
 * `unicode.BOMOverride`). Before, `roleRef: {name: view, <<: {name: cluster-admin}}` was judged as `view` ("No
 * findings" on a cluster-admin binding) and a UTF-16 manifest was skipped as binary.
 */
import { describe, expect, it } from 'vitest';
import { decodeFile } from '../src/adapters/decode.js';
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
