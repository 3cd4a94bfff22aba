import { isDeepStrictEqual } from 'node:util';
import { applyEdits } from './apply.js';
import { documentsOf, editReadsAs, parseValue } from './fix-check.js';
import { LineStarts } from './line-starts.js';
import { sameData } from './same-data.js';
import type { LoadedObject, PathSegment } from './load.js';
import { entryOf, keyNodeAt, mapAt, nodeAt } from './locate.js';
import type { Resource } from './model.js';
import { type TreeScalar, readsDifferently } from './tree.js';
import type { ShallowMap } from './tree-types.js';
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

/** The text's line break: CRLF when it has one, else LF. The last text asked about is remembered: fixes come a file at a time. */
export function newlineOf(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastNewline = text.includes('\r\n') ? '\r\n' : '\n';
  }
  return lastNewline;
}

let lastText = '';
let lastNewline = '\n';

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

type Entry = ShallowMap['items'][number];

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
  const lines = new LineStarts(text);
  return toLineFix(text, edits, (position) => lines.linePos(position).line);
}

/**
 * The fix of `edits` when they change exactly what `mutate` does to the container at `path` (see `editReadsAs`; `map`
 * is the container's node when at hand).
 */
function verifiedFix(
  object: LoadedObject,
  edits: TextEdit[],
  path: readonly PathSegment[],
  mutate: (container: Record<string | number, unknown>) => boolean,
  map?: ShallowMap,
): Fix | null {
  return editReadsAs(object, edits, path, mutate, true, map)
    ? toLineFix(object.file.text, edits, (offset) => object.lines.linePos(offset).line)
    : null;
}

/** How the keys of a map are written: quoted like JSON, single-quoted, or plain. */
function keyQuote(key: TreeScalar): string {
  return key.style === 'double' ? '"' : key.style === 'single' ? "'" : '';
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
  const map = mapAt(object, mapPath);
  if (!map || map.items.length === 0) return null;
  const value = parseValue(valueText);
  const mutate = (container: Json) => {
    if (Array.isArray(container)) return false;
    container[key] = value;
    return true;
  };
  const existing = entryOf(map, key);
  if (existing) {
    const node = existing.value;
    if (node.kind !== 'scalar') return null;
    return verifiedFix(object, [{ start: node.start, end: node.end, text: valueText }], mapPath, mutate, map);
  }
  let anchor: Entry | undefined;
  if (position === 'last') anchor = map.items[map.items.length - 1];
  else if (position !== 'first') anchor = position.after.map((name) => entryOf(map, name)).find(Boolean);
  const edit = map.flow
    ? flowInsert(object, map, key, valueText, anchor)
    : blockInsert(object, map, key, valueText, anchor);
  return edit ? verifiedFix(object, [edit], mapPath, mutate, map) : null;
}

function blockInsert(
  object: LoadedObject,
  map: ShallowMap,
  key: string,
  valueText: string,
  anchor: Entry | undefined,
): TextEdit | null {
  const text = object.file.text;
  const firstKey = map.items[0]!.key;
  if (!firstKey) return null;
  const keyStart = firstKey.start;
  const firstLineStart = lineStartOf(text, keyStart);
  const indent = keyStart - firstLineStart;
  const newline = newlineOf(text);
  const quote = keyQuote(firstKey);
  const entry = `${' '.repeat(indent)}${quote}${key}${quote}: ${valueText}`;
  // The first key shares its line with a `- ` (a sequence item): a new first line cannot go before it.
  const ownLine = /^[ ]*$/.test(text.slice(firstLineStart, keyStart));
  if (!anchor && !ownLine) anchor = map.items[0];

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
  const node = anchor.value;
  if (node.kind === 'scalar' && (node.style === 'literal' || node.style === 'folded')) return null;
  // Insert at the end of the anchor's last line, keeping whatever comment sits on it.
  const end = lineEndOf(text, Math.max(contentEnd(text, node.end), node.start + 1) - 1);
  if (end < node.start) return null;
  return { start: end, end, text: `${newline}${entry}` };
}

function flowInsert(
  object: LoadedObject,
  map: ShallowMap,
  key: string,
  valueText: string,
  anchor: Entry | undefined,
): TextEdit | null {
  const text = object.file.text;
  const [first, second] = map.items;
  const firstKey = first!.key;
  if (!firstKey) return null;
  const quote = keyQuote(firstKey);
  // The siblings' own spacing: `"k": v` or `"k":v`, and `, ` or `,` between entries on one line.
  const colon = text.slice(firstKey.end, first!.value.start);
  const entry = `${quote}${key}${quote}${/^[ ]*:[ ]*$/.test(colon) ? colon : ': '}${valueText}`;
  const keyLineStart = lineStartOf(text, firstKey.start);
  const multiline = second?.key && lineStartOf(text, second.key.start) !== keyLineStart;
  const ownLine = /^[ ]*$/.test(text.slice(keyLineStart, firstKey.start));
  let separator = ' ';
  if (multiline && ownLine) separator = `${newlineOf(text)}${' '.repeat(firstKey.start - keyLineStart)}`;
  else if (second?.key) {
    const between = text.slice(contentEnd(text, first!.value.end), second.key.start);
    if (/^,[ ]*$/.test(between)) separator = between.slice(1);
  }
  if (!anchor) return { start: firstKey.start, end: firstKey.start, text: `${entry},${separator}` };
  const end = contentEnd(text, anchor.value.end);
  return { start: end, end, text: `,${separator}${entry}` };
}

