import { type Document, LineCounter, isCollection, isScalar, parseAllDocuments, visit } from 'yaml';
import { readingProblem } from './kubernetes-reading.js';
import { KUBERNETES_PARSE_OPTIONS } from './kubernetes-scalars.js';
import { mayMatter } from './model.js';
import { type TreeDocument, readFast, treeOfParsed } from './tree.js';
import type { ScanError, ScanNotice, SourceFile } from './types.js';
import { append } from './arrays.js';
import { documentChunks, otherBreakError } from './chunks.js';
import { inertCandidate, isInert, isKubernetesObject } from './inert.js';

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
  lines: LineCounter;
  /** 0-based index of the document among the file's documents that hold something, and of the List item. */
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

export interface LoadOptions {
  /**
   * Read documents with js-yaml where it is known to agree with the full parser (the default). `false` reads every
   * document with the `yaml` package: the reference the fast path is tested against.
   */
  fast?: boolean;
  /** Screens documents of kinds no rule reads, in another thread (see `screen.ts`). */
  screen?: ScreenFactory;
  /** Called now and then with the number of documents read so far, for a progress line. */
  onDocuments?: (documents: number) => void;
}

/** Decides, perhaps in another thread, which candidate documents are inert. */
export interface InertScreen {
  /** true: inert; false: not; undefined: not screened, so the caller decides. */
  verdict(task: number): boolean | undefined;
  /** Stops screening; returns how many documents the screen decided. */
  close(): number;
}

/**
 * Starts screening `tasks` (triples: index into `texts`, start and end offset of a document), or returns null to leave
 * every document to the caller.
 */
export type ScreenFactory = (texts: readonly string[], tasks: Int32Array) => InertScreen | null;

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
 * Parses a YAML or JSON file into the Kubernetes objects it holds.
 *
 * YAML 1.1 is used on purpose: Kubernetes reads manifests with a YAML 1.1 parser, so `automountServiceAccountToken: no`
 * is `false` to the API server and must be `false` to us too.
 *
 * Each document is read by js-yaml with a YAML 1.1 schema, recording every node's offsets (see `tree.ts`): about eight
 * times faster than the `yaml` package. A document js-yaml rejects, or holds something the fast reader does not model
 * (anchors, tags, merge keys), is parsed by the `yaml` package, so errors are reported in its words and every construct
 * is read. Files with directives, content on a `---` line, or Go template markers are parsed by the `yaml` package
 * whole.
 */
export function loadDocuments(file: SourceFile, options: LoadOptions = {}): LoadResult {
  return loadFiles([file], options).results[0]!;
}

/** What one document of a file gave: counted in order when the file's result is put together. */
interface ChunkOutcome {
  documents: number;
  inert: number;
  errors: ScanError[];
  tree: TreeDocument | null;
}

const INERT: ChunkOutcome = { documents: 1, inert: 1, errors: [], tree: null };
const NOTHING: ChunkOutcome = { documents: 0, inert: 0, errors: [], tree: null };

interface FilePlan {
  file: SourceFile;
  lines: LineCounter;
  /** [start, end) of each document, or null when the file is parsed whole. */
  chunks: Array<[number, number]> | null;
  /** Why the file is not read at all (a line break only Kubernetes knows), or null. */
  refused: ScanError | null;
  /** The documents that look inert, read last. */
  candidates: Set<number>;
  outcomes: ChunkOutcome[];
}

/**
 * `loadDocuments` for many files. Documents that look inert (a kind no rule reads) are confirmed last, by a screen in
 * another thread when one is given, while this thread reads the documents that matter; results come out in file order
 * either way.
 */
export function loadFiles(
  files: readonly SourceFile[],
  options: LoadOptions = {},
): { results: LoadResult[]; screened: number } {
  const plans: FilePlan[] = files.map((file) => {
    const lines = lineCounterOf(file.text);
    const refused = otherBreakError(file, lines);
    const chunks =
      refused !== null
        ? []
        : options.fast === false || file.text.includes('{{')
          ? null
          : documentChunks(file.text);
    return { file, lines, chunks, refused, candidates: new Set(), outcomes: [] };
  });
  const candidates: Array<{ plan: number; chunk: number }> = [];
  const texts: string[] = [];
  const taskFields: number[] = [];
  plans.forEach((plan, index) => {
    let textIndex = -1;
    plan.chunks?.forEach(([from, to], chunk) => {
      if (!inertCandidate(plan.file.text, from, to)) return;
      if (textIndex === -1) textIndex = texts.push(plan.file.text) - 1;
      plan.candidates.add(chunk);
      candidates.push({ plan: index, chunk });
      taskFields.push(textIndex, from, to);
    });
  });
  const screen =
    candidates.length > 0 ? (options.screen?.(texts, Int32Array.from(taskFields)) ?? null) : null;
  let screened: number;
  let read = 0;
  try {
    for (const plan of plans) {
      plan.chunks?.forEach(([from, to], chunk) => {
        if (plan.candidates.has(chunk)) return;
        plan.outcomes[chunk] = readChunk(plan, from, to);
        read += plan.outcomes[chunk].documents;
      });
      options.onDocuments?.(read);
    }
    // Candidates last, from the end: a screen works from the start, so the two rarely meet.
    for (let task = candidates.length - 1; task >= 0; task--) {
      const { plan: index, chunk } = candidates[task]!;
      const plan = plans[index]!;
      const [from, to] = plan.chunks![chunk]!;
      const inert = screen?.verdict(task) ?? isInert(plan.file.text, from, to);
      plan.outcomes[chunk] = inert ? INERT : readChunk(plan, from, to);
    }
  } finally {
    screened = screen?.close() ?? 0;
  }
  const results = plans.map((plan) => {
    const result: LoadResult = { objects: [], errors: [], notices: [], documents: 0, inert: 0 };
    if (plan.refused !== null) {
      result.errors.push(plan.refused);
      return result;
    }
    if (!plan.chunks) {
      loadWhole(plan.file, plan.lines, result);
      return result;
    }
    for (const outcome of plan.outcomes) {
      result.documents += outcome.documents;
      result.inert += outcome.inert;
      append(result.errors, outcome.errors);
      if (outcome.tree) addObjects(plan.file, plan.lines, outcome.tree, result);
    }
    return result;
  });
  return { results, screened };
}

