import { jsonDisplayText } from '../core/display-text.js';
import { BATCH_UNITS, batchesToRedact } from '../core/redact-pieces.js';
import type { Finding, ScanError, ScanNotice } from '../core/types.js';
import type { RuleMeta } from '../rules/types.js';
import type { CliIo } from './io.js';
import { jsonReportPieces } from '../report/json.js';
import { sarifPieces } from '../report/sarif.js';
import { type TextOptions, textPieces } from '../report/text.js';

export interface ReportInput {
  format: 'text' | 'json' | 'sarif';
  findings: readonly Finding[];
  errors: readonly ScanError[];
  /** Shown in the text report; the other formats leave them to standard error. */
  notices: readonly ScanNotice[];
  /** The rules a SARIF log describes. */
  rules: readonly RuleMeta[];
  text: TextOptions;
}

/**
 * The report as batches of text, each to be redacted on its own (see `core/redact-pieces.ts`) as it is written: a
 * report of tens of thousands of findings is never held whole, as text or as the objects it is made from. Each call
 * makes the report again, so that one that could not be written to a file can be printed instead.
 */
export function reportBatches(input: ReportInput, size = BATCH_UNITS): Generator<string> {
  return batchesToRedact(reportPieces(input), size);
}

function* reportPieces(input: ReportInput): Generator<string> {
  if (input.format === 'text') {
    yield* textPieces(input.findings, input.errors, input.notices, input.text);
    return;
  }
  const pieces =
    input.format === 'json'
      ? jsonReportPieces(input.findings, input.errors)
      : sarifPieces(input.findings, input.errors, input.rules);
  // JSON escapes the characters a terminal acts on; a report read there is the same value (see core/display-text.ts).
  // Escaping is a character at a time, so a piece at a time is the same.
  for (const piece of pieces) yield jsonDisplayText(piece);
  if (input.format === 'sarif') yield '\n';
}

/**
 * Writes a report's batches to standard output (which redacts them). Where they would wait in memory (a pipe whose
 * reader is slower than the scan: Node writes pipes asynchronously), each waits for the one before to drain, so that
 * the report does not pile up there whole.
 */
export async function printReport(stdout: CliIo['stdout'], batches: Iterable<string>): Promise<void> {
  for (const batch of batches) {
    if (stdout.write(batch) === false && stdout.once)
      await new Promise<void>((resolve) => stdout.once!('drain', resolve));
  }
}
