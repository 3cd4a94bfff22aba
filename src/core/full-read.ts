/**
 * The full reader: documents the fast reader leaves (see `tree.ts`), and whole files with directives, markers followed
 * by content, or template markers, read by the `yaml` package with Kubernetes' YAML 1.1 scalars. It reports every
 * error in the parser's words, without quoting the source.
 */
import {
  type Document,
  type Node as YamlNode,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
} from 'yaml';
import { controlCharacterError, streamError } from './chunks.js';
import { readingProblem } from './kubernetes-reading.js';
import type { LineStarts } from './line-starts.js';
import { KUBERNETES_PARSE_OPTIONS } from './kubernetes-scalars.js';
import type { ScalarStyle, TreeDocument, TreeNode, TreeOpaque, TreePair, TreeScalar } from './tree-types.js';
import { COLON, skipSpaces, trimBack } from './yaml-text.js';
import type { ScanError, ScanNotice, SourceFile } from './types.js';

/** Aliases a document may expand before it is refused (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 1000;

// `logLevel: 'error'`: the parser's warnings go to the process's stderr and quote the source (a Secret's data, say).
const PARSE_OPTIONS = {
  ...KUBERNETES_PARSE_OPTIONS,
  prettyErrors: false,
  uniqueKeys: true,
  keepSourceTokens: false,
  logLevel: 'error',
} as const;

/**
 * Parses [from, to) with the `yaml` package. Returns undefined when it holds no document, null when the document has
 * errors (reported in `result`), else its tree.
 */
export function readFully(
  file: SourceFile,
  lines: LineStarts,
  from: number,
  to: number,
  errors: ScanError[],
): TreeDocument | null | undefined {
  const refused = controlCharacterError(file, lines, from, to);
  if (refused !== null) {
    errors.push(refused);
    return null;
  }
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(file.text.slice(from, to), PARSE_OPTIONS) as Document.Parsed[];
  } catch (error) {
    errors.push({
      file: file.path,
      line: lines.linePos(from).line,
      message: `cannot parse: ${messageOf(error)}`,
    });
    return null;
  }
  if (!Array.isArray(docs)) docs = [docs];
  const present = docs.filter((doc) => !isEmptyDocument(doc));
  if (present.length === 0) return undefined;
  const doc = present[0]!;
  if (!reportErrors(file, lines, doc, from, errors)) return null;
  const value = valueOf(file, lines, doc, from, errors);
  if (value === FAILED) return null;
  return treeOfParsed(doc, file.text, from, value, { start: from, end: to });
}

/**
 * The whole file with the `yaml` package: files with directives, markers followed by content, or templates. Returns
 * each document's tree, or null for one with errors (reported in `errors`); an empty list for a file that is not read
 * (errors or notices say why).
 */
export function readWhole(
  file: SourceFile,
  lines: LineStarts,
  errors: ScanError[],
  notices: ScanNotice[],
): Array<TreeDocument | null> {
  const text = file.text;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
  } catch (error) {
    errors.push({ file: file.path, line: null, message: `cannot parse: ${messageOf(error)}` });
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs];

  // A document that is a Go template is not a manifest: it is skipped with a notice. Kubernetes cannot read it either
  // (it breaks the YAML, or has keys that are maps), so it holds nothing that would be applied; the file's other
  // documents are checked as kubectl would apply them.
  const templates = text.includes('{{') ? docs.filter((doc) => isGoTemplate(doc, text)) : [];
  const checked = docs.filter((doc) => !templates.includes(doc) && !isEmptyDocument(doc));
  if (templates.length > 0) {
    const at = templates.map((doc) => lines.linePos(doc.range[0]).line);
    notices.push({
      file: file.path,
      message:
        checked.length === 0
          ? 'contains Go template markers ({{ ... }}) outside of a Helm chart; skipped. Scan the rendered output, or the chart itself.'
          : `holds Go templates ({{ ... }}) outside of a Helm chart: the ${templates.length === 1 ? 'document' : 'documents'} at ` +
            `${at.length === 1 ? 'line' : 'lines'} ${at.join(', ')} skipped, the others checked. Scan the rendered output, or the chart itself.`,
    });
    if (checked.length === 0) return [];
  }
  const refused = streamError(file, lines) ?? controlCharacterError(file, lines, 0, text.length);
  if (refused !== null) {
    errors.push(refused);
    return [];
  }

  return checked.map((doc) => {
    if (!reportErrors(file, lines, doc, 0, errors)) return null;
    const value = valueOf(file, lines, doc, 0, errors);
    return value === FAILED ? null : treeOfParsed(doc, text, 0, value);
  });
}

