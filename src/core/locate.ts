/** Where a loaded object's fields sit in its file: nodes by path, and the lines findings point at. */
import type { LoadedObject, PathSegment } from './load.js';
import type { TreeNode, TreeScalar } from './tree.js';
import type { NodeSpan, ShallowMap, ShallowSeq } from './tree-types.js';

/** The node at `path` below the object, or undefined. */
export function nodeAt(object: LoadedObject, path: readonly PathSegment[]): TreeNode | undefined {
  let node: TreeNode | undefined = object.doc.contents ?? undefined;
  for (const segment of object.basePath) node = childOf(node, segment);
  for (const segment of path) node = childOf(node, segment);
  return node;
}

/**
 * The map or sequence at `path` below the object, with the places of its entries (see ShallowMap), or undefined: made
 * without the rest of the tree where the document can.
 */
export function collectionAt(
  object: LoadedObject,
  path: readonly PathSegment[],
): ShallowMap | ShallowSeq | undefined {
  if (object.doc.collectionAt) return object.doc.collectionAt([...object.basePath, ...path]);
  const node = nodeAt(object, path);
  return node?.kind === 'map' || node?.kind === 'seq' ? node : undefined;
}

/** The map at `path` below the object (see `collectionAt`), or undefined. */
export function mapAt(object: LoadedObject, path: readonly PathSegment[]): ShallowMap | undefined {
  const found = collectionAt(object, path);
  return found?.kind === 'map' ? found : undefined;
}

/** The entry `segment` of a collection, as every lookup steps to it: by key in a map, by index in a sequence. */
export function entryOf(
  parent: TreeNode | ShallowMap | ShallowSeq | undefined,
  segment: PathSegment,
): { key: TreeScalar | null; value: NodeSpan } | undefined {
  if (parent?.kind === 'map') return parent.items.find((pair) => pair.key?.value === segment);
  if (parent?.kind === 'seq' && typeof segment === 'number') {
    const value = parent.items[segment];
    return value && { key: null, value };
  }
  return undefined;
}

/** The kind and place of the node at `path` below the object (not what it holds), or undefined. */
export function nodeSpanAt(object: LoadedObject, path: readonly PathSegment[]): NodeSpan | undefined {
  if (path.length === 0) return collectionAt(object, []) ?? nodeAt(object, []);
  return entryOf(collectionAt(object, path.slice(0, -1)), path[path.length - 1]!)?.value;
}

/** The child `segment` of a node of a whole tree: its entries are whole nodes too. */
function childOf(node: TreeNode | undefined, segment: PathSegment): TreeNode | undefined {
  return entryOf(node, segment)?.value as TreeNode | undefined;
}

/** The key node of the pair at `path` (the last segment must be a key), or undefined. */
export function keyNodeAt(object: LoadedObject, path: readonly PathSegment[]): TreeScalar | undefined {
  if (path.length === 0) return undefined;
  const parent = mapAt(object, path.slice(0, -1));
  return entryOf(parent, path[path.length - 1]!)?.key ?? undefined;
}

export interface LineSpan {
  line: number;
  endLine: number;
}

/**
 * The lines of the deepest node along `path` that exists: the field itself when present, else its closest ancestor,
 * else the start of the object. A key with a scalar value spans its own line; a collection is pointed at by its key.
 */
export function spanOf(object: LoadedObject, path: readonly PathSegment[]): LineSpan {
  for (let depth = path.length; depth > 0; depth--) {
    const segment = path[depth - 1]!;
    const entry = entryOf(collectionAt(object, path.slice(0, depth - 1)), segment);
    const key = typeof segment === 'string' ? (entry?.key ?? undefined) : undefined;
    const node = entry?.value;
    if (key) {
      const line = object.lines.linePos(key.start).line;
      const end = node?.kind === 'scalar' ? object.lines.linePos(node.end).line : line;
      return { line, endLine: Math.max(line, end) };
    }
    if (node) {
      const line = object.lines.linePos(node.start).line;
      return { line, endLine: line };
    }
  }
  return documentStart(object);
}

export function documentStart(object: LoadedObject): LineSpan {
  const offset = nodeSpanAt(object, [])?.start ?? object.doc.start;
  const line = object.lines.linePos(offset).line;
  return { line, endLine: line };
}
