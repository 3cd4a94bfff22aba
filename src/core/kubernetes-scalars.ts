import { FAILSAFE_SCHEMA, Type } from 'js-yaml';
import type { ScalarTag, SchemaOptions } from 'yaml';

/**
 * What a plain scalar means to Kubernetes, and the two readers' schemas that give it that meaning.
 *
 * kubectl and the API server turn YAML into JSON with `sigs.k8s.io/yaml`, whose reader is a fork of go-yaml v2. Its
 * scalar rules are YAML 1.1's in spirit but its own in detail, and a manifest means what that reader says:
 *
 * - booleans: y, yes, true, on and n, no, false, off, each lower case, capitalised or upper case;
 * - null: empty, `~`, null, Null, NULL;
 * - integers: Go's `strconv.ParseInt(s, 0, 64)` after every `_` is removed, when the text starts with a sign or a
 *   digit: decimal, `0x`/`0o`/`0b` prefixes in either case, a leading `0` for octal (`0755` is 493); beyond int64,
 *   unsigned up to 2^64-1; `0b-101` is -5 (a second try in base 2);
 * - floats: `.5`-style, or `[-+]?(.d+|d+(.d*)?)([eE][-+]?d+)?` once underscores are removed (`08` is 8, `1_0.5` is
 *   10.5); out of float64's range they stay strings (`1e400`); `.inf`, `-.inf`, `.nan` are floats JSON cannot carry;
 * - everything else is a string: no base-60 numbers (`1:20`), timestamps stay the text they were written as, and a
 *   text starting with `_` is never a number.
 *
 * Both readers resolve plain scalars through `resolvePlain`, so they agree with each other and with Kubernetes; the
 * Go oracle in the test suite holds this module to `sigs.k8s.io/yaml` itself.
 */
export type Resolved =
  | { tag: 'str'; value: string }
  | { tag: 'null'; value: null }
  | { tag: 'bool'; value: boolean }
  | { tag: 'int'; value: number }
  | { tag: 'float'; value: number }
  | { tag: 'merge'; value: '<<' };

const WORDS = new Map<string, Resolved>();
function words(resolved: Resolved, list: string): void {
  for (const word of list.split(' ')) WORDS.set(word, resolved);
}
words({ tag: 'bool', value: true }, 'y Y yes Yes YES true True TRUE on On ON');
words({ tag: 'bool', value: false }, 'n N no No NO false False FALSE off Off OFF');
words({ tag: 'null', value: null }, '~ null Null NULL');
WORDS.set('', { tag: 'null', value: null });
words({ tag: 'float', value: NaN }, '.nan .NaN .NAN');
words({ tag: 'float', value: Infinity }, '.inf .Inf .INF +.inf +.Inf +.INF');
words({ tag: 'float', value: -Infinity }, '-.inf -.Inf -.INF');
WORDS.set('<<', { tag: 'merge', value: '<<' });

const POINT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The meaning of a plain (unquoted, untagged) scalar's text to Kubernetes. */
export function resolvePlain(text: string): Resolved {
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  const first = text.charCodeAt(0);
  if (first === 0x2e /* . */) {
    // Go's ParseFloat on the text as written: underscores only between digits, overflow an error (a string then).
    const digits = underscoresBetweenDigits(text) ? text.replaceAll('_', '') : '';
    if (POINT_FLOAT.test(digits)) {
      const value = Number(digits);
      if (Number.isFinite(value)) return { tag: 'float', value };
    }
    return { tag: 'str', value: text };
  }
  const digit = first >= 0x30 && first <= 0x39;
  if (!digit && first !== 0x2b /* + */ && first !== 0x2d /* - */) return { tag: 'str', value: text };
  const plain = text.replaceAll('_', '');
  const int = parseGoInt(plain, true) ?? parseGoInt(plain, false);
  if (int !== undefined) return { tag: 'int', value: Number(int) };
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = Number(plain);
    if (Number.isFinite(value)) return { tag: 'float', value };
  }
  if (plain.startsWith('0b')) {
    const binary = parseDigits(plain.slice(2), 2, true);
    if (binary !== undefined) return { tag: 'int', value: Number(binary) };
  }
  return { tag: 'str', value: text };
}

/** Go's rule for `_` in a number without a base prefix: each one between two digits. */
function underscoresBetweenDigits(text: string): boolean {
  return !/(?:^|[^0-9])_|_(?![0-9])/.test(text);
}

/** Go's `strconv.ParseInt(s, 0, 64)` (signed) or `ParseUint(s, 0, 64)`; undefined where Go reports an error. */
function parseGoInt(text: string, signed: boolean): bigint | undefined {
  const { sign, rest: unsigned } = signOf(text, signed);
  let rest = unsigned;
  if (rest === '') return undefined;
  let radix = 10;
  if (rest.startsWith('0')) {
    const prefix = rest.length >= 3 ? rest[1]!.toLowerCase() : '';
    radix = prefix === 'b' ? 2 : prefix === 'o' ? 8 : prefix === 'x' ? 16 : 8;
    rest = rest.slice(prefix === 'b' || prefix === 'o' || prefix === 'x' ? 2 : 1);
    if (rest === '' && radix === 8) return 0n;
  }
  const magnitude = parseDigits(rest, radix, false);
  if (magnitude === undefined) return undefined;
  const value = sign * magnitude;
  if (signed ? value < INT64_MIN || value > INT64_MAX : value > UINT64_MAX) return undefined;
  return value;
}

