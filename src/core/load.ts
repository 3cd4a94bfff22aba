import {
  type Document,
  LineCounter,
  type Node,
  type ParsedNode,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
} from 'yaml';
import { load as loadQuickly } from 'js-yaml';
import { MODEL_KINDS, mayMatter } from './model.js';
import type { ScanError, ScanNotice, SourceFile } from './types.js';

export type PathSegment = string | number;

/** One Kubernetes object found in a file, with what is needed to point back into the file's text. */
export interface LoadedObject {
  file: SourceFile;
  /** The parsed document the object lives in. */
  doc: Document.Parsed;
  /** Where the object sits inside its document: [] for a plain document, ['items', i] for a List item. */
  basePath: PathSegment[];
  /** Plain data of the object. */
  value: Record<string, unknown>;
  lines: LineCounter;
  /** 0-based index of the document in the file, and of the List item when inside a List. */
  docIndex: number;
  itemIndex: number | null;
}

export interface LoadResult {
  objects: LoadedObject[];
  errors: ScanError[];
  notices: ScanNotice[];
  /** YAML documents read, Kubernetes or not. */
  documents: number;
  /** Kubernetes objects read that cannot matter to any rule (not in `objects`). */
  inert: number;
}

/** Aliases a document may expand before it is refused (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

/**
 * Parses a YAML or JSON file into the Kubernetes objects it holds.
 *
 * YAML 1.1 is used on purpose: Kubernetes reads manifests with a YAML 1.1 parser, so `automountServiceAccountToken: no`
 * is `false` to the API server and must be `false` to us too.
 */
export function loadDocuments(file: SourceFile): LoadResult {
  const result: LoadResult = { objects: [], errors: [], notices: [], documents: 0, inert: 0 };
  const lines = new LineCounter();
  const text = file.text;
  const templated = text.includes('{{');
  const masked = templated ? { text, inert: 0 } : maskInertDocuments(text);
  result.inert = masked.inert;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(masked.text, {
      lineCounter: lines,
      version: '1.1',
      prettyErrors: false,
      uniqueKeys: true,
      keepSourceTokens: false,
      // The parser's warnings go to the process's stderr and quote the source, which may be a Secret's data.
      logLevel: 'error',
    }) as Document.Parsed[];
  } catch (error) {
    result.errors.push({ file: file.path, line: null, message: `cannot parse: ${messageOf(error)}` });
    return result;
  }
  if (!Array.isArray(docs)) docs = [docs];

  if (templated && docs.some((doc) => looksLikeGoTemplate(doc))) {
    result.notices.push({
      file: file.path,
      message:
        'contains Go template markers ({{ ... }}) outside of a Helm chart; skipped. Scan the rendered output, or the chart itself.',
    });
    return result;
  }

  docs.forEach((doc, docIndex) => {
    if (doc.contents === null && doc.errors.length === 0) return;
    result.documents++;
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const offset = error.pos?.[0];
        result.errors.push({
          file: file.path,
          line: offset === undefined ? null : lines.linePos(offset).line,
          message: `YAML ${error.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'syntax error'}: ${withoutQuotedSource(firstLine(error.message))}`,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      const line = doc.contents?.range ? lines.linePos(doc.contents.range[0]).line : null;
      result.errors.push({ file: file.path, line, message: `cannot read document: ${messageOf(error)}` });
      return;
    }
    if (!isKubernetesObject(value)) return;
    const items = value.items;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, itemIndex) => {
        if (isKubernetesObject(item)) {
          result.objects.push({
            file,
            doc,
            basePath: ['items', itemIndex],
            value: item,
            lines,
            docIndex,
            itemIndex,
          });
        }
      });
      return;
    }
    result.objects.push({ file, doc, basePath: [], value, lines, docIndex, itemIndex: null });
  });
  return result;
}