/** A document with nothing in it: comments only, or an explicit `---` with no content (not even `~`). */
function isEmptyDocument(doc: Document.Parsed): boolean {
  if (doc.errors.length > 0) return false;
  const contents = doc.contents;
  return (
    contents === null ||
    (isScalar(contents) && contents.value === null && contents.range[0] === contents.range[1])
  );
}

function reportErrors(
  file: SourceFile,
  lines: LineStarts,
  doc: Document.Parsed,
  offset: number,
  errors: ScanError[],
): boolean {
  // Kubernetes reads a document that starts with `{` as JSON (and as YAML only when that fails): name it as its author
  // wrote it.
  const start = doc.contents?.range[0];
  const language = start !== undefined && file.text[start + offset] === '{' ? 'JSON' : 'YAML';
  for (const error of doc.errors) {
    const position = error.pos?.[0];
    const duplicate =
      error.code === 'DUPLICATE_KEY' && position !== undefined ? duplicateKey(doc, position) : null;
    const named =
      duplicate === null
        ? ''
        : ` ${JSON.stringify(duplicate.key)} (first at line ${lines.linePos(duplicate.first + offset).line})`;
    errors.push({
      file: file.path,
      line: position === undefined ? null : lines.linePos(position + offset).line,
      message: `${language} ${error.code === 'DUPLICATE_KEY' ? `duplicate key${named}` : 'syntax error'}: ${withoutQuotedSource(firstLine(error.message))}`,
    });
  }
  if (doc.errors.length > 0) return false;
  const problem = readingProblem(doc);
  if (problem === null) return true;
  errors.push({
    file: file.path,
    line: lines.linePos(problem.offset + offset).line,
    message: problem.message,
  });
  return false;
}

const FAILED = Symbol('failed');

function valueOf(
  file: SourceFile,
  lines: LineStarts,
  doc: Document.Parsed,
  offset: number,
  errors: ScanError[],
): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const line = doc.contents?.range ? lines.linePos(doc.contents.range[0] + offset).line : null;
    errors.push({ file: file.path, line, message: `cannot read document: ${messageOf(error)}` });
    return FAILED;
  }
}

/**
 * Template actions such as `{{ .Values.x }}` or `{{- if ... }}` either break the YAML or parse as flow maps whose
 * keys are maps, which no manifest has. `{{` inside quoted or block strings (alert templates, scripts) is data. A
 * document that breaks without a `{{` of its own is no template: its errors are reported.
 */
function isGoTemplate(doc: Document.Parsed, text: string): boolean {
  if (!text.slice(doc.range[0], doc.range[2]).includes('{{')) return false;
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
/** Keys longer than this are not quoted whole in a message. */
const MAX_KEY_QUOTED = 60;

/**
 * The scalar key at `position` that repeats one of its map (as the `yaml` package reports a duplicate), and where the
 * first of them starts; null when it is not a scalar key.
 */
function duplicateKey(doc: Document.Parsed, position: number): { key: string; first: number } | null {
  let found: { key: string; first: number } | null = null;
  visit(doc, {
    Map(_, map) {
      const at = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.range?.[0] === position);
      if (at === -1) return undefined;
      const key = map.items[at]!.key as { value: unknown };
      const first = map.items.find((pair) => isScalar(pair.key) && pair.key.value === key.value);
      const text = String(key.value);
      found = {
        key: text.length > MAX_KEY_QUOTED ? `${text.slice(0, MAX_KEY_QUOTED)}…` : text,
        first: (first!.key as YamlNode).range![0],
      };
      return visit.BREAK;
    },
  });
  return found;
}

function withoutQuotedSource(message: string): string {
  return message.replace(/^(Unresolved alias[^:]*):.*$/, '$1');
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
