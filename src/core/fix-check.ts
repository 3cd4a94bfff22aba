import { isDeepStrictEqual } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { loadAll as loadAllQuickly } from 'js-yaml';
import { applyEdits } from './apply.js';
import type { LoadedObject, PathSegment } from './load.js';
import type { ShallowMap } from './tree-types.js';
import type { TextEdit } from './types.js';
import { KUBERNETES_PARSE_OPTIONS, KUBERNETES_SCHEMA } from './kubernetes-scalars.js';
import { sameData } from './same-data.js';
import { windowReadsAs } from './fix-window.js';

/**
 * The check every fix passes before it is offered: the edited document is parsed again, by the parser that read the
 * original, and must equal the original with exactly the intended change.
 */

// `logLevel: 'error'`: yaml's warnings go to the process's stderr and quote the source (a Secret's, say).
export const PARSE_OPTIONS = {
  ...KUBERNETES_PARSE_OPTIONS,
  uniqueKeys: true,
  prettyErrors: false,
  logLevel: 'error',
} as const;
export const MAX_ALIAS_COUNT = 1000;

/**
 * Whether the document edited by `edits` parses to exactly the original with `mutate` applied to the container at
 * `path` (from the object), and nothing else: no other field, no other document, no comment turned into content.
 * The edited entries are read alone when that tells what the whole document would (see `fix-window.ts`); `window`
 * false reads the whole document always (the reference the window is tested against). `map`: the container's node,
 * when the caller has it at hand.
 */
export function editReadsAs(
  object: LoadedObject,
  edits: TextEdit[],
  path: readonly PathSegment[],
  mutate: (container: Record<string | number, unknown>) => boolean,
  window = true,
  map?: ShallowMap,
): boolean {
  const text = object.file.text;
  const { start, end } = object.doc;
  if (edits.some((edit) => edit.start < start || edit.end > end)) return false;
  const fullPath = [...object.basePath, ...path];
  const expected = copiedAlong(object.doc.value, fullPath);
  if (expected === undefined || !mutate(expected.container)) return false;
  const inWindow = window
    ? windowReadsAs(object, edits, path, valueAt(object.doc.value, fullPath), expected.container, map)
    : undefined;
  if (inWindow !== undefined) return inWindow;
  const shifted = edits.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start }));
  const edited = applyEdits(text.slice(start, end), shifted);
  return object.doc.fast ? readsQuicklyAs(edited, expected.root) : readsFullyAs(edited, expected.root);
}

/**
 * `root` with each container on `path` copied, the rest shared: the last container can then be changed without
 * touching the document's data, at the cost of a few objects rather than a copy of the whole document. Undefined when
 * `path` does not lead to a container.
 */
function copiedAlong(
  root: unknown,
  path: readonly PathSegment[],
): { root: unknown; container: Record<string | number, unknown> } | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  const top = shallowCopy(root);
  let container = top;
  for (const segment of path) {
    const next = container[segment];
    if (next === null || typeof next !== 'object') return undefined;
    container = container[segment] = shallowCopy(next);
  }
  return { root: top, container };
}

function valueAt(root: unknown, path: readonly PathSegment[]): Record<string | number, unknown> {
  let value = root as Record<string | number, unknown>;
  for (const segment of path) value = value[segment] as Record<string | number, unknown>;
  return value;
}

function shallowCopy(value: object): Record<string | number, unknown> {
  if (Array.isArray(value)) return [...(value as unknown[])] as unknown as Record<number, unknown>;
  // A spread defines each own property as it is (a key named `__proto__` stays a key) on a plain object.
  if (Object.getPrototypeOf(value) === Object.prototype) return { ...value } as Record<string, unknown>;
  // Any other prototype is kept: own properties one by one.
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    Object.defineProperty(copy, key, {
      value: (value as Record<string, unknown>)[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return copy;
}

/**
 * The check for a document js-yaml read: the edited text is read by the same parser and schema. Both sides come from
 * one parser, so "did the edit change exactly the intended field" has the same answer as with the full parser, at a
 * seventh of the cost.
 */
function readsQuicklyAs(edited: string, expected: unknown): boolean {
  try {
    const documents = loadAllQuickly(edited, null, { schema: KUBERNETES_SCHEMA });
    return documents.length === 1 && sameData(documents[0], expected);
  } catch {
    return false;
  }
}

/** The check for a document the `yaml` package read, with that parser, which expands aliases with a limit. */
function readsFullyAs(edited: string, expected: unknown): boolean {
  const docs = parseAllDocuments(edited, PARSE_OPTIONS);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]!.errors.length > 0) return false;
  try {
    return isDeepStrictEqual(docs[0]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), expected);
  } catch {
    return false;
  }
}

/**
 * The plain data of each document of `text`, read as a document `fast` or not was read (js-yaml with the schema, or
 * the `yaml` package with its alias limit); undefined when the text does not read without errors.
 */
export function documentsOf(text: string, fast: boolean): unknown[] | undefined {
  try {
    if (fast) return loadAllQuickly(text, null, { schema: KUBERNETES_SCHEMA });
    const docs = parseAllDocuments(text, PARSE_OPTIONS);
    if (!Array.isArray(docs) || docs.some((doc) => doc.errors.length > 0)) return undefined;
    return docs.map((doc) => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown);
  } catch {
    return undefined;
  }
}

/** Values of fixes are a handful of texts (`false`, `true`, a name): each is parsed once. */
const parsedValues = new Map<string, unknown>();

export function parseValue(valueText: string): unknown {
  if (parsedValues.has(valueText)) return parsedValues.get(valueText);
  const value: unknown = parse(valueText, PARSE_OPTIONS);
  // Only plain values are kept: an object would be shared by every fix that inserts it.
  if (typeof value !== 'object' || value === null) parsedValues.set(valueText, value);
  return value;
}
