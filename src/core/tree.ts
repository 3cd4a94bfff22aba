import { load as loadFast } from 'js-yaml';
import { hasRefusedCharacter } from './chunks.js';
import { KUBERNETES_SCHEMA } from './kubernetes-scalars.js';
import { PackedWriter, STYLES } from './packed-tree.js';
import type { TreeDocument } from './tree-types.js';
import { foldedPlainModelled } from './plain-lines.js';
import { COLON, HASH, loneCarriageReturn, skipSeparation, skipSpaces, trimBack } from './yaml-text.js';

const AMPERSAND = 0x26;
const ASTERISK = 0x2a;
const EXCLAMATION = 0x21;
const QUESTION = 0x3f;

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

/** A scalar's style, as the packed tree numbers it (`STYLES`). */
function styleAt(text: string, start: number): number {
  switch (text.charCodeAt(start)) {
    case 0x22 /* " */:
      return DOUBLE;
    case 0x27 /* ' */:
      return SINGLE;
    case 0x7c /* | */:
      return LITERAL;
    case 0x3e /* > */:
      return FOLDED;
    default:
      return PLAIN;
  }
}

const [PLAIN, SINGLE, DOUBLE, LITERAL, FOLDED] = (
  ['plain', 'single', 'double', 'literal', 'folded'] as const
).map((style) => STYLES.indexOf(style)) as [number, number, number, number, number];

/** What an event read: nothing (a value written as nothing), a scalar, a map or a sequence. */
const NONE = 0;
const SCALAR = 1;
const MAP = 2;
const SEQ = 3;

/**
 * A node being read: where its event opened, the events read inside it, and once closed the node it read. One object
 * a node, the events inside it linked rather than listed, so reading a document allocates little beyond js-yaml's own.
 */
interface Event {
  /** Where the event opened, for a value read as nothing. */
  open: number;
  /** The events read inside it, first to last, and the next one inside the same parent. */
  first: Event | null;
  last: Event | null;
  next: Event | null;
  /** The value js-yaml built for it (EMPTY when nothing). */
  result: unknown;
  kind: number;
  start: number;
  end: number;
  /** A scalar's style (see `styleAt`). */
  style: number;
  flow: boolean;
  /** A flow collection over several lines. */
  loose: boolean;
  /** A collection's entries: a map's keys each followed by its value, a sequence's items. */
  entries: Event[] | null;
}

interface JsYamlState {
  position: number;
  kind: string | null;
  result: unknown;
}

const EMPTY = Symbol('empty');

function opened(open: number): Event {
  return {
    open,
    first: null,
    last: null,
    next: null,
    result: EMPTY,
    kind: NONE,
    start: 0,
    end: 0,
    style: PLAIN,
    flow: false,
    loose: false,
    entries: null,
  };
}

/**
 * Reads the document `text.slice(start, end)` with js-yaml and the YAML 1.1 schema. Returns undefined when the text
 * holds no document (blank or comments only), null when the fast reader does not model the document (the caller then
 * uses the full parser), and throws js-yaml's error when the text is not valid YAML.
 */
