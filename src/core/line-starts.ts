/**
 * Where each line of a file starts, for turning offsets into lines: the objects loaded from a file keep one, to
 * locate their findings. The `yaml` package's `LineCounter` keeps them in an array that grows a line at a time, 8 bytes a line
 * and more for its slack (26 MB for a scan of 100,000 documents); this keeps 4, in an array of the exact size.
 * `LineCounter` stays where the `yaml` package fills it while it parses (config files, values files).
 */
/** Where `lineStartsOf` collects a text's line starts; its first entry stays 0, the start of the first line. */
let scratch = new Uint32Array(1 << 14);

/**
 * Offset of each line's first character: 0, then each one after a line feed (a final one starts an empty line). One
 * pass into a scratch array shared by all texts, then a copy of the exact size.
 */
export function lineStartsOf(text: string): Uint32Array {
  let starts = scratch;
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    if (count === starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      scratch = starts = grown;
    }
    starts[count++] = at + 1;
  }
  return starts.slice(0, count);
}

/**
 * A text's line starts, found when first asked: most files of a large scan have no finding and no error to place, and
 * a second thread may have found them meanwhile (`offer`).
 */
export class LineStarts {
  #text: string | null;
  #starts: Uint32Array | null = null;
  #source: (() => Uint32Array | undefined) | null = null;

  constructor(text: string) {
    this.#text = text;
  }

  /** Where the line starts may be had before they are found here: `lineStartsOf` the same text, or undefined. */
  offer(source: () => Uint32Array | undefined): void {
    if (this.#starts === null) this.#source = source;
  }

  #lineStarts(): Uint32Array {
    if (this.#starts === null) {
      this.#starts = this.#source?.() ?? lineStartsOf(this.#text!);
      this.#text = null;
      this.#source = null;
    }
    return this.#starts;
  }

  /**
   * The 1-based line and column of an offset, as `LineCounter.linePos` gives them: an offset past the end is on the
   * last line, one before the start on line 0.
   */
  linePos(offset: number): { line: number; col: number } {
    const starts = this.#lineStarts();
    // The first line starting at or after the offset.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle]! < offset) low = middle + 1;
      else high = middle;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1]! + 1 };
  }
}
