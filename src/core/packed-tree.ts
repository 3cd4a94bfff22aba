/**
 * The trees of documents the fast reader read, kept packed until something looks at them. A tree of objects costs about
 * 80 bytes a node, five times the document's text; most documents never have a finding located or a fix made in them,
 * so their trees are kept as numbers (three or four a node: 16 bits each when the document is shorter than 64 KiB,
 * offsets being kept from its start) and turned back into objects when `contents` is read. Scalar values are not kept
 * twice: each is found in the document's data, which holds exactly the entries of the tree (the fast reader checks
 * that entry by entry). Nor are key names, unless a map has a key that JavaScript orders before the others (an integer
 * such as `"8080"`): a map's keys are otherwise its data's own keys, in the same order.
 */
import type {
  NodeSpan,
  PathSegment,
  ScalarStyle,
  ShallowMap,
  ShallowSeq,
  TreeDocument,
  TreeNode,
  TreePair,
  TreeScalar,
} from './tree-types.js';
import { SLAB_NUMBERS, newSlab } from './slab-memory.js';

/** A scalar's style as a number: its index here. */
export const STYLES: readonly ScalarStyle[] = ['plain', 'single', 'double', 'literal', 'folded'];
/** The first number of a node: its style when a scalar, else MAP or SEQ, with FLOW for a flow collection. */
const MAP = 8;
const SEQ = 16;
const FLOW = 32;

/**
 * The numbers and key names a writer collects, shared: documents are written one at a time, and a document's own
 * arrays, grown as it is read, were most of what reading it allocated. Each writer takes them over when it is made;
 * an older writer used after a newer one was made fails rather than write into the newer one's tree.
 */
let numbers = new Int32Array(1 << 12);
const keyNames: string[] = [];
let generation = 0;

/**
 * Writes a document's tree as it is read, each node before the nodes inside it (a map's keys each before its value),
 * offsets from the document's start; `document` then makes the packed document.
 */
export class PackedWriter {
  readonly #generation = ++generation;
  #length = 0;
  #keyCount = 0;
  #ordered = true;
  /** The largest offset or count written. */
  #widest = 0;

  /** Room for `count` more numbers; the position of the first. */
  #room(count: number): number {
    if (this.#generation !== generation)
      throw new Error('a PackedWriter was used after a newer one was made');
    const at = this.#length;
    if (at + count > numbers.length) {
      const grown = new Int32Array(Math.max(numbers.length * 2, at + count));
      grown.set(numbers.subarray(0, at));
      numbers = grown;
    }
    this.#length = at + count;
    return at;
  }

