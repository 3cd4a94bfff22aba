import { type MessagePort, isMainThread, workerData } from 'node:worker_threads';
import { credentialPairs } from './credentials.js';
import { readFastAlone } from './fast-reading.js';
import { isInert } from './inert.js';
import { lineStartsOf } from './line-starts.js';
import { gatherForSending, partsOf } from './packed-tree.js';
import { textReader } from './shared-texts.js';
import { SLAB_BYTES } from './slab-memory.js';
import {
  GIVEN_BACK,
  INERT,
  type Message,
  NOT_AN_OBJECT,
  NOT_INERT,
  NO_DOCUMENT,
  POSTED,
  type Posted,
  READ,
  ROLE,
  SCREEN,
  TASK_FIELDS,
  TEXTS_ASKED,
  TEXTS_WRITTEN,
  type TextsDone,
  UNTOUCHED,
  WORKER_HAS_IT,
  type WorkerData,
} from './thread-protocol.js';

/** The second thread of large scans: the worker's side (see `second-thread.ts`). */

/** Read documents are posted in batches of this many, or of this many bytes of text, whichever comes first. */
const BATCH_DOCUMENTS = 32;
const BATCH_BYTES = 256 * 1024;
/** Memory is mapped a page at a time. */
const PAGE_BYTES = 4096;

/** `memory` with each of its pages touched (mapped) by this thread, so that the thread it goes to finds them mapped. */
function mapped<T extends ArrayBuffer | SharedArrayBuffer>(memory: T): T {
  const pages = new Uint8Array(memory);
  for (let at = 0; at < pages.length; at += PAGE_BYTES) pages[at] = 0;
  return memory;
}
/**
 * The slab memory the worker maps for the main thread (see `slab-memory.ts`), as a share of the bytes of the documents
 * to read (READ tasks): their slabs take 0.45 bytes a byte on the bench's real corpus (long strings), 0.76 on the
 * generated one (short lines), and the main thread reads most of them. Memory mapped and not taken is lost; memory
 * that runs short is made fresh.
 */
const SLAB_SHARE = 0.5;
/** Slab memory goes in pieces of this many bytes: what the last slab taken from a piece leaves is lost. */
const SLAB_PIECE_BYTES = 16 * SLAB_BYTES;

/**
 * Maps memory for the slabs of the documents the main thread has still to read (the READ tasks no thread has taken
 * yet: it reads on meanwhile), and hands it over.
 */
function postSlabMemory(port: MessagePort, tasks: Int32Array, state: Int32Array): void {
  let bytes = 0;
  for (let task = 0, at = 0; at < tasks.length; task++, at += TASK_FIELDS) {
    if (tasks[at + 3] === READ && Atomics.load(state, task) === UNTOUCHED)
      bytes += tasks[at + 2]! - tasks[at + 1]!;
  }
  const pieces = Math.floor((bytes * SLAB_SHARE) / SLAB_PIECE_BYTES);
  if (pieces === 0) return;
  const slabMemory = Array.from({ length: pieces }, () => mapped(new ArrayBuffer(SLAB_PIECE_BYTES)));
  port.postMessage({ slabMemory } satisfies Message, slabMemory);
}

/**
 * In a worker started by `secondThread`, does the tasks and returns true; anywhere else returns false at once. Entry
 * points call it before anything else.
 */
export function runSecondThreadIfAsked(): boolean {
  if (isMainThread) return false;
  const data = workerData as WorkerData | undefined;
  if (data?.role !== ROLE) return false;
  const { lengths, strings, textBytes, tasks, credentials, state, port } = data;
  const count = tasks.length / TASK_FIELDS;
  const textsState = count + lengths.length;
  // The memory for the texts, each page touched here, then handed to the main thread to fill.
  const memory = mapped(new SharedArrayBuffer(textBytes));
  port.postMessage({ textMemory: memory } satisfies Message);
  postSlabMemory(port, tasks, state);
  // Unless the main thread has closed already, done with every task.
  if (Atomics.compareExchange(state, textsState, 0, TEXTS_ASKED) !== 0) return true;
  Atomics.notify(state, textsState);
  while (Atomics.wait(state, textsState, TEXTS_ASKED) !== 'not-equal');
  if (Atomics.load(state, textsState) !== TEXTS_WRITTEN) return true;
  const textAt = textReader({ lengths, strings }, memory);
  const claim = (task: number) =>
    Atomics.compareExchange(state, task, UNTOUCHED, WORKER_HAS_IT) === UNTOUCHED;
  const settle = (task: number, value: number) => {
    Atomics.store(state, task, value);
    Atomics.notify(state, task);
  };
  /** The task's text and range, once it is this thread's: its text is decoded only then. */
  const task = (index: number) => {
    const at = index * TASK_FIELDS;
    return { text: textAt(tasks[at]!), from: tasks[at + 1]!, to: tasks[at + 2]! };
  };
  const kind = (index: number) => tasks[index * TASK_FIELDS + 3]!;
  for (let index = 0; index < count; index++) {
    if (kind(index) !== SCREEN || !claim(index)) continue;
    const { text, from, to } = task(index);
    settle(index, isInert(text, from, to) ? INERT : NOT_INERT);
  }
  let batch: Posted[] = [];
  let bytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    port.postMessage(batch, gatherForSending(batch.map((posted) => posted.parts)));
    for (const posted of batch) settle(posted.task, POSTED);
    batch = [];
    bytes = 0;
  };
  for (let index = count - 1; index >= 0; index--) {
    if (kind(index) !== READ || !claim(index)) continue;
    const { text, from, to } = task(index);
    const reading = readFastAlone(text, from, to, false);
    const parts = reading?.tree ? partsOf(reading.tree) : null;
    if (parts) {
      batch.push({ task: index, parts });
      bytes += to - from;
      if (batch.length >= BATCH_DOCUMENTS || bytes >= BATCH_BYTES) flush();
    } else if (reading === null || reading.tree) {
      settle(index, GIVEN_BACK);
    } else {
      settle(index, reading.documents === 0 ? NO_DOCUMENT : NOT_AN_OBJECT);
    }
  }
  flush();
  // Each text's line starts, and its credentials when asked, from the first text on.
  let done: TextsDone['texts'] = [];
  let starts: Uint32Array[] = [];
  let lines = 0;
  bytes = 0;
  const post = () => {
    const gathered = new Uint32Array(lines);
    done.forEach((entry, index) => gathered.set(starts[index]!, entry[2]));
    port.postMessage({ texts: done, lines: gathered } satisfies Message, [gathered.buffer]);
    for (const [text] of done) settle(count + text, POSTED);
    done = [];
    starts = [];
    lines = 0;
    bytes = 0;
  };
  for (let index = 0; index < lengths.length; index++) {
    if (!claim(count + index)) continue;
    const text = textAt(index);
    const found = lineStartsOf(text);
    done.push([
      index,
      credentials ? credentialPairs(text).map((pair) => pair.value) : null,
      lines,
      found.length,
    ]);
    starts.push(found);
    lines += found.length;
    bytes += text.length;
    if (bytes >= BATCH_BYTES) post();
  }
  if (done.length > 0) post();
  return true;
}
