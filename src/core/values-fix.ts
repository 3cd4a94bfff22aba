/**
 * Edits of a Helm chart's values file: a setting set where it is, or added where a user would write it (below the
 * commented-out line that documents it, else as the last key of its parent map). Minimal text edits, verified by
 * parsing the result: it must be the original data with exactly that setting changed.
 */
import { isDeepStrictEqual } from 'node:util';
import { type Document, LineCounter, type ParsedNode, isMap, isScalar, parseDocument } from 'yaml';
import type { Fix, TextEdit } from './types.js';
import { newlineOf, toLineFix } from './fix.js';
import { MAX_ALIAS_COUNT, PARSE_OPTIONS } from './fix-check.js';

/**
 * Sets `keyPath` to `valueText` (a plain YAML scalar) in a values file: a scalar already there is replaced; a key the
 * file lacks is added, with the parent maps it lacks, at block indentation. Null when no safe edit exists (a flow map
 * on the way, a parent that is not a map, or a result that does not parse to exactly the intended data).
 */
export function setValue(
  path: string,
  text: string,
  keyPath: readonly string[],
  valueText: string,
): Fix | null {
  if (keyPath.length === 0) return null;
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  if (doc.errors.length > 0) return null;
  const edit = replaceScalar(doc, keyPath, valueText) ?? insertKey(doc, text, keyPath, valueText);
  if (!edit) return null;
  if (!verified(doc, text, edit, keyPath, valueText)) return null;
  return { file: path, ...toLineFix(text, [edit], (offset) => lines.linePos(offset).line) };
}

function replaceScalar(doc: Document, keyPath: readonly string[], valueText: string): TextEdit | null {
  const node = doc.getIn(keyPath, true) as ParsedNode | undefined;
  if (!node || !isScalar(node) || !node.range) return null;
  return { start: node.range[0], end: node.range[1], text: valueText };
}

function insertKey(
  doc: Document,
  text: string,
  keyPath: readonly string[],
  valueText: string,
): TextEdit | null {
  let map: unknown = doc.contents;
  if (map === null || map === undefined) return appendLines(text, text.length, 0, keyPath, valueText);
  // Down the maps on the way that exist.
  let depth = 0;
  for (; depth < keyPath.length - 1; depth++) {
    if (!isMap(map) || map.flow) return null;
    const pair = map.items.find((item) => isScalar(item.key) && item.key.value === keyPath[depth]);
    if (!pair) break;
    if (isMap(pair.value)) {
      map = pair.value;
      continue;
    }
    // `server:` with nothing but comments below it: its keys go below its line.
    if (
      isScalar(pair.key) &&
      pair.key.range &&
      (pair.value === null || (isScalar(pair.value) && pair.value.source === ''))
    )
      return underEmptyKey(text, pair.key.range[0], keyPath.slice(depth + 1), valueText);
    return null;
  }
  if (!isMap(map) || map.flow) return null;
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !last || !isScalar(first.key) || !first.key.range) return null;
  const firstLine = lineStart(text, first.key.range[0]);
  const indent = first.key.range[0] - firstLine;
  const lastEnd = (last.value as ParsedNode | null)?.range?.[1] ?? (last.key as ParsedNode).range?.[1];
  if (lastEnd === undefined) return null;
  const after = lineAfter(text, lastEnd);
  // A commented-out line documenting the key, at the siblings' indentation, among them or in the comments that close
  // the map: the key goes right below it.
  const commented = commentedKeyLine(
    text,
    firstLine,
    commentsEnd(text, after, indent),
    indent,
    keyPath[depth]!,
  );
  return appendLines(text, commented ?? after, indent, keyPath.slice(depth), valueText);
}

/** Keys added below `key:` (at `keyStart`) whose value is empty: below its commented-out line for them, if any. */
function underEmptyKey(text: string, keyStart: number, keys: readonly string[], valueText: string): TextEdit {
  const keyIndent = keyStart - lineStart(text, keyStart);
  const afterKey = lineAfter(text, keyStart + 1);
  // The comment lines that follow, indented below the key, belong to it; they show the children's indentation.
  let end = afterKey;
  let childIndent = keyIndent + 2;
  let seen = false;
  while (end < text.length) {
    const next = text.indexOf('\n', end);
    const line = text.slice(end, next === -1 ? text.length : next).replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    if (line.trim() !== '' && (!line.trimStart().startsWith('#') || indent <= keyIndent)) break;
    if (line.trim() !== '' && !seen) {
      childIndent = indent;
      seen = true;
    }
    end = next === -1 ? text.length : next + 1;
  }
  const commented = commentedKeyLine(text, afterKey, end, childIndent, keys[0]!);
  return appendLines(text, commented ?? afterKey, childIndent, keys, valueText);
}

/** The end of the blank and comment lines from `from` on that are indented at least `indent`. */
function commentsEnd(text: string, from: number, indent: number): number {
  let at = from;
  while (at < text.length) {
    const next = text.indexOf('\n', at);
    const line = text.slice(at, next === -1 ? text.length : next).replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed !== '' && (!trimmed.startsWith('#') || line.length - trimmed.length < indent)) break;
    at = next === -1 ? text.length : next + 1;
  }
  return at;
}

/** The start of the line after the one holding `offset` (past a line break `offset` sits just after, none). */
function lineAfter(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r')) at--;
  const next = text.indexOf('\n', at);
  return next === -1 ? text.length : next + 1;
}

/** Lines `a:\n  b: value` at `indent`, inserted at `at` (the start of a line, or the end of the text). */
function appendLines(
  text: string,
  at: number,
  indent: number,
  keys: readonly string[],
  valueText: string,
): TextEdit {
  const newline = newlineOf(text);
  const step = 2;
  const body = keys
    .map((key, index) => {
      const written = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key);
      const last = index === keys.length - 1;
      return `${' '.repeat(indent + index * step)}${written}:${last ? ` ${valueText}` : ''}`;
    })
    .join(newline);
  const needsBreak = at > 0 && text[at - 1] !== '\n';
  return { start: at, end: at, text: `${needsBreak ? newline : ''}${body}${newline}` };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The start of the line after `# key:` (a commented-out setting at `indent`) within [from, to), or null. */
function commentedKeyLine(
  text: string,
  from: number,
  to: number,
  indent: number,
  key: string,
): number | null {
  const pattern = new RegExp(
    `^ {${indent}}#\\s*["']?${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*:`,
  );
  let at = from;
  while (at < to) {
    const next = text.indexOf('\n', at);
    const end = next === -1 ? text.length : next;
    if (pattern.test(text.slice(at, end))) return next === -1 ? text.length : next + 1;
    at = end + 1;
  }
  return null;
}

function verified(
  doc: Document,
  text: string,
  edit: TextEdit,
  keyPath: readonly string[],
  valueText: string,
): boolean {
  try {
    const expected = (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}) as Record<string, unknown>;
    let container = expected;
    for (const key of keyPath.slice(0, -1)) {
      if (container[key] === undefined || container[key] === null) container[key] = {};
      container = container[key] as Record<string, unknown>;
    }
    container[keyPath[keyPath.length - 1]!] = parseDocument(valueText, PARSE_OPTIONS).toJS();
    const edited = parseDocument(text.slice(0, edit.start) + edit.text + text.slice(edit.end), PARSE_OPTIONS);
    return (
      edited.errors.length === 0 &&
      isDeepStrictEqual(edited.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), expected)
    );
  } catch {
    return false;
  }
}
