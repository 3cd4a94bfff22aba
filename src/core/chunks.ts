/**
 * How a file's text divides into documents the way Kubernetes divides it, and the line breaks only Kubernetes'
 * reader knows.
 */
import type { LineStarts } from './line-starts.js';
import type { ScanError, SourceFile } from './types.js';

/**
 * A document marker line: `---` or `...`, alone or followed by a comment. kubectl splits a stream at every line
 * starting with `---` followed by blanks or a comment (`---#c` too); YAML ends a document at `...`. A chunk is read
 * alone, so both end one here.
 */
const MARKER = /^(?:---(?=[ \t\r\n#]|$)|\.\.\.(?=[ \t\r\n]|$))/gm;
const MARKER_REST = /^[ \t]*(?:#[^\n]*)?\r?$/;
/**
 * Line breaks of YAML 1.1, which Kubernetes' reader follows, that YAML 1.2 readers take as text: a carriage return not
 * followed by a line feed, next line (U+0085), and the line and paragraph separators (U+2028, U+2029). A comment
 * ended by one hides the rest of its line from every reader but Kubernetes'.
 */
const OTHER_BREAK = /\r(?!\n)|[\u0085\u2028\u2029]/;
const BREAK_NAMES: Record<string, string> = {
  '\u0085': 'next-line character (U+0085)',
  '\u2028': 'line separator (U+2028)',
  '\u2029': 'paragraph separator (U+2029)',
};

/** The documents of the file that `fast` may read one by one, as [start, end) offsets; null when the file must go whole. */
export function documentChunks(text: string): Array<[number, number]> | null {
  // Directives, and `---`/`...` glued to content (`---kind: x`), which js-yaml reads as a marker and YAML does not.
  if (/^%|^(?:---[^ \t\r\n#]|\.\.\.[^ \t\r\n])/m.test(text)) return null;
  const chunks: Array<[number, number]> = [];
  // js-yaml drops a byte order mark, which would move every offset of the first document by one.
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match !== null; match = MARKER.exec(text)) {
    const lineEnd = text.indexOf('\n', match.index);
    const end = lineEnd === -1 ? text.length : lineEnd;
    // `--- {a: 1}` and `--- |` start a document on the marker line; such files go whole, as do directives.
    if (!MARKER_REST.test(text.slice(match.index + 3, end))) return null;
    chunks.push([start, match.index]);
    start = end;
  }
  chunks.push([start, text.length]);
  return chunks;
}

/** The error for a file holding a line break only Kubernetes' reader knows (see OTHER_BREAK), or null. */
export function otherBreakError(file: SourceFile, lines: LineStarts): ScanError | null {
  const found = OTHER_BREAK.exec(file.text);
  if (found === null) return null;
  const name = found[0] === '\r' ? 'a carriage return without a line feed' : `a ${BREAK_NAMES[found[0]]}`;
  return {
    file: file.path,
    line: lines.linePos(found.index).line,
    message:
      `${name}: Kubernetes reads it as a line break, other YAML readers as part of the text, so the file is not ` +
      'judged; end lines with LF or CRLF only (write the character as an escape in a double-quoted string).',
  };
}
