/**
 * The characters and scalars of the block reader (`block-reader.ts`): which characters start a plain scalar, what a
 * plain scalar means, quoted scalars on one line, literal and folded block scalars. Each gives up (`unmodelled`) where
 * the block reader leaves a document to the other readers.
 */
import { resolvePlain } from './kubernetes-scalars.js';
import { STYLES } from './packed-tree.js';
import { COLON, CR, DASH, HASH, LF, SPACE } from './yaml-text.js';
export const PLUS = 0x2b;
export const SINGLE_QUOTE = 0x27;
export const DOUBLE_QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const PIPE = 0x7c;
export const GREATER = 0x3e;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const COMMA = 0x2c;

export const [PLAIN, SINGLE, DOUBLE, LITERAL, FOLDED] = (
  ['plain', 'single', 'double', 'literal', 'folded'] as const
).map((style) => STYLES.indexOf(style)) as [number, number, number, number, number];

/** Thrown (the one instance, without a stack) where the reader gives up. */
class Unmodelled extends Error {}
export const UNMODELLED = new Unmodelled();
export function unmodelled(): never {
  throw UNMODELLED;
}

/** Characters that may start a plain scalar: none of YAML's indicators, and printable (the text is checked before). */
export function startsPlain(code: number, next: number): boolean {
  switch (code) {
    case COMMA:
    case OPEN_BRACKET:
    case CLOSE_BRACKET:
    case OPEN_BRACE:
    case CLOSE_BRACE:
    case HASH:
    case 0x26 /* & */:
    case 0x2a /* * */:
    case 0x21 /* ! */:
    case PIPE:
    case GREATER:
    case SINGLE_QUOTE:
    case DOUBLE_QUOTE:
    case 0x25 /* % */:
    case 0x40 /* @ */:
    case 0x60 /* ` */:
    case 0x3f /* ? */:
    case COLON:
      return false;
    case DASH:
      // `-x` is text, `- ` a list item.
      return next !== SPACE && !Number.isNaN(next) && next !== CR && next !== LF;
    default:
      return true;
  }
}

/** Characters of a plain scalar inside a one-line flow collection: a conservative set no parser reads differently. */
export function inFlowPlain(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x2e /* . */ ||
    code === 0x5f /* _ */ ||
    code === 0x2f /* / */ ||
    code === DASH ||
    code === 0x3d /* = */
  );
}

/**
 * What a plain scalar means (see `resolvePlain`); text starting with a letter no keyword, number or null starts with
 * is text, found without the lookup. Infinities, NaN and merge keys are left to the other readers.
 */
export function plainValue(text: string): unknown {
  const first = text.charCodeAt(0) | 0x20;
  if (first >= 0x61 && first <= 0x7a) {
    switch (first) {
      case 0x66 /* f */:
      case 0x6e /* n */:
      case 0x6f /* o */:
      case 0x74 /* t */:
      case 0x79 /* y */:
        break;
      default:
        return text;
    }
  }
  if (first >= 0x31 && first <= 0x39 && text.length <= 15 && /^[0-9]+$/.test(text)) {
    // A decimal integer without a leading zero or an underscore, within double precision: what Go's ParseInt gives.
    return Number(text);
  }
  const resolved = resolvePlain(text);
  if (resolved.tag === 'merge' || (resolved.tag === 'float' && !Number.isFinite(resolved.value)))
    unmodelled();
  return resolved.value;
}

/** A character `plainAscii` refuses: not printable ASCII nor a line feed, or a carriage return not before one. */
const NOT_PLAIN_ASCII = /[^\x20-\x7e\n\r]|\r(?!\n)/;

/**
 * Only printable ASCII, line feeds and CRLF: no tab, no other line break, nothing a reader might take otherwise. (A
 * RegExp over the document is a quarter faster than a loop over its characters.)
 */
export function plainAscii(text: string, from: number, to: number): boolean {
  return !NOT_PLAIN_ASCII.test(from === 0 && to === text.length ? text : text.slice(from, to));
}

/**
 * A line of the text, as `scanLine` found it: its first character that is not a space, the end of its content (before
 * a CRLF's carriage return) and its line feed (`to` when it has none). One object, filled anew by each call.
 */
export const scanned = { first: 0, end: 0, newline: 0 };

