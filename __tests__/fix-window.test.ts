/**
 * The fix check made on the edited entries of a map (`src/core/fix-window.ts`) must give the answer of the check that
 * reads the whole edited document, for every edit: the fixes the rules make, and edits that try to reach past the
 * window (block scalars, open quotes and brackets, document markers, lines indented less or more than the map, keys
 * that already exist, anchors and aliases), each judged against several intended changes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { editReadsAs } from '../src/core/fix-check.js';
import { windowReading } from '../src/core/fix-window.js';
import { removeEntry, renameKey, setMapEntry } from '../src/core/fix.js';
import { KUBERNETES_SCHEMA } from '../src/core/kubernetes-scalars.js';
import { type LoadedObject, type PathSegment, loadDocuments } from '../src/core/load.js';
import { nodeAt } from '../src/core/locate.js';
import type { TreeNode } from '../src/core/tree.js';
import type { TextEdit } from '../src/core/types.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = [
  ...['argo-cd-install.yaml', 'microservices-demo.yaml'].map((name) =>
    join(ROOT, '__tests__/fixtures/corpus', name),
  ),
  ...readdirSync(join(ROOT, '__tests__/fixtures/fix-styles')).map((name) =>
    join(ROOT, '__tests__/fixtures/fix-styles', name),
  ),
];

const SYNTHETIC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # the name
  labels: {app: web}
spec:
  template:
    spec:
      # the account
      serviceAccountName: web
      containers:
        - name: web
          image: web
          args:
            - --a
            - --b
      note: |
        kept
      folded: >-
        a
        b
      plain: a long
        plain scalar
      empty:
      quoted: "x
        y"
      last: 1
        # a comment deeper than the map's keys, then blank lines

---
kind: ServiceAccount
apiVersion: v1
metadata:
    name: four
    namespace: spaces
# a comment at the start of a line

`;

type Container = Record<string | number, unknown>;

function objectsOf(path: string, text: string): LoadedObject[] {
  return loadDocuments({ path, text }).objects.filter((object) => object.doc.fast);
}

/** Paths (from the object) of every block map with two entries or more, up to `limit`. */
function blockMaps(object: LoadedObject, limit: number): PathSegment[][] {
  const found: PathSegment[][] = [];
  const walk = (node: TreeNode | undefined, path: PathSegment[]) => {
    if (!node || found.length >= limit) return;
    if (node.kind === 'map') {
      if (!node.flow && node.items.length >= 2) found.push(path);
      for (const item of node.items) if (item.key) walk(item.value, [...path, item.key.value as string]);
    } else if (node.kind === 'seq') {
      node.items.forEach((item, index) => walk(item, [...path, index]));
    }
  };
  walk(nodeAt(object, []), []);
  return found;
}

const SNIPPETS = [
  'x: 1',
  'x: |',
  'x: >',
  'x: "open',
  "x: 'open",
  'x: [1,',
  'x: {a: 1',
  '---',
  '...',
  '%YAML 1.1',
  '- item',
  '# comment',
  'x: &a 1',
  'x: *a',
  'x: !!str 1',
  '<<: {m: 1}',
  'name: again',
  'x:',
  '? x',
  '  deeper: 1',
  'x: |+',
  'x: |2',
  'x: >-',
  'x: a',
  '  b',
];

/** Edits around each entry of the map at `path`: lines of `SNIPPETS` at three indentations, in three places. */
function hostileEdits(object: LoadedObject, path: readonly PathSegment[]): TextEdit[][] {
  const map = nodeAt(object, path);
  if (map?.kind !== 'map') return [];
  const text = object.file.text;
  const edits: TextEdit[][] = [];
  for (const item of map.items.slice(0, 4)) {
    const key = item.key!;
    const lineStart = text.lastIndexOf('\n', key.start - 1) + 1;
    const lineEnd = text.indexOf('\n', item.value.end);
    const column = key.start - lineStart;
    for (const snippet of SNIPPETS) {
      for (const indent of [column, column + 2, Math.max(0, column - 2)]) {
        const line = `${' '.repeat(indent)}${snippet}`;
        edits.push([{ start: lineStart, end: lineStart, text: `${line}\n` }]);
        if (lineEnd !== -1) edits.push([{ start: lineEnd, end: lineEnd, text: `\n${line}` }]);
      }
      edits.push([{ start: item.value.start, end: item.value.end, text: snippet }]);
    }
    if (lineEnd !== -1) edits.push([{ start: lineStart, end: lineEnd + 1, text: '' }]);
  }
  return edits;
}