const DIGITS = '0123456789abcdef';

/** A leading `+` or `-` (taken only when `signed`) and the text after it. */
function signOf(text: string, signed: boolean): { sign: bigint; rest: string } {
  if (!signed || (text[0] !== '+' && text[0] !== '-')) return { sign: 1n, rest: text };
  return { sign: text[0] === '-' ? -1n : 1n, rest: text.slice(1) };
}

/** Digits in `radix` (with a sign when `signed`), as Go's ParseInt with an explicit base reads them. */
function parseDigits(text: string, radix: number, signed: boolean): bigint | undefined {
  const { sign, rest } = signOf(text, signed);
  if (rest === '') return undefined;
  let value = 0n;
  const base = BigInt(radix);
  for (const char of rest.toLowerCase()) {
    const digit = DIGITS.indexOf(char);
    if (digit === -1 || digit >= radix) return undefined;
    value = value * base + BigInt(digit);
  }
  value *= sign;
  if (signed && (value < INT64_MIN || value > INT64_MAX)) return undefined;
  return value;
}

/**
 * A scalar written with an explicit core tag, as go-yaml v2 reads it: `!!str` takes any text, the others the texts
 * that resolve to them (`!!float` also takes an integer). Returns the value, or a message saying why not.
 */
export function resolveTagged(
  tag: 'str' | 'int' | 'float' | 'bool' | 'null',
  text: string,
): Resolved | string {
  if (tag === 'str') return { tag: 'str', value: text };
  const resolved = resolvePlain(text);
  if (resolved.tag === tag) return resolved;
  if (tag === 'float' && resolved.tag === 'int') return { tag: 'float', value: resolved.value };
  return `cannot read ${JSON.stringify(text)} as a !!${tag}`;
}

// ---------------------------------------------------------------------------------------------------------------
// js-yaml (the fast reader). It hands any document with a tag to the full reader, so only implicit resolution counts.

/** One js-yaml type per resolved tag, all deciding through `resolvePlain` (the last answer is kept for `construct`). */
let lastText: string | undefined;
let lastResolved: Resolved = { tag: 'null', value: null };
function resolvedOf(text: string): Resolved {
  if (text !== lastText) {
    lastText = text;
    lastResolved = resolvePlain(text);
  }
  return lastResolved;
}

function jsYamlType(tag: Resolved['tag']): Type {
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: unknown): boolean =>
      (data === null && tag === 'null') || (typeof data === 'string' && resolvedOf(data).tag === tag),
    construct: (data: unknown): unknown => (typeof data === 'string' ? resolvedOf(data).value : null),
  });
}

/** js-yaml's schema for manifests: plain scalars mean what they mean to Kubernetes. */
export const KUBERNETES_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: (['null', 'bool', 'int', 'float', 'merge'] as const).map(jsYamlType),
});

// ---------------------------------------------------------------------------------------------------------------
// The `yaml` package (the full reader).

/**
 * `yaml` scalar tags for one resolved tag: a default one found by `resolvePlain` for plain text, and one found by
 * name for an explicit tag (the `yaml` package would try an explicit tag's text against the default's test first).
 */
function yamlTags(tag: 'null' | 'bool' | 'int' | 'float'): ScalarTag[] {
  const explicit: ScalarTag = {
    tag: `tag:yaml.org,2002:${tag}`,
    default: false,
    identify: () => false,
    resolve(text, onError) {
      const resolved = resolveTagged(tag, text);
      if (typeof resolved === 'string') {
        onError(resolved);
        return text;
      }
      return resolved.value;
    },
  };
  const implicit: ScalarTag = {
    ...explicit,
    default: true,
    // The `yaml` package only calls `test.test(text)`; a RegExp cannot express Go's rules, so the test is ours.
    test: { test: (text: string) => resolvePlain(text).tag === tag } as unknown as RegExp,
  };
  return [explicit, implicit];
}

const KUBERNETES_SCALAR_TAGS = (['null', 'bool', 'int', 'float'] as const).flatMap(yamlTags);
const KEPT_TAGS = new Set(['map', 'seq', 'str', 'merge'].map((tag) => `tag:yaml.org,2002:${tag}`));
type Tags = Exclude<SchemaOptions['customTags'], ((tags: never) => unknown) | null | undefined>;
const tagName = (tag: Tags[number]): string => (typeof tag === 'string' ? tag : (tag.tag ?? ''));

/**
 * Options for the `yaml` package that read as Kubernetes reads: YAML 1.1 documents with maps, sequences, strings,
 * merge keys, and the scalar meanings above. The package's own YAML 1.1 scalar tags stay for writing values (fixes
 * write `false`) but resolve nothing. Other tags (`!!binary`, `!!set`, `!!timestamp`, local `!tags`) are left for the
 * loader to refuse: go-yaml v2 reads them in its own ways.
 */
export const KUBERNETES_PARSE_OPTIONS = {
  version: '1.1',
  customTags: (tags: Tags): Tags => [
    ...KUBERNETES_SCALAR_TAGS,
    ...tags.map((tag) =>
      typeof tag === 'string' || KEPT_TAGS.has(tagName(tag)) ? tag : { ...tag, default: false },
    ),
  ],
} as const;