export function readFast(text: string, start: number, end: number): TreeDocument | null | undefined {
  const source = text.slice(start, end);
  // And a control character, which js-yaml takes in a comment and Kubernetes nowhere: the full reader reports it.
  if (readsDifferently(source) || hasRefusedCharacter(source)) return null;
  // Blank lines and comments only (a licence header before the first marker): no document, as for the `yaml` package;
  // js-yaml would read a null document.
  if (skipSeparation(source, 0) === source.length) return undefined;
  const stack: Event[] = [];
  let root: Event | undefined;
  const listener = (type: 'open' | 'close', state: JsYamlState) => {
    if (type === 'open') {
      stack.push(opened(state.position));
      return;
    }
    const event = stack.pop()!;
    close(source, event, state, stack);
    const parent = stack[stack.length - 1];
    if (!parent) root = event;
    else if (parent.last) parent.last = parent.last.next = event;
    else parent.first = parent.last = event;
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
  const writer = new PackedWriter();
  pack(root.kind === NONE ? emptyScalar(source, root.open) : root, writer);
  return writer.document(start, end, value);
}

/** Writes the node an event read into `writer`, each node before those inside it. */
function pack(event: Event, writer: PackedWriter): void {
  if (event.kind === SCALAR) {
    writer.scalar(event.style, event.start, event.end);
    return;
  }
  const entries = event.entries!;
  const map = event.kind === MAP;
  writer.collection(map, event.flow, event.start, event.end, map ? entries.length / 2 : entries.length);
  if (!map) {
    for (const item of entries) pack(item, writer);
    return;
  }
  for (let index = 0; index < entries.length; index += 2) {
    const key = entries[index]!;
    writer.key(key.result as string, key.style, key.start, key.end);
    pack(entries[index + 1]!, writer);
  }
}

/**
 * Text the two parsers are known to read differently, found by the differential tests: js-yaml takes tabs where YAML
 * forbids them (as indentation before a marker, say), and ends a line at a lone carriage return where the `yaml`
 * package keeps it as content. Both are rare in manifests; such a document goes the full way.
 */
export function readsDifferently(source: string): boolean {
  return source.includes('\t') || loneCarriageReturn(source) !== -1;
}

/** A null scalar written as nothing at `at` (past any spaces), where the full parser puts it. */
function emptyScalar(source: string, at: number): Event {
  const event = opened(at);
  event.kind = SCALAR;
  event.start = event.end = skipSpaces(source, at);
  event.result = null;
  return event;
}

/** Completes `event` from js-yaml's state at the node's end. */
function close(source: string, event: Event, state: JsYamlState, stack: readonly Event[]): void {
  if (state.kind === null) return;
  const result = state.result;
  event.result = result;
  // js-yaml reads the text with a line break added when it has none at the end: no position lies past the text.
  const position = Math.min(state.position, source.length);
  const start = skipSeparation(source, event.open);
  const first = source.charCodeAt(start);
  // Anchors, aliases and tags: the full parser expands aliases with a limit and reports unknown tags in its words.
  if (first === AMPERSAND || first === ASTERISK || first === EXCLAMATION || first === QUESTION) {
    throw new NotModelled();
  }
  if (state.kind === 'scalar') {
    const style = styleAt(source, start);
    const quoted = style === DOUBLE || style === SINGLE;
    const end = quoted ? position : trimBack(source, position, start);
    // A quoted scalar over several lines: js-yaml takes continuation lines indented less than YAML requires; plain
    // ones only where both parsers end them alike (see plain-lines.ts). And a comment glued to a closing quote, which
    // YAML rejects.
    if (
      style !== LITERAL &&
      style !== FOLDED &&
      source.lastIndexOf('\n', end - 1) >= start &&
      (style !== PLAIN || !foldedPlainModelled(source, start, end, stack))
    ) {
      throw new NotModelled();
    }
    if (quoted && source.charCodeAt(end) === HASH) throw new NotModelled();
    // Infinities and NaN: the full reader reports them, as Kubernetes cannot carry them in JSON.
    if (typeof result === 'number' && !Number.isFinite(result)) throw new NotModelled();
    event.kind = SCALAR;
    event.start = start;
    event.end = end;
    event.style = style;
    return;
  }
  // A collection read while looking for a block mapping's first key, then kept as the node itself (`{...}`, `[...]`).
  const only = event.first !== null && event.first === event.last ? event.first : null;
  if (only && only.result === result && only.kind !== NONE && only.kind !== SCALAR) {
    event.kind = only.kind;
    event.start = only.start;
    event.end = only.end;
    event.flow = only.flow;
    event.loose = only.loose;
    event.entries = only.entries;
    return;
  }
  const flow = first === 0x7b /* { */ || first === 0x5b; /* [ */
  // A flow collection over several lines inside a block one: js-yaml takes lines YAML finds not indented enough.
  if (!flow)
    for (let child = event.first; child; child = child.next) if (child.loose) throw new NotModelled();
  event.start = start;
  event.flow = flow;
  if (state.kind === 'mapping') {
    mappingOf(source, event, result, position);
  } else if (state.kind === 'sequence' && Array.isArray(result)) {
    sequenceOf(source, event, result, position);
  } else {
    throw new NotModelled();
  }
  // A plain scalar starting with `:` in a flow collection (`[a, :30]`): Kubernetes' reader refuses it, and the full
  // reader says so (`kubernetes-reading.ts`).
  if (flow) {
    for (const child of event.entries ?? []) {
      if (child.kind === SCALAR && child.style === PLAIN && source.charCodeAt(child.start) === COLON)
        throw new NotModelled();
    }
  }
  event.loose = flow && source.lastIndexOf('\n', event.end - 1) >= start;
  // A comment glued to a closing bracket, which YAML rejects.
  if (flow && source.charCodeAt(event.end) === HASH) throw new NotModelled();
}

function sequenceOf(source: string, event: Event, result: unknown[], position: number): void {
  const items: Event[] = [];
  for (let child = event.first; child; child = child.next) {
    if (!Object.is(child.result === EMPTY ? null : child.result, result[items.length]))
      throw new NotModelled();
    items.push(child.kind === NONE ? emptyScalar(source, child.open) : child);
  }
  if (items.length !== result.length) throw new NotModelled();
  event.kind = SEQ;
  event.entries = items;
  event.end = event.flow ? position : items.length > 0 ? items[items.length - 1]!.end : event.start;
}

function mappingOf(source: string, event: Event, result: unknown, position: number): void {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new NotModelled();
  const record = result as Record<string, unknown>;
  const entries: Event[] = [];
  let key: Event | null = null;
  const add = (value: Event, read: unknown) => {
    const name = key!.result as string;
    // Every entry must be the one js-yaml stored: same key, and the very value (or object) it built.
    if (!Object.hasOwn(record, name) || !Object.is(record[name], read)) throw new NotModelled();
    entries.push(key!, value);
    key = null;
  };
  for (let child = event.first; child; child = child.next) {
    if (child.kind === SCALAR && source.charCodeAt(skipSpaces(source, child.end)) === COLON) {
      // A key right after a key: the first was written with no value (`key:`).
      if (key) add(valueAfter(source, key), null);
      const name = child.result;
      if (typeof name !== 'string' || name === '<<' || name === '__proto__') throw new NotModelled();
      key = child;
    } else if (key) {
      add(
        child.kind === NONE ? emptyScalar(source, child.open) : child,
        child.result === EMPTY ? null : child.result,
      );
    } else {
      throw new NotModelled();
    }
  }
  if (key) add(valueAfter(source, key), null);
  let count = 0;
  for (const name in record) if (Object.hasOwn(record, name)) count++;
  if (count * 2 !== entries.length) throw new NotModelled();
  event.kind = MAP;
  event.entries = entries;
  event.end = event.flow ? position : entries.length > 0 ? entries[entries.length - 1]!.end : event.start;
}

/** The empty value of `key:`: a null scalar after the colon and any spaces, where the full parser puts it. */
function valueAfter(source: string, key: Event): Event {
  const colon = skipSpaces(source, key.end);
  return emptyScalar(source, colon + 1);
}
