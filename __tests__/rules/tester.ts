/**
 * A small RuleTester in the spirit of ESLint's: a rule gets a `valid` table (it must not fire) and an `invalid` table
 * (it fires, with the expected count, severity, line, message parts, fix and resource).
 */
import { describe, expect, it } from 'vitest';
import { applyFixes } from '../../src/core/apply.js';
import type { ScanResult } from '../../src/core/scan.js';
import type { Finding, ResourceRef, Severity, SourceFile } from '../../src/core/types.js';
import { findingsOf, scan } from '../helpers.js';

export type Files = string | Record<string, string> | SourceFile[];

export interface ValidCase {
  name: string;
  files: Files;
  config?: string;
}

export interface ExpectedFinding {
  severity?: Severity;
  line?: number;
  endLine?: number;
  file?: string;
  /** Substrings the message must contain. */
  message?: string | string[];
  /** Substrings the message must not contain. */
  notMessage?: string | string[];
  resource?: Partial<ResourceRef>;
  /** `null`: no fix; `true`: a fix; an object: the fix's line form, compared exactly. */
  fix?: null | true | { startLine: number; endLine: number; replacement: string };
}

export interface InvalidCase extends ValidCase, ExpectedFinding {
  /** Number of findings of the rule; defaults to `findings.length`, else 1. */
  count?: number;
  /** Expectations per finding, in the engine's order (file, then line). */
  findings?: ExpectedFinding[];
  /** After applying every fix of the rule and scanning again, the rule no longer fires. */
  fixedCleanly?: boolean;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export function run(testCase: ValidCase): ScanResult {
  const result = scan(testCase.files, testCase.config);
  // A table case that does not load would make "does not fire" pass for the wrong reason.
  expect(result.errors).toEqual([]);
  expect(result.notices).toEqual([]);
  expect(result.stats.resources).toBeGreaterThan(0);
  return result;
}

export function checkFinding(finding: Finding, expected: ExpectedFinding): void {
  if (expected.severity !== undefined) expect(finding.severity, 'severity').toBe(expected.severity);
  if (expected.line !== undefined) expect(finding.line, 'line').toBe(expected.line);
  if (expected.endLine !== undefined) expect(finding.endLine, 'endLine').toBe(expected.endLine);
  if (expected.file !== undefined) expect(finding.file, 'file').toBe(expected.file);
  for (const part of list(expected.message)) expect(finding.message).toContain(part);
  for (const part of list(expected.notMessage)) expect(finding.message).not.toContain(part);
  if (expected.resource !== undefined) expect(finding.resource).toMatchObject(expected.resource);
  if (expected.fix === null) expect(finding.fix, 'fix').toBeNull();
  else if (expected.fix === true) expect(finding.fix, 'fix').not.toBeNull();
  else if (expected.fix !== undefined) {
    expect(finding.fix, 'fix').not.toBeNull();
    expect({
      startLine: finding.fix!.startLine,
      endLine: finding.fix!.endLine,
      replacement: finding.fix!.replacement,
    }).toEqual(expected.fix);
  }
}

/** Applies the rule's fixes to every file and returns the files after the change. */
export function applyRuleFixes(files: Files, result: ScanResult, ruleId: string): Record<string, string> {
  const map: Record<string, string> =
    typeof files === 'string'
      ? { 'manifest.yaml': files }
      : Array.isArray(files)
        ? Object.fromEntries(files.map((file) => [file.path, file.text]))
        : { ...files };
  for (const path of Object.keys(map)) {
    const fixes = findingsOf(result, ruleId)
      .filter((finding) => finding.file === path && finding.fix)
      .map((finding) => finding.fix!);
    if (fixes.length > 0) map[path] = applyFixes(map[path]!, fixes).text;
  }
  return map;
}

export function ruleTester(ruleId: string, tables: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    if (tables.valid.length > 0) {
      describe('valid', () => {
        it.each(tables.valid)('$name', (testCase) => {
          expect(findingsOf(run(testCase), ruleId)).toEqual([]);
        });
      });
    }
    if (tables.invalid.length > 0) {
      describe('invalid', () => {
        it.each(tables.invalid)('$name', (testCase) => {
          const result = run(testCase);
          const findings = findingsOf(result, ruleId);
          const count = testCase.count ?? testCase.findings?.length ?? 1;
          expect(
            findings.map((finding) => `${finding.line}: ${finding.message}`),
            'findings',
          ).toHaveLength(count);
          for (const finding of findings) checkFinding(finding, testCase);
          testCase.findings?.forEach((expected, index) => checkFinding(findings[index]!, expected));
          if (testCase.fixedCleanly) {
            const fixed = applyRuleFixes(testCase.files, result, ruleId);
            const again = scan(fixed, testCase.config);
            expect(again.errors).toEqual([]);
            expect(findingsOf(again, ruleId)).toEqual([]);
          }
        });
      });
    }
  });
}
