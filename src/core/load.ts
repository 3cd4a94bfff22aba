import { credentialPairs } from './credentials.js';
import { mayMatter } from './model.js';
import type { LoadedObject, TreeDocument } from './tree-types.js';
import type { ScanError, ScanNotice, SourceFile } from './types.js';
import { append } from './arrays.js';
import { LineStarts } from './line-starts.js';
import { documentChunks, otherBreakError } from './chunks.js';
import { type FastReading, readFastAlone } from './fast-reading.js';
import { readFully, readWhole } from './full-read.js';
import { inertCandidate, isInert, isKubernetesObject } from './inert.js';
import type { SecondThread, SecondThreadFactory } from './second-thread.js';
import { READ, SCREEN, TASK_FIELDS } from './thread-protocol.js';
import { holdYoungGeneration } from './young-generation.js';

export type { LoadedObject, PathSegment } from './tree-types.js';

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
  /** Takes documents off this thread, to screen or read them (see `second-thread.ts`). */
  secondThread?: SecondThreadFactory;
  /** Called now and then with the number of documents read so far, for a progress line. */
  onDocuments?: (documents: number) => void;
  /**
   * The caller will ask for the credentials in the texts (`LoadedFiles.credentialValues`): the second thread finds
   * them after its other tasks.
   */
  credentials?: boolean;
}

/**
 * Parses a YAML or JSON file into the Kubernetes objects it holds.
 *
 * YAML 1.1 is used on purpose: Kubernetes reads manifests with a YAML 1.1 parser, so `automountServiceAccountToken: no`
 * is `false` to the API server and must be `false` to us too.
 *
 * Each document is read by the first of three readers that models it, each recording every node's offsets: the block
 * reader (`block-reader.ts`), for the block YAML most manifests are written in, about three times faster than js-yaml;
 * js-yaml with a YAML 1.1 schema (`tree.ts`), about eight times faster than the `yaml` package; and the `yaml` package,
 * for a document js-yaml rejects or holds something the fast reader does not model (anchors, tags, merge keys), so
 * errors are reported in its words and every construct is read. Files with directives, content on a `---` line, or Go template markers are parsed by the `yaml` package
 * whole.
 */
export function loadDocuments(file: SourceFile, options: LoadOptions = {}): LoadResult {
  const loaded = loadFiles([file], options);
  loaded.close();
  return loaded.results[0]!;
}

/** The files loaded; a second thread may still be at work on them until `close`. */
export interface LoadedFiles {
  /** In the order of the files. */
  results: LoadResult[];
  /**
   * The values of credential-named keys in each file's text (`credentialPairs`), in the order of the files, for the
   * secret filter: the second thread finds them while the caller judges the documents when `credentials` was given
   * (this thread finds the others). At most once, before `close`.
   */
  credentialValues(): string[][];
  /** Stops the second thread, and says what it did. Once, also when judging failed. */
  close(): { screened: number; read: number };
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
  lines: LineStarts;
  /** [start, end) of each document, or null when the file is parsed whole. */
  chunks: Array<[number, number]> | null;
  /** Why the file is not read at all (a line break only Kubernetes knows), or null. */
  refused: ScanError | null;
  /** The documents that look inert, read last. */
  candidates: Set<number>;
  /** The task of the file's first document: its documents are tasks `firstTask`, `firstTask + 1`, ... */
  firstTask: number;
  /** The file's index among the texts given to the second thread, or -1 (a file read whole, or refused). */
  textIndex: number;
  outcomes: ChunkOutcome[];
}

/**
 * `loadDocuments` for many files. Each document is a task a second thread may take when one is given: documents that
 * look inert (a kind no rule reads) are confirmed last here and first there, the others read first here and last
 * there. Results come out in file order either way.
 */
