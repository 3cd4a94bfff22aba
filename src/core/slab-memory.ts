/**
 * Memory for the slabs packed trees keep their numbers in (`packed-tree.ts`). First use of memory is dear (a page fault
 * every 4 KiB: about 2.8 ms a megabyte on the 2-core VM of docs/performance.md), and a slab is fresh memory the scan
 * keeps. A second thread, which has time for it while this one reads, maps memory (touches each page) and hands it
 * over; slabs are taken from it before fresh memory.
 */

/** The numbers of a slab. */
export const SLAB_NUMBERS = 1 << 15;
/** The bytes of a slab: offered memory is taken this many bytes at a time. */
export const SLAB_BYTES = SLAB_NUMBERS * Uint16Array.BYTES_PER_ELEMENT;

/** Memory offered, the next to take from last, and how much of that one is taken. */
const offered: ArrayBuffer[] = [];
let offeredUsed = 0;

/** Takes `memory` for slabs, a slab's bytes at a time, before any fresh memory. */
export function offerSlabMemory(memory: ArrayBuffer): void {
  if (memory.byteLength >= SLAB_BYTES) offered.unshift(memory);
}

/** A slab: offered memory while there is some, else fresh. */
export function newSlab(): Uint16Array<ArrayBuffer> {
  for (let memory = offered.at(-1); memory; memory = offered.at(-1)) {
    if (offeredUsed + SLAB_BYTES <= memory.byteLength) {
      offeredUsed += SLAB_BYTES;
      return new Uint16Array(memory, offeredUsed - SLAB_BYTES, SLAB_NUMBERS);
    }
    offered.pop();
    offeredUsed = 0;
  }
  return new Uint16Array(SLAB_NUMBERS);
}
