/**
 * Texts cut to a size a receiver takes, counted as the receiver counts: GitHub measures a check run's summary and
 * text and an annotation's message in UTF-8 bytes, a review's body and title in characters. A cut never splits a
 * surrogate pair (which would send a lone surrogate, an encoding error) and leaves room for the note that says so.
 * A text of several lines is cut at the end of a line: the Markdown of a line is whole (a code span cut after its
 * opening backticks let the file name after it, `<img src=…>`, render as HTML).
 */

/**
 * GitHub refuses (422) a check run summary or text of more UTF-8 bytes than this. A text within it is within as many
 * characters too (GitHub's limit on review bodies), as no character takes fewer bytes than UTF-16 units.
 */
export const MAX_OUTPUT_BYTES = 65535;

/** The note that ends a cut text. */
export const TRUNCATED_NOTE = '\n\n… (truncated: the full list is in the SARIF report and the job log)';

/** `text` if it holds at most `maxBytes` bytes of UTF-8, else its longest start that does with `note` after it. */
export function fitBytes(text: string, maxBytes: number, note = TRUNCATED_NOTE): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = Math.max(0, maxBytes - Buffer.byteLength(note, 'utf8'));
  // At most `room` UTF-16 units fit (each takes one byte or more): measure only that start.
  let end = codePointBoundary(text, Math.min(text.length, room));
  let bytes = Buffer.byteLength(text.slice(0, end), 'utf8');
  while (bytes > room) {
    const step = text.codePointAt(codePointBoundary(text, end - 1))! > 0xffff ? 2 : 1;
    bytes -= Buffer.byteLength(text.slice(end - step, end), 'utf8');
    end -= step;
  }
  return text.slice(0, atLineEnd(text, end)) + (Buffer.byteLength(note, 'utf8') <= maxBytes ? note : '');
}

/** `text` if it holds at most `maxUnits` UTF-16 units, else its longest start that does with `note` after it. */
export function fitChars(text: string, maxUnits: number, note = TRUNCATED_NOTE): string {
  if (text.length <= maxUnits) return text;
  const room = Math.max(0, maxUnits - note.length);
  return (
    text.slice(0, atLineEnd(text, codePointBoundary(text, room))) + (note.length <= maxUnits ? note : '')
  );
}

/** The end of the last whole line of `text` before `end`, when the cut falls past a line's start; else `end`. */
function atLineEnd(text: string, end: number): number {
  if (end >= text.length || text.charAt(end) === '\n') return end;
  const lineEnd = text.lastIndexOf('\n', end - 1);
  return lineEnd > 0 ? lineEnd : end;
}

/** `index`, or one less when it falls inside a surrogate pair: the end of a start of `text` with whole code points. */
function codePointBoundary(text: string, index: number): number {
  if (index <= 0 || index >= text.length) return Math.max(0, Math.min(index, text.length));
  const before = text.charCodeAt(index - 1);
  const at = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff ? index - 1 : index;
}