/** Intended changes to judge an edit against: none, one new key, and what reading the whole edited text gives. */
function intendedChanges(
  object: LoadedObject,
  edits: TextEdit[],
  path: readonly PathSegment[],
): Array<(container: Container) => boolean> {
  const changes: Array<(container: Container) => boolean> = [
    () => true,
    (container) => {
      container.x = 1;
      return true;
    },
  ];
  const { start, end } = object.doc;
  const text = object.file.text;
  let edited = text.slice(start, end);
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    edited = `${edited.slice(0, edit.start - start)}${edit.text}${edited.slice(edit.end - start)}`;
  }
  try {
    const [value] = loadAll(edited, null, { schema: KUBERNETES_SCHEMA });
    let read = value as Container;
    for (const segment of [...object.basePath, ...path]) read = read[segment] as Container;
    if (typeof read === 'object' && read !== null && !Array.isArray(read)) {
      changes.push((container) => {
        for (const key of Object.keys(container)) delete container[key];
        Object.assign(container, read);
        return true;
      });
    }
  } catch {
    // The whole check rejects it too.
  }
  return changes;
}

describe('the fix check on the edited entries', () => {
  const cases = [
    ...FIXTURES.map((path) => ({ path, text: readFileSync(path, 'utf8') })),
    { path: 'synthetic.yaml', text: SYNTHETIC },
  ];

  it('agrees with the whole check on the fixes the rules make', () => {
    let checked = 0;
    for (const { path, text } of cases) {
      for (const object of objectsOf(path, text).slice(0, 40)) {
        for (const mapPath of blockMaps(object, 6)) {
          const map = nodeAt(object, mapPath);
          if (map?.kind !== 'map') continue;
          const keys = map.items.map((item) => item.key!.value as string);
          const fixes = [
            setMapEntry(object, mapPath, 'automountServiceAccountToken', 'false', 'first'),
            setMapEntry(object, mapPath, 'automountServiceAccountToken', 'false', 'last'),
            ...keys.slice(0, 3).map((key) => setMapEntry(object, mapPath, 'x', 'true', { after: [key] })),
            ...keys.slice(0, 3).map((key) => renameKey(object, [...mapPath, key], `${key}Renamed`)),
            ...keys.slice(0, 3).map((key) => removeEntry(object, [...mapPath, key])),
          ];
          for (const fix of fixes) {
            if (!fix) continue;
            checked++;
            for (const mutate of intendedChanges(object, fix.edits, mapPath)) {
              expect(editReadsAs(object, fix.edits, mapPath, mutate)).toBe(
                editReadsAs(object, fix.edits, mapPath, mutate, false),
              );
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('reads what the whole edited document reads, on edits that try to reach past the window', () => {
    let decided = 0;
    let refused = 0;
    for (const { path, text } of cases) {
      for (const object of objectsOf(path, text).slice(0, 3)) {
        for (const mapPath of blockMaps(object, 3)) {
          let original = object.value as Container;
          for (const segment of mapPath) original = original[segment] as Container;
          for (const edits of hostileEdits(object, mapPath)) {
            const reading = windowReading(object, edits, mapPath, original);
            if (reading === undefined) {
              refused++;
              continue;
            }
            decided++;
            // The whole document, read again, must be the original with exactly that map in place of the old one.
            const replaced = (container: Container) => {
              for (const key of Object.keys(container)) delete container[key];
              Object.assign(container, reading);
              return true;
            };
            expect(editReadsAs(object, edits, mapPath, replaced, false), JSON.stringify(edits)).toBe(true);
            for (const mutate of intendedChanges(object, edits, mapPath)) {
              expect(editReadsAs(object, edits, mapPath, mutate), JSON.stringify(edits)).toBe(
                editReadsAs(object, edits, mapPath, mutate, false),
              );
            }
          }
        }
      }
    }
    expect(decided).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });
});
