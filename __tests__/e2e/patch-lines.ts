/**
 * Which lines of a file a review comment can be placed on, from the file's `patch` as GitHub returns it in
 * `GET /pulls/{n}/files` (hunks only, no `diff --git`/`---`/`+++` headers).
 */

export type Side = 'LEFT' | 'RIGHT';

export interface PatchRow {
  kind: 'context' | 'added' | 'deleted' | 'no-newline';
  /** Line number in the old file (context and deleted rows). */
  left?: number;
  /** Line number in the new file (context and added rows). */
  right?: number;
  /** Index of the hunk in the patch, from 0. */
  hunk: number;
  /** Legacy `position`: lines below the first `@@` line, later hunk headers included, from 1. */
  position: number;
  /** Index in the patch's lines, for ordering and for `diff_hunk`. */
  index: number;
}

export interface ParsedPatch {
  lines: string[];
  rows: PatchRow[];
  /** Index in `lines` of each hunk header. */
  hunkStarts: number[];
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export function parsePatch(patch: string): ParsedPatch {
  const lines = patch.split('\n');
  const rows: PatchRow[] = [];
  const hunkStarts: number[] = [];
  let left = 0;
  let right = 0;
  lines.forEach((line, index) => {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      hunkStarts.push(index);
      left = Number(header[1]);
      right = Number(header[3]);
      return;
    }
    const hunk = hunkStarts.length - 1;
    if (hunk < 0) throw new Error(`patch does not start with a hunk header: ${JSON.stringify(line)}`);
    const base = { hunk, position: index, index };
    if (line.startsWith('+')) rows.push({ ...base, kind: 'added', right: right++ });
    else if (line.startsWith('-')) rows.push({ ...base, kind: 'deleted', left: left++ });
    else if (line.startsWith('\\')) rows.push({ ...base, kind: 'no-newline' });
    else rows.push({ ...base, kind: 'context', left: left++, right: right++ });
  });
  return { lines, rows, hunkStarts };
}

/** The row a comment on `line` of `side` refers to: RIGHT is added or context lines, LEFT deleted or context. */
export function findRow(patch: ParsedPatch, side: Side, line: number): PatchRow | undefined {
  return patch.rows.find((row) => (side === 'RIGHT' ? row.right === line : row.left === line));
}

export function rowAtPosition(patch: ParsedPatch, position: number): PatchRow | undefined {
  return patch.rows.find((row) => row.position === position);
}

/** What GitHub returns as a comment's `diff_hunk`: the hunk from its header down to the commented row. */
export function diffHunk(patch: ParsedPatch, row: PatchRow): string {
  return patch.lines.slice(patch.hunkStarts[row.hunk], row.index + 1).join('\n');
}

/** The lines of each side a comment can be placed on, as ranges, for messages. */
export function commentableRanges(patch: ParsedPatch, side: Side): string {
  const lines = patch.rows
    .map((row) => (side === 'RIGHT' ? row.right : row.left))
    .filter((line): line is number => line !== undefined);
  const ranges: string[] = [];
  let start = lines[0];
  let previous = lines[0];
  for (const line of [...lines.slice(1), undefined]) {
    if (line !== undefined && previous !== undefined && line === previous + 1) {
      previous = line;
      continue;
    }
    if (start !== undefined) ranges.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = line;
    previous = line;
  }
  return ranges.length > 0 ? ranges.join(', ') : 'none';
}
