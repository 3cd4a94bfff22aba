/**
 * Plain scalars that YAML readers are known to read in different ways (booleans, nulls, numbers in every base,
 * base-60 numbers, floats, timestamps, and look-alikes from Kubernetes manifests), as tables and as fast-check
 * generators: shared by the test that holds the two readers to each other (kubernetes-scalars.test.ts) and the one that
 * holds them to Kubernetes (kubernetes-oracle.test.ts).
 */
import fc from 'fast-check';

export const BOOLEANS = [
  ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'],
  ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'],
] as const;

// prettier-ignore
export const BOOLEAN_NEAR_MISSES = [
  'yEs', 'yES', 'YEs', 'yeS', 'ye', 'yess', 'oN', 'oFF', 'OfF', 'ofF', 'of', 'onn', 'nO', 'tRUE', 'TRue',
  'truE', 'tru', 'fALSE', 'FaLSE', 'falsE', 'fals', 'yes!', 'no.', 'True_', '_true', 'yes no', 'on off',
  'Yes Sir', 'nope', 'None', 'T', 'F', 't', 'f', '1', '0',
];

export const NULLS = ['~', 'null', 'Null', 'NULL'];
// prettier-ignore
export const NULL_NEAR_MISSES = [
  'nULL', 'NUll', 'nulL', 'nul', 'nil', 'NIL', '~~', '~a', 'null~', 'none', 'Nothing', 'undefined',
];

// prettier-ignore
export const INTEGERS = [
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
export const SEXAGESIMAL = [
  '1:30', '-1:30', '+1:30', '1:5', '1:05', '0:0', '-0:0', '00:00', '1_0:30', '1:30:00', '12:30:45',
  '190:20:30', '10:30', '22:22', '0:59', '99:59:59', '1:2:3:4:5:6', `1${'0'.repeat(30)}:30`, '1:30.5',
  '-1:30.5', '+1:30.5', '1:30.', '190:20:30.15', '1:30.5_0', '1:30._', '0:0.0', '-0:0.0',
  // near misses
  '1:60', '1:123', '1:6_0', '1:3_0', ':30', '-:30', '1::30', '1:30:', '1:-30', '1:30.5.5', '1:30e3',
  '1:30.5e3', '1:a', 'a:1', '1:30.1:2', '1.5:30', '0x1:30', '1 :30',
];

// prettier-ignore
export const FLOATS = [
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
export const TIMESTAMPS = [
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
export const VERSIONS_AND_KUBERNETES = [
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
export const SCALARS = TABLE.filter((scalar) => isPlainEverywhere(scalar));
/** Entries with blanks at an end, `: `, `,` and the like: compared below wherever both readers accept them. */
export const AWKWARD = TABLE.filter((scalar) => !isPlainEverywhere(scalar));

/** Whether the text can stand as a plain scalar in a block value, a sequence item, a flow value and a key. */
export function isPlainEverywhere(scalar: string): boolean {
  return (
    scalar === scalar.trim() &&
    !/^[-?:](?:\s|$)/.test(scalar) &&
    !/:(?:\s|$)/.test(scalar) &&
    !/[,[\]{}#&*!|>'"%@`]/.test(scalar)
  );
}

const ALPHABET = [...'0123456789+-._:eExXoObB', ...'yesnotrufalsiNY'];
export const randomScalar = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 14 });

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const sign = fc.constantFrom('', '', '-', '+');
/** Number-shaped strings: far more of them resolve than purely random text. */
export const numberLike = fc
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
export const timestampLike = fc
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
