/**
 * Where any of many literal strings occur in a text. A RegExp alternation of thousands of learned secret values tries
 * them at every position of every text that leaves the tool; this reads most texts a few units at a time.
 *
 * Every literal is at least `window` UTF-16 code units long, so an occurrence begins with the window-long prefix of a
 * literal. Three filters, each cheaper than the next, stand between a position and a literal (Wu and Manber's scheme):
 * - The window's last two units tell how far it can move on: to the next place those units could sit in a prefix, or
 *   a window's length less one when no prefix holds them (most windows of prose).
 * - A window that may be a prefix is hashed, and the hash looked up in a bit set of the prefixes' hashes.
 * - A window whose bit is set is verified against the literals sorted by code units: each unit read narrows the range
 *   of literals that begin with what was read (by binary search where they part), so literals sharing long prefixes
 *   (values and their base64 forms often do) cost one walk down that prefix, not one comparison each.
 * Verifying costs at most the length of the longest literal, at each place the filters let through: like the single
 * RegExp, a text that repeats a prefix of many literals costs its length times that prefix's.
 */

/** Units of two, hashed to this many bits, index the table of how far a window may move. */
const PAIR_BITS = 14;
/** Base of the polynomial hash of a window; odd, so that multiplying by it loses no bits modulo 2^32. */
const BASE = 0x01000193;
/** Multiplier (2^32 / golden ratio) that spreads a hash's bits before its top bits pick a bit of the set. */
const SPREAD = 0x9e3779b1;

/** The table index of two units: exact for ASCII, and units that share an index share the smallest move. */
function pairIndex(first: number, second: number): number {
  return ((first << 7) ^ second) & ((1 << PAIR_BITS) - 1);
}

export class LiteralSearch {
  /** The literals, sorted by UTF-16 code units (as `<` compares), without duplicates. */
  private readonly sorted: string[];
  private readonly window: number;
  /** For each pair index: how far a window ending in that pair may move without passing over a possible prefix. */
  private readonly moves: Uint8Array;
  /** One bit per bucket of window hashes; set for the buckets of the literals' prefixes. */
  private readonly prefixes: Uint32Array;
  /** 32 minus the number of bits of a bucket's index. */
  private readonly shift: number;

  /** `literals` must each be at least `window` units long; `window` is 2 to 256. */
  constructor(literals: Iterable<string>, window: number) {
    if (window < 2 || window > 256) throw new RangeError(`window ${window} is not 2 to 256`);
    this.sorted = [...new Set(literals)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.window = window;
    this.moves = new Uint8Array(1 << PAIR_BITS).fill(window - 1);
    // About 64 buckets per prefix, so that few windows pass the set by chance: 2^10 to 2^22 bits.
    let bits = 10;
    while (bits < 22 && 1 << bits < this.sorted.length * 64) bits++;
    this.prefixes = new Uint32Array(1 << (bits - 5));
    this.shift = 32 - bits;
    for (const literal of this.sorted) {
      if (literal.length < window) throw new RangeError(`a literal is shorter than the window (${window})`);
      // A pair ending at unit `at` of a prefix: a window ending in it may move so that its end is the prefix's.
      for (let at = 1; at < window; at++) {
        const index = pairIndex(literal.charCodeAt(at - 1), literal.charCodeAt(at));
        this.moves[index] = Math.min(this.moves[index]!, window - 1 - at);
      }
      const bucket = this.bucketOf(literal, 0);
      this.prefixes[bucket >>> 5]! |= 1 << (bucket & 31);
    }
  }

  /**
   * Each position of `text` where a literal starts, with the end of the longest literal starting there: [start, end)
   * pairs in order of start. Every occurrence of every literal lies inside one of them, overlapping ones included.
   */
  longestAt(text: string): [number, number][] {
    const found: [number, number][] = [];
    if (this.sorted.length === 0) return found;
    const { window, moves, prefixes } = this;
    // The window is text[end - window + 1 .. end].
    for (let end = window - 1; end < text.length;) {
      const move = moves[pairIndex(text.charCodeAt(end - 1), text.charCodeAt(end))]!;
      if (move !== 0) {
        end += move;
        continue;
      }
      const start = end - window + 1;
      const bucket = this.bucketOf(text, start);
      if ((prefixes[bucket >>> 5]! & (1 << (bucket & 31))) !== 0) {
        const length = this.longestLiteralAt(text, start);
        if (length > 0) found.push([start, start + length]);
      }
      end++;
    }
    return found;
  }

  /** The bucket of the hash of text[start .. start + window). */
  private bucketOf(text: string, start: number): number {
    let hash = 0;
    for (let at = start; at < start + this.window; at++)
      hash = (Math.imul(hash, BASE) + text.charCodeAt(at)) | 0;
    return Math.imul(hash, SPREAD) >>> this.shift;
  }

  /** The length of the longest literal `text` holds at `start`, or 0. */
  private longestLiteralAt(text: string, start: number): number {
    const sorted = this.sorted;
    let low = 0;
    let high = sorted.length;
    let longest = 0;
    // Invariant: sorted[low..high) are the literals that begin with text[start .. start + depth).
    for (let depth = 0; start + depth < text.length; depth++) {
      if (high - low === 1) {
        // One literal left: the text holds the rest of it or not.
        return text.startsWith(sorted[low]!, start) ? sorted[low]!.length : longest;
      }
      const unit = text.charCodeAt(start + depth);
      // Along a prefix the whole range shares, the first and last literals agree and the range stays: one step a
      // unit, as in a trie, where binary searches would cost a text repeating a long shared prefix dearly.
      if (unitAt(sorted[low]!, depth) !== unit || unitAt(sorted[high - 1]!, depth) !== unit) {
        low = firstFrom(sorted, low, high, depth, unit);
        high = firstFrom(sorted, low, high, depth, unit + 1);
        if (low === high) break;
      }
      // A literal that is exactly the text read sorts before those that go on.
      if (sorted[low]!.length === depth + 1) longest = depth + 1;
    }
    return longest;
  }
}

/** A literal's unit at `depth`; -1 past its end, which sorts it before the literals that go on. */
function unitAt(literal: string, depth: number): number {
  return depth < literal.length ? literal.charCodeAt(depth) : -1;
}

/**
 * The first index in [low, high) whose literal's unit at `depth` is at least `unit`. The literals there share their
 * first `depth` units, so that unit does not decrease along the range.
 */
function firstFrom(
  sorted: readonly string[],
  low: number,
  high: number,
  depth: number,
  unit: number,
): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (unitAt(sorted[middle]!, depth) < unit) low = middle + 1;
    else high = middle;
  }
  return low;
}
