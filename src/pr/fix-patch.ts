import { type StructuredPatchHunk, formatPatch, structuredPatch } from 'diff';

export interface FilePatch {
  /** The unified diff of one file, or null when it cannot be written without quoting a secret line. */
  text: string | null;
  /**
   * Some hunk lost its trailing context next to a secret line: `git apply` then needs `--unidiff-zero` (without
   * it, a hunk with no trailing context must end at the end of the file).
   */
  needsUnidiffZero: boolean;
}

const CONTEXT = 3;

/**
 * The unified diff of `before` to `after` that never quotes a secret line of `before` (1-based line numbers): context
 * lines that are secret are left out, splitting their hunk in two. A changed line that is secret cannot be left out;
 * then there is no patch at all (fixes never touch such lines, so this is a safety net).
 */
export function patchWithoutSecrets(
  path: string,
  before: string,
  after: string,
  secret: ReadonlySet<number>,
): FilePatch {
  const patch = structuredPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: CONTEXT });
  const hunks: StructuredPatchHunk[] = [];
  let needsUnidiffZero = false;
  for (const hunk of patch.hunks) {
    let oldLine = hunk.oldStart;
    let newLine = hunk.newStart;
    let current: StructuredPatchHunk | null = null;
    let changed = false;
    let kept = false;
    const close = (trailingCut: boolean) => {
      if (current && changed) {
        if (trailingCut && trailingContext(current) === 0) needsUnidiffZero = true;
        hunks.push(current);
      }
      current = null;
      changed = false;
    };
    for (const line of hunk.lines) {
      const marker = line[0];
      if (marker === '\\') {
        // "\ No newline at end of file" belongs to the line before it, kept or not.
        if (kept && current) (current as StructuredPatchHunk).lines.push(line);
        continue;
      }
      if (marker === ' ' && secret.has(oldLine)) {
        close(true);
        oldLine++;
        newLine++;
        kept = false;
        continue;
      }
      if (marker === '-' && secret.has(oldLine)) return { text: null, needsUnidiffZero: false };
      // A hunk may start with no leading context, right after a secret line: git accepts that.
      current ??= { oldStart: oldLine, oldLines: 0, newStart: newLine, newLines: 0, lines: [] };
      const hunkNow = current as StructuredPatchHunk;
      hunkNow.lines.push(line);
      kept = true;
      if (marker === ' ' || marker === '-') {
        hunkNow.oldLines++;
        oldLine++;
      }
      if (marker === ' ' || marker === '+') {
        hunkNow.newLines++;
        newLine++;
      }
      if (marker !== ' ') changed = true;
    }
    close(false);
  }
  // Segments made only of context (between two secret lines) were dropped above.
  const text = hunks.length === 0 ? '' : formatPatch({ ...patch, hunks });
  return { text, needsUnidiffZero };
}

function trailingContext(hunk: StructuredPatchHunk): number {
  let count = 0;
  for (let index = hunk.lines.length - 1; index >= 0; index--) {
    const marker = hunk.lines[index]![0];
    if (marker === '\\') continue;
    if (marker !== ' ') break;
    count++;
  }
  return count;
}
