import { describe, expect, it } from 'vitest';
import { loadDocuments } from '../src/core/load.js';
import { spanOf } from '../src/core/locate.js';
import { yaml } from './helpers.js';

const load = (text: string, path = 'manifest.yaml') => loadDocuments({ path, text });

describe('loadDocuments', () => {
  it('reads every document of a multi-document file', () => {
    const result = load(yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: a}
      ---
      # a comment-only preamble
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: b}
      ---
    `);
    expect(result.objects.map((object) => object.value.metadata)).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(result.objects.map((object) => object.docIndex)).toEqual([0, 1]);
    expect(result.errors).toEqual([]);
  });

  it('expands List items, keeping their place for line numbers', () => {
    const result = load(yaml`
      apiVersion: v1
      kind: List
      items:
        - apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: first
        - apiVersion: v1
          kind: ServiceAccount
          metadata:
            name: second
    `);
    expect(result.objects).toHaveLength(2);
    expect(result.objects[1]!.basePath).toEqual(['items', 1]);
    expect(spanOf(result.objects[1]!, ['metadata', 'name'])).toEqual({ line: 11, endLine: 11 });
  });

  it('reads any document with `items` as kubectl does: a list, whose untyped items take its kind', () => {
    const pod = '{metadata: {name: p}, spec: {containers: [{name: a, image: a}]}}';
    // A typed list: items without apiVersion and kind are Pods of v1, as kubectl's decoding makes them.
    const typed = load(`apiVersion: v1\nkind: PodList\nitems:\n  - ${pod}\n`);
    expect(typed.errors).toEqual([]);
    expect(typed.objects.map((object) => [object.value.apiVersion, object.value.kind])).toEqual([
      ['v1', 'Pod'],
    ]);
    expect(spanOf(typed.objects[0]!, ['metadata', 'name']).line).toBe(4);
    // Any kind with `items` is flattened; the ConfigMap itself is not applied, its items are.
    const disguised = load(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems:\n  - {apiVersion: v1, kind: Pod, ${pod.slice(1)}\n`,
    );
    expect(disguised.objects.map((object) => object.value.kind)).toEqual(['Pod']);
    // An item naming only one of the two is refused by kubectl: not judged.
    expect(load(`apiVersion: v1\nkind: List\nitems:\n  - {kind: Pod, ${pod.slice(1)}\n`).objects).toEqual([]);
    // `items: null` makes no list: the document is applied as itself.
    const itself = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nitems: null\n`);
    expect([itself.objects.map((object) => object.value.kind), itself.errors]).toEqual([['Pod'], []]);
  });

  it('refuses a list kubectl refuses: `items` that is no list, or an item that is no object', () => {
    expect(load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nitems: {a: b}\n').errors).toEqual([
      {
        file: 'manifest.yaml',
        line: 4,
        message: expect.stringMatching(/^`items` is not a list: kubectl/) as string,
      },
    ]);
    expect(load('apiVersion: v1\nkind: List\nitems:\n  - x\n').errors).toEqual([
      { file: 'manifest.yaml', line: 3, message: '`items[0]` is not an object: kubectl refuses the list' },
    ]);
  });

  it('reads JSON manifests with line numbers', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "ServiceAccount",\n  "metadata": {\n    "name": "json-sa"\n  }\n}\n';
    const result = load(text, 'sa.json');
    expect(result.objects).toHaveLength(1);
    expect(spanOf(result.objects[0]!, ['metadata', 'name']).line).toBe(5);
  });

  it('quietly skips YAML that is not a Kubernetes object', () => {
    const result = load(yaml`
      name: CI
      on: [push]
      jobs: {}
      ---
      services:
        web: {image: nginx}
      ---
      - just
      - a list
      ---
      plain scalar
    `);
    expect(result.objects).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.notices).toEqual([]);
  });

  it('reads booleans the way the API server does (YAML 1.1)', () => {
    const result = load(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x}\nautomountServiceAccountToken: no\n',
    );
    expect(result.objects[0]!.value.automountServiceAccountToken).toBe(false);
  });

  it('reports a syntax error with its line and keeps the other documents', () => {
    const result = load(yaml`
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: ok}
      ---
      apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: [broken
    `);
    expect(result.objects.map((object) => (object.value.metadata as { name: string }).name)).toEqual(['ok']);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      file: 'manifest.yaml',
      message: expect.stringMatching(/YAML syntax error/),
    });
    expect(result.errors[0]!.line).toBeGreaterThanOrEqual(7);
  });

  it('reports duplicate keys as errors naming the line', () => {
    const result = load('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\nkind: Secret\n');
    expect(result.errors).toEqual([
      { file: 'manifest.yaml', line: 4, message: expect.stringMatching(/duplicate key/) },
    ]);
  });

  it('skips Go templates outside a chart with a notice, not an error', () => {
    const result = load(yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: {{ .Release.Name }}
      spec:
        replicas: {{ .Values.replicas }}
    `);
    expect(result.objects).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]!.message).toMatch(/Go template/);
  });

  it('checks the documents of a templated file that are no template: kubectl applies them', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: a, image: a}]\n';
    const result = load(`${pod}---\n{{ placeholder }}: 1\n---\nname: {{ .Release.Name }}\n`);
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Pod']);
    expect(result.errors).toEqual([]);
    expect(result.notices).toEqual([
      {
        file: 'manifest.yaml',
        message: expect.stringContaining('the documents at lines 6, 8 skipped, the others checked') as string,
      },
    ]);
  });

  it('reports a broken document without template markers of its own, in a file that has some elsewhere', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: a, image: a}]\n';
    const result = load(`${pod}  note: "{{"\n---\nbad: [unclosed\n`);
    expect(result.errors).toEqual([
      {
        file: 'manifest.yaml',
        line: expect.any(Number) as number,
        message: expect.stringMatching(/^YAML syntax error/) as string,
      },
    ]);
    expect(result.notices).toEqual([]);
  });

  it('keeps manifests whose string values hold template text', () => {
    const result = load(yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: alerts
      data:
        rule: |
          summary: "{{ $labels.instance }} is down"
        inline: "{{ .Values.notATemplateHere }}"
    `);
    // Read, not skipped: one document, a ConfigMap no rule reads.
    expect(result.documents).toBe(1);
    expect(result.inert).toBe(1);
    expect(result.errors).toEqual([]);
    expect(result.notices).toEqual([]);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let index = 1; index < 9; index++) {
      const previous = String.fromCharCode(96 + index);
      const name = String.fromCharCode(97 + index);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
    const result = load(text);
    expect(result.objects).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(/alias/i);
  });
});

describe('spanOf', () => {
  const object = load(yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          serviceAccountName: web
          containers:
            - name: app
              image: nginx
  `).objects[0]!;

  it('points at a key with a scalar value', () => {
    expect(spanOf(object, ['spec', 'template', 'spec', 'serviceAccountName'])).toEqual({
      line: 8,
      endLine: 8,
    });
  });

  it('points at the key of a collection', () => {
    expect(spanOf(object, ['spec', 'template', 'spec'])).toEqual({ line: 7, endLine: 7 });
  });

  it('falls back to the closest existing ancestor', () => {
    expect(spanOf(object, ['spec', 'template', 'spec', 'volumes', 0])).toEqual({ line: 7, endLine: 7 });
    expect(spanOf(object, ['status'])).toEqual({ line: 1, endLine: 1 });
  });
});