/** Fills `scanned` with the line starting at `start`, before `to`. */
export function scanLine(text: string, start: number, to: number): void {
  let first = start;
  while (first < to && text.charCodeAt(first) === SPACE) first++;
  let newline = text.indexOf('\n', first);
  if (newline === -1 || newline >= to) newline = to;
  scanned.first = first;
  scanned.end = newline > first && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
  scanned.newline = newline;
}

/** Items of the lists being read, kept here until each list is complete, so that lists are made at their exact size. */
export const listItems: unknown[] = [];

/** The items from `base` on, taken off `listItems` as a list. */
export function listOf(base: number): unknown[] {
  const list = listItems.slice(base);
  listItems.length = base;
  return list;
}

/**
 * The quoted scalar at `at`, on a line ending at `end`: its value, and the offset just past its closing quote. Only
 * double-quoted scalars without escapes, and single-quoted ones (`''` is a quote).
 */
export function quotedAt(text: string, at: number, end: number): { value: string; close: number } {
  if (text.charCodeAt(at) === DOUBLE_QUOTE) {
    for (let position = at + 1; position < end; position++) {
      const code = text.charCodeAt(position);
      if (code === BACKSLASH) unmodelled();
      if (code === DOUBLE_QUOTE) return { value: text.slice(at + 1, position), close: position + 1 };
    }
    unmodelled();
  }
  let value = '';
  let start = at + 1;
  for (let position = start; ;) {
    const quote = text.indexOf("'", position);
    if (quote === -1 || quote >= end) unmodelled();
    if (quote + 1 < end && text.charCodeAt(quote + 1) === SINGLE_QUOTE) {
      value += text.slice(start, quote + 1);
      start = position = quote + 2;
      continue;
    }
    return { value: value + text.slice(start, quote), close: quote + 1 };
  }
}

/** A block scalar read: its value and style, the offset just after its last character, and the line after it. */
export interface BlockScalar {
  value: string;
  style: number;
  end: number;
  resume: number;
}

/**
 * A literal (`|`) or folded (`>`) scalar whose indicator is at `at`, with an optional chomping indicator and nothing
 * else on its line, inside the block collection at `column`, its
 * indicator's line ending at `line.end`. Not modelled: an indentation indicator, a comment on
 * the indicator's line, no content, a folded scalar with lines indented deeper than its first (kept as they are),
 * blank lines with more spaces than the content's indentation, a scalar at the end of a text with no final line
 * break.
 */
export function blockScalarAt(
  text: string,
  at: number,
  line: { end: number; next: number },
  to: number,
  column: number,
): BlockScalar {
  const folded = text.charCodeAt(at) === GREATER;
  let header = at + 1;
  const chomping = text.charCodeAt(header);
  const strip = chomping === DASH;
  const keep = chomping === PLUS;
  if (strip || keep) header++;
  while (header < line.end && text.charCodeAt(header) === SPACE) header++;
  if (header !== line.end) unmodelled();
  const lines: string[] = [];
  let indent = -1;
  let leading = 0;
  let trailing = 0;
  let last = -1;
  let start = line.next;
  while (start < to) {
    scanLine(text, start, to);
    const { first, end, newline } = scanned;
    const spaces = first - start;
    if (first >= end) {
      if (indent < 0) leading = Math.max(leading, spaces);
      else if (spaces > indent) unmodelled();
      lines.push('');
      trailing++;
    } else {
      if (indent < 0) {
        if (spaces <= column || leading > spaces) break;
        indent = spaces;
      } else if (spaces < indent) {
        break;
      } else if (folded && spaces > indent) {
        unmodelled();
      }
      lines.push(text.slice(start + indent, end));
      trailing = 0;
      last = end;
    }
    if (newline === to) unmodelled();
    start = newline + 1;
  }
  if (indent < 0) unmodelled();
  lines.length -= trailing;
  let value: string;
  if (folded) {
    value = '';
    let blanks = 0;
    for (const [index, content] of lines.entries()) {
      if (content === '') {
        blanks++;
        continue;
      }
      value += blanks > 0 ? '\n'.repeat(blanks) : index > 0 ? ' ' : '';
      value += content;
      blanks = 0;
    }
  } else {
    value = lines.join('\n');
  }
  if (!strip) value += keep ? '\n'.repeat(trailing + 1) : '\n';
  while (text.charCodeAt(last - 1) === SPACE) last--;
  return { value, style: folded ? FOLDED : LITERAL, end: last, resume: start };
}
