import type { Finding, Fix, TextEdit } from './types.js';
import { append, minOf } from './arrays.js';

export interface ApplyResult {
  text: string;
  /** Fixes whose edits all went in. */
  applied: number;
  /** Fixes left out because they overlap one applied before them; a re-scan offers them again. */
  skipped: number;
}

/**
 * Applies whole fixes, in order of their first edit, leaving out any fix that overlaps one already taken (two inserts
 * at the same offset count as overlapping: their order would be a guess). As ESLint does, the caller re-parses and
 * re-checks, and applies again until nothing is left or a pass limit is reached.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): ApplyResult {
  const ordered = [...fixes].sort((a, b) => firstStart(a) - firstStart(b));
  const taken: TextEdit[] = [];
  let applied = 0;
  let skipped = 0;
  for (const fix of ordered) {
    if (fix.edits.some((edit) => taken.some((other) => overlaps(edit, other)))) {
      skipped++;
      continue;
    }
    append(taken, fix.edits);
    applied++;
  }
  const result = applyEdits(text, taken);
  return { text: result, applied, skipped };
}

/** Applies non-overlapping edits, each against the original offsets. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = '';
  let cursor = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

function firstStart(fix: Fix): number {
  return minOf(fix.edits.map((edit) => edit.start));
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.start === b.start) return true;
  return a.start < b.end && b.start < a.end;
}

/** Whether two fixes make the same edits, in the same order. */
export function sameEdits(a: Fix, b: Fix): boolean {
  return (
    a.edits.length === b.edits.length &&
    a.edits.every((edit, index) => {
      const other = b.edits[index]!;
      return edit.start === other.start && edit.end === other.end && edit.text === other.text;
    })
  );
}

/** Whether two findings' fixes make the same edits to the same file; two findings without one agree too. */
export function sameFix(a: Finding, b: Finding): boolean {
  if (a.fix === null || b.fix === null) return a.fix === b.fix;
  return (a.fix.file ?? a.file) === (b.fix.file ?? b.file) && sameEdits(a.fix, b.fix);
}
