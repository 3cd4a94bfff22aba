/**
 * YAML11_SCHEMA makes js-yaml read plain scalars as the `yaml` package reads them with `{ version: '1.1' }` (the
 * reading the loader's full parser gives, and the one Kubernetes gives). Any disagreement would let the fast reader
 * and the full reader see different manifests, so every case here reads the same text with both and requires equal
 * results (toStrictEqual: NaN equals NaN, -0 differs from 0, Dates compare by time).
 *
 * The disagreements left are outside the schema's reach (they come from the two readers' parsers, not from scalar
 * resolution) and are pinned down in the "known differences" blocks: a null key ("null" for js-yaml, "" for `yaml`),
 * collection keys, an explicit `? <<` merge key in a block mapping, `---` glued to the first key of a stream, an empty
 * item in a compact nested sequence, an empty text, and documents only one of the readers rejects.
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { YAML11_SCHEMA } from '../src/core/yaml11-schema.js';

/** Fixed so runs repeat; KTG_YAML11_SEED=<n> tries another seed, KTG_YAML11_RUNS=<factor> runs longer. */
const SEED = Number(process.env.KTG_YAML11_SEED ?? 0x79616d6c);
const RUNS_FACTOR = Number(process.env.KTG_YAML11_RUNS ?? 1);

function readFast(text: string): unknown {
  return load(text, { schema: YAML11_SCHEMA });
}

/** The loader's full reading: parseAllDocuments with these options, then toJS with an alias limit. */
function readFull(text: string): unknown {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, logLevel: 'error' });
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

const BOOLEANS = [
  ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
] as const;

// prettier-ignore
const BOOLEAN_NEAR_MISSES = [
  'yEs', 'yES', 'YEs', 'yeS', 'ye', 'yess', 'oN', 'oFF', 'OfF', 'ofF', 'of', 'onn', 'nO', 'tRUE', 'TRue',
  'truE', 'tru', 'fALSE', 'FaLSE', 'falsE', 'fals', 'yes!', 'no.', 'True_', '_true', 'yes no', 'on off',
  'Yes Sir', 'nope', 'None', 'T', 'F', 't', 'f', '1', '0',
];

const NULLS = ['~', 'null', 'Null', 'NULL'];
// prettier-ignore
const NULL_NEAR_MISSES = [
  'nULL', 'NUll', 'nulL', 'nul', 'nil', 'NIL', '~~', '~a', 'null~', 'none', 'Nothing', 'undefined',
];

// prettier-ignore
const INTEGERS = [
  // decimal, signs, underscores
  '0', '1', '-1', '+1', '12', '+12', '-12', '-0', '+0', '3600', '8080', '65535', '1_000', '-1_000', '+1_000',
  '1__0', '1_', '1_000_000', '10_', '-0_', '+0_', '0_', '0__', '0_0',
  // octal (a leading 0), and decimals that only look octal
  '00', '000', '-00', '+00', '0777', '-0777', '+0777', '0755', '0644', '0600', '0400', '0_7', '07_7', '08',
  '09', '018', '-08', '0_8', '00_8', '0o17', '0O17', '-0o17', '0o', '0778',
  // binary
  '0b101', '-0b101', '+0b101', '0b0', '-0b0', '0b_', '0b__', '0b1_0', '0b_1', '0B101', '0b102', '0b', '0b2',
  // hex
  '0x1F', '0x1f', '-0x1F', '+0x1F', '0x0', '-0x0', '0x_', '0x1_F', '0x_1F', '0X1F', '0xG', '0x', '0x1F_',
  '0xDEADBEEF', '0x7FFFFFFF', '-0x80000000', '0x1FFFFFFFFFFFFF1',
  // too large for an exact Number
  '9007199254740993', '-9007199254740993', '12345678901234567890', '123456789012345678901234567890',
  '1234567890123456789012345678901234567890123456789012345678901234567890', `0b${'1'.repeat(70)}`,
  `0${'7'.repeat(40)}`, `0x${'f'.repeat(40)}`, `-0x${'F'.repeat(40)}`, '9'.repeat(400),
  // near misses
  '1-', '1+', '+-1', '--1', '-+1', '++1', '-_1', '_1', '1_a', '1a', 'a1', '0x1g', '1,000', '1 000', '٣',
];

