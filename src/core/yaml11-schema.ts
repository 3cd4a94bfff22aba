import { FAILSAFE_SCHEMA, Type } from 'js-yaml';

/**
 * A js-yaml schema that gives every plain scalar the meaning YAML 1.1 gives it, exactly as the `yaml` package reads
 * it with `{ version: '1.1' }` and `toJS()`.
 *
 * Why it exists: manifests are read twice, quickly by js-yaml and, when source ranges are needed, by the `yaml`
 * package, which keeps them. Kubernetes reads manifests with YAML 1.1 scalars too (its go-yaml v2 fork:
 * `automountServiceAccountToken: no` is false, `0755` is octal), which is why the full reader uses version 1.1. If
 * the two readers disagreed on what a scalar means, a check could pass on one reading while the other is the one
 * that counts, so the fast reader resolves plain scalars exactly as the full reader does, quirks included:
 *
 * - `.`, `-.`, `e3`, `0_`, `0x_`, `0b_` are NaN (the `yaml` package's float and int patterns accept them);
 * - integers are JS numbers, rounded when beyond 2^53, never bigint; `-0`, `-0.0`, `-00` are -0;
 * - in a timestamp a year below 100 becomes 19xx (Date.UTC), and an offset whose value is below 30 is hours even when
 *   written with minutes (`+0:20` is 20 hours);
 * - `<<` is a merge key only as a key; as a value it is the string "<<".
 *
 * Only implicit resolution matters: the fast path hands any document with a tag to the full parser. Because js-yaml
 * also looks up explicit tags among these types, `!!int 5` and the like happen to work, but nothing relies on it.
 *
 * Types, in the order they are tried (the order of the `yaml` package's 1.1 tag list; their patterns do not overlap):
 * null, bool, int (binary, octal, decimal, hex, sexagesimal), float (inf/nan, exponent, fixed, sexagesimal), merge,
 * timestamp. Each resolve function first rejects by length or first character, so ordinary strings such as keys and
 * names cost one or two comparisons per type.
 */

const TAG = 'tag:yaml.org,2002:';

// Character codes used for the quick rejections.
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const UPPER_E = 0x45;
const LOWER_E = 0x65;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

// ---------------------------------------------------------------------------------------------------------------
// null: ~, null, Null, NULL, and the empty scalar.

const NULL_WORDS: ReadonlySet<string> = new Set(['', '~', 'null', 'Null', 'NULL']);

const nullType = new Type(`${TAG}null`, {
  kind: 'scalar',
  // js-yaml hands null for a node without content (only reachable with an explicit `!<?>` or `!!null` tag).
  resolve: (data: unknown): boolean => data === null || (typeof data === 'string' && NULL_WORDS.has(data)),
  construct: (): null => null,
});

// ---------------------------------------------------------------------------------------------------------------
// bool: the YAML 1.1 spellings, each in lower case, capitalised, or upper case (one-letter y/n in either case).

const TRUE_WORDS: ReadonlySet<string> = new Set('y Y yes Yes YES true True TRUE on On ON'.split(' '));
const FALSE_WORDS: ReadonlySet<string> = new Set('n N no No NO false False FALSE off Off OFF'.split(' '));

const boolType = new Type(`${TAG}bool`, {
  kind: 'scalar',
  resolve: (data: unknown): boolean =>
    typeof data === 'string' && data.length <= 5 && (TRUE_WORDS.has(data) || FALSE_WORDS.has(data)),
  construct: (data: string): boolean => TRUE_WORDS.has(data),
});

// ---------------------------------------------------------------------------------------------------------------
// Numbers. A sign is allowed everywhere except before .nan; underscores are ignored in the digits.

/** Tried in this order: an octal-looking string such as `0_` or `0777` is octal, not decimal. */
const INT_BINARY = /^[-+]?0b[01_]+$/;
const INT_OCTAL = /^[-+]?0[0-7_]+$/;
const INT_DECIMAL = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const INT_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/;

const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** Every part before the exponent is optional, so `e3` and `.e3` match (and are NaN). */
const FLOAT_EXPONENT = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
/** Both sides of the point are optional, so `.` and `-.` match (and are NaN). */
const FLOAT_FIXED = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;
const FLOAT_SEXAGESIMAL = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/;

const UNDERSCORES = /_/g;

/** A negative sign flips the magnitude (so 0 becomes -0 and NaN stays NaN); `+` or no sign keeps it. */
function signed(text: string, magnitude: number): number {
  return text.charCodeAt(0) === MINUS ? -magnitude : magnitude;
}

function withoutSign(text: string): string {
  const first = text.charCodeAt(0);
  return first === PLUS || first === MINUS ? text.slice(1) : text;
}

/** Digits after a prefix of `skip` characters (after any sign), read in `radix`; no digits at all gives NaN. */
function radixValue(text: string, skip: number, radix: number): number {
  const digits = withoutSign(text).slice(skip).replace(UNDERSCORES, '');
  return signed(text, parseInt(digits, radix));
}

