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

/** Go's `unicode.IsSpace`, with which kubectl trims what follows `---` on a line. */
const GO_SPACE =
  /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
/** At most this much of a line is quoted in an error. */
const QUOTED = 40;

/**
 * The error for a file Kubernetes' reader refuses whole, line by line, before any YAML is read; or null. kubectl splits
 * a stream at each line starting with `---` and refuses the file when anything but blanks or a comment follows the
 * three dashes (`--- {a: 1}`, `--- |`, `---kind: x`, `----`: "invalid Yaml document separator"); and a line starting
 * with `%` is a directive to its YAML reader, which takes one only before a document starts, and with the stream split
 * at each `---` there is none after it ("did not find expected <document start>"). Other YAML readers take all of
 * these, so a scan would judge documents Kubernetes never reads.
 */
export function streamError(file: SourceFile, lines: LineStarts): ScanError | null {
  const text = file.text;
  for (let line = 0; line < text.length;) {
    const newline = text.indexOf('\n', line);
    const end = newline === -1 ? text.length : newline;
    const first = text.charCodeAt(line);
    let message: string | null = null;
    if (first === DASH && text.startsWith('---', line)) {
      const rest = text.slice(line + 3, end).replace(GO_SPACE, '');
      if (rest !== '' && !rest.startsWith('#')) {
        message =
          `\`---\` followed by ${JSON.stringify(rest.slice(0, QUOTED))}: Kubernetes refuses the whole file ("invalid ` +
          'Yaml document separator"), so it is not judged; put what follows `---` on a line of its own.';
      }
    } else if (first === PERCENT) {
      message =
        `a YAML directive (${JSON.stringify(text.slice(line, Math.min(end, line + QUOTED)))}): Kubernetes splits the ` +
        'file at each `---` first, so its reader meets the directive without the document it belongs to and refuses ' +
        'the whole file; it is not judged. Remove the line.';
    }
    if (message !== null) return { file: file.path, line: lines.linePos(line).line, message };
    if (newline === -1) break;
    line = newline + 1;
  }
  return null;
}

/**
 * A character Kubernetes' YAML reader refuses anywhere in a document, comments included ("control characters are not
 * allowed"): all but tab, line feed, carriage return, printable ASCII, next line (U+0085), U+00A0 to U+FFFD outside
 * the surrogates, and the characters above U+FFFF (surrogate pairs here).
 */
const REFUSED_CHARACTER = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ud800-\udfff\ue000-\ufffd]/;

/** Whether `text` holds a character Kubernetes' YAML reader refuses: the fast readers leave it to the full one. */
export function hasRefusedCharacter(text: string): boolean {
  return REFUSED_CHARACTER.test(text);
}

/**
 * The error for a control character in `text.slice(from, to)` of a file Kubernetes reads as YAML, or null. A stream
 * whose first character (after blanks) is `{` is read as JSON, where such characters may stand in a string. Only the
 * documents the `yaml` package reads are looked at: the fast readers leave every one with such a character to it (the
 * block reader takes printable ASCII only; js-yaml would take one in a comment).
 */
export function controlCharacterError(
  file: SourceFile,
  lines: LineStarts,
  from: number,
  to: number,
): ScanError | null {
  const found = REFUSED_CHARACTER.exec(file.text.slice(from, to));
  if (found === null || /^[\t\n\r \ufeff]*\{/.test(file.text)) return null;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return {
    file: file.path,
    line: lines.linePos(from + found.index).line,
    message:
      `a control character (U+${code}): Kubernetes' YAML reader refuses the file ("control characters are not ` +
      'allowed"), so it is not judged; write it as an escape in a double-quoted string.',
  };
}
