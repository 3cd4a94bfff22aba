import { isDeepStrictEqual } from 'node:util';
import {
  LineCounter,
  type Pair,
  type ParsedNode,
  isMap,
  isScalar,
  parse,
  parseAllDocuments,
  parseDocument,
} from 'yaml';
import { loadAll as loadAllQuickly } from 'js-yaml';
import { applyEdits } from './apply.js';
import { ANCHOR, type LoadedObject, type PathSegment, nodeAt } from './load.js';
import type { Resource } from './model.js';
import type { Fix, TextEdit } from './types.js';

/**
 * Fixes are minimal edits against the original text, never a re-serialised document: the `yaml` package keeps
 * comments but not bytes, and a suggestion that reformats a user's file will not be accepted.
 *
 * Every fix is verified before it is offered: the edited document is parsed again and must equal the original with
 * exactly the intended change. Where a safe edit cannot be made, or the check fails, no fix is offered and the
 * finding stands without one.
 */

type Json = Record<string, unknown>;
type AnyPair = Pair<ParsedNode, ParsedNode | null>;

// `logLevel: 'error'`: yaml's warnings go to the process's stderr and quote the source (a Secret's, say).
const PARSE_OPTIONS = { version: '1.1', uniqueKeys: true, prettyErrors: false, logLevel: 'error' } as const;
const MAX_ALIAS_COUNT = 1000;

export function newlineOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the end of the line holding `offset`, before its line break. */
function lineEndOf(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  const end = next === -1 ? text.length : next;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/** The offset just after the last non-blank character before `offset`. */
function contentEnd(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function pairOf(map: ParsedNode, key: string): AnyPair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((item) => isScalar(item.key) && item.key.value === key) as AnyPair | undefined;
}

/** The line form of a set of edits: the whole lines they touch, and those lines after the edits. */
export function toLineFix(text: string, edits: TextEdit[], lineOf: (offset: number) => number): Fix {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const first = sorted[0]!;
  const last = sorted.reduce((max, edit) => (edit.end > max.end ? edit : max), first);
  const regionStart = lineStartOf(text, first.start);
  // An edit that ends right after a line break ends on the previous line.
  const lastOffset = last.end > last.start && text[last.end - 1] === '\n' ? last.end - 1 : last.end;
  const nextBreak = text.indexOf('\n', lastOffset);
  const regionEnd = nextBreak === -1 ? text.length : nextBreak + 1;
  const region = applyEdits(
    text.slice(regionStart, regionEnd),
    sorted.map((edit) => ({ ...edit, start: edit.start - regionStart, end: edit.end - regionStart })),
  );
  const replacement = region.replace(/\r?\n$/, '').replace(/\r\n/g, '\n');
  return {
    edits: sorted,
    startLine: lineOf(regionStart),
    // A line break belongs to the line it ends.
    endLine: lineOf(nextBreak === -1 ? text.length : nextBreak),
    replacement,
  };
}

/** The line form of edits to a text that has no line index at hand: one is built from the text. */
export function lineFixOf(text: string, edits: TextEdit[]): Fix {
  const lines = new LineCounter();
  let offset = 0;
  for (const line of text.split('\n')) {
    lines.addNewLine(offset);
    offset += line.length + 1;
  }
  return toLineFix(text, edits, (position) => lines.linePos(position).line);
}

/** Walks to the container at `path` in plain data, or undefined. */
function containerAt(root: unknown, path: readonly PathSegment[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Builds the fix when the edited document parses to exactly the original with `mutate` applied to the object,
 * and nothing else: no other field, no other document, no comment turned into content.
 */
function verifiedFix(object: LoadedObject, edits: TextEdit[], mutate: (value: Json) => boolean): Fix | null {
  const text = object.file.text;
  const [start, , end] = object.doc.range;
  if (edits.some((edit) => edit.start < start || edit.end > end)) return null;
  const original = text.slice(start, end);
  const shifted = edits.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start }));
  const edited = applyEdits(original, shifted);
  const verdict =
    verifyQuickly(original, edited, object.basePath, mutate) ?? verifyFully(object, edited, mutate);
  return verdict ? toLineFix(text, edits, (offset) => object.lines.linePos(offset).line) : null;
}

/**
 * The check made with js-yaml, about seven times faster than the parser that keeps source ranges: both sides are read
 * by the same parser, so the question "did the edit change exactly the intended field" has the same answer. Returns
 * undefined when js-yaml cannot read the original (then the full parser decides) or the document has anchors (whose
 * aliases only the full parser expands with a limit).
 */
