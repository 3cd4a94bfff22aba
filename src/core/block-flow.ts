/**
 * Flow collections on one line, for the block reader (`block-reader.ts`): `[a, "b"]`, `{a: b, "c": [d, {}]}`, `{}`.
 * Their entries are quoted scalars, plain ones of a conservative kind (`inFlowPlain`) and flow collections; anything
 * else (a line break, a trailing comma, a pair without a space after its colon, a key that is not a string) is left to
 * the other readers.
 */
import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DOUBLE,
  DOUBLE_QUOTE,
  OPEN_BRACE,
  OPEN_BRACKET,
  PLAIN,
  SINGLE,
  SINGLE_QUOTE,
  inFlowPlain,
  listItems,
  listOf,
  plainValue,
  quotedAt,
  unmodelled,
} from './block-scalars.js';
import { knownKey } from './known-keys.js';
import type { PackedWriter } from './packed-tree.js';
import { COLON, DASH, SPACE } from './yaml-text.js';

export class FlowReader {
  /** Just past the last node read. */
  end = 0;
  #scalar: unknown = null;
  #style = PLAIN;

  /** Reads in `text`, on a line ending at `lineEnd`, writing offsets from `from` into `writer`. */
  constructor(
    readonly text: string,
    readonly from: number,
    readonly lineEnd: number,
    readonly writer: PackedWriter,
  ) {}

  /** The flow collection at `open`, written; `end` is then just past its closing bracket. */
  collection(open: number): unknown {
    const { text, writer } = this;
    const map = text.charCodeAt(open) === OPEN_BRACE;
    const closing = map ? CLOSE_BRACE : CLOSE_BRACKET;
    const slot = writer.open(map, true, open - this.from);
    const record: Record<string, unknown> = {};
    const base = listItems.length;
    let count = 0;
    let at = this.#spaces(open + 1);
    if (text.charCodeAt(at) !== closing) {
      for (;;) {
        if (map) {
          this.#readScalar(at);
          const name = this.#scalar;
          // A plain key read as a boolean, a number or null, and the keys of `BlockReader.#key`: left to the others.
          if (typeof name !== 'string' || name === '__proto__' || name === '<<') unmodelled();
          if (Object.hasOwn(record, name)) unmodelled();
          writer.key(name, this.#style, at - this.from, this.end - this.from);
          at = this.#spaces(this.end);
          if (text.charCodeAt(at) !== COLON || text.charCodeAt(at + 1) !== SPACE) unmodelled();
          record[name] = this.#node(this.#spaces(at + 1));
        } else {
          listItems.push(this.#node(at));
        }
        count++;
        at = this.#spaces(this.end);
        const next = text.charCodeAt(at);
        if (next === closing) break;
        if (next !== COMMA) unmodelled();
        at = this.#spaces(at + 1);
        // `[a, ]` and `[a,,b]`: left to the others.
        if (at >= this.lineEnd || text.charCodeAt(at) === closing || text.charCodeAt(at) === COMMA)
          unmodelled();
      }
    }
    this.end = at + 1;
    writer.close(slot, this.end - this.from, count);
    return map ? record : listOf(base);
  }

  /** A node inside a flow collection at `at`, written. */
  #node(at: number): unknown {
    const code = this.text.charCodeAt(at);
    if (code === OPEN_BRACKET || code === OPEN_BRACE) return this.collection(at);
    this.#readScalar(at);
    this.writer.scalar(this.#style, at - this.from, this.end - this.from);
    return this.#scalar;
  }

  /** A scalar at `at`, not written. */
  #readScalar(at: number): void {
    const { text } = this;
    const code = text.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const { value, close } = quotedAt(text, at, this.lineEnd);
      this.#scalar = value;
      this.#style = code === DOUBLE_QUOTE ? DOUBLE : SINGLE;
      this.end = close;
      return;
    }
    let stop = at;
    while (stop < this.lineEnd && inFlowPlain(text.charCodeAt(stop))) stop++;
    // Nothing there, or a lone `-`.
    if (stop === at || (code === DASH && stop === at + 1)) unmodelled();
    // A known key is plain text (see `known-keys.ts`): taken as its constant, whether it is a key here or a value.
    this.#scalar = knownKey(text, at, stop) ?? plainValue(text.slice(at, stop));
    this.#style = PLAIN;
    this.end = stop;
  }

  /** Past spaces on the line. */
  #spaces(at: number): number {
    let position = at;
    while (position < this.lineEnd && this.text.charCodeAt(position) === SPACE) position++;
    return position;
  }
}
