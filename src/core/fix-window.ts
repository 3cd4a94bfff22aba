import { loadAll } from 'js-yaml';
import { applyEdits } from './apply.js';
import { readBlock } from './block-reader.js';
import { KUBERNETES_SCHEMA } from './kubernetes-scalars.js';
import type { LoadedObject, PathSegment } from './load.js';
import { mapAt } from './locate.js';
import type { ShallowMap } from './tree-types.js';
import { readsDifferently } from './tree.js';
import { sameData } from './same-data.js';
import type { TextEdit } from './types.js';

/**
 * The fix check of `fix-check.ts` made on the edited entries of a block map rather than on the whole document: a fix
 * edits one pod spec of a Deployment of several kilobytes, and reading the document again cost most of a scan's rules.
 *
 * Why the window tells what the whole document would: a block map at column `c` is read entry by entry, each entry
 * from its key's line to the next line indented `c` or less. The window is whole entries: it starts at a line of `c`
 * spaces and a key (after the lines before it, which are unchanged, so every entry before it ends where it did), and
 * the text after it is unchanged and starts with the next entry's key at column `c`, or with the end of the map, so
 * nothing read inside the window can go on past it, and what follows is read as before. Read alone, the window is a
 * map at column `c` too; reading the original window alone must give exactly its original entries (else the window
 * is not trusted and the whole document is read). What can make the rest of a document read differently is refused
 * here and left to the whole check: a document marker or directive, text the two parsers read differently, an entry
 * that duplicates a key outside the window, a window that does not read as one map.
 */

/**
 * Whether `edits` to `object` (offsets into the file) change the map at `path` (`original`; its node `map` when the
 * caller has it) to exactly `expected`: true or false when the window decides it, undefined when the whole document
 * must be read.
 */
export function windowReadsAs(
  object: LoadedObject,
  edits: readonly TextEdit[],
  path: readonly PathSegment[],
  original: Record<string | number, unknown>,
  expected: Record<string | number, unknown>,
  map?: ShallowMap,
): boolean | undefined {
  const reading = windowReading(object, edits, path, original, map);
  return reading === undefined ? undefined : sameData(reading, expected);
}

/**
 * The map at `path` (`original`) as the whole edited document reads it, found by reading the edited entries alone;
 * undefined when that cannot tell (the whole document must be read). `map` is the map's node, when the caller has it.
 */
export function windowReading(
  object: LoadedObject,
  edits: readonly TextEdit[],
  path: readonly PathSegment[],
  original: Record<string | number, unknown>,
  map = mapAt(object, path),
): Record<string, unknown> | undefined {
  if (!object.doc.fast || Array.isArray(original) || Object.getPrototypeOf(original) !== Object.prototype) {
    return undefined;
  }
  if (!map || map.flow || map.items.length === 0) return undefined;
  const text = object.file.text;
  const bounds = windowOf(text, map, edits, object.doc.end);
  if (!bounds) return undefined;
  const { start, end, first, last } = bounds;
  const window = text.slice(start, end);
  const edited = applyEdits(
    window,
    edits.map((edit) => ({ ...edit, start: edit.start - start, end: edit.end - start })),
  );
  const column = map.items[first]!.key!.start - lineStart(text, map.items[first]!.key!.start);
  if (readsDifferently(edited) || !keptInside(edited, text.slice(end, object.doc.end), column))
    return undefined;
  const inside = new Set<string>();
  for (let index = first; index <= last; index++) inside.add(map.items[index]!.key!.value as string);
  const before = readAlone(window);
  if (before === undefined || !sameEntries(before, original, inside)) return undefined;
  const after = readAlone(edited);
  if (after === undefined) return undefined;
  // The map as the whole document would read it: the entries outside the window, then the window's.
  const actual: Record<string, unknown> = {};
  for (const key of Object.keys(original)) if (!inside.has(key)) actual[key] = original[key];
  for (const key of Object.keys(after)) {
    if (key === '__proto__' || Object.hasOwn(actual, key)) return undefined;
    actual[key] = after[key];
  }
  return actual;
}

/**
 * [start, end) of the whole entries of `map` the edits fall in, with the entry before them when there is one, or
 * undefined when an edit is not inside the map's entries or the window's first key shares its line (`- key: value`).
 * An entry's lines run from its key's line to the next key's; the last one's to the end of the line the map ends on.
 * An edit may also start above the first key when only whole comment lines stand between them (`setMapEntry` puts a
 * new first key above the comments that introduce the old one).
 */
