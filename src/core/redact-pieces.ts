/**
 * A long text (a report of tens of thousands of findings) that leaves in batches, each redacted on its own (see
 * `redact.ts`): the whole text is never held at once. Redacting the batches one by one must give the text redacting
 * the whole would, so a batch ends only where nothing the filter finds can run on past its end:
 *
 * - after a line break, at the end of a piece: a known value without a line break, a credential shape but the private
 *   key's, and a credential pair's key and its quoted or plain value all lie within one line;
 * - not after a private key's BEGIN line: that shape runs past line breaks to its END line or the end of the text (or
 *   the end of a JSON string). A batch holding one runs to the end of the text;
 * - not before an indented line when the batch holds what may start a block scalar (`token: |` at the start of a
 *   line): its value is the more indented lines below, and a line starting at its first column ends it.
 *
 * What is left is a learned value that holds a line break together with the text the tool writes on both sides of
 * one (the end of a finding's line and the start of the next): it could run over a batch's end, or end there next to
 * a secret the next batch starts with (one marker for the two becomes two). What it covers is the report's own text,
 * and every secret in that is still found, in its batch.
 */

/** About how many UTF-16 units a batch holds: a piece is never cut, and a batch ends only where it may. */
export const BATCH_UNITS = 256 * 1024;

/** A key at the start of a line followed by the indicator of a block scalar (`credentialPairs` reads its value). */
const BLOCK_START = /^[ \t-]*(["']?)[A-Za-z_][A-Za-z0-9_./-]*\1[ \t]*[:=][ \t]*[|>]/m;

const PRIVATE_KEY_BEGIN = '-----BEGIN';

/** `pieces` joined into batches of about `size` units, each to be redacted on its own. */
export function* batchesToRedact(pieces: Iterable<string>, size = BATCH_UNITS): Generator<string> {
  let batch: string[] = [];
  let units = 0;
  let blockStart = false;
  let privateKey = false;
  for (const lines of wholeLines(pieces)) {
    if (units >= size && !privateKey && (!blockStart || startsLine(lines))) {
      yield batch.join('');
      batch = [];
      units = 0;
      blockStart = false;
    }
    batch.push(lines);
    units += lines.length;
    // Each text tested here is whole lines, and neither test reads past a line break: each is tested once.
    // The pattern needs a `|` or `>`, which most reports' lines lack: looking for those first is the cheaper test.
    blockStart ||= (lines.includes('|') || lines.includes('>')) && BLOCK_START.test(lines);
    privateKey ||= lines.includes(PRIVATE_KEY_BEGIN);
  }
  if (batch.length > 0) yield batch.join('');
}

/** The pieces joined where one ends inside a line: texts that start a line and end with a line break (but the last). */
function* wholeLines(pieces: Iterable<string>): Generator<string> {
  let open = '';
  for (const piece of pieces) {
    if (!piece.endsWith('\n')) open += piece;
    else if (open === '') yield piece;
    else {
      yield open + piece;
      open = '';
    }
  }
  if (open !== '') yield open;
}

/** Whether a text starts a line at its first column: it ends any block scalar above it. */
function startsLine(text: string): boolean {
  const first = text.charCodeAt(0);
  // Not a blank, a carriage return or a line feed, nor the end of the text.
  return !Number.isNaN(first) && first !== 32 && first !== 9 && first !== 13 && first !== 10;
}
