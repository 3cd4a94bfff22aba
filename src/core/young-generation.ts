import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Keeps V8's young generation small during large scans.
 *
 * V8 grows the young generation (two semi-spaces, where objects are made and the collector copies the survivors)
 * while most of what is made survives, as a scan's documents do: Node 24 lets it reach 64 MiB a semi-space on a
 * machine with a few GiB of memory, and a scan of 20,000 documents got there. A young generation that large makes each
 * collection copy more at a time into memory not used before, and first use of memory is dear (a page fault every
 * 4 KiB, about 2.8 ms a megabyte on the 2-core VM of docs/performance.md). Held at 8 MiB a semi-space, the bench's
 * scans took 16-22% less time at 20,000 documents and 30-35% less memory (docs/performance.md, "the young generation").
 *
 * V8 reads its size limits once, when the isolate starts, so the limit cannot be lowered from inside the process; its
 * growth factor is read each time it grows, so once the young generation is as large as wanted, a factor of 1 stops it
 * there. The factor is the whole process's (the second thread's young generation keeps the size it has by then). Node
 * 24's V8 takes a factor of 1, which the end-to-end tests hold it to; a V8 that keeps the factor at 2 or more would
 * grow the young generation as before, and the scan would only be slower.
 */

/** Both semi-spaces together, in bytes, from which the young generation is grown no further. */
export const YOUNG_GENERATION_BYTES = 16 * 1024 * 1024;

let enabled = false;
let held = false;

/**
 * Lets `holdYoungGeneration` act: the entry points call it, so that tests and other users of the library keep V8 as
 * they set it.
 */
export function enableYoungGenerationHold(): void {
  enabled = true;
}

/**
 * Once the young generation has reached YOUNG_GENERATION_BYTES, asks V8 to grow it no further. Called as files are
 * read and documents loaded; a few microseconds until it has acted, nothing after.
 */
export function holdYoungGeneration(): void {
  if (!enabled || held) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_GENERATION_BYTES) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
}