// prettier-ignore
const SEXAGESIMAL = [
  '1:30', '-1:30', '+1:30', '1:5', '1:05', '0:0', '-0:0', '00:00', '1_0:30', '1:30:00', '12:30:45',
  '190:20:30', '10:30', '22:22', '0:59', '99:59:59', '1:2:3:4:5:6', `1${'0'.repeat(30)}:30`, '1:30.5',
  '-1:30.5', '+1:30.5', '1:30.', '190:20:30.15', '1:30.5_0', '1:30._', '0:0.0', '-0:0.0',
  // near misses
  '1:60', '1:123', '1:6_0', '1:3_0', ':30', '-:30', '1::30', '1:30:', '1:-30', '1:30.5.5', '1:30e3',
  '1:30.5e3', '1:a', 'a:1', '1:30.1:2', '1.5:30', '0x1:30', '1 :30',
];

// prettier-ignore
const FLOATS = [
  '1.0', '-1.0', '+1.0', '1.', '-1.', '+1.', '.5', '-.5', '+.5', '0.0', '-0.0', '+0.0', '0.', '-0.',
  '3.14159', '0.1', '.1', '0.5', '1_000.5', '1.5_0', '1_.5', '1._5', '._', '.', '-.', '+.', '._5', '100.00',
  '1.10', '1.100',
  // exponents
  '1e3', '1E3', '1e+3', '1e-3', '-1e3', '+1e3', '1.5e3', '1.5E-3', '1.e3', '.5e3', '-.5e3', '1_e3', '1_0e1',
  '6.8523015e+5', '685.230_15e+03', '685_230.15', '1e400', '-1e400', '1e-400', '-1e-400', '4.9e-324',
  '1.7976931348623157e308', '0e0', '-0e0', '-0.0e5', '1e06', '1e0_0',
  // exponents without a mantissa (NaN in the `yaml` package)
  'e3', 'E3', '-e3', '+e3', '.e3', '-.e3', 'e+3', 'E-30', '._e3', '_e3',
  // infinities and NaN
  '.inf', '.Inf', '.INF', '-.inf', '-.Inf', '-.INF', '+.inf', '+.Inf', '+.INF', '.nan', '.NaN', '.NAN',
  '-.nan', '+.nan', '-.NaN', '.iNf', '.InF', '.Nan', '.nAn', '.nAN', 'inf', 'Inf', '-inf', 'nan', 'NaN',
  'Infinity', '-Infinity', '.infinity', '..inf', '.inf.', '.5inf',
  // near misses
  '1e', '1e+', '1ee3', '1e3_', '1e_3', '1e3e3', '1e3.5', '1.5.e3', '1.2.3', '1.2.3.4', '1..2', '..', '...',
  '1.2e3.4', '1.5f', '1,5', '.5.', '-', '--', '+', '_', '1e3 ', ' 1e3',
];

