import { type Finding, severityRank } from '../core/types.js';

export interface Differential {
  /**
   * Findings the base did not have: introduced by the pull request. Most are in the files it changes; one in a file it
   * leaves alone comes from a change elsewhere (a ServiceAccount's or a namespace's defaults, a binding).
   */
  introduced: Finding[];
  /** Findings in the changed files that the base already had, at the same severity or a higher one. */
  existing: Finding[];
}

/**
 * Splits the head's findings into introduced and existing ones. A finding is matched by its identity (rule, resource
 * and the part of the resource), not by file or line: moving a manifest, or editing lines above it, does not make its
 * findings new. Identities are counted, not only known: where the base had one finding of an identity and the head
 * has two (a second copy of a manifest, one more object of a randomly named template line), one of them is new. A
 * finding whose severity rose (a workload moved to the `default` account, an API client's evidence taken away) is
 * new: the base had a lesser one. The head's findings in unchanged files take their counts first; those the base did
 * not have are introduced too, since only the pull request can have changed them.
 */
export function splitFindings(
  head: readonly Finding[],
  base: readonly Finding[],
  changedFiles: ReadonlySet<string>,
): Differential {
  /** Per identity, the severities of the base's findings not matched yet, highest last. */
  const before = new Map<string, number[]>();
  for (const finding of base) {
    for (const identity of identitiesOf(finding)) {
      const ranks = before.get(identity);
      if (ranks) ranks.push(severityRank(finding.severity));
      else before.set(identity, [severityRank(finding.severity)]);
    }
  }
  for (const ranks of before.values()) ranks.sort((a, b) => a - b);
  /** The base's finding of this identity at the finding's severity or the least above it, if one is left. */
  const matchOf = (identity: string, rank: number) => {
    const ranks = before.get(identity);
    const index = ranks ? ranks.findIndex((candidate) => candidate >= rank) : -1;
    return index === -1 ? null : { ranks: ranks!, index };
  };
  // A finding seen through several renders is new when any of them is: an overlay added over an insecure base.
  const match = (finding: Finding): boolean => {
    const rank = severityRank(finding.severity);
    const matches = identitiesOf(finding).map((identity) => matchOf(identity, rank));
    if (matches.some((found) => found === null)) return false;
    for (const found of matches) found!.ranks.splice(found!.index, 1);
    return true;
  };
  const changed = head.map((finding) => changedFiles.has(finding.file));
  const known = new Array<boolean>(head.length);
  for (const pass of [false, true])
    head.forEach((finding, index) => {
      if (changed[index] === pass) known[index] = match(finding);
    });
  return {
    introduced: head.filter((_, index) => !known[index]),
    existing: head.filter((_, index) => changed[index] && known[index]),
  };
}

function identitiesOf(finding: Finding): string[] {
  return finding.also ? [...new Set([finding.identity, ...finding.also])] : [finding.identity];
}
