import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import type { FastReading } from './fast-reading.js';
import { type PackedParts, documentOfParts } from './packed-tree.js';
import { planTexts, writeTexts } from './shared-texts.js';
import { offerSlabMemory } from './slab-memory.js';
import {
  MAIN_HAS_IT,
  INERT,
  type Message,
  NOT_AN_OBJECT,
  NOT_INERT,
  NO_DOCUMENT,
  POSTED,
  ROLE,
  TASK_FIELDS,
  TEXTS_ASKED,
  TEXTS_CLOSED,
  TEXTS_WRITTEN,
  UNTOUCHED,
  WORKER_HAS_IT,
  type WorkerData,
} from './thread-protocol.js';

/**
 * A second thread for large scans, which takes documents off the main thread while it reads the others, then finds
 * the credentials in the texts while the main thread runs the rules. Two kinds of task for each document, and one for
 * each text:
 *
 * - SCREEN: confirm that a document of a kind no rule reads (a CRD, a Service, a ConfigMap: often half of a
 *   repository's bytes) is inert. That takes a full read (`isInert`) and gives back one bit.
 * - READ: read a document with the fast reader and send back its packed tree (numbers, key names and the document's
 *   data: see `packed-tree.ts`). Receiving it costs the main thread half to three quarters of reading it (the real
 *   corpus on Node 24): screening is what this thread saves most.
 * - Each text: its line starts (`lineStartsOf`), which the main thread needs for the files that have a finding or an
 *   error to place, and with `credentials` the values of credential-named keys in it (`credentialPairs`), for the
 *   secret filter.
 *
 * The texts reach the thread through shared memory the thread makes and first touches itself: sent in the start
 * message, they were copied on the main thread into fresh memory (a page fault every 4 KiB, 0.25 s of the main thread
 * at 100,000 documents). The main thread copies them in when the thread asks (`serve`), into pages already mapped.
 * For the same reason the thread maps memory for the slabs the main thread writes its packed trees in, and hands it
 * over (`postSlabMemory`, `slab-memory.ts`), and the line starts it finds are in memory it mapped.
 *
 * Both threads share one Int32Array of task states; each task is claimed with a compare-and-swap by whichever thread
 * gets to it first. The main thread reads from the first document on and screens from the last candidate back; this
 * one screens from the first candidate on, then reads from the last document back, so the two meet somewhere in the
 * middle whatever each task costs. Then this one takes the texts from the first on, and the main thread, once it has
 * judged the documents, from the last back. What this thread cannot read (a document the fast reader does not model,
 * or js-yaml rejects) it gives back: the main thread reads it the full way and reports any error. The main thread never
 * waits for long: a task this thread holds for more than WAIT_MS (a stalled or dead worker) is done again by the main
 * thread, which then waits no more; the answer is the same either way.
 */

/** The main thread's side of the second thread. */
export interface SecondThread {
  /** A SCREEN task's answer: true inert, false not; undefined when the caller is to decide (the task is then its own). */
  verdict(task: number): boolean | undefined;
  /** Takes a READ task for the caller (true), unless the second thread has taken it. */
  claim(task: number): boolean;
  /** What the second thread read for a READ task it took; undefined when the caller is to read it after all. */
  reading(task: number): Exclude<FastReading, null> | undefined;
  /**
   * The values of `credentialPairs` in texts[text], when the second thread found them (it does after its other tasks);
   * undefined when the caller is to find them. Asked once a text, after the documents.
   */
  credentialValues(text: number): string[] | undefined;
  /**
   * `lineStartsOf(texts[text])`, when the second thread has found them (as it finds the credentials), without waiting;
   * undefined when the caller is to find them. Asked at most once a text.
   */
  lineStarts(text: number): Uint32Array | undefined;
  /** Stops the thread; says how many documents it screened and read for the caller. */
  close(): { screened: number; read: number };
}

/**
 * Starts a second thread on `tasks` (TASK_FIELDS numbers each, indexing `texts`), and with `credentials` on the
 * credentials of the texts; or returns null to do them all here.
 */
export type SecondThreadFactory = (
  texts: readonly string[],
  tasks: Int32Array,
  credentials: boolean,
) => SecondThread | null;

const WAIT_MS = 200;
/** Below this many bytes of documents, starting a thread costs more than it saves. */
const MIN_BYTES = 2 * 1024 * 1024;
/**
 * The worker's young generation, in MB. What it makes either dies young or is posted away, so a small one is as fast
 * as a large one; Node 24's V8 would let it grow to three times this and keep it (75 MB more peak memory at 100,000
 * documents, for no time). 48 MB is what Node 20 gives a thread. Where the entry point holds the young generation
 * (`young-generation.ts`), it grows no further than it has by then.
 */
const YOUNG_GENERATION_MB = 48;

/** How long the main thread waits for the thread to start, when asked to (`KUBE_TOKEN_GUARD_THREADS=2`). */
const START_WAIT_MS = 30_000;

let entry: URL | null = null;
let waitForStart = false;

/**
 * Lets scans use a worker thread that runs `bundle` (the running entry point, which must call `runSecondThreadIfAsked`
 * first thing), as `setting` (the value of `KUBE_TOKEN_GUARD_THREADS`) says:
 * - unset: when there is more than one core; the main thread reads on while the thread starts, so on a busy machine
 *   it may finish before the thread has done anything (the report is the same);
 * - `1`: never, everything runs in the calling thread;
 * - `2`: always, and the main thread waits until the thread has started, so that the thread takes its share however
 *   busy the machine (for tests and measurements).
 * Without this call everything runs in the calling thread.
 */
