import type { ScanError, SourceFile } from '../core/types.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** A file's bytes as a SourceFile, or the reason it is not scanned. */
export function decodeFile(path: string, buffer: Buffer): SourceFile | ScanError {
  if (buffer.length > MAX_FILE_BYTES) return tooLarge(path);
  if (buffer.includes(0))
    return { file: path, line: null, message: 'binary content (NUL bytes); not scanned' };
  return { path, text: buffer.toString('utf8').replace(/^\uFEFF/, '') };
}

export function tooLarge(path: string): ScanError {
  return { file: path, line: null, message: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; not scanned` };
}
