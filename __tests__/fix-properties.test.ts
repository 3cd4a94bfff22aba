/**
 * Properties every fix must have, over a corpus of formatting styles and the real manifests of
 * `fixtures/corpus` (sources and licence in its SOURCES.md): the result parses, the finding is gone, no other finding appears or (for fixes inside one
 * workload) goes away, the parsed documents differ only in the intended field, and the line form used by review
 * suggestions is the same change as the edits. Then the whole autofix of each file is compared with its golden copy.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { applyFixes } from '../src/core/apply.js';
import { autofix } from '../src/core/autofix.js';
import { scanFiles } from '../src/core/scan.js';
import type { Finding, Fix } from '../src/core/types.js';

const ROOT = join(import.meta.dirname, '..');
const STYLES = join(ROOT, '__tests__/fixtures/fix-styles');
const GOLDEN = join(ROOT, '__tests__/fixtures/fix-styles.fixed');
const CORPUS = join(ROOT, '__tests__/fixtures/corpus');

/** The keys a fix of each rule may add, change or remove. */
const INTENDED_KEYS: Record<string, string[]> = {
  'automount-token': ['automountServiceAccountToken'],
  'default-sa-automount': ['automountServiceAccountToken'],
  'workload-identity-automount': ['automountServiceAccountToken'],
  'projected-token-expiration': ['expirationSeconds'],
  'deprecated-service-account-field': ['serviceAccount', 'serviceAccountName'],
};
/** Fixes that change only their own workload: every other finding must stay exactly as it was. */
const LOCAL_FIXES = new Set([
  'automount-token',
  'deprecated-service-account-field',
  'projected-token-expiration',
]);

export function applyLineForm(text: string, fix: Fix): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(newline);
  const replacement = fix.replacement === '' ? [] : fix.replacement.split('\n');
  lines.splice(fix.startLine - 1, fix.endLine - fix.startLine + 1, ...replacement);
  return lines.join(newline);
}

function documents(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((doc) => doc.toJS({ maxAliasCount: 1000 }));
}

/** Paths at which two plain values differ: a key present on one side only, or differing leaves. */
function differences(a: unknown, b: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) =>
      differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], [...path, key]),
    );
  }
  return Object.is(a, b) ? [] : [path];
}

function identities(findings: readonly Finding[]): string[] {
  return findings.map((finding) => finding.identity).sort();
}

function checkEveryFix(path: string, text: string): number {
  const config = defaultConfig();
  const before = scanFiles([{ path, text }], config);
  expect(before.errors).toEqual([]);
  const docsBefore = documents(text);
  const fixable = before.findings.filter((finding) => finding.fix && !finding.suppressed);
  for (const finding of fixable) {
    const context = `${path}: ${finding.ruleId} at line ${finding.line}`;
    const fixed = applyFixes(text, [finding.fix!]).text;
    expect(applyLineForm(text, finding.fix!), `${context}: line form`).toBe(fixed);

    const after = scanFiles([{ path, text: fixed }], config);
    expect(after.errors, `${context}: parses`).toEqual([]);
    const expected = identities(before.findings).filter((identity) => identity !== finding.identity);
    const remaining = identities(after.findings);
    expect(remaining, `${context}: finding gone`).not.toContain(finding.identity);
    if (LOCAL_FIXES.has(finding.ruleId)) expect(remaining, `${context}: others unchanged`).toEqual(expected);
    else for (const identity of remaining) expect(expected, `${context}: nothing new`).toContain(identity);

    const docsAfter = documents(fixed);
    if (finding.ruleId === 'namespace-default-sa') {
      expect(docsAfter.length, `${context}: one document added`).toBe(docsBefore.length + 1);
      // The new document sits right after the Namespace's; taking it out gives the original documents back.
      const added = docsAfter.findIndex(
        (doc, index) => !Object.is(differences(doc, docsBefore[index]).length, 0),
      );
      expect(docsAfter[added], `${context}: the new document`).toMatchObject({
        kind: 'ServiceAccount',
        metadata: { name: 'default' },
        automountServiceAccountToken: false,
      });
      expect(
        docsAfter.filter((_, index) => index !== added),
        `${context}: the others unchanged`,
      ).toEqual(docsBefore);
      continue;
    }
    const changed = differences(docsBefore, docsAfter);
    expect(changed.length, `${context}: changes`).toBeGreaterThan(0);
    expect(changed.length, `${context}: changes`).toBeLessThanOrEqual(2);
    for (const changedPath of changed) {
      expect(INTENDED_KEYS[finding.ruleId], `${context}: changed ${changedPath.join('.')}`).toContain(
        changedPath[changedPath.length - 1],
      );
    }
  }
  return fixable.length;
}

const styleFiles = existsSync(STYLES) ? readdirSync(STYLES).sort() : [];

describe('fix properties over formatting styles', () => {
  it('has a corpus of at least 40 styles', () => {
    expect(styleFiles.length).toBeGreaterThanOrEqual(40);
  });

  it.each(styleFiles)('%s', (name) => {
    const fixes = checkEveryFix(name, readFileSync(join(STYLES, name), 'utf8'));
    expect(fixes, 'the style has at least one fix').toBeGreaterThan(0);
  });
});

describe('autofix of each style equals its golden copy', () => {
  it.each(styleFiles)('%s', (name) => {
    const text = readFileSync(join(STYLES, name), 'utf8');
    const result = autofix([{ path: name, text }], defaultConfig());
    expect(result.reverted).toEqual([]);
    expect(result.result.errors).toEqual([]);
    expect(result.result.findings.filter((finding) => finding.fix)).toEqual([]);
    expect(result.files[0]!.text).toBe(readFileSync(join(GOLDEN, name), 'utf8'));
  });
});

const corpusFiles = readdirSync(CORPUS)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

describe('fix properties over the real manifests in fixtures/corpus', () => {
  it('has them', () => expect(corpusFiles).toEqual(['argo-cd-install.yaml', 'microservices-demo.yaml']));

  it.each(corpusFiles)('%s', (name) => {
    const fixes = checkEveryFix(name, readFileSync(join(CORPUS, name), 'utf8'));
    expect(fixes).toBeGreaterThan(0);
  });
});
