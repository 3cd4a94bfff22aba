import { load as loadFast } from 'js-yaml';
import { type Document, type Node as YamlNode, isMap, isPair, isScalar, isSeq } from 'yaml';
import { KUBERNETES_SCHEMA } from './kubernetes-scalars.js';
import { packedDocument } from './packed-tree.js';
import type {
  ScalarStyle,
  TreeDocument,
  TreeMap,
  TreeNode,
  TreeOpaque,
  TreePair,
  TreeScalar,
} from './tree-types.js';
import { foldedPlainModelled } from './plain-lines.js';
import { COLON, HASH, skipSeparation, skipSpaces, trimBack } from './yaml-text.js';

export type {
  ScalarStyle,
  TreeDocument,
  TreeMap,
  TreeNode,
  TreeOpaque,
  TreePair,
  TreeScalar,
  TreeSeq,
} from './tree-types.js';

/** The reason the fast reader stopped: the document goes the full way. */
class NotModelled extends Error {}

function styleAt(text: string, start: number): ScalarStyle {
  switch (text[start]) {
    case '"':
      return 'double';
    case "'":
      return 'single';
    case '|':
      return 'literal';
    case '>':
      return 'folded';
    default:
      return 'plain';
  }
}

/** A node being read: where its event opened, the nodes read inside it, and once closed what it read. */
interface Event {
  /** Where the event opened, for a value read as nothing. */
  open: number;
  children: Event[] | null;
  /** The node, or null when the event read nothing. */
  node: TreeNode | null;
  /** The value js-yaml built for it (EMPTY when nothing). */
  result: unknown;
  /** A flow collection over several lines. */
  loose?: boolean;
}

interface JsYamlState {
  position: number;
  kind: string | null;
  result: unknown;
}

const EMPTY = Symbol('empty');

/**
 * Reads the document `text.slice(start, end)` with js-yaml and the YAML 1.1 schema. Returns undefined when the text
 * holds no document (blank or comments only), null when the fast reader does not model the document (the caller then
 * uses the full parser), and throws js-yaml's error when the text is not valid YAML.
 */
export function readFast(text: string, start: number, end: number): TreeDocument | null | undefined {
  const source = text.slice(start, end);
  if (readsDifferently(source)) return null;
  // Blank lines and comments only (a licence header before the first marker): no document, as for the `yaml` package;
  // js-yaml would read a null document.
  if (skipSeparation(source, 0) === source.length) return undefined;
  const stack: Event[] = [];
  let root: Event | undefined;
  const listener = (type: 'open' | 'close', state: JsYamlState) => {
    if (type === 'open') {
      stack.push({ open: state.position, children: null, node: null, result: EMPTY });
      return;
    }
    const event = stack.pop()!;
    close(source, event, state, stack);
    const parent = stack[stack.length - 1];
    if (!parent) root = event;
    else if (parent.children) parent.children.push(event);
    else parent.children = [event];
  };
  let value: unknown;
  try {
    value = loadFast(source, { schema: KUBERNETES_SCHEMA, listener });
  } catch (error) {
    if (error instanceof NotModelled) return null;
    throw error;
  }
  if (value === undefined) return undefined;
  if (!root || root.result !== value) return null;
  const contents = root.node ?? emptyScalar(source, root.open);
  return packedDocument(contents, value, start, end);
}

/**
 * Text the two parsers are known to read differently, found by the differential tests: js-yaml takes tabs where YAML
 * forbids them (as indentation before a marker, say), and ends a line at a lone carriage return where the `yaml`
 * package keeps it as content. Both are rare in manifests; such a document goes the full way.
 */
export function readsDifferently(source: string): boolean {
  return source.includes('\t') || /\r(?!\n)/.test(source);
}

function emptyScalar(source: string, at: number): TreeScalar {
  const position = skipSpaces(source, at);
  return { kind: 'scalar', start: position, end: position, value: null, style: 'plain' };
}