/** A document marker line: `---` or `...`, alone or followed by a comment. */
const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const MARKER_REST = /^[ \t]*(?:#[^\n]*)?\r?$/;
/** A top-level `kind:` written as a plain scalar, the way nearly every manifest writes it. */
const KIND_LINE = /^kind:[ \t]*([A-Za-z][\w.-]*)[ \t]*(?:#[^\n]*)?\r?$/m;
/** An anchor: documents with aliases go the full way, which refuses alias bombs with an error of their own. */
export const ANCHOR = /(?:^|[\s[{,])&[^\s,[\]{}]/;

/**
 * Blanks out the documents that cannot matter to any rule, keeping every offset and line where it was.
 *
 * CustomResourceDefinitions, Services, ConfigMaps and the like are often half the bytes of a repository, and the
 * parser that keeps source ranges costs about seven times more per byte than js-yaml. Such a document is read by
 * js-yaml; when that succeeds and the object is of a kind the model never reads (no pod template, no suppression
 * annotation), the full parse sees `~` and blanks in its place. Whatever js-yaml rejects or doubts goes the full way,
 * so syntax errors are still reported by the full parser, in its words. Document markers are found textually, which
 * YAML allows: `---` and `...` at the start of a line cannot occur inside any scalar.
 */
function maskInertDocuments(text: string): { text: string; inert: number } {
  if (/^%/m.test(text)) return { text, inert: 0 };
  const chunks: Array<[number, number]> = [];
  let start = 0;
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match !== null; match = MARKER.exec(text)) {
    const lineEnd = text.indexOf('\n', match.index);
    const end = lineEnd === -1 ? text.length : lineEnd;
    // `--- {a: 1}` and `--- |` start a document on the marker line; such files go the full way, as do directives.
    if (!MARKER_REST.test(text.slice(match.index + 3, end))) return { text, inert: 0 };
    chunks.push([start, match.index]);
    start = end;
  }
  chunks.push([start, text.length]);
  let inert = 0;
  let out = '';
  let copied = 0;
  for (const [from, to] of chunks) {
    const chunk = text.slice(from, to);
    const kind = KIND_LINE.exec(chunk);
    if (!kind || MODEL_KINDS.has(kind[1]!) || kind[1]!.endsWith('List') || ANCHOR.test(chunk)) continue;
    let value: unknown;
    try {
      value = loadQuickly(chunk);
    } catch {
      continue;
    }
    if (!isKubernetesObject(value) || value.kind !== kind[1] || mayMatter(value)) continue;
    inert++;
    out +=
      text.slice(copied, from) + blank(chunk.slice(0, kind.index)) + '~' + blank(chunk.slice(kind.index + 1));
    copied = to;
  }
  return inert === 0 ? { text, inert } : { text: out + text.slice(copied), inert };
}

function blank(text: string): string {
  return text.replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length));
}

function isKubernetesObject(
  value: unknown,
): value is Record<string, unknown> & { apiVersion: string; kind: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.apiVersion === 'string' &&
    record.apiVersion !== '' &&
    typeof record.kind === 'string' &&
    record.kind !== ''
  );
}

/**
 * Template actions such as `{{ .Values.x }}` or `{{- if ... }}` either break the YAML or parse as flow maps whose
 * keys are maps, which no manifest has. `{{` inside quoted or block strings (alert templates, scripts) is data.
 */
function looksLikeGoTemplate(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0) return true;
  let found = false;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

function messageOf(error: unknown): string {
  return withoutQuotedSource(firstLine(error instanceof Error ? error.message : String(error)));
}

/**
 * A value written as `*something` is read as an alias, and the parser's message names it: that name is the user's
 * value (a password, say), so it is left out.
 */
function withoutQuotedSource(message: string): string {
  return message.replace(/^(Unresolved alias[^:]*):.*$/, '$1');
}

/** The AST node at `path` below the object, or undefined. */
export function nodeAt(object: LoadedObject, path: readonly PathSegment[]): ParsedNode | undefined {
  let node: unknown = object.doc.contents;
  for (const segment of [...object.basePath, ...path]) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      node = pair?.value ?? undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return undefined;
    }
    if (node === undefined || node === null) return undefined;
  }
  return node as ParsedNode;
}

/** The key node of the pair at `path` (the last segment must be a key), or undefined. */
export function keyNodeAt(object: LoadedObject, path: readonly PathSegment[]): ParsedNode | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? nodeAt(object, []) : nodeAt(object, path.slice(0, -1));
  const key = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
  return (pair?.key as ParsedNode | undefined) ?? undefined;
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
    if (key?.range) {
      const line = object.lines.linePos(key.range[0]).line;
      const end = node && isScalar(node) && node.range ? object.lines.linePos(node.range[1]).line : line;
      return { line, endLine: Math.max(line, end) };
    }
    if (node?.range) {
      const line = object.lines.linePos(node.range[0]).line;
      return { line, endLine: line };
    }
  }
  return documentStart(object);
}

export function documentStart(object: LoadedObject): LineSpan {
  const node = nodeAt(object, []) as Node | undefined;
  const offset = node?.range?.[0] ?? object.doc.range[0];
  const line = object.lines.linePos(offset).line;
  return { line, endLine: line };
}
