/** Where a loaded object's fields sit in its file: nodes by path, and the lines findings point at. */
import type { LoadedObject, PathSegment } from './load.js';
import type { TreeNode, TreeScalar } from './tree.js';

/** The node at `path` below the object, or undefined. */
export function nodeAt(object: LoadedObject, path: readonly PathSegment[]): TreeNode | undefined {
  let node: TreeNode | undefined = object.doc.contents ?? undefined;
  for (const segment of object.basePath) node = childOf(node, segment);
  for (const segment of path) node = childOf(node, segment);
  return node;
}

function childOf(node: TreeNode | undefined, segment: PathSegment): TreeNode | undefined {
  if (node?.kind === 'map') return node.items.find((pair) => pair.key?.value === segment)?.value;
  if (node?.kind === 'seq' && typeof segment === 'number') return node.items[segment];
  return undefined;
}

/** The key node of the pair at `path` (the last segment must be a key), or undefined. */
export function keyNodeAt(object: LoadedObject, path: readonly PathSegment[]): TreeScalar | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAt(object, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent?.kind !== 'map') return undefined;
  return parent.items.find((pair) => pair.key?.value === key)?.key ?? undefined;
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
    const prefix = path.slice(0, depth);
    const key = typeof prefix[prefix.length - 1] === 'string' ? keyNodeAt(object, prefix) : undefined;
    const node = nodeAt(object, prefix);
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
  const offset = nodeAt(object, [])?.start ?? object.doc.start;
  const line = object.lines.linePos(offset).line;
  return { line, endLine: line };
}
