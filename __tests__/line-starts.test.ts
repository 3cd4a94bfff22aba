/**
 * The line index of loaded files (src/core/line-starts.ts) against the `yaml` package's LineCounter, which it
 * replaced: the same line and column for every offset of any text.
 */
import fc from 'fast-check';
import { LineCounter } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LineStarts } from '../src/core/line-starts.js';

/** A LineCounter of a text's lines, as the loader built one. */
function lineCounterOf(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines.addNewLine(at + 1);
  return lines;
}

/** Every offset of the text, two before its start and two past its end. */
function offsetsOf(text: string): number[] {
  return Array.from({ length: text.length + 5 }, (_, index) => index - 2);
}

describe('LineStarts', () => {
  it('places every offset where LineCounter does, in any text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'key: value', ' ', '\n', '\r\n', '\r', '\n\n', 'é', '😀', '\u2028'), {
          maxLength: 40,
        }),
        (parts) => {
          const text = parts.join('');
          const starts = new LineStarts(text);
          const counter = lineCounterOf(text);
          for (const offset of offsetsOf(text))
            expect(starts.linePos(offset)).toEqual(counter.linePos(offset));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('indexes texts of more lines than its shared scratch holds, and a short text after a long one', () => {
    const long = Array.from({ length: 40_000 }, (_, index) => `line ${index}`).join('\n');
    const short = 'a\nb\n';
    for (const text of [long, short, long.slice(0, 1000)]) {
      const starts = new LineStarts(text);
      const counter = lineCounterOf(text);
      for (const offset of [0, 1, 7, text.length >> 1, text.length - 1, text.length, text.length + 3]) {
        expect(starts.linePos(offset), `${text.length}: ${offset}`).toEqual(counter.linePos(offset));
      }
    }
    expect(new LineStarts(long).linePos(long.length).line).toBe(40_000);
    expect(new LineStarts(short).linePos(short.length)).toEqual({ line: 3, col: 1 });
  });

  it('at, before and after line breaks, at the end, in an empty text and with CRLF', () => {
    const cases: Array<[string, number, { line: number; col: number }]> = [
      ['', 0, { line: 1, col: 1 }],
      ['', 3, { line: 1, col: 4 }],
      ['', -1, { line: 0, col: -1 }],
      ['a\nb', 1, { line: 1, col: 2 }],
      ['a\nb', 2, { line: 2, col: 1 }],
      ['a\nb', 3, { line: 2, col: 2 }],
      ['a\n', 2, { line: 2, col: 1 }],
      ['a\r\nb', 1, { line: 1, col: 2 }],
      ['a\r\nb', 2, { line: 1, col: 3 }],
      ['a\r\nb', 3, { line: 2, col: 1 }],
      ['\n\n\n', 2, { line: 3, col: 1 }],
      ['a\rb', 2, { line: 1, col: 3 }],
    ];
    for (const [text, offset, position] of cases) {
      expect(new LineStarts(text).linePos(offset), JSON.stringify([text, offset])).toEqual(position);
      expect(lineCounterOf(text).linePos(offset)).toEqual(position);
    }
  });

  it('for a long text', () => {
    const text = Array.from({ length: 50_000 }, (_, index) => 'x'.repeat(index % 7)).join('\n');
    const starts = new LineStarts(text);
    const counter = lineCounterOf(text);
    for (let offset = 0; offset <= text.length; offset += 13)
      expect(starts.linePos(offset)).toEqual(counter.linePos(offset));
  });
});