/** One document: js-yaml when it reads it and the fast reader models it, else the `yaml` package. */
function readChunk(plan: FilePlan, from: number, to: number): ChunkOutcome {
  let tree: TreeDocument | null | undefined;
  try {
    tree = readFast(plan.file.text, from, to);
  } catch {
    tree = null;
  }
  if (tree === undefined) return NOTHING;
  // Only objects are kept: the tree of anything else (a lock file, an OpenAPI description) is let go at once.
  if (tree) return { documents: 1, inert: 0, errors: [], tree: isKubernetesObject(tree.value) ? tree : null };
  const errors: ScanError[] = [];
  const full = readFully(plan.file, plan.lines, from, to, errors);
  if (full === undefined) return NOTHING;
  return { documents: 1, inert: 0, errors, tree: full && isKubernetesObject(full.value) ? full : null };
}

/**
 * Parses [from, to) with the `yaml` package. Returns undefined when it holds no document, null when the document has
 * errors (reported in `result`), else its tree.
 */
function readFully(
  file: SourceFile,
  lines: LineCounter,
  from: number,
  to: number,
  errors: ScanError[],
): TreeDocument | null | undefined {
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

/** The whole file with the `yaml` package: files with directives, markers followed by content, or templates. */
function loadWhole(file: SourceFile, lines: LineCounter, result: LoadResult): void {
  const text = file.text;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
  } catch (error) {
    result.errors.push({ file: file.path, line: null, message: `cannot parse: ${messageOf(error)}` });
    return;
  }
  if (!Array.isArray(docs)) docs = [docs];

  if (text.includes('{{') && docs.some((doc) => looksLikeGoTemplate(doc))) {
    result.notices.push({
      file: file.path,
      message:
        'contains Go template markers ({{ ... }}) outside of a Helm chart; skipped. Scan the rendered output, or the chart itself.',
    });
    return;
  }

  for (const doc of docs) {
    if (isEmptyDocument(doc)) continue;
    result.documents++;
    if (!reportErrors(file, lines, doc, 0, result.errors)) continue;
    const value = valueOf(file, lines, doc, 0, result.errors);
    if (value === FAILED) continue;
    addObjects(file, lines, treeOfParsed(doc, text, 0, value), result);
  }
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
  lines: LineCounter,
  doc: Document.Parsed,
  offset: number,
  errors: ScanError[],
): boolean {
  for (const error of doc.errors) {
    const position = error.pos?.[0];
    errors.push({
      file: file.path,
      line: position === undefined ? null : lines.linePos(position + offset).line,
      message: `YAML ${error.code === 'DUPLICATE_KEY' ? 'duplicate key' : 'syntax error'}: ${withoutQuotedSource(firstLine(error.message))}`,
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
  lines: LineCounter,
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

/** The Kubernetes objects of a document that may matter to a rule: the document itself, or the items of a List. */
function addObjects(file: SourceFile, lines: LineCounter, doc: TreeDocument, result: LoadResult): void {
  const value = doc.value;
  const docIndex = result.documents - 1;
  if (!isKubernetesObject(value)) return;
  const items = value.items;
  if (value.kind.endsWith('List') && Array.isArray(items)) {
    items.forEach((item, itemIndex) => {
      if (!isKubernetesObject(item)) return;
      if (!mayMatter(item)) {
        result.inert++;
        return;
      }
      result.objects.push({
        file,
        doc,
        basePath: ['items', itemIndex],
        value: item,
        lines,
        docIndex,
        itemIndex,
      });
    });
    return;
  }
  if (!mayMatter(value)) {
    result.inert++;
    return;
  }
  result.objects.push({ file, doc, basePath: [], value, lines, docIndex, itemIndex: null });
}

/** Line starts of a text, for turning offsets into 1-based lines. */
export function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  return lines;
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
