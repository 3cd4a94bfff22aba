import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { type Finding, type ScanError, type Severity, severityRank } from '../core/types.js';
import type { RuleMeta } from '../rules/types.js';
import { jsonPieces } from './json-pieces.js';
import { RULE_DOCS_URL, PROJECT_URL, TOOL_NAME, TOOL_VERSION } from '../version.js';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub code scanning reads `security-severity` (0-10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function fingerprint(finding: Finding): string {
  return createHash('sha256').update(finding.identity).digest('hex').slice(0, 32);
}

function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  const helpUri = `${RULE_DOCS_URL}/${meta.id}.md`;
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.description },
    help: {
      text: `${meta.rationale}\n\n${meta.remediation}\n\nDocumentation: ${helpUri}`,
      markdown: `${meta.rationale}\n\n**How to fix.** ${meta.remediation}\n\n[Documentation](${helpUri})`,
    },
    helpUri,
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[meta.severity],
      precision: 'high',
      tags: ['security', 'kubernetes', 'serviceaccount'],
    },
  };
}

/** GitHub code scanning refuses a run of more results than this. */
export const MAX_SARIF_RESULTS = 25_000;

/**
 * The findings a run reports, at most `MAX_SARIF_RESULTS`: when there are more, the open ones and the most severe, in
 * their order, and how many were left out.
 */
function reported(findings: readonly Finding[]): { kept: readonly Finding[]; left: number } {
  if (findings.length <= MAX_SARIF_RESULTS) return { kept: findings, left: 0 };
  const rank = (finding: Finding) => (finding.suppressed ? 0 : 10) + severityRank(finding.severity);
  const chosen = new Set(
    findings
      .map((finding, order) => ({ finding, order }))
      .sort((a, b) => rank(b.finding) - rank(a.finding) || a.order - b.order)
      .slice(0, MAX_SARIF_RESULTS)
      .map(({ finding }) => finding),
  );
  return {
    kept: findings.filter((finding) => chosen.has(finding)),
    left: findings.length - MAX_SARIF_RESULTS,
  };
}

/** A SARIF 2.1.0 log of one run; file URIs are relative to the repository root (`%SRCROOT%`). */
export function toSarif(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  rules: readonly RuleMeta[],
): Sarif.Log {
  const ruleIndex = ruleIndexOf(rules);
  const { kept, left } = reported(findings);
  return sarifLog(
    errors,
    rules,
    kept.map((finding) => sarifResult(finding, ruleIndex)),
    left,
  );
}

/**
 * `JSON.stringify(toSarif(...), null, 2)` in pieces, a result at a time (see `json-pieces.ts`): the text of the log
 * with no results, its empty list of results standing for them.
 */
export function sarifPieces(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  rules: readonly RuleMeta[],
): Generator<string> {
  const ruleIndex = ruleIndexOf(rules);
  const { kept, left } = reported(findings);
  return jsonPieces(sarifLog(errors, rules, [], left), 'results', kept, (finding) =>
    sarifResult(finding, ruleIndex),
  );
}

function ruleIndexOf(rules: readonly RuleMeta[]): Map<string, number> {
  return new Map(rules.map((meta, index) => [meta.id, index]));
}

function sarifResult(finding: Finding, ruleIndex: ReadonlyMap<string, number>): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(finding.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: finding.line, endLine: finding.endLine },
        },
      },
    ],
    partialFingerprints: { 'kubeTokenGuardIdentity/v1': fingerprint(finding) },
    properties: {
      'security-severity': SECURITY_SEVERITY[finding.severity],
      severity: finding.severity,
      resource: finding.resource,
    },
  };
  const index = ruleIndex.get(finding.ruleId);
  if (index !== undefined) result.ruleIndex = index;
  if (finding.suppressed && finding.suppression) {
    result.suppressions = [
      {
        kind: finding.suppression.kind === 'annotation' ? 'inSource' : 'external',
        justification: finding.suppression.reason,
      },
    ];
  }
  if (finding.fix) {
    result.fixes = [
      {
        description: { text: 'Apply the suggested change' },
        artifactChanges: [
          {
            // A fix may edit another file than its finding's (a chart's values file): its edits are offsets there.
            artifactLocation: { uri: artifactUri(finding.fix.file ?? finding.file), uriBaseId: '%SRCROOT%' },
            replacements: finding.fix.edits.map((edit) => ({
              deletedRegion: { charOffset: edit.start, charLength: edit.end - edit.start },
              insertedContent: { text: edit.text },
            })),
          },
        ],
      },
    ];
  }
  return result;
}

/** The log around its results; `left` results were left out. */
function sarifLog(
  errors: readonly ScanError[],
  rules: readonly RuleMeta[],
  results: Sarif.Result[],
  left: number,
): Sarif.Log {
  const notifications: Sarif.Notification[] = errors.map((error) => ({
    level: 'error',
    message: { text: error.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(error.file), uriBaseId: '%SRCROOT%' },
          ...(error.line ? { region: { startLine: error.line } } : {}),
        },
      },
    ],
  }));
  if (left > 0) {
    notifications.push({
      level: 'warning',
      message: {
        text:
          `${left} more finding${left === 1 ? ' is' : 's are'} not in this log: GitHub code scanning takes at most ` +
          `${MAX_SARIF_RESULTS} results per run, and the most severe are kept. The text and JSON reports list every finding.`,
      },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: PROJECT_URL,
            rules: rules.map(ruleDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** Bytes a path segment keeps as they are: RFC 3986 unreserved characters, sub-delimiters and `@`. */
const SEGMENT_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=@]/;

/**
 * A repository path as a relative URI reference (RFC 3986 section 4.2): each segment percent-encoded as UTF-8 bytes
 * but for the characters a segment may hold. `encodeURI` kept `#` and `?`, so `a pi#1.yaml` named `a pi` with a
 * fragment; `:` is encoded too, since in a first segment it would read as a scheme. Lone surrogates become U+FFFD
 * instead of throwing.
 */
export function artifactUri(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      [...Buffer.from(segment, 'utf8')]
        .map((byte) => {
          const char = String.fromCharCode(byte);
          return byte < 0x80 && SEGMENT_SAFE.test(char)
            ? char
            : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
        })
        .join(''),
    )
    .join('/');
}