/** `h:m:s`-style base-60 value; the last part may carry a fraction. Parts are folded left: ((a*60)+b)*60+c. */
function sexagesimalValue(text: string): number {
  let total = 0;
  for (const part of withoutSign(text).replace(UNDERSCORES, '').split(':')) total = total * 60 + Number(part);
  return signed(text, total);
}

/** Quick rejections: an int starts with a sign or a digit; a float may also start with a point or an exponent letter. */
function mayBeInt(text: string): boolean {
  const first = text.charCodeAt(0);
  return isDigit(first) || first === PLUS || first === MINUS;
}

function mayBeFloat(text: string): boolean {
  const first = text.charCodeAt(0);
  return (
    isDigit(first) ||
    first === PLUS ||
    first === MINUS ||
    first === DOT ||
    first === LOWER_E ||
    first === UPPER_E
  );
}

function intValue(text: string): number | undefined {
  if (!mayBeInt(text)) return undefined;
  if (INT_BINARY.test(text)) return radixValue(text, 2, 2);
  if (INT_OCTAL.test(text)) return radixValue(text, 1, 8);
  if (INT_DECIMAL.test(text)) return radixValue(text, 0, 10);
  if (INT_HEX.test(text)) return radixValue(text, 2, 16);
  if (INT_SEXAGESIMAL.test(text)) return sexagesimalValue(text);
  return undefined;
}

function floatValue(text: string): number | undefined {
  if (!mayBeFloat(text)) return undefined;
  if (FLOAT_SPECIAL.test(text)) {
    if (text.endsWith('n') || text.endsWith('N')) return NaN;
    return signed(text, Infinity);
  }
  if (FLOAT_EXPONENT.test(text) || FLOAT_FIXED.test(text)) return parseFloat(text.replace(UNDERSCORES, ''));
  if (FLOAT_SEXAGESIMAL.test(text)) return sexagesimalValue(text);
  return undefined;
}

const intType = new Type(`${TAG}int`, {
  kind: 'scalar',
  resolve: (data: unknown): boolean => typeof data === 'string' && intValue(data) !== undefined,
  construct: (data: string): number => intValue(data) as number,
});

const floatType = new Type(`${TAG}float`, {
  kind: 'scalar',
  resolve: (data: unknown): boolean => typeof data === 'string' && floatValue(data) !== undefined,
  construct: (data: string): number => floatValue(data) as number,
});

// ---------------------------------------------------------------------------------------------------------------
// merge: `<<`. js-yaml merges when a key carries this tag; as a value the scalar stays the string "<<".

const mergeType = new Type(`${TAG}merge`, {
  kind: 'scalar',
  resolve: (data: unknown): boolean => data === '<<',
});

// ---------------------------------------------------------------------------------------------------------------
// timestamp: yyyy-m-d, optionally followed by t, T or blanks and h:m:s, an optional fraction, and an optional zone
// (Z, or a signed hour with optional :mm) that may be preceded by blanks. Without a zone the time is UTC.

const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?(?:[ \t]*(Z|([-+])([012]?[0-9])(?::([0-9]{2}))?))?)?$/;

function mayBeTimestamp(text: string): boolean {
  return text.length >= 8 && text.charCodeAt(4) === MINUS && isDigit(text.charCodeAt(0));
}

function timestampValue(text: string): Date | undefined {
  if (!mayBeTimestamp(text)) return undefined;
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone, zoneSign, zoneHours, zoneMinutes] = m;
  // Milliseconds are the first three fraction digits, right-padded with zeros; further digits are dropped.
  const millis = fraction === undefined ? 0 : Number(`${fraction}00`.slice(0, 3));
  // Date.UTC, as the `yaml` package uses it: out-of-range fields roll over, and years 0-99 mean 1900-1999.
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    hour === undefined ? 0 : Number(hour),
    minute === undefined ? 0 : Number(minute),
    second === undefined ? 0 : Number(second),
    millis,
  );
  if (zone !== undefined && zone !== 'Z') {
    let offset = Number(zoneHours);
    if (zoneMinutes !== undefined) offset = offset * 60 + Number(zoneMinutes);
    if (zoneSign === '-') offset = -offset;
    // An offset below 30 in magnitude counts as hours, whether or not minutes were written.
    if (Math.abs(offset) < 30) offset *= 60;
    time -= 60000 * offset;
  }
  return new Date(time);
}

const timestampType = new Type(`${TAG}timestamp`, {
  kind: 'scalar',
  resolve: (data: unknown): boolean =>
    typeof data === 'string' && mayBeTimestamp(data) && TIMESTAMP.test(data),
  construct: (data: string): Date => timestampValue(data) as Date,
});

export const YAML11_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [nullType, boolType, intType, floatType, mergeType, timestampType],
});
