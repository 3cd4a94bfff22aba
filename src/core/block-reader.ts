/**
 * The block YAML most manifests are written in, read without a general parser: maps and lists by indentation, scalars
 * on one line (plain ones also folded over lines; single-quoted; double-quoted without escapes), literal and folded
 * block scalars, flow maps and lists on one line, comments, CRLF line ends. About three times faster than js-yaml,
 * which reads everything else (see `tree.ts`), and it allocates little beyond the document's data and packed tree.
 *
 * It reads only what it can read exactly as js-yaml with the Kubernetes schema, the `yaml` package and Kubernetes all
 * read it. At anything else (a tab or a character outside printable ASCII, an anchor, a tag, an alias, a key that is
 * not a string, a duplicate key, a quoted scalar over several lines, an escape, an indentation YAML rejects, an empty
 * block scalar, ...) it gives up on the whole document, which then goes to js-yaml as before. The differential tests
 * (`__tests__/block-reader.test.ts`) hold its trees and data to js-yaml's and the `yaml` package's readings, on real
 * manifests and on mutated ones, and to Kubernetes' own reader on the mutated ones.
 */
import {
  DOUBLE,
  DOUBLE_QUOTE,
  GREATER,
  OPEN_BRACE,
  OPEN_BRACKET,
  PIPE,
  PLAIN,
  SINGLE,
  SINGLE_QUOTE,
  UNMODELLED,
  blockScalarAt,
  listItems,
  listOf,
  plainAscii,
  plainValue,
  quotedAt,
  scanLine,
  scanned,
  startsPlain,
  unmodelled,
} from './block-scalars.js';
import { FlowReader } from './block-flow.js';
import { knownKey } from './known-keys.js';
import { PackedWriter } from './packed-tree.js';
import type { TreeDocument } from './tree-types.js';
import { COLON, DASH, HASH, SPACE } from './yaml-text.js';

/** YAML's limit on the length of a key written without `?`. */
const MAX_KEY = 1024;

/**
 * Reads the document `text.slice(from, to)` when it is block YAML of the kind described above; undefined when it holds
 * no document (blank lines and comments only, as for `readFast`), null when it is left to the other readers.
 */
export function readBlock(text: string, from: number, to: number): TreeDocument | null | undefined {
  if (!plainAscii(text, from, to)) return null;
  listItems.length = 0;
  try {
    return new BlockReader(text, from, to).document();
  } catch (error) {
    // What it does not model, and anything else that stops it (nesting deep enough to exhaust the stack, from a
    // hostile file): the other readers read the document, and report what they cannot.
    if (error === UNMODELLED || error instanceof RangeError) return null;
    throw error;
  }
}

class BlockReader {
  readonly #writer = new PackedWriter();
  /** The current line: where it starts, its indentation (-1 past the last line), its content, its end and the next. */
  #line = 0;
  #indent = -1;
  #content = 0;
  #lineEnd = 0;
  #next = 0;
  /** Just after the last node read, for the collections that end with it. */
  #end = 0;
  /** What `#key` read. */
  #keyName = '';
  #keyStyle = PLAIN;
  #keyEnd = 0;
  #colon = 0;
  /** What `#readQuoted` read. */
  #quoted = '';
  /** Where the plain scalar `#keyColon` looked at stops. */
  #stop = 0;

  constructor(
    readonly text: string,
    readonly from: number,
    readonly to: number,
  ) {}

  document(): TreeDocument | undefined {
    this.#seek(this.from);
    if (this.#indent < 0) return undefined;
    const value = this.#map(this.#indent, this.#content);
    // Content left over: a line indented less than the document's first one.
    if (this.#indent >= 0) unmodelled();
    return this.#writer.document(this.from, this.to, value);
  }

  /** Moves to the first line from `at` that holds content: not blank, not only a comment. */
  #seek(at: number): void {
    const { text, to } = this;
    let line = at;
    while (line < to) {
      scanLine(text, line, to);
      const { first, end, newline } = scanned;
      if (first < end && text.charCodeAt(first) !== HASH) {
        this.#line = line;
        this.#indent = first - line;
        this.#content = first;
        this.#lineEnd = end;
        this.#next = newline + 1;
        return;
      }
      line = newline + 1;
    }
    this.#indent = -1;
  }

  /** A list item's dash at `at`: `-` followed by a space or the end of the line. */
  #dashAt(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.#lineEnd || this.text.charCodeAt(at + 1) === SPACE;
  }

