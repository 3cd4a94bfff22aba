import type { ScanError, SourceFile } from '../core/types.js';
import { holdYoungGeneration } from '../core/young-generation.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A file's bytes as a SourceFile, or the reason it is not scanned. */
export function decodeFile(path: string, buffer: Buffer): SourceFile | ScanError {
  // The texts are what first grows the young generation of a large scan: each file is a moment to look at it.
  holdYoungGeneration();
  if (buffer.length > MAX_FILE_BYTES) return tooLarge(path);
  // kubectl reads UTF-16 behind a byte order mark (and UTF-8 with or without one), so the scan does too.
  const encoding =
    buffer[0] === 0xff && buffer[1] === 0xfe
      ? 'utf-16le'
      : buffer[0] === 0xfe && buffer[1] === 0xff
        ? 'utf-16be'
        : null;
  if (encoding !== null) {
    const text = new TextDecoder(encoding).decode(buffer.subarray(2));
    if (text.includes('\0')) return binary(path);
    return { path, text, encoding };
  }
  if (buffer.includes(0)) return binary(path);
  return { path, text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
}

function binary(path: string): ScanError {
  return {
    file: path,
    line: null,
    message: 'binary content (NUL bytes, and no UTF-16 byte order mark); not scanned',
  };
}

export function tooLarge(path: string): ScanError {
  return { file: path, line: null, message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; not scanned` };
}

/** What keeps a file or folder from being read, in words: the error code's meaning, and the code. */
const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'it was removed while the scan ran',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
};

/** A file or folder the file system refused to read: an error of the scan, which then cannot pass. */
export function unreadable(path: string, error: unknown, folder = false): ScanError {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? 'unknown error';
  const reason = REASONS[code] ? `${REASONS[code]} (${code})` : code;
  return {
    file: path,
    line: null,
    message: folder
      ? `this folder cannot be read: ${reason}; none of its files is scanned`
      : `cannot be read: ${reason}; not scanned`,
  };
}
