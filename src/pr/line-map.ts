/**
 * Lines of one commit carried to a later commit that edited the files: after an autofix commit, the check run is on
 * the new commit, and its annotations must name that commit's lines.
 */
import { diffLines } from 'diff';
import type { Finding, ScanError } from '../core/types.js';

/**
 * Maps each line of `before` to its line in `after`: an unchanged line to where it moved, a changed or removed line
 * to the first line of what replaced it (or the line that follows, when nothing did).
 */
export function lineMapping(before: string, after: string): (line: number) => number {
  const moved: number[] = [];
  let next = 1;
  for (const change of diffLines(before, after)) {
    const count = change.count ?? 0;
    if (change.added) next += count;
    else if (change.removed) for (let index = 0; index < count; index++) moved.push(next);
    else for (let index = 0; index < count; index++) moved.push(next++);
  }
  const last = Math.max(1, after.split('\n').length - (after.endsWith('\n') ? 1 : 0));
  return (line) => Math.min(moved[line - 1] ?? line + next - 1 - moved.length, last);
}

/** Carries findings and errors to the lines of a commit that changed `files` (path to contents before and after). */
export function moveLines(files: ReadonlyMap<string, { before: string; after: string }>): {
  finding(finding: Finding): Finding;
  error(error: ScanError): ScanError;
} {
  const mappings = new Map([...files].map(([path, { before, after }]) => [path, lineMapping(before, after)]));
  // One finding is carried once: lists that share a finding (the blocking ones among the new) still share it.
  const carried = new Map<Finding, Finding>();
  const carry = (finding: Finding): Finding => {
    const map = mappings.get(finding.file);
    const fixMap = finding.fix ? mappings.get(finding.fix.file ?? finding.file) : undefined;
    if (!map && !fixMap) return finding;
    return {
      ...finding,
      ...(map ? { line: map(finding.line), endLine: map(finding.endLine) } : {}),
      // Only its place is shown on the new commit (the check run's text); its edits stay those of the reviewed head.
      ...(fixMap && finding.fix
        ? {
            fix: {
              ...finding.fix,
              startLine: fixMap(finding.fix.startLine),
              endLine: fixMap(finding.fix.endLine),
            },
          }
        : {}),
    };
  };
  return {
    finding(finding) {
      const known = carried.get(finding);
      if (known) return known;
      const moved = carry(finding);
      carried.set(finding, moved);
      return moved;
    },
    error(error) {
      const map = mappings.get(error.file);
      return map && error.line !== null ? { ...error, line: map(error.line) } : error;
    },
  };
}
