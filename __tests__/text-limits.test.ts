import { describe, expect, it } from 'vitest';
import { commentBody } from '../src/api/create-review.js';
import { TRUNCATED_NOTE, fitBytes, fitChars } from '../src/core/text-limits.js';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('fitBytes', () => {
  it('leaves a text within the limit as it is', () => {
    expect(fitBytes('é'.repeat(10), 20)).toBe('é'.repeat(10));
  });

  it('cuts by UTF-8 bytes, the note included: 65,535 characters of two bytes each', () => {
    const text = 'é'.repeat(65535);
    const cut = fitBytes(text, 65535);
    expect(bytes(cut)).toBeLessThanOrEqual(65535);
    expect(bytes(cut)).toBeGreaterThan(65535 - 2 - bytes(TRUNCATED_NOTE));
    expect(cut.endsWith(TRUNCATED_NOTE)).toBe(true);
    expect(text.startsWith(cut.slice(0, -TRUNCATED_NOTE.length))).toBe(true);
  });

  it('never cuts through a surrogate pair, whatever the limit', () => {
    const text = 'a' + '🔑'.repeat(200);
    for (let limit = 70; limit < 140; limit++) {
      const cut = fitBytes(text, limit, '…');
      expect(cut, `limit ${limit}`).not.toMatch(/\p{Cs}/u);
      expect(bytes(cut), `limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(bytes(cut), `limit ${limit}`).toBeGreaterThan(limit - 4 - 3);
    }
  });

  it('leaves the note out when it alone is over the limit', () => {
    expect(fitBytes('x'.repeat(100), 10, '… a long note')).toBe('');
  });
});

describe('fitChars', () => {
  it('cuts to UTF-16 units on a code point boundary', () => {
    const cut = fitChars('🔑'.repeat(100), 50, '…');
    expect(cut).toBe('🔑'.repeat(24) + '…');
  });
});

describe('commentBody', () => {
  it('escapes bidirectional controls before it measures, and keeps a long comment within 65,536 characters', () => {
    const marker = '<!-- kube-token-guard:fingerprints=abc -->';
    // Each control becomes a six-character escape: 20,000 of them grow past the limit only once escaped.
    const body = ['````suggestion', '\u202e'.repeat(20_000), '````', marker].join('\n');
    const sent = commentBody(body);
    expect(sent.length).toBeLessThanOrEqual(65536);
    expect(sent).not.toContain('\u202e');
    // A cut suggestion is not offered; the marker later runs read stays.
    expect(sent).not.toContain('suggestion');
    expect(sent.endsWith(`\n${marker}`)).toBe(true);
    expect(sent).toContain('… (truncated)');
  });

  it('sends a comment within the limit as it is, suggestion and all', () => {
    expect(commentBody('````suggestion\nx\n````')).toBe('````suggestion\nx\n````');
  });
});

describe('a cut Markdown text', () => {
  it('ends at a line end, so no code span of the lines kept is left open', () => {
    const line = (index: number) =>
      `- \`deploy/${index}<img src=https://evil.example/t.png>.yaml:1\`: a finding`;
    const text = Array.from({ length: 2000 }, (_, index) => line(index)).join('\n');
    for (const cut of [
      fitBytes(text, 65535),
      fitChars(text, 65535),
      fitBytes(text, 1000),
      fitChars(text, 999),
    ]) {
      const kept = cut.slice(0, cut.indexOf(TRUNCATED_NOTE));
      expect(kept.length).toBeGreaterThan(0);
      for (const keptLine of kept.split('\n')) expect(keptLine.split('`').length % 2).toBe(1);
      expect(text.startsWith(kept)).toBe(true);
      expect(text.charAt(kept.length)).toBe('\n');
    }
  });

  it('cuts a single line where it must', () => {
    expect(fitBytes('x'.repeat(500), 200).startsWith('x'.repeat(100))).toBe(true);
  });
});
