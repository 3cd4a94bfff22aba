/**
 * Documents that cannot matter to any rule are read by a fast parser and blanked before the full parse. These tests
 * hold that this changes nothing the user sees: same objects, same lines and offsets, same errors, same findings.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/core/apply.js';
import { loadDocuments } from '../src/core/load.js';
import { generateCorpus } from '../bench/generate-corpus.js';
import { findingsOf, scan, yaml } from './helpers.js';

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
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Deployment']);
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

  it('leave files with directives or content on a marker line to the full parse', () => {
    for (const text of [
      `%YAML 1.1\n---\n${SERVICE}\n---\n${DEPLOYMENT}`,
      `--- ${'{apiVersion: v1, kind: Service, metadata: {name: a}}'}\n---\n${SERVICE}`,
    ]) {
      const result = load(text);
      expect(result.inert).toBe(0);
      expect(result.errors).toEqual([]);
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

/** The plain data and source range of every document, read by the full parser alone. */
function fullParse(text: string): Array<{ value: unknown; range: number[] }> {
  return parseAllDocuments(text, { version: '1.1', uniqueKeys: true }).map((doc) => ({
    value: doc.errors.length > 0 ? 'error' : doc.toJS({ maxAliasCount: 1000 }),
    range: [...doc.range],
  }));
}

function filesIn(folder: string): Array<{ path: string; text: string }> {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ya?ml|json)$/.test(entry.name))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path, 'utf8') };
    });
}

describe('the fast path agrees with the full parse', () => {
  const corpus = mkdtempSync(join(tmpdir(), 'ktg-corpus-'));
  generateCorpus(400, corpus);
  const files = [
    ...filesIn(corpus),
    ...filesIn(join(import.meta.dirname, 'fixtures/fix-styles')),
    ...filesIn(join(import.meta.dirname, '../../shared/corpus/manifests')),
  ];

  it('on generated, styled and real manifests: same objects at the same documents', () => {
    let inert = 0;
    for (const file of files) {
      const result = loadDocuments(file);
      inert += result.inert;
      const full = fullParse(file.text);
      for (const object of result.objects) {
        const expected = full[object.docIndex]!.value as Record<string, unknown>;
        expect(object.doc.range, `${file.path} document ${object.docIndex}`).toEqual(
          full[object.docIndex]!.range,
        );
        const value = object.itemIndex === null ? expected : (expected.items as unknown[])[object.itemIndex];
        expect(object.value, `${file.path} document ${object.docIndex}`).toEqual(value);
      }
      const modelled = new Set(result.objects.map((object) => object.docIndex));
      expect(result.documents, file.path).toBe(full.filter((doc) => doc.value !== null).length);
      expect(modelled.size + result.inert, file.path).toBeLessThanOrEqual(result.documents);
    }
    // The generated corpus has CustomResourceDefinitions, Services and ConfigMaps: the fast path was taken.
    expect(inert).toBeGreaterThan(50);
  });
});
