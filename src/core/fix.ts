import { type Pair, type ParsedNode, isMap, isScalar } from 'yaml';
import { type LoadedObject, type PathSegment, nodeAt } from './load.js';
import type { Fix, TextEdit } from './types.js';

/**
 * Fixes are minimal edits against the original text, never a re-serialised document: the `yaml` package keeps
 * comments but not bytes, and a suggestion that reformats a user's file will not be accepted.
 * Where a safe edit cannot be made (flow style, unusual layout), no fix is offered and the finding stands.
 */

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

/** Last non-blank character offset before `offset` (the end of a node's content, leaving trailing space out). */
function contentEnd(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function pairOf(map: ParsedNode, key: string): Pair<ParsedNode, ParsedNode | null> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((item) => isScalar(item.key) && item.key.value === key) as
    Pair<ParsedNode, ParsedNode | null> | undefined;
}

function isJson(object: LoadedObject): boolean {
  const path = object.file.path.toLowerCase();
  return path.endsWith('.json');
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
  let region = '';
  let cursor = regionStart;
  for (const edit of sorted) {
    region += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  region += text.slice(cursor, regionEnd);
  const replacement = region.replace(/\r?\n$/, '').replace(/\r\n/g, '\n');
  return {
    edits: sorted,
    startLine: lineOf(regionStart),
    // A line break belongs to the line it ends.
    endLine: lineOf(nextBreak === -1 ? text.length : nextBreak),
    replacement,
  };
}

function fixFrom(object: LoadedObject, edits: TextEdit[]): Fix {
  return toLineFix(object.file.text, edits, (offset) => object.lines.linePos(offset).line);
}

export type InsertPosition = { after: string[] } | 'first' | 'last';

/**
 * Sets `key: value` in the block map at `mapPath`: replaces the value when the key exists, else inserts a new line at
 * the siblings' indentation, after the first of `position.after` present (else as first key), or as the last key.
 */
export function setMapEntry(
  object: LoadedObject,
  mapPath: readonly PathSegment[],
  key: string,
  valueText: string,
  position: InsertPosition,
): Fix | null {
  const map = nodeAt(object, mapPath);
  if (!map || !isMap(map) || map.flow || map.items.length === 0 || isJson(object)) return null;
  const text = object.file.text;
  const existing = pairOf(map, key);
  if (existing) {
    const value = existing.value;
    if (!value || !isScalar(value) || !value.range) return null;
    return fixFrom(object, [{ start: value.range[0], end: value.range[1], text: valueText }]);
  }
  const firstKey = map.items[0]!.key as ParsedNode | null;
  if (!firstKey?.range) return null;
  const keyStart = firstKey.range[0];
  const firstLineStart = lineStartOf(text, keyStart);
  const indent = keyStart - firstLineStart;
  const newline = newlineOf(text);
  const entry = `${' '.repeat(indent)}${key}: ${valueText}`;
  const leadingIsIndent = /^[ ]*$/.test(text.slice(firstLineStart, keyStart));

  let anchor: Pair<ParsedNode, ParsedNode | null> | undefined;
  if (position === 'last') anchor = map.items[map.items.length - 1] as Pair<ParsedNode, ParsedNode | null>;
  else if (position !== 'first') anchor = position.after.map((name) => pairOf(map, name)).find(Boolean);
  if (!anchor && !leadingIsIndent) anchor = map.items[0] as Pair<ParsedNode, ParsedNode | null>;

  if (!anchor) {
    return fixFrom(object, [{ start: firstLineStart, end: firstLineStart, text: `${entry}${newline}` }]);
  }
  const anchorNode = (anchor.value ?? anchor.key) as ParsedNode | null;
  if (!anchorNode?.range) return null;
  // Insert at the end of the anchor's last line, keeping whatever comment sits on it.
  const end = lineEndOf(text, contentEnd(text, anchorNode.range[1]) - 1);
  if (anchor.value && !isScalar(anchor.value) && (anchor.value as { flow?: boolean }).flow !== true) {
    // A block collection value: its last content line must belong to it, not to a following comment block.
    if (end < anchorNode.range[0]) return null;
  }
  return fixFrom(object, [{ start: end, end, text: `${newline}${entry}` }]);
}

/** Renames the key at `path` (a map entry), keeping its value and layout. */
export function renameKey(object: LoadedObject, path: readonly PathSegment[], newKey: string): Fix | null {
  const map = nodeAt(object, path.slice(0, -1));
  const pair = map ? pairOf(map, String(path[path.length - 1])) : undefined;
  const key = pair?.key as ParsedNode | undefined;
  if (!key?.range || !isScalar(key)) return null;
  const text = object.file.text;
  const source = text.slice(key.range[0], key.range[1]);
  const quote = source.startsWith('"') ? '"' : source.startsWith("'") ? "'" : '';
  return fixFrom(object, [{ start: key.range[0], end: key.range[1], text: `${quote}${newKey}${quote}` }]);
}

/** Removes the whole line of a single-line block map entry at `path`. */
export function removeEntryLine(object: LoadedObject, path: readonly PathSegment[]): Fix | null {
  const map = nodeAt(object, path.slice(0, -1));
  if (!map || !isMap(map) || map.flow || map.items.length < 2) return null;
  const pair = pairOf(map, String(path[path.length - 1]));
  const key = pair?.key as ParsedNode | undefined;
  const value = pair?.value as ParsedNode | undefined;
  if (!key?.range || !value?.range || !isScalar(value)) return null;
  const text = object.file.text;
  const start = lineStartOf(text, key.range[0]);
  if (!/^[ ]*$/.test(text.slice(start, key.range[0]))) return null;
  const lineEnd = lineEndOf(text, key.range[0]);
  if (lineEnd < contentEnd(text, value.range[1])) return null;
  const next = text.indexOf('\n', lineEnd);
  return fixFrom(object, [{ start, end: next === -1 ? text.length : next + 1, text: '' }]);
}

/** Replaces the scalar at `path` with `valueText`. */
export function replaceScalar(
  object: LoadedObject,
  path: readonly PathSegment[],
  valueText: string,
): Fix | null {
  const node = nodeAt(object, path);
  if (!node || !isScalar(node) || !node.range) return null;
  return fixFrom(object, [{ start: node.range[0], end: node.range[1], text: valueText }]);
}

/** Appends a YAML document at the end of the file holding `object`. */
export function appendDocument(object: LoadedObject, documentText: string): Fix | null {
  if (isJson(object)) return null;
  const text = object.file.text;
  const newline = newlineOf(text);
  const body = documentText.replace(/\n$/, '').replace(/\n/g, newline);
  // Insert before the final line break, so the change is anchored on the last line of the file, which a review
  // suggestion can address, and the file keeps ending the way it did.
  const end = text.endsWith(newline) ? text.length - newline.length : text.length;
  return fixFrom(object, [{ start: end, end, text: `${newline}---${newline}${body}` }]);
}