function verifyQuickly(
  original: string,
  edited: string,
  basePath: readonly PathSegment[],
  mutate: (value: Json) => boolean,
): boolean | undefined {
  if (ANCHOR.test(original)) return undefined;
  let expected: unknown[];
  try {
    expected = loadAllQuickly(original);
  } catch {
    return undefined;
  }
  if (expected.length !== 1) return undefined;
  const target = containerAt(expected[0], basePath);
  if (target === null || typeof target !== 'object' || !mutate(target as Json)) return false;
  try {
    return isDeepStrictEqual(loadAllQuickly(edited), expected);
  } catch {
    return false;
  }
}

function verifyFully(object: LoadedObject, edited: string, mutate: (value: Json) => boolean): boolean {
  let expected: unknown;
  try {
    expected = object.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return false;
  }
  const target = containerAt(expected, object.basePath);
  if (target === null || typeof target !== 'object' || !mutate(target as Json)) return false;
  const docs = parseAllDocuments(edited, PARSE_OPTIONS);
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0]!.errors.length > 0) return false;
  try {
    return isDeepStrictEqual(docs[0]!.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), expected);
  } catch {
    return false;
  }
}

function parseValue(valueText: string): unknown {
  return parse(valueText, PARSE_OPTIONS);
}

/** How the keys of a map are written: quoted like JSON, single-quoted, or plain. */
function keyQuote(text: string, key: ParsedNode): string {
  const first = text[key.range![0]];
  return first === '"' || first === "'" ? first : '';
}

export type InsertPosition = { after: string[] } | 'first' | 'last';

/**
 * Sets `key: value` in the map at `mapPath`. An existing scalar value is replaced. Otherwise the entry is inserted
 * after the first of `position.after` present (else as the first key), or as the last key: in a block map as a line
 * of its own at the siblings' indentation; in a flow map or JSON object beside its siblings, in their layout.
 */
export function setMapEntry(
  object: LoadedObject,
  mapPath: readonly PathSegment[],
  key: string,
  valueText: string,
  position: InsertPosition,
): Fix | null {
  const map = nodeAt(object, mapPath);
  if (!map || !isMap(map) || map.items.length === 0) return null;
  const value = parseValue(valueText);
  const mutate = (root: Json) => {
    const container = containerAt(root, mapPath);
    if (container === null || typeof container !== 'object' || Array.isArray(container)) return false;
    (container as Json)[key] = value;
    return true;
  };
  const existing = pairOf(map, key);
  if (existing) {
    const node = existing.value;
    if (!node || !isScalar(node) || !node.range) return null;
    return verifiedFix(object, [{ start: node.range[0], end: node.range[1], text: valueText }], mutate);
  }
  let anchor: AnyPair | undefined;
  if (position === 'last') anchor = map.items[map.items.length - 1] as AnyPair;
  else if (position !== 'first') anchor = position.after.map((name) => pairOf(map, name)).find(Boolean);
  const edit = map.flow
    ? flowInsert(object, map.items as AnyPair[], key, valueText, anchor)
    : blockInsert(object, map.items as AnyPair[], key, valueText, anchor);
  return edit ? verifiedFix(object, [edit], mutate) : null;
}

