import type { ScanProgress } from '../adapters/workspace.js';
import { TOOL_NAME } from '../version.js';

/** Where the progress line goes: standard error, which shows it only when it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A scan shorter than this shows no progress line at all. */
const SHOW_AFTER_MS = 1000;
/** The line is redrawn at most this often. */
const REDRAW_MS = 100;
/** Back to the start of the line, and erase it. */
const ERASE = '\r\x1b[2K';

export interface ProgressLine extends ScanProgress {
  /** Erases the line, if it was shown: what follows starts on a clean line. */
  clear(): void;
}

/**
 * One line on a terminal's standard error, redrawn in place while a scan runs longer than a second: files read (and
 * how many were skipped), documents read, time taken. Nothing at all when the stream is not a terminal (a CI log,
 * a pipe, the Action), and nothing ever on standard output, which holds only the report. `now` is for tests.
 */
export function progressLine(
  stream: ProgressStream,
  now: () => number = () => performance.now(),
): ProgressLine {
  const started = now();
  let files = 0;
  let skipped = 0;
  let documents = 0;
  let shown = false;
  let drawn = -Infinity;
  const draw = () => {
    if (stream.isTTY !== true) return;
    const at = now();
    if (at - started < SHOW_AFTER_MS || at - drawn < REDRAW_MS) return;
    drawn = at;
    shown = true;
    const seconds = Math.floor((at - started) / 1000);
    stream.write(
      `${ERASE}${TOOL_NAME}: ${count(files)} file${files === 1 ? '' : 's'} read` +
        (skipped > 0 ? ` (${count(skipped)} skipped)` : '') +
        `, ${count(documents)} document${documents === 1 ? '' : 's'}, ${seconds} s`,
    );
  };
  return {
    files(read, skippedSoFar) {
      files = read;
      skipped = skippedSoFar;
      draw();
    },
    documents(read) {
      documents = read;
      draw();
    },
    clear() {
      if (shown) stream.write(ERASE);
      shown = false;
    },
  };
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