  scalar(style: number, start: number, end: number): void {
    const at = this.#room(3);
    numbers[at] = style;
    numbers[at + 1] = start;
    numbers[at + 2] = end;
    if (end > this.#widest || start > this.#widest) this.#widest = Math.max(start, end);
  }

  collection(map: boolean, flow: boolean, start: number, end: number, count: number): void {
    const at = this.open(map, flow, start);
    this.close(at, end, count);
  }

  /**
   * A collection whose end and count are known only once its contents are written (`close` then completes it): the
   * writer keeps the order of `collection` all the same.
   */
  open(map: boolean, flow: boolean, start: number): number {
    const at = this.#room(4);
    numbers[at] = (map ? MAP : SEQ) | (flow ? FLOW : 0);
    numbers[at + 1] = start;
    if (start > this.#widest) this.#widest = start;
    return at;
  }

  close(slot: number, end: number, count: number): void {
    numbers[slot + 2] = end;
    numbers[slot + 3] = count;
    if (end > this.#widest || count > this.#widest) this.#widest = Math.max(end, count);
  }

  key(name: string, style: number, start: number, end: number): void {
    this.scalar(style, start, end);
    keyNames[this.#keyCount++] = name;
    if (this.#ordered && isArrayIndex(name)) this.#ordered = false;
  }

  document(start: number, end: number, value: unknown): TreeDocument {
    this.#room(0);
    const length = this.#length;
    const written = numbers.subarray(0, length);
    const keys = this.#ordered ? null : keyNames.slice(0, this.#keyCount);
    // The first number of a node is below 64; every other one was taken into `#widest`.
    if (this.#widest > 0xffff) return new PackedDocument(start, end, value, written.slice(), 0, length, keys);
    if (length > SLAB_NUMBERS / 8) {
      return new PackedDocument(start, end, value, new Uint16Array(written), 0, length, keys);
    }
    if (slabUsed + length > slab.length) {
      slab = newSlab();
      slabUsed = 0;
    }
    const base = slabUsed;
    slab.set(written, base);
    slabUsed += length;
    return new PackedDocument(start, end, value, slab, base, length, keys);
  }
}

/**
 * Where the numbers of documents shorter than 64 KiB are kept: slabs that documents written one after another share,
 * each document at its `base`. An array of its own cost a document about 350 bytes beside its numbers (the typed array,
 * its buffer, their records outside the heap and the allocator's), 27 MB at 100,000 documents, and the collector
 * tracks every buffer. A document with more numbers than an eighth of a slab gets an array of its own.
 */
let slab = new Uint16Array(SLAB_NUMBERS);
let slabUsed = 0;

/** What a packed document is made of: plain data and numbers, which can be sent to another thread. */
export interface PackedParts {
  start: number;
  end: number;
  value: unknown;
  /** The numbers, from `base` on (`length` of them); other documents' may lie around them. */
  layout: Layout;
  base: number;
  length: number;
  /** The key names of every map in order, or null when each map's keys are its data's own, in order. */
  keys: string[] | null;
}

type Layout = Uint16Array | Int32Array;

/** The parts of a document `packedDocument` made, or null for any other tree. */
export function partsOf(document: TreeDocument): PackedParts | null {
  return document instanceof PackedDocument ? document.parts() : null;
}

/** The document of parts `partsOf` gave (in this thread or another). */
export function documentOfParts(parts: PackedParts): TreeDocument {
  const { start, end, value, layout, base, length, keys } = parts;
  return new PackedDocument(start, end, value, layout, base, length, keys);
}

/**
 * Moves the numbers of `batch`, documents' parts to be sent to another thread, into arrays of their own, and returns
 * the buffers to transfer: one for the batch (two if some document needs 32 bits), where sending each document's
 * slab would copy or detach numbers of others.
 */
export function gatherForSending(batch: readonly PackedParts[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const wide of [false, true]) {
    const chosen = batch.filter((parts) => parts.layout instanceof Int32Array === wide);
    if (chosen.length === 0) continue;
    const total = chosen.reduce((sum, parts) => sum + parts.length, 0);
    const gathered = wide ? new Int32Array(total) : new Uint16Array(total);
    let at = 0;
    for (const parts of chosen) {
      gathered.set(parts.layout.subarray(parts.base, parts.base + parts.length), at);
      parts.layout = gathered;
      parts.base = at;
      at += parts.length;
    }
    buffers.push(gathered.buffer);
  }
  return buffers;
}

/**
 * The last documents unpacked, most recent last. Rules ask for a document's nodes several times in a row (a fix, then
 * the finding's lines), rarely after they have moved on; a tree kept only here is garbage soon after, so a scan holds
 * the trees of a few documents at a time rather than those of every document with a finding.
 */
const RECENT = 8;
const recent: Array<{ document: PackedDocument; contents: TreeNode }> = [];

class PackedDocument implements TreeDocument {
  readonly fast = true;
  readonly #layout: Layout;
  readonly #base: number;
  readonly #length: number;
  readonly #keys: string[] | null;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly value: unknown,
    layout: Layout,
    base: number,
    length: number,
    keys: string[] | null,
  ) {
    this.#layout = layout;
    this.#base = base;
    this.#length = length;
    this.#keys = keys;
  }

  parts(): PackedParts {
    const { start, end, value } = this;
    return {
      start,
      end,
      value,
      layout: this.#layout,
      base: this.#base,
      length: this.#length,
      keys: this.#keys,
    };
  }

  /**
   * The map or sequence at `path` read off the numbers: the nodes before it are stepped over, and only the collection
   * and the places of its entries are made. A fix to a pod spec, or the lines of a finding, need no more; unpacking
   * whole documents for them was a third of what a scan allocated.
   */
  collectionAt(path: readonly PathSegment[]): ShallowMap | ShallowSeq | undefined {
    const layout = this.#layout;
    const keys = this.#keys;
    const by = this.start;
    const cursor = { at: this.#base, key: 0 };
    let data = this.value as Record<PathSegment, unknown>;
    for (const segment of path) {
      if (!stepInto(layout, keys, data, segment, cursor)) return undefined;
      data = data[segment] as Record<PathSegment, unknown>;
    }
    const at = cursor.at;
    const tag = layout[at]!;
    if ((tag & (MAP | SEQ)) === 0) return undefined;
    const [start, end, count] = [layout[at + 1]! + by, layout[at + 2]! + by, layout[at + 3]!];
    const flow = (tag & FLOW) !== 0;
    cursor.at = at + 4;
    if (tag & SEQ) {
      const items: NodeSpan[] = [];
      for (let index = 0; index < count; index++) {
        items.push(spanAt(layout, cursor.at, by, data[index]));
        skip(layout, cursor);
      }
      return { kind: 'seq', start, end, flow, items };
    }
    const own = keys ? null : Object.keys(data);
    const items: ShallowMap['items'] = [];
    for (let index = 0; index < count; index++) {
      const name = own ? own[index]! : keys![cursor.key++]!;
      const key = scalarAt(layout, cursor.at, by, name);
      cursor.at += 3;
      items.push({ key, value: spanAt(layout, cursor.at, by, data[name]) });
      skip(layout, cursor);
    }
    return { kind: 'map', start, end, flow, items };
  }

  /** The tree, unpacked anew when it is not among the last few: nodes are compared by offsets, never by identity. */
  get contents(): TreeNode {
    for (let index = recent.length - 1; index >= 0; index--) {
      if (recent[index]!.document === this) return recent[index]!.contents;
    }
    const contents = unpack(this.#layout, this.#base, this.#keys, this.value, this.start);
    if (recent.push({ document: this, contents }) > RECENT) recent.shift();
    return contents;
  }
}

/** A key JavaScript puts first, in numeric order, among an object's keys: `0`, `8080`, up to 2³² − 2. */
function isArrayIndex(name: string): boolean {
  const first = name.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  return /^(?:0|[1-9]\d{0,9})$/.test(name) && Number(name) < 2 ** 32 - 1;
}

/**
 * Moves `cursor` (a position in the numbers, and in the key names when a document keeps them) from the collection at
 * it to its entry `segment`, whose data `data` holds; false when there is none. The entries before it are stepped over.
 */
function stepInto(
  layout: Layout,
  keys: readonly string[] | null,
  data: Record<PathSegment, unknown>,
  segment: PathSegment,
  cursor: { at: number; key: number },
): boolean {
  const tag = layout[cursor.at]!;
  const count = layout[cursor.at + 3]!;
  if (tag & MAP) {
    const own = keys ? null : Object.keys(data);
    cursor.at += 4;
    for (let index = 0; index < count; index++) {
      const name = own ? own[index]! : keys![cursor.key++]!;
      cursor.at += 3;
      if (name === segment) return true;
      skip(layout, cursor);
    }
    return false;
  }
  if (tag & SEQ) {
    if (typeof segment !== 'number' || !Number.isInteger(segment) || segment < 0 || segment >= count)
      return false;
    cursor.at += 4;
    for (let index = 0; index < segment; index++) skip(layout, cursor);
    return true;
  }
  return false;
}

/** Moves `cursor` past the node at it and everything inside, counting the key names of the maps inside. */
function skip(layout: Layout, cursor: { at: number; key: number }): void {
  let at = cursor.at;
  for (let pending = 1; pending > 0; pending--) {
    const tag = layout[at]!;
    if ((tag & (MAP | SEQ)) === 0) {
      at += 3;
      continue;
    }
    const count = layout[at + 3]!;
    // A map's entries are a key scalar and a value each.
    if (tag & MAP) {
      pending += 2 * count;
      cursor.key += count;
    } else {
      pending += count;
    }
    at += 4;
  }
  cursor.at = at;
}

function scalarAt(layout: Layout, at: number, by: number, value: unknown): TreeScalar {
  return {
    kind: 'scalar',
    start: layout[at + 1]! + by,
    end: layout[at + 2]! + by,
    value,
    style: STYLES[layout[at]!]!,
  };
}

/** The node at `at` without what it holds. */
function spanAt(layout: Layout, at: number, by: number, value: unknown): NodeSpan {
  const tag = layout[at]!;
  if ((tag & (MAP | SEQ)) === 0) return scalarAt(layout, at, by, value);
  return {
    kind: tag & MAP ? 'map' : 'seq',
    start: layout[at + 1]! + by,
    end: layout[at + 2]! + by,
    flow: (tag & FLOW) !== 0,
  };
}

function unpack(
  layout: Layout,
  base: number,
  keys: readonly string[] | null,
  value: unknown,
  by: number,
): TreeNode {
  let at = base;
  let keyIndex = 0;
  const scalar = (scalarValue: unknown): TreeScalar => {
    const node = scalarAt(layout, at, by, scalarValue);
    at += 3;
    return node;
  };
  const read = (data: unknown): TreeNode => {
    const tag = layout[at]!;
    if ((tag & (MAP | SEQ)) === 0) return scalar(data);
    const [start, end, count] = [layout[at + 1]! + by, layout[at + 2]! + by, layout[at + 3]!];
    const flow = (tag & FLOW) !== 0;
    at += 4;
    if (tag & MAP) {
      const record = data as Record<string, unknown>;
      // Key names come in the order `pack` met them, each map's before those of the maps inside it.
      const own = keys ? null : Object.keys(record);
      const items: TreePair[] = [];
      for (let index = 0; index < count; index++) {
        const name = own ? own[index]! : keys![keyIndex++]!;
        const key = scalar(name);
        items.push({ key, value: read(record[name]) });
      }
      return { kind: 'map', start, end, flow, items };
    }
    const list = data as unknown[];
    const items: TreeNode[] = [];
    for (let index = 0; index < count; index++) items.push(read(list[index]));
    return { kind: 'seq', start, end, flow, items };
  };
  return read(value);
}