// prettier-ignore
const TIMESTAMPS = [
  '2001-12-14', '2002-12-14', '2001-1-1', '2001-01-1', '2001-12-14t21:59:43.10-05:00',
  '2001-12-14T21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-15T02:59:43.1Z',
  '2001-12-15 2:59:43.10', '2001-12-14 21:59:43.10 +05:30', '2001-12-14T21:59:43+05:30',
  '2001-12-14T21:59:43-03:30', '2001-12-14T21:59:43Z', '2001-12-14T21:59:43 Z', '2001-12-14T21:59:43.123456Z',
  '2001-12-14T21:59:43.1234567890123', '2001-12-14T21:59:43.0', '2001-12-14T21:59:43.5',
  '2001-12-14T21:59:43+5', '2001-12-14T21:59:43-0', '2001-12-14T21:59:43+29', '2001-12-14T21:59:43-29',
  '2001-12-14T21:59:43+0:20', '2001-12-14T21:59:43+00:29', '2001-12-14T21:59:43+00:30',
  '2001-12-14T21:59:43-00:30', '2001-12-14T21:59:43+23:59', '2001-12-14T21:59:43+29:59',
  '2001-12-14T21:59:43+09', '2001-12-14T1:2:3', '2001-12-14 1:2:3 +1', '2001-12-14  21:59:43',
  '2001-12-14\t21:59:43', '2001-12-14 \t 21:59:43 \t +01:00', '2001-12-14T21:59:43\t-05:00', '2001-13-45',
  '2001-02-30', '2001-00-00', '2001-99-99', '0099-01-01', '0000-01-01', '0100-01-01',
  '1969-12-31T23:59:59.999Z', '9999-12-31T23:59:59Z', '2001-12-14T25:61:61', '2001-12-14T99:99:99.999+29:99',
  '1970-01-01', '2024-02-29T12:00:00.000Z',
  // near misses (strings)
  '2001-12-14T21:59:43+30', '2001-12-14T21:59:43+5:3', '2001-12-14T21:59:43+05:', '2001-12-14T21:59:43z',
  '2001-12-14z21:59:43', '2001-12-14T21:59', '2001-12-14T21:59:43.', '2001-12-14T21:59:43.Z', '2001-12-14T',
  '2001-12-14 ', '20011214', '2001/12/14', '01-12-14', '12001-12-14', '2001-12-144', '2001-123-14',
  '2001-12-14-', '2001-12-14T21:59:43+05:30:00', '2001-12-14T21:59:43 +05 :30', '2001-12-14 21:59:43.10 -5 ',
  '2001-12-14TZ', '2001-12-14T21:59:43+3:00', '2001-12-14T21:59:43+123', '2001-12-14t21:59:43 z',
  '2001-12-14_21:59:43', '2001-12-14T21:59:432', '2001-12-14T021:59:43', '2001-1-',
];

// prettier-ignore
const VERSIONS_AND_KUBERNETES = [
  '1.2.3', '1.10', '1.20', '1.0.0', 'v1.2', '1.2.3-rc.1', '10.0.0.1', '192.168.0.1', '0.0.0.0', '::1', '1.25',
  'v1', 'apps/v1', 'rbac.authorization.k8s.io/v1', '500m', '100m', '1Gi', '1.5Gi', '100Mi', '2Ki', '1e6',
  '1E', '1M', '0.5', '250m', 'latest', 'nginx:1.25', 'nginx:1.25.3', 'registry:5000/app:v1', 'sha256:abc123',
  'DE', 'GB', 'NO', 'SE', 'FR', 'IT', 'ON', 'OFF', 'Y', 'N', 'IfNotPresent', 'Always', 'TCP', 'ClusterIP',
  'default', 'kube-system', '0.0.0.0/0', '10.0.0.0/8', 'key=value', 'a-b', '-1', '+1', '100%', '50%', '1h30m',
  '30s', '1:30:00', '3600s', '/var/run/secrets/kubernetes.io/serviceaccount', 'https://example.com:8443/path',
  'http://a', 'a:b', 'a: b',
];

/** Every plain scalar of the table, written so each can stand as a block value, a sequence item and a flow value. */
const TABLE: readonly string[] = [
  ...BOOLEANS.flat(),
  ...BOOLEAN_NEAR_MISSES,
  ...NULLS,
  ...NULL_NEAR_MISSES,
  ...INTEGERS,
  ...SEXAGESIMAL,
  ...FLOATS,
  ...TIMESTAMPS,
  ...VERSIONS_AND_KUBERNETES,
];
const SCALARS = TABLE.filter((scalar) => isPlainEverywhere(scalar));
/** Entries with blanks at an end, `: `, `,` and the like: compared below wherever both readers accept them. */
const AWKWARD = TABLE.filter((scalar) => !isPlainEverywhere(scalar));

