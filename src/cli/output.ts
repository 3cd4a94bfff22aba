import { type FileHandle, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigurationError } from '../config/errors.js';

export interface ReportTarget {
  /** As the user wrote it, for messages. */
  given: string;
  path: string;
}

/**
 * The file `--output` names, checked before the scan (and before `--fix` changes anything): its folder must exist and
 * it must not be a folder itself. A usage error (exit 2) otherwise, never a stack trace.
 */
export async function reportTarget(cwd: string, given: string): Promise<ReportTarget> {
  const path = resolve(cwd, given);
  const folder = await stat(dirname(path)).catch(() => null);
  if (folder === null || !folder.isDirectory()) {
    throw new ConfigurationError(
      `--output ${given}: the folder ${dirname(given)} does not exist; create it first or write elsewhere`,
    );
  }
  if ((await stat(path).catch(() => null))?.isDirectory()) {
    throw new ConfigurationError(`--output ${given}: is a folder; name a file to write the report to`);
  }
  return { given, path };
}

/**
 * Writes the report, given as batches of text to write in turn; a failure (the disk filled up, permissions changed
 * meanwhile), at the start or partway through, is returned as a message. The caller prints the report instead: the
 * batches of a report can be made again.
 */
export async function writeReport(target: ReportTarget, batches: Iterable<string>): Promise<string | null> {
  const failure = (error: unknown) => {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return `--output ${target.given}: cannot write the report (${reason}); it is printed here instead`;
  };
  let file: FileHandle;
  try {
    file = await open(target.path, 'w');
  } catch (error) {
    return failure(error);
  }
  try {
    // Only the writes are caught: a failure to make the report is no failure to write it.
    for (const batch of batches) {
      // `writeFile` on a handle writes all of the batch, from where the last write ended.
      const failed = await file.writeFile(batch).then(() => null, failure);
      if (failed !== null) {
        await file.close().catch(() => {});
        return failed;
      }
    }
  } catch (error) {
    await file.close().catch(() => {});
    throw error;
  }
  return file.close().then(() => null, failure);
}
