import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ChunkedCandidate, mayHoldKubernetesObjects } from '../core/kubernetes-candidate.js';
import type { ScanError, SourceFile } from '../core/types.js';
import { MAX_FILE_BYTES, decodeFile, tooLarge } from './decode.js';

/** A file of a walked tree left out of the scan: it provably holds no Kubernetes object (see kubernetes-candidate.ts). */
export interface SkippedFile {
  skipped: string;
}

/** Bytes of a large file looked at a time: its text is never held whole (and each chunk is young garbage). */
const CHUNK_BYTES = 64 * 1024;

/**
 * A file found below the root, read for the scan: its text, the error that keeps it from being judged, or skipped
 * when it was found by walking a folder and provably holds no Kubernetes object, so its text is let go at once.
 * A file the user named (`explicit`) is always read, and a file too large to read is an error unless it is skipped.
 */
export function readCandidate(
  path: string,
  real: string,
  explicit: boolean,
): SourceFile | ScanError | SkippedFile {
  // Checked before reading, so a huge file is never loaded whole.
  if (statSync(real).size > MAX_FILE_BYTES) {
    return explicit || largeFileMayHoldObjects(real) ? tooLarge(path) : { skipped: path };
  }
  const bytes = readReusing(real);
  return bytes ? judgeCandidate(path, bytes, explicit) : tooLarge(path);
}

/**
 * The buffer every file is read into, grown to the largest file read. A scan keeps only the files' texts, so each
 * file's bytes are garbage once decoded; read into buffers of their own, they took fresh memory until the collector
 * let them go, and first use of memory is dear (a page fault every 4 KiB: about 2.8 ms a megabyte on a 2-core VM).
 * Reading the 4,000 files of the 100,000-document corpus took 0.68-0.72 s that way, 0.54-0.55 s this way.
 */
let scratch = Buffer.allocUnsafeSlow(256 * 1024);

/**
 * The bytes of a file, valid until the next call (they are decoded before it), or null when it holds more than
 * MAX_FILE_BYTES by the time it is read. Only the file's own descriptor is read, to its end.
 */
export function readReusing(real: string): Buffer | null {
  const file = openSync(real, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const grown = Buffer.allocUnsafeSlow(scratch.length * 2);
        scratch.copy(grown, 0, 0, length);
        scratch = grown;
      }
      const count = readSync(file, scratch, length, scratch.length - length, null);
      if (count === 0) return scratch.subarray(0, length);
      length += count;
      if (length > MAX_FILE_BYTES) return null;
    }
  } finally {
    closeSync(file);
  }
}

/** `readCandidate` for bytes already read (from git's objects, say). */
export function judgeCandidate(
  path: string,
  buffer: Buffer,
  explicit: boolean,
): SourceFile | ScanError | SkippedFile {
  if (buffer.length > MAX_FILE_BYTES) {
    if (explicit) return tooLarge(path);
    const candidate = new ChunkedCandidate();
    if (!plainBytes(buffer)) return tooLarge(path);
    for (let at = 0; at < buffer.length; at += CHUNK_BYTES)
      addChunk(buffer.subarray(at, at + CHUNK_BYTES), candidate);
    return candidate.mayHoldObjects() ? tooLarge(path) : { skipped: path };
  }
  const decoded = decodeFile(path, buffer);
  // Binary content is still an error: UTF-32, which spells no key in ASCII, could hide a manifest.
  if (explicit || !('text' in decoded) || mayHoldKubernetesObjects(decoded.text)) return decoded;
  return { skipped: path };
}

/** A file over the size limit, read a chunk at a time: false only when it provably holds no Kubernetes object. */
function largeFileMayHoldObjects(real: string): boolean {
  const file = openSync(real, 'r');
  try {
    const candidate = new ChunkedCandidate();
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let first = true; ; first = false) {
      const bytesRead = readSync(file, buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return candidate.mayHoldObjects();
      const chunk = buffer.subarray(0, bytesRead);
      if (first ? !plainBytes(chunk) : chunk.includes(0)) return true;
      addChunk(chunk, candidate);
      if (candidate.mayHoldObjects()) return true;
    }
  } finally {
    closeSync(file);
  }
}

/**
 * Whether bytes starting a file (or all of it) can be judged a chunk at a time as ASCII: not UTF-16 (a byte order
 * mark) and no NUL bytes (UTF-32), which the scan reports as they are.
 */
function plainBytes(start: Buffer): boolean {
  const utf16 = (start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff);
  return !utf16 && !start.includes(0);
}

/** UTF-8 never puts an ASCII byte inside a longer character, so ASCII words are found in its bytes read as Latin-1. */
function addChunk(chunk: Buffer, candidate: ChunkedCandidate): void {
  candidate.add(chunk.toString('latin1'));
}
