import type { Finding } from '../core/types.js';

export interface Differential {
  /** Findings in the changed files that the base did not have: introduced by the pull request. */
  introduced: Finding[];
  /** Findings in the changed files that the base already had. */
  existing: Finding[];
}

/**
 * Splits the head's findings in the changed files into introduced and existing ones. A finding is matched by its
 * identity (rule, resource and the part of the resource), not by file or line: moving a manifest, or editing lines
 * above it, does not make its findings new.
 */
export function splitFindings(
  head: readonly Finding[],
  base: readonly Finding[],
  changedFiles: ReadonlySet<string>,
): Differential {
  const before = new Set(base.flatMap(identitiesOf));
  const result: Differential = { introduced: [], existing: [] };
  for (const finding of head) {
    if (!changedFiles.has(finding.file)) continue;
    // A finding seen through several renders is new when any of them is: an overlay added over an insecure base.
    const known = identitiesOf(finding).every((identity) => before.has(identity));
    (known ? result.existing : result.introduced).push(finding);
  }
  return result;
}

function identitiesOf(finding: Finding): string[] {
  return finding.also ? [finding.identity, ...finding.also] : [finding.identity];
}
