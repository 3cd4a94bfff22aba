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
 * above it, does not make its findings new. Identities are counted, not only known: where the base had one finding
 * of an identity and the head has two (a second copy of a manifest, one more object of a randomly named template
 * line), one of them is new. The head's findings in unchanged files take their counts first.
 */
export function splitFindings(
  head: readonly Finding[],
  base: readonly Finding[],
  changedFiles: ReadonlySet<string>,
): Differential {
  const before = new Map<string, number>();
  for (const finding of base) {
    for (const identity of identitiesOf(finding)) before.set(identity, (before.get(identity) ?? 0) + 1);
  }
  const take = (finding: Finding) => {
    for (const identity of identitiesOf(finding)) before.set(identity, (before.get(identity) ?? 0) - 1);
  };
  for (const finding of head) if (!changedFiles.has(finding.file)) take(finding);
  const result: Differential = { introduced: [], existing: [] };
  for (const finding of head) {
    if (!changedFiles.has(finding.file)) continue;
    // A finding seen through several renders is new when any of them is: an overlay added over an insecure base.
    const known = identitiesOf(finding).every((identity) => (before.get(identity) ?? 0) > 0);
    if (known) take(finding);
    (known ? result.existing : result.introduced).push(finding);
  }
  return result;
}

function identitiesOf(finding: Finding): string[] {
  return finding.also ? [finding.identity, ...finding.also] : [finding.identity];
}