/** Renames the key at `path` (a map entry), keeping its value, quoting and layout. */
export function renameKey(object: LoadedObject, path: readonly PathSegment[], newKey: string): Fix | null {
  const parentPath = path.slice(0, -1);
  const oldKey = String(path[path.length - 1]);
  const key = keyNodeAt(object, path);
  if (!key) return null;
  const quote = keyQuote(key);
  return verifiedFix(
    object,
    [{ start: key.start, end: key.end, text: `${quote}${newKey}${quote}` }],
    parentPath,
    (container) => {
      if (!(oldKey in container) || newKey in container) return false;
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
  if (map?.kind !== 'map' || map.items.length < 2) return null;
  const index = map.items.findIndex((item) => item.key?.value === name);
  const pair = map.items[index];
  const key = pair?.key;
  const value = pair?.value;
  if (!key || value?.kind !== 'scalar') return null;
  const text = object.file.text;
  let edit: TextEdit;
  if (map.flow) {
    const next = map.items[index + 1];
    if (next?.key) {
      edit = { start: key.start, end: next.key.start, text: '' };
    } else {
      const previous = map.items[index - 1]!;
      edit = { start: contentEnd(text, previous.value.end), end: contentEnd(text, value.end), text: '' };
    }
  } else {
    const start = lineStartOf(text, key.start);
    if (!/^[ ]*$/.test(text.slice(start, key.start))) return null;
    const lineEnd = lineEndOf(text, key.start);
    if (lineEnd < contentEnd(text, value.end)) return null;
    const next = text.indexOf('\n', lineEnd);
    edit = { start, end: next === -1 ? text.length : next + 1, text: '' };
  }
  return verifiedFix(object, [edit], parentPath, (container) => {
    if (!(name in container)) return false;
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
  if (node?.kind !== 'scalar') return null;
  const value = parseValue(valueText);
  return verifiedFix(
    object,
    [{ start: node.start, end: node.end, text: valueText }],
    path.slice(0, -1),
    (container) => {
      container[path[path.length - 1]!] = value;
      return true;
    },
  );
}

/** Appends a YAML document at the end of the file holding `object` (not to JSON files, which hold one value). */
export function appendDocument(object: LoadedObject, documentText: string): Fix | null {
  const text = object.file.text;
  if (object.file.path.toLowerCase().endsWith('.json') || object.basePath.length > 0) return null;
  const newline = newlineOf(text);
  const body = documentText.replace(/\n$/, '').replace(/\n/g, newline);
  // The new document goes right after the object's own document, anchored on its last line: a review suggestion
  // then shows that line and never the neighbouring document's (which may be a Secret's data).
  const contentEndOffset = contentEnd(text, object.doc.end);
  if (contentEndOffset <= object.doc.start) return null;
  const end = lineEndOf(text, contentEndOffset - 1);
  const edit = { start: end, end, text: `${newline}---${newline}${body}` };
  // The edit stays inside the object's document, whose text parses alone and ends where the next document's marker
  // (or the file) begins: that text is checked, not the whole file, which would make a fix per Namespace cost a parse
  // of the file each (quadratic in a file of many Namespaces). It must read as the document as before, then the new
  // one as intended; every other byte of the file is unchanged.
  const regionEnd = Math.max(object.doc.end, lineEndOf(text, end));
  const region = text.slice(object.doc.start, regionEnd);
  const at = end - object.doc.start;
  // Read by the parser that read the document (js-yaml for most), the new document as well, unless it holds text the
  // two parsers read differently.
  const fast = object.doc.fast && !readsDifferently(documentText);
  const before = documentsOf(region, fast);
  const after = documentsOf(`${region.slice(0, at)}${edit.text}${region.slice(at)}`, fast);
  const added = documentsOf(documentText, fast);
  if (before?.length !== 1 || after?.length !== 2 || added?.length !== 1) return null;
  const expected = [before[0], added[0]];
  if (fast ? !sameData(after, expected) : !isDeepStrictEqual(after, expected)) return null;
  return toLineFix(text, [edit], (offset) => object.lines.linePos(offset).line);
}

/**
 * `automountServiceAccountToken: false` on a ServiceAccount: as its last key, where people write it, or after
 * `kind` when the end of the document cannot take a line (a block scalar keeping its trailing lines).
 */
export function setServiceAccountAutomount(account: Resource, value: 'false' | 'true' = 'false'): Fix | null {
  return (
    setMapEntry(account.object, [], 'automountServiceAccountToken', value, 'last') ??
    setMapEntry(account.object, [], 'automountServiceAccountToken', value, { after: ['kind'] })
  );
}
