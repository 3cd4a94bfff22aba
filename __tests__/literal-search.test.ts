/**
 * The multi-literal search under the secret filter (src/core/literal-search.ts), against the obvious reference: at each
 * position, every literal tried with `startsWith`. Its filters (how far a window may move, a hash of the window) may
 * only ever let a position through; the cases here are those that would catch one turning a position away: literals
 * sharing long prefixes, literals of exactly the window's length, matches at the ends of the text, overlapping and
 * nested matches, units that share a table index, and surrogate pairs, cut or whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteralSearch } from '../src/core/literal-search.js';

/** At each position, the longest literal the text holds there, as `LiteralSearch.longestAt` reports it. */
function reference(literals: readonly string[], text: string): [number, number][] {
  const found: [number, number][] = [];
  for (let start = 0; start < text.length; start++) {
    let longest = 0;
    for (const literal of literals) {
      if (literal.length > longest && text.startsWith(literal, start)) longest = literal.length;
    }
    if (longest > 0) found.push([start, start + longest]);
  }
  return found;
}

function expectReference(literals: readonly string[], text: string, window = 8): void {
  expect(new LiteralSearch(literals, window).longestAt(text)).toEqual(reference(literals, text));
}

describe('LiteralSearch', () => {
  it('finds literals of exactly the window and longer, at the start, in the middle and at the end', () => {
    const literals = ['12345678', 'abcdefghijklmnop', 'wxyz0123'];
    expectReference(literals, '12345678');
    expectReference(literals, '12345678 abcdefghijklmnop wxyz0123');
    expectReference(literals, 'abcdefghijklmnop12345678wxyz0123');
    expectReference(literals, 'abcdefghijklmno 1234567 wxyz012');
    expect(new LiteralSearch(literals, 8).longestAt('x abcdefghijklmnop')).toEqual([[2, 18]]);
    expect(new LiteralSearch(literals, 8).longestAt('1234567')).toEqual([]);
    expect(new LiteralSearch([], 8).longestAt('12345678')).toEqual([]);
  });

  it('takes the longest of literals sharing a start, and reports overlapping and nested ones at their own starts', () => {
    const literals = ['password-one', 'password-one-two', 'one-two-three', 'two-three-four', 'e-two-th'];
    const text = 'a password-one-two-three-four b';
    expectReference(literals, text);
    expect(new LiteralSearch(literals, 8).longestAt(text)).toEqual([
      [2, 18],
      [11, 24],
      [13, 21],
      [15, 29],
    ]);
    // A text of one repeated unit: a match at every position.
    expectReference(['aaaaaaaa', 'aaaaaaaaaaaa'], 'a'.repeat(30));
  });

  it('walks thousands of literals sharing long prefixes, as a value and its base64 forms do', () => {
    const values = Array.from({ length: 3000 }, (_, index) => `not-a-secret-${index}`);
    const literals = values.flatMap((value) => [value, Buffer.from(value).toString('base64')]);
    const search = new LiteralSearch(literals, 8);
    const text = `x ${values[2999]} ${literals[4001]} not-a-secret- not-a-secret-30000 bm90LWEtc2VjcmV0 y`;
    expect(search.longestAt(text)).toEqual(reference(literals, text));
    // `not-a-secret-2999`, a base64 form, and `not-a-secret-300` inside `not-a-secret-30000`.
    expect(search.longestAt(text).length).toBe(3);
  });

  it('compares UTF-16 code units: non-ASCII literals, surrogate pairs whole or cut, units sharing a table index', () => {
    // U+00E1 and `a` (and U+4061) share an index in the table of pairs: a move must suit both.
    const literals = [
      'pässwörd-ü',
      '秘密の値-ひみつ',
      'key-😀😀-end',
      '\udc00tail-of-a-pair',
      'áááááááá',
      '䁡aaaaaaa',
    ];
    expectReference(literals, 'x pässwörd-ü 秘密の値-ひみつ! key-😀😀-end');
    expectReference(literals, '\ud83d\udc00tail-of-a-pair and aaaaaaaa, áaaaaaaaa, äáááááááá, 䁡aaaaaaa');
    expectReference(literals, 'key-😀😀-en', 8);
  });

  it('agrees with the reference on random literals and texts', () => {
    // Few distinct units, so that literals share prefixes and overlap, and texts hold near misses.
    const unit = fc.constantFrom('a', 'b', '-', 'á', '䁡', '\ud83d', '\ude00', '\\', '\n');
    const word = (min: number, max: number) =>
      fc.array(unit, { minLength: min, maxLength: max }).map((units) => units.join(''));
    // Literals of one family (a shared stem) or of none, at least a window long.
    const literal = (window: number) =>
      fc
        .tuple(fc.oneof(fc.constant('ab-á'.repeat(4)), word(window, window)), fc.nat(3), word(0, 12))
        .map(([stem, from, tail]) => stem.slice(from % (stem.length - window + 1), window + from) + tail);
    const setting = fc
      .integer({ min: 2, max: 10 })
      .chain((window) =>
        fc.tuple(fc.constant(window), fc.array(literal(window), { minLength: 1, maxLength: 30 })),
      )
      .chain(([window, literals]) => {
        // A text is literals (whole or cut short) and random units, in any order.
        const piece = fc.oneof(
          fc.constantFrom(...literals),
          fc
            .constantFrom(...literals)
            .chain((whole) => fc.nat(whole.length).map((cut) => whole.slice(0, cut))),
          word(0, 6),
        );
        const text = fc.array(piece, { maxLength: 20 }).map((pieces) => pieces.join(''));
        return fc.record({ window: fc.constant(window), literals: fc.constant(literals), text });
      });
    fc.assert(
      fc.property(setting, ({ window, literals, text }) => {
        expect(new LiteralSearch(literals, window).longestAt(text)).toEqual(reference(literals, text));
      }),
      { seed: 0x6b7467, numRuns: 400 },
    );
  });

  it('refuses a literal shorter than the window', () => {
    expect(() => new LiteralSearch(['1234567'], 8)).toThrow(RangeError);
  });
});