function windowOf(
  text: string,
  map: ShallowMap,
  edits: readonly TextEdit[],
  documentEnd: number,
): { start: number; end: number; first: number; last: number } | undefined {
  const items = map.items;
  if (items.some((item) => item.key === null)) return undefined;
  const starts = items.map((item) => lineStart(text, item.key!.start));
  const lastBreak = text.indexOf('\n', map.end);
  const mapEnd = lastBreak === -1 || lastBreak >= documentEnd ? documentEnd : lastBreak + 1;
  const entryEnd = (index: number) => (index + 1 < items.length ? starts[index + 1]! : mapEnd);
  let first = items.length;
  let last = -1;
  let start = Infinity;
  for (const edit of edits) {
    let entry = entryAt(starts, edit.start);
    if (entry === -1) {
      if (edit.end > starts[0]! || lineStart(text, edit.start) !== edit.start) return undefined;
      if (!isCommentLines(text.slice(edit.start, starts[0]))) return undefined;
      entry = 0;
    }
    if (edit.start > mapEnd || edit.end > mapEnd || (edit.start === mapEnd && mapEnd !== documentEnd)) {
      return undefined;
    }
    const to = Math.max(entry, entryAt(starts, edit.end - 1));
    first = Math.min(first, entry);
    last = Math.max(last, to);
    start = Math.min(start, edit.start);
  }
  if (last === -1) return undefined;
  if (first > 0) first--;
  start = Math.min(start, starts[first]!);
  if (!/^[ ]*$/.test(text.slice(starts[first], items[first]!.key!.start))) return undefined;
  return { start, end: entryEnd(last), first, last };
}

/**
 * Whether nothing read in the edited window can go on past it: it starts with a key at the map's column, no line in
 * it is indented less (so a block scalar or a plain scalar opened in it belongs to an entry of the map or deeper), it
 * has no document marker or directive, and the text after it starts with a line indented no more than the map (no
 * blank or comment line, which a block scalar would take in) that is not a sequence item at the map's column; or
 * nothing follows.
 */
function keptInside(edited: string, after: string, column: number): boolean {
  // The first line: `column` spaces, then a key's first character.
  for (let at = 0; at < column; at++) if (edited.charCodeAt(at) !== 0x20) return false;
  const lead = edited.charAt(column);
  if (lead === '' || ' #?-\r\n'.includes(lead)) return false;
  for (let start = 0; start < edited.length;) {
    const newline = edited.indexOf('\n', start);
    const end = newline === -1 ? edited.length : newline;
    if (/^(?:---|\.\.\.|%)/.test(edited.slice(start, Math.min(end, start + 3)))) return false;
    // Indented less than the map, and not blank (spaces, tabs and a carriage return are blank here).
    let content = start;
    while (content < end && edited.charCodeAt(content) === 0x20) content++;
    if (content - start < column && edited.slice(content, end).trim() !== '') return false;
    start = end + 1;
  }
  if (after === '') return true;
  const next = /^([ ]*)([^\n]?)/.exec(after)!;
  const [, spaces, first] = next;
  return (
    spaces!.length <= column &&
    first !== '' &&
    first !== '\r' &&
    first !== '#' &&
    !(spaces!.length === column && first === '-')
  );
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The index of the last entry whose lines start at or before `offset`, or -1. */
function entryAt(starts: readonly number[], offset: number): number {
  let found = -1;
  for (let index = 0; index < starts.length && starts[index]! <= offset; index++) found = index;
  return found;
}

function isCommentLines(text: string): boolean {
  return /^(?:[ ]*(?:#[^\n]*)?\n)*$/.test(text.replace(/\r\n/g, '\n'));
}

/**
 * The window read alone as the fast readers read the document (the block reader when it takes the window, which reads
 * as js-yaml does; else js-yaml): one map, or undefined.
 */
function readAlone(window: string): Record<string, unknown> | undefined {
  const block = readBlock(window, 0, window.length);
  if (block !== null) return block?.value as Record<string, unknown> | undefined;
  try {
    const documents = loadAll(window, null, { schema: KUBERNETES_SCHEMA });
    const [value] = documents;
    if (documents.length !== 1 || typeof value !== 'object' || value === null) return undefined;
    return Object.getPrototypeOf(value) === Object.prototype ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `window` holds exactly the entries of `original` named in `inside`, with the same data. */
function sameEntries(
  window: Record<string, unknown>,
  original: Record<string | number, unknown>,
  inside: ReadonlySet<string>,
): boolean {
  const keys = Object.keys(window);
  return (
    keys.length === inside.size &&
    keys.every((key) => inside.has(key) && sameData(window[key], original[key]))
  );
}