export function enableSecondThread(bundle: URL, setting: string | undefined): void {
  waitForStart = setting === '2';
  entry = setting !== '1' && (waitForStart || availableParallelism() > 1) ? bundle : null;
}

/** The factory scans use: a worker when enabled and worth it, else none. */
export const secondThread: SecondThreadFactory = (texts, tasks, findCredentials) => {
  if (!entry) return null;
  let bytes = 0;
  for (let at = 0; at < tasks.length; at += TASK_FIELDS) bytes += tasks[at + 2]! - tasks[at + 1]!;
  if (bytes < MIN_BYTES) return null;
  // One state for each task, then one for each text's credentials task, then the texts' hand-over.
  const firstCredentials = tasks.length / TASK_FIELDS;
  const textsState = firstCredentials + texts.length;
  const state = new Int32Array(new SharedArrayBuffer((textsState + 1) * Int32Array.BYTES_PER_ELEMENT));
  const plan = planTexts(texts);
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    const { lengths, strings, bytes: textBytes } = plan;
    worker = new Worker(entry, {
      workerData: {
        role: ROLE,
        lengths,
        strings,
        textBytes,
        tasks,
        credentials: findCredentials,
        state,
        port: port2,
      } satisfies WorkerData,
      transferList: [port2],
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
  } catch {
    port1.close();
    return null;
  }
  worker.unref();
  // A worker that fails leaves its tasks to the main thread (see `waited`); nothing to report.
  worker.on('error', () => undefined);
  const received = new Map<number, PackedParts>();
  const credentials = new Map<number, string[]>();
  const lineStarts = new Map<number, Uint32Array>();
  let closed = false;
  let stalled = false;
  let screened = 0;
  let read = 0;
  let textMemory: SharedArrayBuffer | null = null;
  let served = false;
  /** Copies the texts in once the worker has made the memory for them: it starts no task before. */
  const serve = () => {
    if (served || Atomics.load(state, textsState) !== TEXTS_ASKED) return;
    served = true;
    drain();
    if (textMemory) writeTexts(texts, plan, textMemory);
    textMemory = null;
    Atomics.store(state, textsState, TEXTS_WRITTEN);
    Atomics.notify(state, textsState);
  };
  const claim = (task: number) => Atomics.compareExchange(state, task, UNTOUCHED, MAIN_HAS_IT) === UNTOUCHED;
  /** Waits for a task the worker holds; false when it takes too long, and from then on at once. */
  const waited = (task: number) => {
    if (stalled) return false;
    stalled = Atomics.wait(state, task, WORKER_HAS_IT, WAIT_MS) === 'timed-out';
    return !stalled;
  };
  /** Takes what the worker has posted. It posts before it marks the tasks POSTED, so a POSTED task's answer is in. */
  const drain = () => {
    for (let message = receiveMessageOnPort(port1); message; message = receiveMessageOnPort(port1)) {
      const body = message.message as Message;
      if (Array.isArray(body)) for (const posted of body) received.set(posted.task, posted.parts);
      else if ('textMemory' in body) textMemory = body.textMemory;
      else if ('slabMemory' in body) for (const memory of body.slabMemory) offerSlabMemory(memory);
      else {
        for (const [text, values, at, count] of body.texts) {
          if (values) credentials.set(text, values);
          lineStarts.set(text, body.lines.subarray(at, at + count));
        }
      }
    }
  };
  const parts = (task: number): PackedParts | undefined => {
    if (!received.has(task)) drain();
    const found = received.get(task);
    received.delete(task);
    return found;
  };
  /** A task's state once the worker has settled it, waiting if need be; MAIN_HAS_IT when it is the caller's to do. */
  const settled = (task: number): number => {
    serve();
    for (;;) {
      const current = Atomics.load(state, task);
      if (current === UNTOUCHED) {
        if (claim(task)) return MAIN_HAS_IT;
      } else if (current !== WORKER_HAS_IT) {
        return current;
      } else if (!waited(task)) {
        return MAIN_HAS_IT;
      }
    }
  };
  if (waitForStart) {
    // The worker asks for the texts first thing, and notifies; one that fails to start is waited for START_WAIT_MS.
    Atomics.wait(state, textsState, 0, START_WAIT_MS);
    serve();
  }
  return {
    verdict(task) {
      const current = settled(task);
      if (current !== INERT && current !== NOT_INERT) return undefined;
      screened++;
      return current === INERT;
    },
    claim(task) {
      serve();
      return claim(task);
    },
    reading(task) {
      const current = settled(task);
      if (current === NO_DOCUMENT || current === NOT_AN_OBJECT) {
        read++;
        return { documents: current === NO_DOCUMENT ? 0 : 1, tree: null };
      }
      const found = current === POSTED ? parts(task) : undefined;
      if (!found) return undefined;
      read++;
      return { documents: 1, tree: documentOfParts(found) };
    },
    credentialValues(text) {
      if (settled(firstCredentials + text) !== POSTED) return undefined;
      if (!credentials.has(text)) drain();
      const found = credentials.get(text);
      credentials.delete(text);
      return found;
    },
    lineStarts(text) {
      if (closed || Atomics.load(state, firstCredentials + text) !== POSTED) return undefined;
      if (!lineStarts.has(text)) drain();
      const found = lineStarts.get(text);
      lineStarts.delete(text);
      return found;
    },
    close() {
      // A worker still waiting for the texts stops waiting.
      if (!served) {
        Atomics.store(state, textsState, TEXTS_CLOSED);
        Atomics.notify(state, textsState);
      }
      closed = true;
      port1.close();
      void worker.terminate();
      // What was not asked for stays with no one.
      received.clear();
      credentials.clear();
      lineStarts.clear();
      return { screened, read };
    },
  };
};
