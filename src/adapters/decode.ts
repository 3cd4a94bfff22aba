import type { ScanError, SourceFile } from '../core/types.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A file's bytes as a SourceFile, or the reason it is not scanned. */
export function decodeFile(path: string, buffer: Buffer): SourceFile | ScanError {
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
