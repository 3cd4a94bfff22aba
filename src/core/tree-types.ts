import type { LineStarts } from './line-starts.js';
import type { SourceFile } from './types.js';

/**
 * The shape of a YAML document with the offsets of every node in the file's text: what findings are located with and
 * fixes are made from. It has two producers that must agree exactly (a differential test holds them to it), and the
 * fast one a shortcut held to both (`block-reader.ts`, for block YAML):
 *
 * - the fast one reads a document with js-yaml, about eight times faster than the `yaml` package, recording where
 *   each node starts and ends from the parser's events. It gives up, rather than guess, on anything it does not
 *   model: anchors, aliases, tags, merge keys, explicit `?` keys, keys that are not strings, a node the events do not
 *   account for. The document then goes the full way;
 * - the full one converts the `yaml` package's syntax tree, which keeps every range and reads every construct.
 *
 * Offsets are into the whole file. `end` is just after the node's last character: a plain or quoted scalar's text, a
 * block scalar's last non-blank character, a flow collection's closing bracket, a block collection's last entry.
 */
export type TreeNode = TreeScalar | TreeMap | TreeSeq | TreeOpaque;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface TreeScalar {
  kind: 'scalar';
  start: number;
  end: number;
  /** The scalar's value as read (a key's value is what keys are matched against). */
  value: unknown;
  style: ScalarStyle;
}

export interface TreePair {
  /** null for a key that is not a scalar (a complex key, an alias): such an entry is never matched by name. */
  key: TreeScalar | null;
  /** A value written as nothing (`key:`) is a null scalar at the position the value would start. */
  value: TreeNode;
}

export interface TreeMap {
  kind: 'map';
  start: number;
  end: number;
  flow: boolean;
  items: TreePair[];
}

export interface TreeSeq {
  kind: 'seq';
  start: number;
  end: number;
  flow: boolean;
  items: TreeNode[];
}

/** An alias: it has a place in the text but nothing to walk into. */
export interface TreeOpaque {
  kind: 'opaque';
  start: number;
  end: number;
}

/** A node's kind and place (and a scalar's value and style), without what a collection holds. */
export type NodeSpan =
  TreeScalar | TreeOpaque | { kind: 'map' | 'seq'; start: number; end: number; flow: boolean };

/**
 * A map with the places of its keys and values but not what its values hold: what a fix to the map's own entries
 * works from. A TreeMap is one.
 */
export interface ShallowMap {
  kind: 'map';
  start: number;
  end: number;
  flow: boolean;
  items: Array<{ key: TreeScalar | null; value: NodeSpan }>;
}

/** A sequence with the places of its items but not what they hold. A TreeSeq is one. */
export interface ShallowSeq {
  kind: 'seq';
  start: number;
  end: number;
  flow: boolean;
  items: NodeSpan[];
}

/** One document of a file. */
export interface TreeDocument {
  /** The document's text in the file, markers excluded: `text.slice(start, end)` parses as this document alone. */
  start: number;
  end: number;
  contents: TreeNode | null;
  /** Plain data of the document. */
  value: unknown;
  /** Read by js-yaml with the YAML 1.1 schema (true), or by the `yaml` package (false). */
  fast: boolean;
  /**
   * The map or sequence at `path` from the document's root, made without the rest of the tree; undefined when no
   * collection is there. Absent where `contents` is at hand anyway.
   */
  collectionAt?(path: readonly PathSegment[]): ShallowMap | ShallowSeq | undefined;
}

export type PathSegment = string | number;

/** One Kubernetes object found in a file, with what is needed to point back into the file's text. */
export interface LoadedObject {
  file: SourceFile;
  /** The document the object lives in: its place in the file and the offsets of its nodes. */
  doc: TreeDocument;
  /** Where the object sits inside its document: [] for a plain document, ['items', i] for a List item. */
  basePath: PathSegment[];
  /** Plain data of the object. */
  value: Record<string, unknown>;
  lines: LineStarts;
  /** 0-based index of the document among the file's documents that hold something, and of the List item. */
  docIndex: number;
  itemIndex: number | null;
}
