/**
 * The results file of the fork-safe pair (see fork-safe.ts): its shape, and the publisher's reading of it. The file
 * was made by a job the pull request's author controls: every field is checked and bounded, and findings that do not
 * pass are dropped and counted.
 */
import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../config/errors.js';
import { isRecord } from '../core/model.js';
import { type Finding, type ScanError, isSeverity } from '../core/types.js';
import { registry } from '../rules/index.js';

export const FORMAT = 'kube-token-guard-results';
export const VERSION = 1;
/** Bounds on what the publisher reads: far above any real scan, far below what could exhaust the runner. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_FINDINGS = 20_000;
const MAX_NOTES = 20;
const MAX_TEXT = 2_000;
const MAX_ERRORS = 200;

export interface ResultsFile {
  format: typeof FORMAT;
  version: typeof VERSION;
  pullRequest: { number: number; headSha: string };
  introduced: Finding[];
  existing: Finding[];
  changedFiles: number;
  notes: string[];
  /** Head texts of the files with new findings, for merging suggestions that touch the same lines. */
  texts: Record<string, string>;
  /** Files in scope the scan could not judge: the publisher fails the check for them. */
  errors: ScanError[];
}

export async function readResults(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `cannot read the results file ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}): download the ` +
        "scanning run's artifact first, e.g. actions/download-artifact with `run-id: ${{ github.event.workflow_run.id }}`",
    );
  }
  if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
    throw new ConfigurationError(`the results file ${path} is larger than ${MAX_FILE_BYTES} bytes`);
  }
  return text;
}

/** Checks the untrusted file's shape; findings that do not pass are dropped and counted, the rest kept. */
export function parseResults(text: string, path: string): { file: ResultsFile; dropped: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`the results file ${path} is not JSON: ${(error as Error).message}`);
  }
  const record = isRecord(value) ? value : {};
  const pull = isRecord(record.pullRequest) ? record.pullRequest : {};
  if (record.format !== FORMAT || record.version !== VERSION) {
    throw new ConfigurationError(
      `${path} is not a kube-token-guard results file of version ${VERSION}: use the same version of the Action in both jobs`,
    );
  }
  if (
    !isCount(pull.number) ||
    pull.number < 1 ||
    typeof pull.headSha !== 'string' ||
    !/^[0-9a-f]{40}$/.test(pull.headSha)
  ) {
    throw new ConfigurationError(`${path} names no pull request number and head commit`);
  }
  let dropped = 0;
  const findings = (list: unknown): Finding[] => {
    const items = Array.isArray(list) ? list.slice(0, MAX_FINDINGS) : [];
    dropped += (Array.isArray(list) ? list.length : 0) - items.length;
    return items.filter((item): item is Finding => {
      const ok = isFinding(item);
      if (!ok) dropped++;
      return ok;
    });
  };
  const texts: Record<string, string> = {};
  if (isRecord(record.texts)) {
    for (const [file, content] of Object.entries(record.texts)) {
      if (typeof content === 'string') texts[file] = content;
    }
  }
  const file: ResultsFile = {
    format: FORMAT,
    version: VERSION,
    pullRequest: { number: pull.number, headSha: pull.headSha },
    introduced: findings(record.introduced),
    existing: findings(record.existing),
    changedFiles: isCount(record.changedFiles) ? record.changedFiles : 0,
    notes: (Array.isArray(record.notes) ? record.notes : [])
      .filter((note): note is string => typeof note === 'string')
      .slice(0, MAX_NOTES)
      .map((note) => note.slice(0, MAX_TEXT)),
    texts,
    errors: scanErrors(record.errors),
  };
  return { file, dropped };
}

/** The errors of a results file that have the shape of errors (bounded); others are left out. */
function scanErrors(list: unknown): ScanError[] {
  if (!Array.isArray(list)) return [];
  return list
    .slice(0, MAX_ERRORS)
    .filter(
      (item): item is ScanError =>
        isRecord(item) &&
        isRelativePath(item.file) &&
        (item.line === null || (isCount(item.line) && item.line >= 1)) &&
        isText(item.message, MAX_TEXT),
    )
    .map((error) => ({ file: error.file, line: error.line, message: error.message }));
}

function isFinding(value: unknown): value is Finding {
  if (!isRecord(value)) return false;
  const { resource, fix, suppression } = value;
  return (
    typeof value.ruleId === 'string' &&
    registry.ids.includes(value.ruleId) &&
    isSeverity(value.severity) &&
    isText(value.message, 8_000) &&
    isRelativePath(value.file) &&
    isCount(value.line) &&
    value.line >= 1 &&
    isCount(value.endLine) &&
    value.endLine >= value.line &&
    typeof value.suppressed === 'boolean' &&
    (suppression === undefined ||
      (isRecord(suppression) &&
        (suppression.kind === 'annotation' || suppression.kind === 'config') &&
        isText(suppression.reason, MAX_TEXT))) &&
    (value.rendered === undefined || typeof value.rendered === 'boolean') &&
    isText(value.identity, MAX_TEXT) &&
    isTextList(value.via) &&
    isTextList(value.also) &&
    Array.isArray(value.path) &&
    value.path.every((segment) => typeof segment === 'string' || isCount(segment)) &&
    isRecord(resource) &&
    isText(resource.apiVersion, 300) &&
    isText(resource.kind, 300) &&
    isText(resource.name, 300) &&
    (resource.namespace === null || isText(resource.namespace, 300)) &&
    (fix === null || isFix(fix))
  );
}

/** An optional list of texts, bounded like the rest of a finding. */
function isTextList(value: unknown): boolean {
  return (
    value === undefined ||
    (Array.isArray(value) && value.length <= 1_000 && value.every((entry) => isText(entry, MAX_TEXT)))
  );
}

function isFix(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return (
    (value.file === undefined || isRelativePath(value.file)) &&
    Array.isArray(value.edits) &&
    value.edits.every(
      (edit) => isRecord(edit) && isCount(edit.start) && isCount(edit.end) && isText(edit.text, 100_000),
    ) &&
    isCount(value.startLine) &&
    value.startLine >= 1 &&
    isCount(value.endLine) &&
    value.endLine >= value.startLine &&
    isText(value.replacement, 100_000)
  );
}

function isRelativePath(value: unknown): value is string {
  return (
    isText(value, 1_000) &&
    value !== '' &&
    !value.startsWith('/') &&
    !value.split('/').includes('..') &&
    // eslint-disable-next-line no-control-regex -- control characters are what is refused here
    !/[\u0000-\u001f]/.test(value)
  );
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
