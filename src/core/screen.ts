import { availableParallelism } from 'node:os';
import { Worker, isMainThread, workerData } from 'node:worker_threads';
import { isInert } from './inert.js';
import type { ScreenFactory } from './load.js';

/**
 * Screening documents of kinds no rule reads in a second thread, while the main thread reads the documents that
 * matter. CustomResourceDefinitions and the like are often half of a repository's bytes; confirming that they are
 * inert takes a full read by js-yaml, but gives back one bit a document, so nothing large crosses threads.
 *
 * The two threads share one Int32Array of task states. Each task is claimed with a compare-and-swap, by whichever
 * thread gets to it first: the worker from the start, the main thread from the end, once it has read everything
 * else. The main thread never waits for long: a task the worker holds for more than WAIT_MS (a stalled or dead
 * worker) is simply done again, and the answer is the same.
 */

const ROLE = 'kube-token-guard/inert-screen';
const UNTOUCHED = 0;
const WORKER_HAS_IT = 1;
const MAIN_HAS_IT = 2;
const INERT = 3;
const NOT_INERT = 4;
const WAIT_MS = 200;
/** Below this many bytes of candidates, starting a thread costs more than it saves. */
const MIN_BYTES = 2 * 1024 * 1024;

let entry: URL | null = null;

/**
 * Lets scans screen in a worker thread that runs `bundle` (the running entry point, which must call
 * `runScreenWorkerIfAsked` first thing). Without this call, or with one core, everything runs in the calling thread.
 */
export function enableScreenWorker(bundle: URL): void {
  entry = availableParallelism() > 1 ? bundle : null;
}

/** The screen factory scans use: a worker when enabled and worth it, else none. */
export const workerScreen: ScreenFactory = (texts, tasks) => {
  if (!entry) return null;
  let bytes = 0;
  for (let task = 0; task < tasks.length; task += 3) bytes += tasks[task + 2]! - tasks[task + 1]!;
  if (bytes < MIN_BYTES) return null;
  const count = tasks.length / 3;
  const state = new Int32Array(new SharedArrayBuffer(count * Int32Array.BYTES_PER_ELEMENT));
  let worker: Worker;
  try {
    worker = new Worker(entry, { workerData: { role: ROLE, texts, tasks, state } });
  } catch {
    return null;
  }
  worker.unref();
  // A worker that fails leaves its tasks to the main thread (see `verdict`); nothing to report.
  worker.on('error', () => undefined);
  return {
    verdict(task: number): boolean | undefined {
      for (;;) {
        const current = Atomics.load(state, task);
        if (current === INERT) return true;
        if (current === NOT_INERT) return false;
        if (current === UNTOUCHED) {
          if (Atomics.compareExchange(state, task, UNTOUCHED, MAIN_HAS_IT) === UNTOUCHED) return undefined;
          continue;
        }
        if (current === MAIN_HAS_IT) return undefined;
        if (Atomics.wait(state, task, WORKER_HAS_IT, WAIT_MS) === 'timed-out') return undefined;
      }
    },
    close() {
      let decided = 0;
      for (let task = 0; task < count; task++) {
        const value = Atomics.load(state, task);
        if (value === INERT || value === NOT_INERT) decided++;
      }
      void worker.terminate();
      return decided;
    },
  };
};

/**
 * In a worker started by `workerScreen`, screens the tasks and returns true; anywhere else returns false at once.
 * Entry points call it before anything else.
 */
export function runScreenWorkerIfAsked(): boolean {
  if (isMainThread) return false;
  const data = workerData as
    { role?: unknown; texts: string[]; tasks: Int32Array; state: Int32Array } | undefined;
  if (data?.role !== ROLE) return false;
  const { texts, tasks, state } = data;
  for (let task = 0; task < state.length; task++) {
    if (Atomics.compareExchange(state, task, UNTOUCHED, WORKER_HAS_IT) !== UNTOUCHED) continue;
    const at = task * 3;
    const inert = isInert(texts[tasks[at]!]!, tasks[at + 1]!, tasks[at + 2]!);
    Atomics.store(state, task, inert ? INERT : NOT_INERT);
    Atomics.notify(state, task);
  }
  return true;
}
