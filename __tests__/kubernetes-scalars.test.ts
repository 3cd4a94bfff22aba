/**
 * KUBERNETES_SCHEMA (js-yaml, the fast reader) and KUBERNETES_PARSE_OPTIONS (the `yaml` package, the full reader) read
 * plain scalars the way Kubernetes does (`sigs.k8s.io/yaml`'s go-yaml v2 rules, see kubernetes-scalars.ts). Any
 * disagreement between the two would let the readers see different manifests, so every case here reads the same text
 * with both and requires equal results (toStrictEqual: NaN equals NaN, -0 differs from 0). That the meanings are
 * Kubernetes' own is held by the Go oracle (kubernetes-oracle.test.ts) over the same tables.
 *
 * The disagreements left are outside the schema's reach (they come from the two readers' parsers, not from scalar
 * resolution) and are pinned down in the "known differences" blocks: a null key ("null" for js-yaml, "" for `yaml`),
 * collection keys, an explicit `? <<` merge key in a block mapping, `---` glued to the first key of a stream, an empty
 * item in a compact nested sequence, an empty text, and documents only one of the readers rejects. The loader keeps
 * such documents from the fast reader, and refuses the keys Kubernetes cannot take (kubernetes-reading.ts).
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  BOOLEANS,
  BOOLEAN_NEAR_MISSES,
  NULLS,
  NULL_NEAR_MISSES,
  SCALARS,
  AWKWARD,
  randomScalar,
  numberLike,
  timestampLike,
} from './scalar-table.js';
import { KUBERNETES_PARSE_OPTIONS, KUBERNETES_SCHEMA } from '../src/core/kubernetes-scalars.js';

/** Fixed so runs repeat; KTG_YAML11_SEED=<n> tries another seed, KTG_YAML11_RUNS=<factor> runs longer. */
const SEED = Number(process.env.KTG_YAML11_SEED ?? 0x79616d6c);
const RUNS_FACTOR = Number(process.env.KTG_YAML11_RUNS ?? 1);

function readFast(text: string): unknown {
  return load(text, { schema: KUBERNETES_SCHEMA });
}

