import { minimatch } from 'minimatch';
import type { Finding } from './types.js';

export const IGNORE_ANNOTATION = 'kube-token-guard.io/ignore';

export interface IgnoreEntry {
  /** Rule ids, or `all`. */
  rules: string[];
  reason: string;
}

export interface ParsedIgnore {
  entries: IgnoreEntry[];
  problems: string[];
}

/**
 * Reads `kube-token-guard.io/ignore: "<rule>[,<rule>]: <reason>"` (`all` covers every rule). Everything after the
 * first colon is the reason, whatever it holds. A suppression without a reason, or naming an unknown rule, is a
 * problem and does not take effect for what it gets wrong.
 */
export function parseIgnoreAnnotation(value: string, knownRules: ReadonlySet<string>): ParsedIgnore {
  const result: ParsedIgnore = { entries: [], problems: [] };
  const text = value.trim();
  const colon = text.indexOf(':');
  const rulesText = colon === -1 ? text : text.slice(0, colon);
  const reason = colon === -1 ? '' : text.slice(colon + 1).trim();
  const rules = rulesText
    .split(',')
    .map((rule) => rule.trim())
    .filter((rule) => rule !== '');
  if (rules.length === 0) {
    result.problems.push('it names no rule (write `<rule>[,<rule>]: <reason>`)');
    return result;
  }
  const unknown = rules.filter((rule) => rule !== 'all' && !knownRules.has(rule));
  if (unknown.length > 0) {
    result.problems.push(
      `\`${unknown.join('`, `')}\` ${unknown.length === 1 ? 'is not a rule id' : 'are not rule ids'}`,
    );
  }
  if (reason === '') {
    result.problems.push(`it gives no reason (write \`${rules.join(',')}: <reason>\`)`);
    return result;
  }
  const known = rules.filter((rule) => rule === 'all' || knownRules.has(rule));
  if (known.length > 0) result.entries.push({ rules: known, reason });
  return result;
}

export function ignoreCovers(entries: readonly IgnoreEntry[], ruleId: string): IgnoreEntry | undefined {
  return entries.find((entry) => entry.rules.includes(ruleId) || entry.rules.includes('all'));
}

export interface Exemption {
  rules: string[] | null;
  kinds: string[] | null;
  namespaces: string[] | null;
  names: string[] | null;
  paths: string[] | null;
  reason: string;
}

function matchesAny(value: string | null, globs: string[] | null): boolean {
  if (!globs) return true;
  return globs.some((glob) => minimatch(value ?? '', glob, { dot: true }));
}

/** The first config exemption covering a finding: every filter given must match, globs for all but rule ids. */
export function exemptionFor(finding: Finding, exemptions: readonly Exemption[]): Exemption | undefined {
  return exemptions.find(
    (exemption) =>
      (!exemption.rules || exemption.rules.includes(finding.ruleId)) &&
      matchesAny(finding.resource.kind, exemption.kinds) &&
      matchesAny(finding.resource.namespace, exemption.namespaces) &&
      matchesAny(finding.resource.name, exemption.names) &&
      matchesAny(finding.file, exemption.paths),
  );
}