/** Completes `event` from js-yaml's state at the node's end. */
function close(source: string, event: Event, state: JsYamlState, stack: readonly Event[]): void {
  if (state.kind === null) return;
  const result = state.result;
  event.result = result;
  // js-yaml reads the text with a line break added when it has none at the end: no position lies past the text.
  const position = Math.min(state.position, source.length);
  const start = skipSeparation(source, event.open);
  const first = source[start];
  // Anchors, aliases and tags: the full parser expands aliases with a limit and reports unknown tags in its words.
  if (first === '&' || first === '*' || first === '!' || first === '?') throw new NotModelled();
  if (state.kind === 'scalar') {
    const style = styleAt(source, start);
    const end = style === 'double' || style === 'single' ? position : trimBack(source, position, start);
    // A quoted scalar over several lines: js-yaml takes continuation lines indented less than YAML requires; plain
    // ones only where both parsers end them alike (see plain-lines.ts). And a comment glued to a closing quote, which
    // YAML rejects.
    if (
      style !== 'literal' &&
      style !== 'folded' &&
      source.lastIndexOf('\n', end - 1) >= start &&
      (style !== 'plain' || !foldedPlainModelled(source, start, end, stack))
    ) {
      throw new NotModelled();
    }
    if ((style === 'double' || style === 'single') && source.charCodeAt(end) === HASH)
      throw new NotModelled();
    // Infinities and NaN: the full reader reports them, as Kubernetes cannot carry them in JSON.
    if (typeof result === 'number' && !Number.isFinite(result)) throw new NotModelled();
    event.node = { kind: 'scalar', start, end, value: result, style };
    return;
  }
  const children = event.children ?? [];
  // A collection read while looking for a block mapping's first key, then kept as the node itself (`{...}`, `[...]`).
  const only = children.length === 1 ? children[0]! : undefined;
  if (only && only.result === result && only.node && only.node.kind !== 'scalar') {
    event.node = only.node;
    event.loose = only.loose;
    return;
  }
  const flow = first === '{' || first === '[';
  // A flow collection over several lines inside a block one: js-yaml takes lines YAML finds not indented enough.
  if (!flow && children.some((child) => child.loose)) throw new NotModelled();
  if (state.kind === 'mapping') {
    event.node = mappingOf(source, children, result, start, flow, position);
    event.loose = flow && source.lastIndexOf('\n', event.node.end - 1) >= start;
    if (flow && source.charCodeAt(event.node.end) === HASH) throw new NotModelled();
    return;
  }
  if (state.kind !== 'sequence' || !Array.isArray(result) || children.length !== result.length) {
    throw new NotModelled();
  }
  const items = children.map((child, index) => {
    if (!Object.is(child.result === EMPTY ? null : child.result, result[index])) throw new NotModelled();
    return child.node ?? emptyScalar(source, child.open);
  });
  const end = flow ? position : items.length > 0 ? items[items.length - 1]!.end : start;
  event.node = { kind: 'seq', start, end, flow, items };
  event.loose = flow && source.lastIndexOf('\n', end - 1) >= start;
  // A comment glued to a closing bracket, which YAML rejects.
  if (flow && source.charCodeAt(end) === HASH) throw new NotModelled();
}

function mappingOf(
  source: string,
  children: Event[],
  result: unknown,
  start: number,
  flow: boolean,
  position: number,
): TreeMap {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new NotModelled();
  const record = result as Record<string, unknown>;
  const items: TreePair[] = [];
  let key: TreeScalar | undefined;
  const add = (value: TreeNode, read: unknown) => {
    const name = key!.value as string;
    // Every entry must be the one js-yaml stored: same key, and the very value (or object) it built.
    if (!Object.hasOwn(record, name) || !Object.is(record[name], read)) throw new NotModelled();
    items.push({ key: key!, value });
    key = undefined;
  };
  for (const child of children) {
    const node = child.node;
    if (node?.kind === 'scalar' && source.charCodeAt(skipSpaces(source, node.end)) === COLON) {
      // A key right after a key: the first was written with no value (`key:`).
      if (key) add(valueAfter(source, key), null);
      if (typeof node.value !== 'string' || node.value === '<<' || node.value === '__proto__') {
        throw new NotModelled();
      }
      key = node;
    } else if (key) {
      add(node ?? emptyScalar(source, child.open), child.result === EMPTY ? null : child.result);
    } else {
      throw new NotModelled();
    }
  }
  if (key) add(valueAfter(source, key), null);
  let count = 0;
  for (const name in record) if (Object.hasOwn(record, name)) count++;
  if (count !== items.length) throw new NotModelled();
  const last = items[items.length - 1];
  const end = flow ? position : last ? last.value.end : start;
  return { kind: 'map', start, end, flow, items };
}

