/**
 * The origins of kustomize's output (src/adapters/kustomize-origin.ts): taken out of the text where kustomize wrote
 * them its own way, else with the `yaml` package; either way the same documents, data and origins.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ORIGIN_ANNOTATION, originDocuments, takeOriginFromText } from '../src/adapters/kustomize-origin.js';
import { KUSTOMIZE, NO_KUSTOMIZE, because } from './tools.js';

/** What the `yaml` package makes of the output: the reference. */
function reference(output: string): Array<{ data: unknown; path: string | null }> {
  return parseAllDocuments(output).map((document) => {
    const origin = document.getIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
    const path = typeof origin === 'string' ? (/^path:\s*(.+)$/m.exec(origin)?.[1]?.trim() ?? null) : null;
    document.deleteIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
    const annotations = document.getIn(['metadata', 'annotations']) as { items?: unknown[] } | undefined;
    if (annotations?.items?.length === 0) document.deleteIn(['metadata', 'annotations']);
    return { data: load(document.toString()), path };
  });
}

const read = (output: string) =>
  originDocuments(output).map(({ text, path }) => ({ data: load(text), path }));

const OUTPUT = [
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  annotations:',
  '    config.kubernetes.io/origin: |',
  '      path: base/sa.yaml',
  '  name: api',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'data:',
  '  script: |',
  '    metadata:',
  '      annotations:',
  '',
  '    ---',
  'metadata:',
  '  annotations:',
  '    a.example/first: "1"',
  '    config.kubernetes.io/origin: |',
  '      path: ../common/cm.yaml',
  '      ref: v1.2.0',
  '    z.example/last: |',
  '      two',
  '',
  '      lines',
  '  name: settings',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  annotations:',
  '    config.kubernetes.io/origin: |',
  '      configuredIn: kustomization.yaml',
  '      configuredBy:',
  '        apiVersion: builtin',
  '        kind: ConfigMapGenerator',
  '  name: generated-5f7b',
  '---',
  'apiVersion: v1',
  'kind: Namespace',
  'metadata: {name: flow, annotations: {config.kubernetes.io/origin: "path: ns.yaml\\n"}}',
  '',
].join('\n');

describe('originDocuments', () => {
  it('reads what the yaml package reads, origins included', () => {
    expect(read(OUTPUT)).toEqual(reference(OUTPUT));
    expect(read(OUTPUT).map((document) => document.path)).toEqual([
      'base/sa.yaml',
      '../common/cm.yaml',
      null,
      'ns.yaml',
    ]);
  });

  it('takes the annotation out of the text, and the annotations map when it was the only one', () => {
    const [first, second] = OUTPUT.split(/^---$\n/m);
    expect(takeOriginFromText(first!)).toEqual({
      text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n',
      path: 'base/sa.yaml',
    });
    const taken = takeOriginFromText(second!)!;
    expect(taken.path).toBe('../common/cm.yaml');
    expect(taken.text).toContain('    a.example/first: "1"\n    z.example/last: |\n');
    expect(taken.text).not.toContain(ORIGIN_ANNOTATION);
  });

  it('keeps a document the yaml package cannot read as it is, for the scan to report', () => {
    const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x}\n';
    expect(originDocuments(`${OUTPUT}---\n${broken}`).at(-1)).toEqual({ text: broken, path: null });
  });

  it('leaves documents written otherwise to the yaml package', () => {
    const [, , generated, flow] = OUTPUT.split(/^---$\n/m);
    expect(takeOriginFromText(generated!)).toBeNull();
    expect(takeOriginFromText(flow!)).toBeNull();
    expect(takeOriginFromText('apiVersion: v1\nkind: List\nitems: []\n')).toBeNull();
  });

  it.skipIf(NO_KUSTOMIZE)(
    because(NO_KUSTOMIZE, 'reads a real build of the fixtures as the yaml package does'),
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ktg-origin-'));
      cpSync(join(import.meta.dirname, 'fixtures/corpus'), join(dir, 'corpus'), { recursive: true });
      // The fixtures' plain manifests (no chart files), each a list of whole objects.
      const resources = (readdirSync(join(dir, 'corpus'), { recursive: true }) as string[])
        .map((path) => `corpus/${path}`)
        .filter((path) => path.endsWith('.yaml') && !/\/templates\/|Chart|values/.test(path))
        .filter((path) => {
          try {
            return loadAll(readFileSync(join(dir, path), 'utf8')).every(
              (document) => document === null || (typeof document === 'object' && 'metadata' in document),
            );
          } catch {
            return false;
          }
        });
      expect(resources.length).toBeGreaterThan(3);
      writeFileSync(
        join(dir, 'kustomization.yaml'),
        `resources:\n${resources.map((path) => `  - ${path}`).join('\n')}\nbuildMetadata: [originAnnotations]\n`,
      );
      const output = execFileSync(KUSTOMIZE!, ['build', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const documents = read(output);
      expect(documents.length).toBeGreaterThan(20);
      expect(documents).toEqual(reference(output));
      expect(documents.every((document) => document.path !== null)).toBe(true);
    },
  );
});
