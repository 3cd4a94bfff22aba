/**
 * The trees of documents the fast reader read, kept packed until something looks at them. A tree of objects costs about
 * 80 bytes a node, five times the document's text; most documents never have a finding located or a fix made in them,
 * so their trees are kept as numbers (three or four a node) and the key names, and turned back into objects when
 * `contents` is read. Scalar values are not kept twice: each is found in the document's data, which holds exactly
 * the entries of the tree (the fast reader checks that entry by entry).
 */
import type { ScalarStyle, TreeDocument, TreeNode, TreePair, TreeScalar } from './tree-types.js';

const STYLES: readonly ScalarStyle[] = ['plain', 'single', 'double', 'literal', 'folded'];
/** The first number of a node: its style when a scalar, else MAP or SEQ, with FLOW for a flow collection. */
const MAP = 8;
const SEQ = 16;
const FLOW = 32;

/**
 * The document [start, end) of a file, read by the fast reader: `contents` has offsets into the document's own text,
 * which starts at `start` in the file.
 */
export function packedDocument(contents: TreeNode, value: unknown, start: number, end: number): TreeDocument {
  const layout: number[] = [];
  const keys: string[] = [];
  pack(contents, start, layout, keys);
  return new PackedDocument(start, end, value, Int32Array.from(layout), keys);
}

/** What a packed document is made of: plain data and numbers, which can be sent to another thread. */
export interface PackedParts {
  start: number;
  end: number;
  value: unknown;
  layout: Int32Array;
  keys: string[];
}

/** The parts of a document `packedDocument` made, or null for any other tree. */
export function partsOf(document: TreeDocument): PackedParts | null {
  return document instanceof PackedDocument ? document.parts() : null;
}

/** The document of parts `partsOf` gave (in this thread or another). */
export function documentOfParts(parts: PackedParts): TreeDocument {
  return new PackedDocument(parts.start, parts.end, parts.value, parts.layout, parts.keys);
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
  readonly #layout: Int32Array;
  readonly #keys: string[];

  constructor(
    readonly start: number,
    readonly end: number,
    readonly value: unknown,
    layout: Int32Array,
    keys: string[],
  ) {
    this.#layout = layout;
    this.#keys = keys;
  }

  parts(): PackedParts {
    return { start: this.start, end: this.end, value: this.value, layout: this.#layout, keys: this.#keys };
  }

  /** The tree, unpacked anew when it is not among the last few: nodes are compared by offsets, never by identity. */
  get contents(): TreeNode {
    for (let index = recent.length - 1; index >= 0; index--) {
      if (recent[index]!.document === this) return recent[index]!.contents;
    }
    const contents = unpack(this.#layout, this.#keys, this.value);
    if (recent.push({ document: this, contents }) > RECENT) recent.shift();
    return contents;
  }
}

function pack(node: TreeNode, by: number, layout: number[], keys: string[]): void {
  if (node.kind === 'scalar') {
    layout.push(STYLES.indexOf(node.style), node.start + by, node.end + by);
  } else if (node.kind === 'map') {
    layout.push(MAP | (node.flow ? FLOW : 0), node.start + by, node.end + by, node.items.length);
    for (const { key, value } of node.items) {
      // The fast reader keeps only string keys (anything else goes the full way).
      layout.push(STYLES.indexOf(key!.style), key!.start + by, key!.end + by);
      keys.push(key!.value as string);
      pack(value, by, layout, keys);
    }
  } else if (node.kind === 'seq') {
    layout.push(SEQ | (node.flow ? FLOW : 0), node.start + by, node.end + by, node.items.length);
    for (const item of node.items) pack(item, by, layout, keys);
  } else {
    throw new Error('the fast reader never reads an alias');
  }
}

function unpack(layout: Int32Array, keys: readonly string[], value: unknown): TreeNode {
  let at = 0;
  let keyIndex = 0;
  const scalar = (scalarValue: unknown): TreeScalar => {
    const node: TreeScalar = {
      kind: 'scalar',
      start: layout[at + 1]!,
      end: layout[at + 2]!,
      value: scalarValue,
      style: STYLES[layout[at]!]!,
    };
    at += 3;
    return node;
  };
  const read = (data: unknown): TreeNode => {
    const tag = layout[at]!;
    if ((tag & (MAP | SEQ)) === 0) return scalar(data);
    const [start, end, count] = [layout[at + 1]!, layout[at + 2]!, layout[at + 3]!];
    const flow = (tag & FLOW) !== 0;
    at += 4;
    if (tag & MAP) {
      const record = data as Record<string, unknown>;
      const items: TreePair[] = [];
      for (let index = 0; index < count; index++) {
        const name = keys[keyIndex++]!;
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
