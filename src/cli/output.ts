import { stat, writeFile } from 'node:fs/promises';
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

/** Writes the report; a failure (the disk filled up, permissions changed meanwhile) is returned as a message. */
export async function writeReport(target: ReportTarget, report: string): Promise<string | null> {
  try {
    await writeFile(target.path, report);
    return null;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return `--output ${target.given}: cannot write the report (${reason}); it is printed here instead`;
  }
}
