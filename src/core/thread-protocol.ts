/**
 * What the two threads of a large scan share (see `second-thread.ts` for the main thread's side and
 * `second-thread-worker.ts` for the worker's): the tasks and their states, what the worker is started with, and the
 * messages it posts.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PackedParts } from './packed-tree.js';

/** What a task asks, its fourth number (after the index into the texts and the document's start and end offset). */
export const SCREEN = 0;
export const READ = 1;
export const TASK_FIELDS = 4;

/** The worker's `workerData`: what it is started with. */
export interface WorkerData {
  role: typeof ROLE;
  /** The texts' plan (`planTexts`): each text's length in UTF-8, or -1 and the text itself; and the bytes in all. */
  lengths: Int32Array;
  strings: Array<string | null>;
  textBytes: number;
  tasks: Int32Array;
  /** Whether to find the credentials of each text. */
  credentials: boolean;
  /** One state for each task, then one for each text, then the texts' hand-over. */
  state: Int32Array;
  port: MessagePort;
}

/** What tells this worker from one a library user may run in the same program. */
export const ROLE = 'kube-token-guard/second-thread';

/** A task's state. */
export const UNTOUCHED = 0;
export const WORKER_HAS_IT = 1;
export const MAIN_HAS_IT = 2;
export const INERT = 3;
export const NOT_INERT = 4;
/** Read, and its parts posted to the main thread. */
export const POSTED = 5;
export const NO_DOCUMENT = 6;
export const NOT_AN_OBJECT = 7;
/** Not read by the fast reader: the main thread reads it the full way. */
export const GIVEN_BACK = 8;

/** A document the worker read: its task and its packed tree. */
export interface Posted {
  task: number;
  parts: PackedParts;
}

/**
 * What the worker found in a batch of texts: for each, its credential values (null when not asked) and where its line
 * starts are in `lines`.
 */
export interface TextsDone {
  texts: Array<[text: number, credentialValues: string[] | null, at: number, count: number]>;
  lines: Uint32Array;
}

/**
 * A message from the worker: the shared memory for the texts, memory for the main thread's slabs, a batch of documents
 * read, or a batch of texts done.
 */
export type Message =
  Posted[] | TextsDone | { textMemory: SharedArrayBuffer } | { slabMemory: ArrayBuffer[] };

/** The state of the texts' hand-over, in the last cell of the shared states (0 until the worker asks). */
export const TEXTS_ASKED = 1;
export const TEXTS_WRITTEN = 2;
export const TEXTS_CLOSED = 3;
