/**
 * How a file's text divides into documents the way Kubernetes divides it, and the line breaks only Kubernetes'
 * reader knows.
 */
import type { LineStarts } from './line-starts.js';
import type { ScanError, SourceFile } from './types.js';
import { DASH, HASH, isBlank, loneCarriageReturn } from './yaml-text.js';

/**
 * A document marker line: `---` or `...`, alone or followed by a comment. kubectl splits a stream at every line
 * starting with `---` followed by blanks or a comment (`---#c` too); YAML ends a document at `...`. A chunk is read
 * alone, so both end one here.
 */
const MARKER_REST = /^[ \t]*(?:#[^\n]*)?\r?$/;
/**
 * Line breaks of YAML 1.1, which Kubernetes' reader follows, that YAML 1.2 readers take as text: a carriage return not
 * followed by a line feed, next line (U+0085), and the line and paragraph separators (U+2028, U+2029). A comment
 * ended by one hides the rest of its line from every reader but Kubernetes'.
 */
const OTHER_BREAKS = ['\u0085', '\u2028', '\u2029'];
const BREAK_NAMES: Record<string, string> = {
  '\u0085': 'next-line character (U+0085)',
  '\u2028': 'line separator (U+2028)',
  '\u2029': 'paragraph separator (U+2029)',
};

const PERCENT = 0x25;
const DOT = 0x2e;

/** Whether the character after a marker's three characters ends the marker: a blank, a line end, or `#` after `---`. */
function endsMarker(code: number, dashes: boolean): boolean {
  // NaN: the end of the text.
  return Number.isNaN(code) || isBlank(code) || (dashes && code === HASH);
}

/**
 * The documents of the file that `fast` may read one by one, as [start, end) offsets; null when the file must go whole:
 * it has a directive, a marker glued to content (`---kind: x`, which js-yaml reads as a marker and YAML does not), or
 * content on a marker's line (`--- {a: 1}`, `--- |`). Lines are found by their line feeds: a file with any other line
 * break is refused before (`otherBreakError`). One pass from line start to line start, looking at each line's first
 * characters only.
 */
export function documentChunks(text: string): Array<[number, number]> | null {
  const chunks: Array<[number, number]> = [];
  // js-yaml drops a byte order mark, which would move every offset of the first document by one.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 0; line < text.length;) {
    const newline = text.indexOf('\n', line);
    const end = newline === -1 ? text.length : newline;
    const first = text.charCodeAt(line);
    if (first === PERCENT) return null;
    if (
      (first === DASH || first === DOT) &&
      text.charCodeAt(line + 1) === first &&
      text.charCodeAt(line + 2) === first
    ) {
      if (!endsMarker(text.charCodeAt(line + 3), first === DASH)) return null;
      if (!MARKER_REST.test(text.slice(line + 3, end))) return null;
      chunks.push([start, line]);
      start = end;
    }
    if (newline === -1) break;
    line = newline + 1;
  }
  chunks.push([start, text.length]);
  return chunks;
}

/** The first line break of `text` only Kubernetes' reader knows (see OTHER_BREAKS), as [offset, character], or null. */
function firstOtherBreak(text: string): [number, string] | null {
  const lone = loneCarriageReturn(text);
  let found: [number, string] | null = lone === -1 ? null : [lone, '\r'];
  for (const character of OTHER_BREAKS) {
    const at = text.indexOf(character);
    if (at !== -1 && (found === null || at < found[0])) found = [at, character];
  }
  return found;
}

/** The error for a file holding a line break only Kubernetes' reader knows (see OTHER_BREAKS), or null. */
export function otherBreakError(file: SourceFile, lines: LineStarts): ScanError | null {
  const found = firstOtherBreak(file.text);
  if (found === null) return null;
  const [offset, character] = found;
  const name = character === '\r' ? 'a carriage return without a line feed' : `a ${BREAK_NAMES[character]}`;
  return {
    file: file.path,
    line: lines.linePos(offset).line,
    message:
      `${name}: Kubernetes reads it as a line break, other YAML readers as part of the text, so the file is not ` +
      'judged; end lines with LF or CRLF only (write the character as an escape in a double-quoted string).',
  };
}
