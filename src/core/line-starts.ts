/**
 * Where each line of a file starts, for turning offsets into lines: the objects loaded from a file keep one, to
 * locate their findings. The `yaml` package's `LineCounter` keeps them in an array that grows a line at a time, 8 bytes a line
 * and more for its slack (26 MB for a scan of 100,000 documents); this keeps 4, in an array of the exact size.
 * `LineCounter` stays where the `yaml` package fills it while it parses (config files, values files).
 */
/** Where the constructor collects a file's line starts; its first entry stays 0, the start of the first line. */
let scratch = new Uint32Array(1 << 14);

export class LineStarts {
  /** Offset of each line's first character: 0, then each one after a line feed (a final one starts an empty line). */
  private readonly starts: Uint32Array;

  constructor(text: string) {
    // One pass into a scratch array shared by all files, then a copy of the exact size.
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
    this.starts = starts.slice(0, count);
  }

  /**
   * The 1-based line and column of an offset, as `LineCounter.linePos` gives them: an offset past the end is on the
   * last line, one before the start on line 0.
   */
  linePos(offset: number): { line: number; col: number } {
    const starts = this.starts;
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