/** Whether the text can stand as a plain scalar in a block value, a sequence item, a flow value and a key. */
function isPlainEverywhere(scalar: string): boolean {
  return (
    scalar === scalar.trim() &&
    !/^[-?:](?:\s|$)/.test(scalar) &&
    !/:(?:\s|$)/.test(scalar) &&
    !/[,[\]{}#&*!|>'"%@`]/.test(scalar)
  );
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

describe('YAML11_SCHEMA resolves plain scalars as the yaml package does under YAML 1.1', () => {
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

  it('reads integers in every base, with signs and underscores', () => {
    expect(value('0777')).toBe(511);
    expect(value('0755')).toBe(493);
    expect(value('-0777')).toBe(-511);
    expect(value('08')).toBe(8);
    expect(value('09')).toBe(9);
    expect(value('0o17')).toBe('0o17');
    expect(value('0b101')).toBe(5);
    expect(value('-0b101')).toBe(-5);
    expect(value('0x1F')).toBe(31);
    expect(value('0X1F')).toBe('0X1F');
    expect(value('+12')).toBe(12);
    expect(value('1_000')).toBe(1000);
    expect(value('-0')).toBe(-0);
    expect(value('-00')).toBe(-0);
    expect(value('8080')).toBe(8080);
    expect(value('12345678901234567890')).toBe(12345678901234567000);
    expect(value('0_')).toBeNaN();
    expect(value('0x_')).toBeNaN();
    expect(value('0b_')).toBeNaN();
  });

  it('reads sexagesimal integers and floats', () => {
    expect(value('1:30')).toBe(90);
    expect(value('-1:30')).toBe(-90);
    expect(value('190:20:30')).toBe(685230);
    expect(value('22:22')).toBe(1342);
    expect(value('1:30.5')).toBe(90.5);
    expect(value('1:60')).toBe('1:60');
  });

  it('reads floats, infinities and NaN', () => {
    expect(value('1e3')).toBe(1000);
    expect(value('1.')).toBe(1);
    expect(value('.5')).toBe(0.5);
    expect(value('-0.0')).toBe(-0);
    expect(value('1.10')).toBe(1.1);
    expect(value('1.2.3')).toBe('1.2.3');
    expect(value('.inf')).toBe(Infinity);
    expect(value('-.Inf')).toBe(-Infinity);
    expect(value('+.INF')).toBe(Infinity);
    expect(value('.NAN')).toBeNaN();
    expect(value('+.nan')).toBe('+.nan');
    expect(value('1e400')).toBe(Infinity);
    // The `yaml` package's patterns make every part before the exponent, and both sides of the point, optional.
    expect(value('e3')).toBeNaN();
    expect(value('.')).toBeNaN();
    expect(value('-.')).toBeNaN();
  });

  it('reads timestamps as Dates, in UTC unless a zone is given', () => {
    expect(value('2001-12-14')).toStrictEqual(new Date('2001-12-14T00:00:00Z'));
    expect(value('2001-12-14t21:59:43.10-05:00')).toStrictEqual(new Date('2001-12-15T02:59:43.100Z'));
    expect(value('2001-12-14 21:59:43.10 -5')).toStrictEqual(new Date('2001-12-15T02:59:43.100Z'));
    expect(value('2001-12-14T21:59:43+05:30')).toStrictEqual(new Date('2001-12-14T16:29:43Z'));
    expect(value('2001-12-14T21:59:43.123456Z')).toStrictEqual(new Date('2001-12-14T21:59:43.123Z'));
    expect(value('2001-02-30')).toStrictEqual(new Date('2001-03-02T00:00:00Z'));
    // Quirks of the `yaml` package, followed on purpose: Date.UTC maps years 0-99 to 1900-1999, and an offset below
    // 30 in magnitude counts as hours even when written as minutes.
    expect(value('0099-01-01')).toStrictEqual(new Date('1999-01-01T00:00:00Z'));
    expect(value('2001-12-14T21:59:43+0:20')).toStrictEqual(new Date('2001-12-14T01:59:43Z'));
    expect(value('2001-12-14T21:59:43+30')).toBe('2001-12-14T21:59:43+30');
    expect(value('2001-12-14T21:59')).toBe('2001-12-14T21:59');
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
      90: 'c',
      Infinity: 'd',
      0: 'e',
      1000: 'f',
      31: 'g',
      NaN: 'h',
      1.1: 'i',
    });
    const dated = expectSameReading('2001-12-14: a\n') as Record<string, unknown>;
    expect(Object.keys(dated)).toStrictEqual([String(new Date('2001-12-14T00:00:00Z'))]);
  });

  it('rejects keys that are equal once resolved, in both readers', () => {
    for (const text of [
      'yes: a\ntrue: b\n',
      'on: a\nY: b\n',
      '1: a\n01: b\n',
      '1: a\n1.0: b\n',
      '0x1F: a\n31: b\n',
      '1:30: a\n90: b\n',
      'null: a\n~: b\n',
      '{1e3: a, 1000: b}\n',
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

  it('keys that differ in the yaml package but stringify alike are overwritten there and rejected by js-yaml', () => {
    expect(readFull('2001-12-14: a\n2001-12-14 0:0:0: b\n')).toStrictEqual({
      [String(new Date('2001-12-14T00:00:00Z'))]: 'b',
    });
    expect(() => readFast('2001-12-14: a\n2001-12-14 0:0:0: b\n')).toThrow(/duplicated mapping key/);
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

  it('collection keys are written as YAML by the yaml package and with String() by js-yaml', () => {
    expect(readFast('[a, b]: v\n')).toStrictEqual({ 'a,b': 'v' });
    expect(readFull('[a, b]: v\n')).toStrictEqual({ '[ a, b ]': 'v' });
    expect(readFast('{a: 1}: v\n')).toStrictEqual({ '[object Object]': 'v' });
    expect(readFull('{a: 1}: v\n')).toStrictEqual({ '{ a: 1 }': 'v' });
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
  const ALPHABET = [...'0123456789+-._:eExXoObB', ...'yesnotrufalsiNY'];
  const randomScalar = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 14 });

  const digits = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const sign = fc.constantFrom('', '', '-', '+');
  /** Number-shaped strings: far more of them resolve than purely random text. */
  const numberLike = fc
    .tuple(
      sign,
      fc.constantFrom('', '0', '0b', '0x', '0o', '00'),
      fc.string({ unit: fc.constantFrom(...'0123456789_abcdefABCDEF'), maxLength: 6 }),
      fc.option(fc.tuple(fc.constant(':'), digits(1, 2)), { nil: undefined }),
      fc.option(
        fc.tuple(fc.constant('.'), fc.string({ unit: fc.constantFrom(...'0123456789_'), maxLength: 4 })),
        {
          nil: undefined,
        },
      ),
      fc.option(fc.tuple(fc.constantFrom('e', 'E'), sign, digits(0, 3)), { nil: undefined }),
    )
    .map(
      ([s, prefix, body, colon, point, exponent]) =>
        s +
        prefix +
        body +
        (colon ? colon.join('') : '') +
        (point ? point.join('') : '') +
        (exponent ? exponent.join('') : ''),
    )
    .filter((s) => s.length > 0);
  /** Timestamp-shaped strings, mostly well formed, including blanks between date, time and zone. */
  const mostly = (good: fc.Arbitrary<string>, any: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: any });
  const timestampLike = fc
    .tuple(
      mostly(digits(4, 4), digits(0, 6)),
      mostly(digits(1, 2), digits(0, 3)),
      mostly(digits(1, 2), digits(0, 3)),
      fc.option(
        fc.tuple(
          fc.constantFrom('T', 't', ' ', '  ', '\t', 'z', '_'),
          mostly(digits(1, 2), digits(0, 3)),
          mostly(digits(1, 2), digits(0, 3)),
          mostly(digits(1, 2), digits(0, 3)),
          fc.constantFrom('', '', '.', '.1', '.10', '.1234', '.5_', '.0'),
          fc.constantFrom('', '', ' ', '\t'),
          fc.constantFrom('', 'Z', 'z', '+', '-', '+', '-'),
          mostly(fc.oneof(digits(1, 2), fc.constantFrom('0', '00', '01', '29', '30')), digits(0, 3)),
          fc.constantFrom('', ':', ':', ':0'),
          mostly(digits(2, 2), digits(0, 3)),
        ),
        { nil: undefined },
      ),
    )
    .map(([y, mo, d, time]) => {
      let text = `${y}-${mo}-${d}`;
      if (time) {
        const [sep, h, mi, s, frac, blank, zone, zh, zc, zm] = time;
        text += `${sep}${h}:${mi}:${s}${frac}`;
        if (zone === '+' || zone === '-') text += `${blank}${zone}${zh}${zc}${zc === '' ? '' : zm}`;
        else text += `${blank}${zone}`;
      }
      return text.trimEnd();
    });

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
