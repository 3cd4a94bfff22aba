import { afterEach, describe, expect, it, vi } from 'vitest';
import { FINDINGS_PER_LEVEL, annotate } from '../src/action/annotations.js';
import type { Finding } from '../src/core/types.js';
import { insecureWorker } from './e2e/manifests.js';
import { scan } from './helpers.js';

/** What `annotate` writes to the log (workflow commands and plain lines). */
function logOf(run: () => void): string[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe('annotate: workflow annotations within what GitHub shows of a step', () => {
  // 30 Deployments: 30 automount-token (high) and 30 default-service-account (medium) findings.
  const findings = scan({
    'deploy/workers.yaml': Array.from({ length: 30 }, (_, index) => insecureWorker(`w${index}`)).join(
      '---\n',
    ),
  }).findings;
  const levelOf = (finding: Finding) => (finding.severity === 'high' ? 'failure' : 'warning');

  it('annotates at most 8 findings of each level, counts the rest in one notice, and logs every finding', () => {
    expect(findings).toHaveLength(60);
    const log = logOf(() => annotate({ findings, levelOf }));
    expect(log.filter((line) => line.startsWith('::error '))).toHaveLength(FINDINGS_PER_LEVEL);
    expect(log.filter((line) => line.startsWith('::warning '))).toHaveLength(FINDINGS_PER_LEVEL);
    const notices = log.filter((line) => line.startsWith('::notice'));
    expect(notices).toEqual([expect.stringContaining('44 more findings not annotated')]);
    // Every finding is a plain line of the log.
    const plain = log.filter((line) => line.startsWith('  failure ') || line.startsWith('  warning '));
    expect(plain).toHaveLength(60);
    for (const finding of findings) {
      expect(plain.some((line) => line.includes(`:${finding.line} ${finding.ruleId} `))).toBe(true);
    }
    expect(log.some((line) => line.startsWith('::') && !/^::(?:error|warning|notice)\b/.test(line))).toBe(
      false,
    );
  });

  it('leaves room for the annotations the step made before (notes, files that could not be checked)', () => {
    const log = logOf(() => annotate({ findings, levelOf }, { failure: 5, warning: 10 }));
    // 10 errors shown: 5 before, 4 findings, and the step's failure message after.
    expect(log.filter((line) => line.startsWith('::error '))).toHaveLength(4);
    expect(log.filter((line) => line.startsWith('::warning '))).toHaveLength(0);
    expect(log.filter((line) => line.startsWith('::notice'))).toEqual([
      expect.stringContaining('56 more findings not annotated'),
    ]);
  });

  it('annotates new findings before existing ones of the same level', () => {
    const high = findings.filter((finding) => finding.severity === 'high');
    const fresh = new Set(high.slice(20));
    const log = logOf(() => annotate({ findings: high, levelOf, isNew: (finding) => fresh.has(finding) }));
    const annotated = log.filter((line) => line.startsWith('::error '));
    const lines = [...fresh].map((finding) => `line=${finding.line},`);
    for (const line of annotated) expect(lines.some((expected) => line.includes(expected))).toBe(true);
  });

  it('says nothing more when every finding fits', () => {
    const log = logOf(() => annotate({ findings: findings.slice(0, 4), levelOf }));
    expect(log.filter((line) => line.startsWith('::notice'))).toEqual([]);
  });
});