  /**
   * In the plain scalar at `at`: the colon that makes it a key (followed by a space or the end of the line), or -1.
   * `#stop` is then where the scalar's text stops: at that colon, at a comment, or at the end of the line.
   */
  #keyColon(at: number, end = this.#lineEnd): number {
    const { text } = this;
    for (let position = at; position < end; position++) {
      const code = text.charCodeAt(position);
      if (code === COLON) {
        if (position + 1 === end || text.charCodeAt(position + 1) === SPACE) {
          this.#stop = position;
          return position;
        }
      } else if (code === HASH && text.charCodeAt(position - 1) === SPACE) {
        this.#stop = position;
        return -1;
      }
    }
    this.#stop = end;
    return -1;
  }

  /** The quoted scalar at `at` on the current line: its value in `#quoted`; returns the offset past its closing quote. */
  #readQuoted(at: number): number {
    const { value, close } = quotedAt(this.text, at, this.#lineEnd);
    this.#quoted = value;
    return close;
  }

  /** The key at `at`, into `#keyName`, `#keyStyle`, `#keyEnd` and `#colon`. */
  #key(at: number): void {
    const { text } = this;
    const end = this.#lineEnd;
    const first = text.charCodeAt(at);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const close = this.#readQuoted(at);
      let colon = close;
      while (colon < end && text.charCodeAt(colon) === SPACE) colon++;
      if (colon >= end || text.charCodeAt(colon) !== COLON) unmodelled();
      if (colon + 1 < end && text.charCodeAt(colon + 1) !== SPACE) unmodelled();
      this.#keyName = this.#quoted;
      this.#keyStyle = first === DOUBLE_QUOTE ? DOUBLE : SINGLE;
      this.#keyEnd = close;
      this.#colon = colon;
    } else {
      if (!startsPlain(first, text.charCodeAt(at + 1))) unmodelled();
      const colon = this.#keyColon(at);
      if (colon < 0) unmodelled();
      let keyEnd = colon;
      while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      if (keyEnd - at > MAX_KEY) unmodelled();
      let name = knownKey(text, at, keyEnd);
      if (name === undefined) {
        name = text.slice(at, keyEnd);
        // A key that reads as a boolean, a number or null, or a merge key: the other readers decide.
        if (plainValue(name) !== name) unmodelled();
      }
      this.#keyName = name;
      this.#keyStyle = PLAIN;
      this.#keyEnd = keyEnd;
      this.#colon = colon;
    }
    // `__proto__` would set the map's prototype; a quoted `<<` the other readers take for a merge key, or give up on.
    if (this.#keyName === '__proto__' || this.#keyName === '<<') unmodelled();
  }

  /** The block map whose first key is at `at`, in column `column`. */
  #map(column: number, at: number): Record<string, unknown> {
    const writer = this.#writer;
    const slot = writer.open(true, false, at - this.from);
    const record: Record<string, unknown> = {};
    let count = 0;
    for (let key = at; ; key = this.#content) {
      this.#key(key);
      const name = this.#keyName;
      if (Object.hasOwn(record, name)) unmodelled();
      writer.key(name, this.#keyStyle, key - this.from, this.#keyEnd - this.from);
      record[name] = this.#value(this.#colon + 1, column, true);
      count++;
      if (this.#indent !== column) break;
    }
    writer.close(slot, this.#end - this.from, count);
    return record;
  }

  /** The block list whose first dash is at `at`, in column `column`. */
  #list(column: number, at: number): unknown[] {
    const writer = this.#writer;
    const slot = writer.open(false, false, at - this.from);
    const base = listItems.length;
    for (let dash = at; ; dash = this.#content) {
      listItems.push(this.#value(dash + 1, column, false));
      if (this.#indent !== column || !this.#dashAt(this.#content)) break;
    }
    const list = listOf(base);
    writer.close(slot, this.#end - this.from, list.length);
    return list;
  }

  /**
   * The value after a key's colon or a list item's dash at `after - 1`, inside the block collection at `column`. Leaves
   * the current line at the first line after the value, which must not be indented deeper than the collection.
   */
  #value(after: number, column: number, ofKey: boolean): unknown {
    const { text } = this;
    const end = this.#lineEnd;
    let at = after;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    let value: unknown;
    const code = text.charCodeAt(at);
    if (at === end || code === HASH) {
      value = this.#below(at, column, ofKey);
    } else if (code === PIPE || code === GREATER) {
      const scalar = blockScalarAt(text, at, { end: this.#lineEnd, next: this.#next }, this.to, column);
      this.#writer.scalar(scalar.style, at - this.from, scalar.end - this.from);
      this.#end = scalar.end;
      this.#seek(scalar.resume);
      value = scalar.value;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      const flow = new FlowReader(text, this.from, this.#lineEnd, this.#writer);
      value = flow.collection(at);
      this.#lineDone(flow.end);
    } else if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) {
      const close = this.#readQuoted(at);
      let colon = close;
      while (colon < end && text.charCodeAt(colon) === SPACE) colon++;
      if (colon < end && text.charCodeAt(colon) === COLON) {
        // `- "key": value`: a map in a list item.
        if (ofKey) unmodelled();
        value = this.#map(at - this.#line, at);
      } else {
        value = this.#quoted;
        this.#writer.scalar(code === DOUBLE_QUOTE ? DOUBLE : SINGLE, at - this.from, close - this.from);
        this.#lineDone(close);
      }
    } else if (this.#dashAt(at)) {
      // `- - item`: a list in a list item.
      if (ofKey) unmodelled();
      value = this.#list(at - this.#line, at);
    } else {
      if (!startsPlain(code, text.charCodeAt(at + 1))) unmodelled();
      if (this.#keyColon(at) >= 0) {
        // `- key: value`: a map in a list item. After a key, a second colon on the line is an error.
        if (ofKey) unmodelled();
        value = this.#map(at - this.#line, at);
      } else {
        value = this.#plain(at, column);
      }
    }
    // A line deeper than the collection after its value: an error (folded scalars are read above). Said here, early:
    // no collection would take the line, so the document would be left all the same.
    if (this.#indent > column) unmodelled();
    return value;
  }

  /**
   * The plain scalar at `at`, which is no key, in the block collection at `column`: its line, and the lines after it
   * deeper than the collection, as kubectl and kustomize fold long arguments. A line break between two lines reads as
   * a space, each blank line as a line break. A comment ends it; a continuation line that is a key is an error.
   */
  #plain(at: number, column: number): unknown {
    const { text, to } = this;
    let stop = this.#stop;
    const commented = stop < this.#lineEnd;
    while (text.charCodeAt(stop - 1) === SPACE) stop--;
    let folded: string | null = null;
    let line = this.#next;
    if (!commented) {
      let blanks = 0;
      while (line < to) {
        scanLine(text, line, to);
        const { first, end, newline } = scanned;
        if (first >= end) {
          blanks++;
          line = newline + 1;
          continue;
        }
        if (first - line <= column || text.charCodeAt(first) === HASH) break;
        if (this.#keyColon(first, end) >= 0) unmodelled();
        let lineStop = this.#stop;
        while (text.charCodeAt(lineStop - 1) === SPACE) lineStop--;
        folded = `${folded ?? text.slice(at, stop)}${blanks > 0 ? '\n'.repeat(blanks) : ' '}${text.slice(first, lineStop)}`;
        blanks = 0;
        stop = lineStop;
        line = newline + 1;
        if (this.#stop < end) break;
      }
    }
    const value = plainValue(folded ?? text.slice(at, stop));
    this.#writer.scalar(PLAIN, at - this.from, stop - this.from);
    this.#end = stop;
    this.#seek(folded === null ? this.#next : line);
    return value;
  }

  /** After a scalar or flow collection ending at `close`: nothing but spaces and a comment to the end of the line. */
  #lineDone(close: number): void {
    const { text } = this;
    let at = close;
    while (at < this.#lineEnd && text.charCodeAt(at) === SPACE) at++;
    // A comment glued to a closing quote or bracket is an error.
    if (at < this.#lineEnd && (at === close || text.charCodeAt(at) !== HASH)) unmodelled();
    this.#end = close;
    this.#seek(this.#next);
  }

  /**
   * A value not on its key's line: a block collection on the lines below (a list may stand in its key's column), or
   * nothing: null, where the full reader puts it (past the spaces after the colon). A list item's value is always on
   * its dash's line here.
   */
  #below(empty: number, column: number, ofKey: boolean): unknown {
    if (!ofKey) unmodelled();
    this.#seek(this.#next);
    const indent = this.#indent;
    if (indent > column || (indent === column && this.#dashAt(this.#content))) {
      return this.#dashAt(this.#content)
        ? this.#list(indent, this.#content)
        : this.#map(indent, this.#content);
    }
    this.#writer.scalar(PLAIN, empty - this.from, empty - this.from);
    this.#end = empty;
    return null;
  }
}