/** The loader's full reading: parseAllDocuments with these options, then toJS with an alias limit. */
function readFull(text: string): unknown {
  const doc = parseDocument(text, { ...KUBERNETES_PARSE_OPTIONS, uniqueKeys: true, logLevel: 'error' });
  if (doc.errors.length > 0) throw doc.errors[0];
  return doc.toJS({ maxAliasCount: 1000 });
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function attempt(read: (text: string) => unknown, text: string): Outcome {
  try {
    return { ok: true, value: read(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Both readers must accept the text and agree; returns the (common) reading. */
function expectSameReading(text: string): unknown {
  const full = readFull(text);
  const fast = readFast(text);
  expect(fast, text).toStrictEqual(full);
  return fast;
}

function expectBothReject(text: string): void {
  expect(() => readFull(text), text).toThrow();
  expect(() => readFast(text), text).toThrow();
}

const CONTEXTS: ReadonlyArray<readonly [string, (scalar: string) => string]> = [
  ['block map value', (s) => `k: ${s}\n`],
  ['block map value, no final newline', (s) => `k: ${s}`],
  ['nested block map value', (s) => `a:\n  b:\n    k: ${s}\n`],
  ['block sequence item', (s) => `- ${s}\n`],
  ['value in a sequence of maps', (s) => `- k: ${s}\n  j: 1\n`],
  ['flow sequence item', (s) => `[${s}]\n`],
  ['flow sequence item among others', (s) => `k: [a, ${s}, b]\n`],
  ['flow map value', (s) => `{k: ${s}}\n`],
  ['document root', (s) => `${s}\n`],
  ['value with a comment', (s) => `k: ${s} # note\n`],
  ['value on the next line', (s) => `k:\n  ${s}\n`],
];

function readsAsString(scalar: string): void {
  const single = `'${scalar.replace(/'/g, "''")}'`;
  const double = JSON.stringify(scalar);
  for (const quoted of [single, double]) {
    expect(expectSameReading(`k: ${quoted}\n`)).toStrictEqual({ k: scalar });
    expect(expectSameReading(`- ${quoted}\n`)).toStrictEqual([scalar]);
    expect(expectSameReading(`{k: ${quoted}}\n`)).toStrictEqual({ k: scalar });
  }
}

describe('the comparison itself', () => {
  it('tells -0 from 0, matches NaN with NaN, and compares Dates by time', () => {
    expect(-0).not.toStrictEqual(0);
    expect({ k: NaN }).toStrictEqual({ k: NaN });
    expect(new Date(0)).toStrictEqual(new Date(0));
    expect(new Date(0)).not.toStrictEqual(new Date(1));
    expect('1').not.toStrictEqual(1);
  });

  it('keeps a scalar table large enough to mean something', () => {
    expect(SCALARS.length).toBeGreaterThan(450);
  });
});

describe('KUBERNETES_SCHEMA resolves plain scalars as the yaml package does under YAML 1.1', () => {
  it.each(SCALARS.map((scalar) => [JSON.stringify(scalar), scalar]))('%s', (_name, scalar) => {
    for (const [, write] of CONTEXTS) expectSameReading(write(scalar));
  });
});

describe('awkward table entries, wherever both readers accept them', () => {
  it.each(AWKWARD.map((scalar) => [JSON.stringify(scalar), scalar]))('%s', (_name, scalar) => {
    let accepted = 0;
    for (const [, write] of CONTEXTS) {
      const text = write(scalar);
      const full = attempt(readFull, text);
      const fast = attempt(readFast, text);
      if (full.ok && fast.ok) {
        accepted += 1;
        expect(fast.value, text).toStrictEqual(full.value);
      }
    }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('quoted scalars stay strings', () => {
  it.each(SCALARS.map((scalar) => [JSON.stringify(scalar), scalar]))('%s', (_name, scalar) =>
    readsAsString(scalar),
  );
});

describe('the meanings Kubernetes manifests depend on', () => {
  const value = (scalar: string): unknown => (expectSameReading(`k: ${scalar}\n`) as { k: unknown }).k;

  it('reads every YAML 1.1 boolean spelling as a boolean, and near misses as strings', () => {
    for (const scalar of BOOLEANS[0]) expect(value(scalar)).toBe(true);
    for (const scalar of BOOLEANS[1]) expect(value(scalar)).toBe(false);
    for (const scalar of BOOLEAN_NEAR_MISSES.filter((s) => !/^[01]$/.test(s)))
      expect(value(scalar)).toBe(scalar);
    expect(
      expectSameReading('spec:\n  automountServiceAccountToken: no\n  hostNetwork: off\n  hostPID: N\n'),
    ).toStrictEqual({ spec: { automountServiceAccountToken: false, hostNetwork: false, hostPID: false } });
  });

  it('reads null spellings and empty values as null', () => {
    for (const scalar of NULLS) expect(value(scalar)).toBeNull();
    for (const scalar of NULL_NEAR_MISSES) expect(value(scalar)).toBe(scalar);
    expect(expectSameReading('k:\n')).toStrictEqual({ k: null });
    expect(expectSameReading('k: \nj: 1\n')).toStrictEqual({ k: null, j: 1 });
    expect(expectSameReading('- \n-\n')).toStrictEqual([null, null]);
    expect(expectSameReading('{k: , j}\n')).toStrictEqual({ k: null, j: null });
    expect(expectSameReading('[k: ]\n')).toStrictEqual([{ k: null }]);
    expect(expectSameReading('k: # only a comment\n')).toStrictEqual({ k: null });
    expect(expectSameReading('~\n')).toBeNull();
  });

  it('reads integers as Go reads them: every base, signs, underscores anywhere after the first character', () => {
    expect(value('0777')).toBe(511);
    expect(value('0755')).toBe(493);
    expect(value('-0777')).toBe(-511);
    expect(value('0o17')).toBe(15);
    expect(value('0O17')).toBe(15);
    expect(value('0b101')).toBe(5);
    expect(value('-0b101')).toBe(-5);
    // A second try in base 2 after the prefix takes a sign there too.
    expect(value('0b-101')).toBe(-5);
    expect(value('0x1F')).toBe(31);
    expect(value('0X1F')).toBe(31);
    expect(value('+12')).toBe(12);
    expect(value('1_000')).toBe(1000);
    expect(value('1__0')).toBe(10);
    expect(value('0_')).toBe(0);
    expect(value('_1')).toBe('_1');
    expect(value('0x_')).toBe('0x_');
    expect(value('-0')).toBe(0);
    expect(value('-00')).toBe(0);
    expect(value('8080')).toBe(8080);
    expect(value('9223372036854775807')).toBe(2 ** 63);
    expect(value('18446744073709551615')).toBe(2 ** 64);
    expect(value('12345678901234567890')).toBe(12345678901234567000);
  });

  it('reads decimal integers as their exact value, rounded to a float64 past 2^53 as JSON numbers are', () => {
    expect(value('999999999999999')).toBe(999999999999999);
    expect(value('-999999999999999')).toBe(-999999999999999);
    expect(value('9007199254740993')).toBe(9007199254740992);
    expect(value('0')).toBe(0);
    expect(value('00')).toBe(0);
    expect(value('1-')).toBe('1-');
    expect(value('12a')).toBe('12a');
    fc.assert(
      fc.property(fc.boolean(), fc.stringMatching(/^[1-9][0-9]{0,18}$/), (negative, digits) => {
        const text = (negative ? '-' : '') + digits;
        expect(value(text)).toBe(Number(BigInt(text)));
      }),
      { seed: SEED, numRuns: 300 * RUNS_FACTOR },
    );
  });

  it('reads no base-60 numbers', () => {
    expect(value('1:30')).toBe('1:30');
    expect(value('190:20:30')).toBe('190:20:30');
    expect(value('1:30.5')).toBe('1:30.5');
  });

  it('reads floats, infinities and NaN, and leaves what Go cannot parse as text', () => {
    expect(value('1e3')).toBe(1000);
    expect(value('1.')).toBe(1);
    expect(value('.5')).toBe(0.5);
    expect(value('.5_0')).toBe(0.5);
    // A float keeps its sign: Kubernetes' JSON says -0.
    expect(value('-0.0')).toBe(-0);
    expect(value('1.10')).toBe(1.1);
    // Not octal: a leading 0 that does not parse in base 8 falls through to a float.
    expect(value('08')).toBe(8);
    expect(value('09.5')).toBe(9.5);
    expect(value('1.2.3')).toBe('1.2.3');
    expect(value('.inf')).toBe(Infinity);
    expect(value('-.Inf')).toBe(-Infinity);
    expect(value('+.INF')).toBe(Infinity);
    expect(value('.NAN')).toBeNaN();
    expect(value('+.nan')).toBe('+.nan');
    expect(value('1e400')).toBe('1e400');
    expect(value('e3')).toBe('e3');
    expect(value('.')).toBe('.');
    expect(value('-.')).toBe('-.');
  });

  it('keeps timestamps as the text they were written as', () => {
    for (const text of [
      '2001-12-14',
      '2001-12-14t21:59:43.10-05:00',
      '2001-12-14 21:59:43.10 -5',
      '0099-01-01',
    ])
      expect(value(text)).toBe(text);
  });

  it('keeps version-like and quantity-like values apart', () => {
    expect(
      expectSameReading('a: 1.2.3\nb: 1.10\nc: 500m\nd: 1Gi\ne: "8080"\nf: 8080\ng: 0755\nh: NO\n'),
    ).toStrictEqual({
      a: '1.2.3',
      b: 1.1,
      c: '500m',
      d: '1Gi',
      e: '8080',
      f: 8080,
      g: 493,
      h: false,
    });
  });
});

describe('scalars as keys', () => {
  // null keys are left to "known differences".
  const keys = SCALARS.filter((scalar) => !NULLS.includes(scalar));

  it.each(keys.map((scalar) => [JSON.stringify(scalar), scalar]))('%s', (_name, scalar) => {
    expectSameReading(`${scalar}: v\n`);
    expectSameReading(`{${scalar}: v}\n`);
    expectSameReading(`? ${scalar}\n: v\n`);
    expectSameReading(`- ${scalar}: v\n`);
    expectSameReading(`'${scalar}': v\n`);
  });

  it('turns resolved keys into the same strings', () => {
    expect(
      expectSameReading('yes: a\n0777: b\n1:30: c\n.inf: d\n-0: e\n1e3: f\n0x1F: g\n.nan: h\n1.10: i\n'),
    ).toStrictEqual({
      true: 'a',
      511: 'b',
      '1:30': 'c',
      Infinity: 'd',
      0: 'e',
      1000: 'f',
      31: 'g',
      NaN: 'h',
      1.1: 'i',
    });
    expect(expectSameReading('2001-12-14: a\n')).toStrictEqual({ '2001-12-14': 'a' });
  });

  it('rejects keys that are equal once resolved, in both readers', () => {
    for (const text of [
      'yes: a\ntrue: b\n',
      'on: a\nY: b\n',
      '1: a\n01: b\n',
      '1: a\n1.0: b\n',
      '0x1F: a\n31: b\n',
      '0o17: a\n15: b\n',
      'null: a\n~: b\n',
      '{1e3: a, 1000: b}\n',
      '1.5: a\n15e-1: b\n',
    ]) {
      expectBothReject(text);
    }
  });
});

describe('merge keys', () => {
  it('merges maps under a plain << key, with explicit keys winning and earlier sources first', () => {
    for (const text of [
      'base: &b {a: 1, b: 2}\nk:\n  <<: *b\n  b: 3\n',
      'base: &b {a: 1, b: 2}\nk:\n  b: 3\n  <<: *b\n',
      'x: &x {a: 1}\ny: &y {a: 2, b: 2}\nk:\n  <<: [*x, *y]\n  c: 3\n',
      'k:\n  <<: {a: 1, b: 2}\n  a: 0\n',
      'x: &x {a: 1}\ny: &y {b: 2}\nk:\n  <<: *x\n  <<: *y\n',
      'x: &x {a: 1}\nk: {<<: *x, b: 2}\n',
      '[<<: {a: 1}]\n',
      'x: &x {1: a, yes: b, 0x1F: c}\nk:\n  <<: *x\n',
      'x: &x {a: 1}\nk: {? <<: *x}\n',
      '[? <<: {a: 1}]\n',
    ]) {
      expectSameReading(text);
    }
    expect(expectSameReading('base: &b {a: 1, b: 2}\nk:\n  <<: *b\n  b: 3\n')).toStrictEqual({
      base: { a: 1, b: 2 },
      k: { a: 1, b: 3 },
    });
  });

  it('reads << as a string when it is a value, an item or a quoted key', () => {
    expect(expectSameReading('k: <<\n')).toStrictEqual({ k: '<<' });
    expect(expectSameReading('- <<\n')).toStrictEqual(['<<']);
    expect(expectSameReading('"<<": {a: 1}\n')).toStrictEqual({ '<<': { a: 1 } });
    expect(expectSameReading("'<<': 1\n")).toStrictEqual({ '<<': 1 });
  });

  it('rejects a merge of something that is not a map, in both readers', () => {
    for (const text of [
      'k:\n  <<: 1\n',
      'k:\n  <<: [1, 2]\n',
      'k:\n  <<: abc\n',
      'k:\n  <<:\n',
      'k:\n  <<: [~]\n',
      'k: {<<}\n',
    ]) {
      expectBothReject(text);
    }
  });
});

describe('known differences (outside the schema: key stringification and duplicate detection in the readers)', () => {
  it.each(NULLS)('a null key %s is "null" for js-yaml and "" for the yaml package', (scalar) => {
    expect(readFast(`${scalar}: v\n`)).toStrictEqual({ null: 'v' });
    expect(readFull(`${scalar}: v\n`)).toStrictEqual({ '': 'v' });
    expect(readFast(`{${scalar}: v}\n`)).toStrictEqual({ null: 'v' });
    expect(readFull(`{${scalar}: v}\n`)).toStrictEqual({ '': 'v' });
  });

  it('an empty key is "null" for js-yaml and "" for the yaml package', () => {
    expect(readFast('? \n: v\n')).toStrictEqual({ null: 'v' });
    expect(readFull('? \n: v\n')).toStrictEqual({ '': 'v' });
    expect(readFast('{: v}\n')).toStrictEqual({ null: 'v' });
    expect(readFull('{: v}\n')).toStrictEqual({ '': 'v' });
  });

  it('so a null key next to an empty-string key is two keys for js-yaml and an overwrite for the yaml package', () => {
    expect(readFast("~: a\n'': b\n")).toStrictEqual({ null: 'a', '': 'b' });
    expect(readFull("~: a\n'': b\n")).toStrictEqual({ '': 'b' });
  });

  it('a null key reached through a merge is "null" for both', () => {
    const text = 'x: &x {~: 1}\nk:\n  <<: *x\n';
    expect(readFast(text)).toStrictEqual({ x: { null: 1 }, k: { null: 1 } });
    expect(readFull(text)).toStrictEqual({ x: { '': 1 }, k: { null: 1 } });
  });

  it('NaN keys are never equal for the yaml package, so only js-yaml rejects them as duplicates', () => {
    expect(readFull('.nan: 1\n.NaN: 2\n')).toStrictEqual({ NaN: 2 });
    expect(() => readFast('.nan: 1\n.NaN: 2\n')).toThrow(/duplicated mapping key/);
  });

  it('a number key and the same digits quoted are an overwrite for the yaml package and a duplicate for js-yaml', () => {
    expect(readFull('1: a\n"1": b\n')).toStrictEqual({ 1: 'b' });
    expect(() => readFast('1: a\n"1": b\n')).toThrow(/duplicated mapping key/);
  });
});

describe('known differences in merge keys (js-yaml loader, not the schema)', () => {
  it('js-yaml ignores the merge tag of an explicit ? << key in a block mapping; the yaml package merges', () => {
    // In a flow mapping both merge (tested above); in a block mapping js-yaml keeps "<<" as an ordinary key.
    for (const text of [
      'k:\n  ? <<\n  : {a: 1}\n',
      'x: &x {a: 1}\nk:\n  ? <<\n  : *x\n',
      '- ? <<\n  : {a: 1}\n',
    ]) {
      const full = readFull(text);
      const fast = readFast(text);
      expect(JSON.stringify(full), text).not.toContain('<<');
      expect(JSON.stringify(fast), text).toContain('"<<":{"a":1}');
    }
  });

  it('js-yaml merges a sequence nested in a merge list as a map of indices; the yaml package rejects it', () => {
    expect(readFast('k:\n  <<: [[a]]\n')).toStrictEqual({ k: { 0: 'a' } });
    expect(() => readFull('k:\n  <<: [[a]]\n')).toThrow(/Merge sources must be maps/);
  });
});

describe('known differences in documents (js-yaml loader, not the schema)', () => {
  it('js-yaml takes --- glued to the first key of a stream for a document marker; the yaml package reads a key', () => {
    expect(readFast('---x: v\n')).toStrictEqual({ x: 'v' });
    expect(readFull('---x: v\n')).toStrictEqual({ '---x': 'v' });
    expect(readFast('----: v\n')).toStrictEqual({ '-': 'v' });
    expect(readFull('----: v\n')).toStrictEqual({ '----': 'v' });
    // Anywhere else both read a key.
    expectSameReading('a: 1\n---x: v\n');
  });

  it('js-yaml lets the outer sequence continue an inner compact one after an empty item; the yaml package does not', () => {
    expect(readFast('- -\n- b\n')).toStrictEqual([[null, 'b']]);
    expect(readFull('- -\n- b\n')).toStrictEqual([[null], 'b']);
    expectSameReading('- - a\n- b\n');
    expectSameReading('- -\n  - c\n- b\n');
  });

  // The loader refuses collection keys (Kubernetes cannot take them), so only the readers differ here.
  it('collection keys are written as YAML by the yaml package and with String() by js-yaml', () => {
    expect(readFast('[a, b]: v\n')).toStrictEqual({ 'a,b': 'v' });
    expect(readFull('[a, b]: v\n')).toStrictEqual({ '[ a, b ]': 'v' });
    expect(readFast('{a: 1}: v\n')).toStrictEqual({ '[object Object]': 'v' });
    expect(readFull('{a: 1}: v\n')).toStrictEqual({ '{ a: !!int 1 }': 'v' });
  });

  it('an empty text is undefined for js-yaml and null for the yaml package', () => {
    expect(readFast('')).toBeUndefined();
    expect(readFull('')).toBeNull();
    // A text with only a comment or a document marker is null for both.
    expectSameReading('# only a comment\n');
    expectSameReading('---\n');
  });
});

describe('random scalars (fast-check)', () => {
  /** Counts the documents both readers accepted. */
  function compareWhereBothAccept(text: string, tally: { both: number }): void {
    const full = attempt(readFull, text);
    const fast = attempt(readFast, text);
    if (full.ok && fast.ok) {
      tally.both += 1;
      expect(fast.value, text).toStrictEqual(full.value);
    }
  }

  it.each([
    ['random text from the alphabet', randomScalar, 3000],
    ['number-like text', numberLike, 2000],
    ['timestamp-like text', timestampLike, 2000],
  ] as const)('%s reads alike wherever both readers accept it', (_name, scalar, numRuns) => {
    const tally = { both: 0 };
    fc.assert(
      fc.property(scalar, (s) => {
        compareWhereBothAccept(`k: ${s}\n`, tally);
        compareWhereBothAccept(`- ${s}\n`, tally);
        compareWhereBothAccept(`{k: ${s}}\n`, tally);
        // Known differences, tested above: a null key, and `---` glued to the first key of a stream.
        if (!NULLS.includes(s) && !s.startsWith('---')) compareWhereBothAccept(`${s}: v\n`, tally);
      }),
      { seed: SEED, numRuns: numRuns * RUNS_FACTOR },
    );
    // The property would be empty if the documents were mostly rejected.
    expect(tally.both).toBeGreaterThan(numRuns * RUNS_FACTOR * 2);
  });
});