/** The empty value of `key:`: a null scalar after the colon and any spaces, where the full parser puts it. */
function valueAfter(source: string, key: TreeScalar): TreeScalar {
  const colon = skipSpaces(source, key.end);
  return emptyScalar(source, colon + 1);
}

/**
 * The tree of a document the `yaml` package parsed from `text.slice(offset, ...)`: every range moved by `offset`.
 * `value` is the document's plain data, made by the caller (who limits alias expansion).
 */
export function treeOfParsed(
  doc: Document.Parsed,
  text: string,
  offset: number,
  value: unknown,
  bounds?: { start: number; end: number },
): TreeDocument {
  const contents = doc.contents ? convert(doc.contents, text, offset) : null;
  const start = bounds?.start ?? doc.range[0] + offset;
  const end = bounds?.end ?? doc.range[2] + offset;
  return { start, end, contents, value, fast: false };
}

function convert(node: YamlNode, text: string, offset: number): TreeNode {
  const range = node.range!;
  const start = range[0] + offset;
  if (isScalar(node)) {
    const style = styleOf(node.type);
    const end =
      style === 'literal' || style === 'folded'
        ? trimBack(text, range[1] + offset, start)
        : range[1] + offset;
    return { kind: 'scalar', start, end, value: node.value, style };
  }
  if (isMap(node)) {
    const items: TreePair[] = node.items.map((pair) => {
      // A merge key (`<<`) is read as a symbol: it names no field, so like a complex key it is never matched.
      const named = isScalar(pair.key) && typeof pair.key.value !== 'symbol';
      const key = named ? (convert(pair.key as YamlNode, text, offset) as TreeScalar) : null;
      const value = pair.value
        ? convert(pair.value as YamlNode, text, offset)
        : nullAfterKey(pair.key as YamlNode | null, text, offset);
      return { key, value };
    });
    const end = node.flow ? range[1] + offset : (items[items.length - 1]?.value.end ?? start);
    return { kind: 'map', start, end, flow: Boolean(node.flow), items };
  }
  if (isSeq(node)) {
    const items = node.items.map((item) =>
      isPair(item) || item === null
        ? ({ kind: 'opaque', start, end: start } as TreeOpaque)
        : convert(item as YamlNode, text, offset),
    );
    const end = node.flow ? range[1] + offset : (items[items.length - 1]?.end ?? start);
    return { kind: 'seq', start, end, flow: Boolean(node.flow), items };
  }
  // An alias: a place in the text, nothing to walk into.
  return { kind: 'opaque', start, end: range[1] + offset };
}

/** A pair the `yaml` package left without a value node (rare: it usually makes a null scalar). */
function nullAfterKey(key: YamlNode | null, text: string, offset: number): TreeScalar {
  const at = key?.range ? key.range[1] + offset : 0;
  const colon = skipSpaces(text, at);
  const position = skipSpaces(text, text.charCodeAt(colon) === COLON ? colon + 1 : colon);
  return { kind: 'scalar', start: position, end: position, value: null, style: 'plain' };
}

function styleOf(type: string | undefined): ScalarStyle {
  switch (type) {
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'QUOTE_SINGLE':
      return 'single';
    case 'BLOCK_LITERAL':
      return 'literal';
    case 'BLOCK_FOLDED':
      return 'folded';
    default:
      return 'plain';
  }
}