export function loadFiles(files: readonly SourceFile[], options: LoadOptions = {}): LoadedFiles {
  const texts: string[] = [];
  const taskFields: number[] = [];
  const candidates: Array<{ plan: FilePlan; chunk: number }> = [];
  const plans: FilePlan[] = files.map((file) => {
    const lines = new LineStarts(file.text);
    const refused = otherBreakError(file, lines);
    const chunks =
      refused !== null
        ? []
        : options.fast === false || file.text.includes('{{')
          ? null
          : documentChunks(file.text);
    const plan: FilePlan = {
      file,
      lines,
      chunks,
      refused,
      candidates: new Set(),
      firstTask: taskFields.length / TASK_FIELDS,
      textIndex: -1,
      outcomes: [],
    };
    if (chunks && chunks.length > 0) {
      const textIndex = (plan.textIndex = texts.push(file.text) - 1);
      chunks.forEach(([from, to], chunk) => {
        const candidate = inertCandidate(file.text, from, to);
        if (candidate) {
          plan.candidates.add(chunk);
          candidates.push({ plan, chunk });
        }
        taskFields.push(textIndex, from, to, candidate ? SCREEN : READ);
      });
    }
    return plan;
  });
  const thread =
    taskFields.length > 0
      ? (options.secondThread?.(texts, Int32Array.from(taskFields), options.credentials === true) ?? null)
      : null;
  // The thread finds each text's line starts after its documents; those asked for before it has are found here.
  if (thread) {
    for (const plan of plans) {
      const text = plan.textIndex;
      if (text >= 0) plan.lines.offer(() => thread.lineStarts(text));
    }
  }
  try {
    readAll(plans, candidates, thread, options.onDocuments);
  } catch (error) {
    thread?.close();
    throw error;
  }
  const results = plans.map((plan) => {
    const result: LoadResult = { objects: [], errors: [], notices: [], documents: 0, inert: 0 };
    if (plan.refused !== null) {
      result.errors.push(plan.refused);
      return result;
    }
    if (!plan.chunks) {
      for (const tree of readWhole(plan.file, plan.lines, result.errors, result.notices)) {
        result.documents++;
        if (tree) addObjects(plan.file, plan.lines, tree, result);
      }
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
  return {
    results,
    credentialValues: () => {
      const values = new Array<string[]>(plans.length);
      // From the last file back: the second thread takes them from the first on.
      for (let index = plans.length - 1; index >= 0; index--) {
        const plan = plans[index]!;
        values[index] =
          (plan.textIndex >= 0 ? thread?.credentialValues(plan.textIndex) : undefined) ??
          credentialPairs(plan.file.text).map((pair) => pair.value);
      }
      return values;
    },
    close: () => thread?.close() ?? { screened: 0, read: 0 },
  };
}

/** Every document's outcome: this thread's share first, then what the second thread did. */
function readAll(
  plans: readonly FilePlan[],
  candidates: ReadonlyArray<{ plan: FilePlan; chunk: number }>,
  thread: SecondThread | null,
  onDocuments: ((documents: number) => void) | undefined,
): void {
  const taken: Array<{ plan: FilePlan; chunk: number }> = [];
  let read = 0;
  for (const plan of plans) {
    plan.chunks?.forEach(([from, to], chunk) => {
      if (plan.candidates.has(chunk)) return;
      if (thread && !thread.claim(plan.firstTask + chunk)) {
        taken.push({ plan, chunk });
        return;
      }
      plan.outcomes[chunk] = readChunk(plan, from, to);
      read += plan.outcomes[chunk].documents;
    });
    holdYoungGeneration();
    onDocuments?.(read);
  }
  for (let index = candidates.length - 1; index >= 0; index--) {
    const { plan, chunk } = candidates[index]!;
    const [from, to] = plan.chunks![chunk]!;
    const inert = thread?.verdict(plan.firstTask + chunk) ?? isInert(plan.file.text, from, to);
    plan.outcomes[chunk] = inert ? INERT : readChunk(plan, from, to);
  }
  for (const { plan, chunk } of taken) {
    const [from, to] = plan.chunks![chunk]!;
    plan.outcomes[chunk] = readChunk(plan, from, to, thread!.reading(plan.firstTask + chunk));
  }
}

/**
 * One document: js-yaml when it reads it and the fast reader models it, else the `yaml` package. `read` is what the
 * second thread's fast reader made of it, when it did.
 */
function readChunk(plan: FilePlan, from: number, to: number, read?: FastReading): ChunkOutcome {
  const fast = read ?? readFastAlone(plan.file.text, from, to);
  if (fast) return { ...fast, inert: 0, errors: [] };
  const errors: ScanError[] = [];
  const full = readFully(plan.file, plan.lines, from, to, errors);
  if (full === undefined) return NOTHING;
  return { documents: 1, inert: 0, errors, tree: full && isKubernetesObject(full.value) ? full : null };
}

/**
 * The Kubernetes objects of a document that may matter to a rule: the document itself, or the items of a list. kubectl
 * and helm read any document with an `items` field as a list, whatever its kind, and apply its items instead of it
 * (apimachinery's unstructured decoding, then the builder's flattening); an item with neither `apiVersion` nor `kind`
 * takes the list's `apiVersion` and its kind without the `List` suffix (a `PodList`'s items are Pods). `items: null`
 * is no list (the document is applied itself); `items` that is no list, or an item that is no mapping, is refused by
 * kubectl, and by the scan.
 */
function addObjects(file: SourceFile, lines: LineStarts, doc: TreeDocument, result: LoadResult): void {
  const value = doc.value;
  const docIndex = result.documents - 1;
  if (!isKubernetesObject(value)) return;
  if ('items' in value && value.items !== null) {
    const items = value.items;
    const broken = !Array.isArray(items)
      ? -1
      : items.findIndex((item) => typeof item !== 'object' || item === null || Array.isArray(item));
    if (!Array.isArray(items) || broken !== -1) {
      result.errors.push({
        file: file.path,
        line: lines.linePos(itemsOffset(doc)).line,
        message: !Array.isArray(items)
          ? '`items` is not a list: kubectl reads a document with `items` as a list of objects, and refuses this one'
          : `\`items[${broken}]\` is not an object: kubectl refuses the list`,
      });
      return;
    }
    const itemKind = value.kind.endsWith('List') ? value.kind.slice(0, -'List'.length) : value.kind;
    items.forEach((item: Record<string, unknown>, itemIndex) => {
      const typed = !isBlank(item.apiVersion) || !isBlank(item.kind);
      const object = typed ? item : { ...item, apiVersion: value.apiVersion, kind: itemKind };
      if (!isKubernetesObject(object)) return;
      if (!mayMatter(object)) {
        result.inert++;
        return;
      }
      result.objects.push({
        file,
        doc,
        basePath: ['items', itemIndex],
        value: object,
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

/** Where the document's `items` key is written, or where the document starts. */
function itemsOffset(doc: TreeDocument): number {
  const root = doc.contents?.kind === 'map' ? doc.contents : doc.collectionAt?.([]);
  const pair = root?.kind === 'map' ? root.items.find((item) => item.key?.value === 'items') : undefined;
  return pair?.key?.start ?? doc.start;
}

/** Empty as apimachinery reads a string field: missing, not a string, or "". */
function isBlank(value: unknown): boolean {
  return typeof value !== 'string' || value === '';
}