function blockInsert(
  object: LoadedObject,
  items: AnyPair[],
  key: string,
  valueText: string,
  anchor: AnyPair | undefined,
): TextEdit | null {
  const text = object.file.text;
  const firstKey = items[0]!.key;
  if (!firstKey?.range) return null;
  const keyStart = firstKey.range[0];
  const firstLineStart = lineStartOf(text, keyStart);
  const indent = keyStart - firstLineStart;
  const newline = newlineOf(text);
  const quote = keyQuote(text, firstKey);
  const entry = `${' '.repeat(indent)}${quote}${key}${quote}: ${valueText}`;
  // The first key shares its line with a `- ` (a sequence item): a new first line cannot go before it.
  const ownLine = /^[ ]*$/.test(text.slice(firstLineStart, keyStart));
  if (!anchor && !ownLine) anchor = items[0];

  if (!anchor) {
    // Go above comment lines that introduce the first key, so they keep introducing it.
    let at = firstLineStart;
    while (at > 0) {
      const previousStart = lineStartOf(text, at - 1);
      const previous = text.slice(previousStart, at).replace(/\r?\n$/, '');
      if (!/^ *#/.test(previous) || previous.length - previous.trimStart().length !== indent) break;
      at = previousStart;
    }
    return { start: at, end: at, text: `${entry}${newline}` };
  }
  const node = (anchor.value ?? anchor.key) as ParsedNode | null;
  if (!node?.range) return null;
  if (isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) return null;
  // Insert at the end of the anchor's last line, keeping whatever comment sits on it.
  const end = lineEndOf(text, contentEnd(text, node.range[1]) - 1);
  if (end < node.range[0]) return null;
  return { start: end, end, text: `${newline}${entry}` };
}

function flowInsert(
  object: LoadedObject,
  items: AnyPair[],
  key: string,
  valueText: string,
  anchor: AnyPair | undefined,
): TextEdit | null {
  const text = object.file.text;
  const first = items[0]!;
  const firstKey = first.key;
  if (!firstKey?.range) return null;
  const quote = keyQuote(text, firstKey);
  // The siblings' own spacing: `"k": v` or `"k":v`, and `, ` or `,` between entries on one line.
  const colon = first.value?.range ? text.slice(firstKey.range[1], first.value.range[0]) : ': ';
  const entry = `${quote}${key}${quote}${/^[ ]*:[ ]*$/.test(colon) ? colon : ': '}${valueText}`;
  const second = items[1];
  const keyLineStart = lineStartOf(text, firstKey.range[0]);
  const multiline =
    second?.key?.range !== undefined && lineStartOf(text, second.key.range[0]) !== keyLineStart;
  const ownLine = /^[ ]*$/.test(text.slice(keyLineStart, firstKey.range[0]));
  let separator = ' ';
  if (multiline && ownLine) separator = `${newlineOf(text)}${' '.repeat(firstKey.range[0] - keyLineStart)}`;
  else if (second?.key?.range && (first.value ?? firstKey).range) {
    const between = text.slice(contentEnd(text, (first.value ?? firstKey).range![1]), second.key.range[0]);
    if (/^,[ ]*$/.test(between)) separator = between.slice(1);
  }
  if (!anchor) return { start: firstKey.range[0], end: firstKey.range[0], text: `${entry},${separator}` };
  const node = (anchor.value ?? anchor.key) as ParsedNode | null;
  if (!node?.range) return null;
  const end = contentEnd(text, node.range[1]);
  return { start: end, end, text: `,${separator}${entry}` };
}

/** Renames the key at `path` (a map entry), keeping its value, quoting and layout. */
export function renameKey(object: LoadedObject, path: readonly PathSegment[], newKey: string): Fix | null {
  const parentPath = path.slice(0, -1);
  const oldKey = String(path[path.length - 1]);
  const map = nodeAt(object, parentPath);
  const pair = map ? pairOf(map, oldKey) : undefined;
  const key = pair?.key;
  if (!key?.range || !isScalar(key)) return null;
  const quote = keyQuote(object.file.text, key);
  return verifiedFix(
    object,
    [{ start: key.range[0], end: key.range[1], text: `${quote}${newKey}${quote}` }],
    (root) => {
      const container = containerAt(root, parentPath) as Json | undefined;
      if (!container || !(oldKey in container) || newKey in container) return false;
      container[newKey] = container[oldKey];
      delete container[oldKey];
      return true;
    },
  );
}

/**
 * Removes the map entry at `path`: its whole line in a block map (a single-line entry only), or the entry and one
 * separating comma in a flow map or JSON object.
 */
export function removeEntry(object: LoadedObject, path: readonly PathSegment[]): Fix | null {
  const parentPath = path.slice(0, -1);
  const name = String(path[path.length - 1]);
  const map = nodeAt(object, parentPath);
  if (!map || !isMap(map) || map.items.length < 2) return null;
  const index = map.items.findIndex((item) => isScalar(item.key) && item.key.value === name);
  const pair = map.items[index] as AnyPair | undefined;
  const key = pair?.key;
  const value = pair?.value;
  if (!key?.range || !value?.range || !isScalar(value)) return null;
  const text = object.file.text;
  let edit: TextEdit;
  if (map.flow) {
    const next = map.items[index + 1] as AnyPair | undefined;
    if (next?.key?.range) {
      edit = { start: key.range[0], end: next.key.range[0], text: '' };
    } else {
      const previous = map.items[index - 1] as AnyPair;
      const previousEnd = (previous.value ?? previous.key)!.range![1];
      edit = { start: contentEnd(text, previousEnd), end: contentEnd(text, value.range[1]), text: '' };
    }
  } else {
    const start = lineStartOf(text, key.range[0]);
    if (!/^[ ]*$/.test(text.slice(start, key.range[0]))) return null;
    const lineEnd = lineEndOf(text, key.range[0]);
    if (lineEnd < contentEnd(text, value.range[1])) return null;
    const next = text.indexOf('\n', lineEnd);
    edit = { start, end: next === -1 ? text.length : next + 1, text: '' };
  }
  return verifiedFix(object, [edit], (root) => {
    const container = containerAt(root, parentPath) as Json | undefined;
    if (!container || !(name in container)) return false;
    delete container[name];
    return true;
  });
}

/** Replaces the scalar at `path` with `valueText`. */
export function replaceScalar(
  object: LoadedObject,
  path: readonly PathSegment[],
  valueText: string,
): Fix | null {
  const node = nodeAt(object, path);
  if (!node || !isScalar(node) || !node.range) return null;
  const value = parseValue(valueText);
  return verifiedFix(object, [{ start: node.range[0], end: node.range[1], text: valueText }], (root) => {
    const container = containerAt(root, path.slice(0, -1));
    if (container === null || typeof container !== 'object') return false;
    (container as Record<string | number, unknown>)[path[path.length - 1]!] = value;
    return true;
  });
}

/** Appends a YAML document at the end of the file holding `object` (not to JSON files, which hold one value). */
export function appendDocument(object: LoadedObject, documentText: string): Fix | null {
  const text = object.file.text;
  if (object.file.path.toLowerCase().endsWith('.json') || object.basePath.length > 0) return null;
  const newline = newlineOf(text);
  const body = documentText.replace(/\n$/, '').replace(/\n/g, newline);
  // The new document goes right after the object's own document, anchored on its last line: a review suggestion
  // then shows that line and never the neighbouring document's (which may be a Secret's data).
  const contentEndOffset = contentEnd(text, object.doc.range[1]);
  if (contentEndOffset <= object.doc.range[0]) return null;
  const end = lineEndOf(text, contentEndOffset - 1);
  const edit = { start: end, end, text: `${newline}---${newline}${body}` };
  // The whole file is checked: every document as before, and the new one, as intended, after the object's.
  const before = parseAllDocuments(text, PARSE_OPTIONS);
  const after = parseAllDocuments(applyEdits(text, [edit]), PARSE_OPTIONS);
  if (!Array.isArray(before) || !Array.isArray(after) || after.length !== before.length + 1) return null;
  if (after.some((doc) => doc.errors.length > 0)) return null;
  try {
    const expected: unknown[] = before.map((doc) => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    expected.splice(object.docIndex + 1, 0, parseValue(documentText));
    const actual = after.map((doc) => doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
    if (!isDeepStrictEqual(actual, expected)) return null;
  } catch {
    return null;
  }
  return toLineFix(text, [edit], (offset) => object.lines.linePos(offset).line);
}

/**
 * `automountServiceAccountToken: false` on a ServiceAccount: as its last key, where people write it, or after
 * `kind` when the end of the document cannot take a line (a block scalar keeping its trailing lines).
 */
export function setServiceAccountAutomount(account: Resource): Fix | null {
  return (
    setMapEntry(account.object, [], 'automountServiceAccountToken', 'false', 'last') ??
    setMapEntry(account.object, [], 'automountServiceAccountToken', 'false', { after: ['kind'] })
  );
}

/**
 * Replaces the scalar at `keyPath` of a plain YAML file (a chart's values file) with `valueText`, verified like every
 * fix: the edited file must parse to the original with only that value changed.
 */
export function setYamlScalar(
  path: string,
  text: string,
  keyPath: readonly string[],
  valueText: string,
): Fix | null {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  if (doc.errors.length > 0) return null;
  const node = doc.getIn(keyPath, true) as ParsedNode | undefined;
  if (!node || !isScalar(node) || !node.range) return null;
  const edits = [{ start: node.range[0], end: node.range[1], text: valueText }];
  let expected: unknown;
  try {
    expected = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    let container = expected as Record<string, unknown>;
    for (const key of keyPath.slice(0, -1)) container = container[key] as Record<string, unknown>;
    container[keyPath[keyPath.length - 1]!] = parseValue(valueText);
    const edited = parseDocument(applyEdits(text, edits), PARSE_OPTIONS);
    if (
      edited.errors.length > 0 ||
      !isDeepStrictEqual(edited.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), expected)
    ) {
      return null;
    }
  } catch {
    return null;
  }
  return { file: path, ...toLineFix(text, edits, (offset) => lines.linePos(offset).line) };
}
