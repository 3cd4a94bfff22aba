import { structuredPatch } from 'diff';

/** The lines of a file a review comment may address: lines of the new file inside the pull request's hunks. */
export interface CommentableLines {
  /** Hunks as inclusive ranges of new-file lines (added and context lines). */
  hunks: { start: number; end: number }[];
  /** Every new-file line inside a hunk. */
  right: Set<number>;
  /** New-file lines the pull request added or changed. */
  added: Set<number>;
  /**
   * Whether GitHub takes line comments on the file: not when it shows no diff for it (no `patch`: binary or too
   * large), even though the changed lines are known from the contents.
   */
  inline: boolean;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Reads a unified diff as GitHub returns it in `patch` (hunks only, no file headers). */
export function parsePatch(patch: string): CommentableLines {
  const result: CommentableLines = { hunks: [], right: new Set(), added: new Set(), inline: true };
  let line = 0;
  let hunk: { start: number; end: number } | null = null;
  for (const text of patch.split('\n')) {
    const header = HUNK_HEADER.exec(text);
    if (header) {
      line = Number(header[3]);
      hunk = { start: line, end: line - 1 };
      result.hunks.push(hunk);
      continue;
    }
    if (!hunk) continue;
    const marker = text[0];
    if (marker === '+' || marker === ' ') {
      result.right.add(line);
      if (marker === '+') result.added.add(line);
      hunk.end = line;
      line++;
    } else if (marker === undefined && text === '') {
      // A trailing empty string after the final newline is not a line of the diff.
    }
  }
  result.hunks = result.hunks.filter((entry) => entry.end >= entry.start);
  return result;
}

/** The same, computed from both versions of a file, for files whose patch GitHub leaves out (large diffs). */
export function diffContents(before: string, after: string): CommentableLines {
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 3 });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return { ...parsePatch(lines.join('\n')), inline: false };
}

/** Whether lines `start`..`end` all lie inside one hunk, as GitHub requires of a multi-line comment. */
export function inOneHunk(lines: CommentableLines, start: number, end: number): boolean {
  return lines.hunks.some((hunk) => hunk.start <= start && end <= hunk.end);
}

/**
 * The new side of a patch (added and context lines), each hunk a YAML document of its own: what the pull request's
 * files hold as GitHub shows them; for a new file, the whole file.
 */
export function newSideText(patch: string): string {
  const hunks: string[][] = [];
  for (const text of patch.split('\n')) {
    if (HUNK_HEADER.test(text)) hunks.push([]);
    else if (hunks.length > 0 && (text[0] === '+' || text[0] === ' '))
      hunks[hunks.length - 1]!.push(text.slice(1));
  }
  return hunks.map((lines) => `${lines.join('\n')}\n`).join('---\n');
}
