/**
 * One finding per source location and rule. A kustomize base included by several overlays, or a chart rendered once
 * per `charts` entry, is judged once per render; the user edits one file, so one finding stands for them all, naming
 * the renders it was seen through (`via`) and keeping the identities of the others (`also`) so that a pull request
 * adding one more render of an insecure source is still seen to introduce something.
 */
import { sameFix } from './apply.js';
import { type Finding, severityRank } from './types.js';

/** At most this many renders are named in a message; `via` keeps them all. */
const NAMED = 3;

export function mergeRenderedDuplicates(findings: readonly Finding[]): Finding[] {
  // Each plain finding stands alone; rendered ones are grouped by place, in the order of each group's first.
  const groups = new Map<string, Finding[]>();
  const result: Finding[][] = [];
  for (const finding of findings) {
    // All of a packed dependency's output is at the archive's first line: each of its findings stands alone too.
    if (!finding.rendered || finding.packed !== undefined) {
      result.push([finding]);
      continue;
    }
    const key = keyOf(finding);
    const group = groups.get(key);
    if (group) group.push(finding);
    else {
      groups.set(key, [finding]);
      result.push(groups.get(key)!);
    }
  }
  return result.map((group) => (group.length > 1 ? merged(group) : group[0]!));
}

/** The place and rule of a finding: the same for the same field of the same source, whichever render it came from. */
function keyOf(finding: Finding): string {
  return [
    finding.ruleId,
    finding.file,
    finding.line,
    finding.endLine,
    finding.path.join('\u0000'),
    finding.suppressed,
  ].join('\u0001');
}

function merged(group: Finding[]): Finding {
  // The most severe stands for the group, a client's before any (below); among equals, the first by identity, so base
  // and head agree.
  const ordered = [...group].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0),
  );
  const head = ordered.find((finding) => finding.apiClient !== undefined) ?? ordered[0]!;
  const result: Finding = { ...head };
  const identities = new Set(ordered.flatMap((finding) => [finding.identity, ...(finding.also ?? [])]));
  identities.delete(head.identity);
  if (identities.size > 0) result.also = [...identities].sort();
  const via = [...new Set(ordered.flatMap((finding) => finding.via ?? []))].sort();
  if (via.length > 0) result.via = via;
  // The source serves every render: an edit is offered only when every render asks for the same one, and never when
  // the workload is an API client in any of them (its token would go there).
  if (head.apiClient !== undefined) {
    result.fix = null;
    const others = ordered.filter((finding) => finding.apiClient === undefined);
    if (others.length > 0) result.message += ` ${notClients(others, head)}`;
  } else if (!ordered.every((finding) => sameFix(finding, head))) {
    result.fix = null;
  }
  if (via.length > 1) {
    const named = via.slice(0, NAMED).map((label) => `\`${label}\``);
    const more = via.length > NAMED ? ` and ${via.length - NAMED} more` : '';
    result.message += ` Seen through ${via.length} renders: ${named.join(', ')}${more}.`;
  }
  return result;
}

/**
 * What a client's finding (`head`) says of the workloads rendered from the same line that are not judged API clients,
 * naming the render of each that is not the client's.
 */
function notClients(others: readonly Finding[], head: Finding): string {
  const labels = [
    ...new Set(
      others.map(({ resource, via }) => {
        const through = via?.[0] === undefined || via[0] === head.via?.[0] ? '' : ` (\`${via[0]}\`)`;
        const namespace = resource.namespace === null ? '' : `${resource.namespace}/`;
        return `${resource.kind} ${namespace}${resource.name}${through}`;
      }),
    ),
  ];
  const named =
    labels.slice(0, NAMED).join(', ') + (labels.length > NAMED ? ` and ${labels.length - NAMED} more` : '');
  const one = labels.length === 1;
  return (
    `The same source also renders ${named}, which ${one ? 'is' : 'are'} not judged an API client: the line keeps ` +
    `the token of every workload it renders, so switching ${one ? 'its' : 'their'} token off takes a template or ` +
    `value of ${one ? 'its' : 'their'} own.`
  );
}
