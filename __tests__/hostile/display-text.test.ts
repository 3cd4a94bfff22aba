/**
 * The escaping behind issue 14, item 5's terminal and bidi defences (src/core/display-text.ts), for any text: what
 * it returns holds no character that acts on a display, and what JSON output gets is the same value once parsed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  jsonDisplayText,
  terminalLines,
  terminalText,
  withoutBidiControls,
  withoutControls,
} from '../../src/core/display-text.js';

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const ACTING = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** Text rich in what matters here: controls, C1, separators, bidi controls, backslashes, and anything else. */
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u001b',
      '[',
      '2K',
      '\r',
      '\n',
      '\t',
      '\u009b',
      '\u0085',
      '\u2028',
      '\u202e',
      '\u2066',
      '\\',
    ),
    fc.constantFrom('\u061c', '\u200e', '\u200f', '\u202a', '\u2069', '\u007f', '\u0000'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  ),
  maxLength: 30,
});

describe('display text', () => {
  it('terminalText leaves nothing that acts on a terminal, and shows each character as an escape', () => {
    expect(terminalText('a\u001b[2K\r✔\u202e')).toBe('a\\u001b[2K\\u000d✔\\u202e');
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(terminalText(text)).not.toMatch(ACTING);
      }),
      {
        seed: 5,
        numRuns: 500,
      },
    );
  });

  it('terminalLines keeps line feeds, each following line indented, and nothing else that acts', () => {
    expect(terminalLines('first\r\nsecond\u001b[1A\nthird', '    ')).toBe(
      'first\n    second\\u001b[1A\n    third',
    );
    fc.assert(
      fc.property(hostileText, (text) => {
        const lines = terminalLines(text, '  ').split('\n');
        expect(lines.join('')).not.toMatch(ACTING);
        expect(lines.slice(1).every((line) => line.startsWith('  '))).toBe(true);
      }),
      { seed: 6, numRuns: 500 },
    );
  });

  it('jsonDisplayText keeps the value: the same string once parsed, with nothing that acts left raw', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const json = jsonDisplayText(JSON.stringify({ text }));
        expect(json).not.toMatch(ACTING);
        expect((JSON.parse(json) as { text: string }).text).toBe(text);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('the Markdown forms escape bidi controls (and, for inline text, other controls but the tab)', () => {
    expect(withoutBidiControls('a\u202eb\u001bc')).toBe('a\\u202eb\u001bc');
    expect(withoutControls('a\u202eb\u001bc\td')).toBe('a\\u202eb\\u001bc\td');
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(withoutBidiControls(text)).not.toMatch(BIDI);
        expect(withoutControls(text).replace(/\t/g, '')).not.toMatch(ACTING);
      }),
      { seed: 8, numRuns: 500 },
    );
  });
});
