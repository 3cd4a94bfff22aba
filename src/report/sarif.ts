import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import type { Finding, ScanError, Severity } from '../core/types.js';
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

/** A SARIF 2.1.0 log of one run; file URIs are relative to the repository root (`%SRCROOT%`). */
export function toSarif(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  rules: readonly RuleMeta[],
): Sarif.Log {
  const ruleIndex = ruleIndexOf(rules);
  return sarifLog(
    errors,
    rules,
    findings.map((finding) => sarifResult(finding, ruleIndex)),
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
  return jsonPieces(sarifLog(errors, rules, []), 'results', findings, (finding) =>
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
            artifactLocation: { uri: artifactUri(finding.file), uriBaseId: '%SRCROOT%' },
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

/** The log around its results. */
function sarifLog(
  errors: readonly ScanError[],
  rules: readonly RuleMeta[],
  results: Sarif.Result[],
): Sarif.Log {
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
            toolExecutionNotifications: errors.map((error) => ({
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
            })),
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
