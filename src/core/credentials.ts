/**
 * What a credential looks like in text, whatever the text is: a key that names one and the value written after it, or
 * the shape of a well-known credential. Pairs are found the same way in a manifest, a chart's values, JSON, an env
 * file, a kustomize literal or a line a tool printed, so the secret filter needs no parser to recognise them.
 */

/** Last words of a key that names a credential; separators and case are ignored (`AWS_SECRET_ACCESS_KEY`, `apiKey`). */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'clientsecret',
  'secretaccesskey',
]);

/**
 * Words that make a key a reference to a credential or a setting about one (`secretName`, `existingSecret`,
 * `tokenPath`, `passwordFile`, `secretKeyRef`), or the automount switch, rather than the credential itself.
 */
const NOT_A_CREDENTIAL_WORDS = new Set([
  'automount',
  'existing',
  'name',
  'names',
  'ref',
  'path',
  'file',
  'files',
  'dir',
  'url',
  'uri',
  'endpoint',
  'length',
  'ttl',
  'expiration',
  'policy',
  'enabled',
  'type',
  'format',
  'audience',
  'header',
  'template',
  'field',
  'mode',
]);

/** The words of a key: `dbPassword` → db, password; `AWS_SECRET_ACCESS_KEY` → aws, secret, access, key. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Every credential word holds one of these: most keys are rejected without being split into words. */
const CREDENTIAL_HINT = /pass|pwd|secret|token|key/i;

/** Whether a key names a credential: its last one, two or three words are a credential's, and no word a reference's. */
export function isCredentialKey(key: string): boolean {
  if (!CREDENTIAL_HINT.test(key)) return false;
  let known = credentialKeys.get(key);
  if (known === undefined) {
    // A scan meets the same few keys (`automountServiceAccountToken`) thousands of times.
    if (credentialKeys.size > 10_000) credentialKeys.clear();
    known = namesCredential(wordsOf(key));
    credentialKeys.set(key, known);
  }
  return known;
}

const credentialKeys = new Map<string, boolean>();

function namesCredential(words: string[]): boolean {
  if (words.length === 0 || words.some((word) => NOT_A_CREDENTIAL_WORDS.has(word))) return false;
  for (let count = 1; count <= Math.min(3, words.length); count++) {
    if (CREDENTIAL_WORDS.has(words.slice(-count).join(''))) return true;
  }
  return false;
}

/** Booleans and nulls as YAML 1.1 reads them, numbers, and what stands for a value rather than being one. */
const NOT_A_VALUE =
  /^(?:y|yes|n|no|true|false|on|off|null|~|[-+]?(?:\d[\d_]*)?(?:\.\d+)?(?:e[-+]?\d+)?|[*&!].*|.*(?:\{\{|\$\{|\$\().*)$/i;

/** Whether a credential key's value is one: not empty, not a boolean, number, alias, tag or template expression. */
export function isCredentialValue(value: string): boolean {
  const trimmed = value.trim();
  return trimmed !== '' && trimmed !== '[redacted]' && !NOT_A_VALUE.test(trimmed);
}

export interface CredentialPair {
  key: string;
  /** The value as it reads (quotes removed, escapes resolved). */
  value: string;
  /** Where the value is written in the text, quotes excluded: [start, end). */
  start: number;
  end: number;
}

/**
 * What follows a key at `at`: its closing quote if it has an opening one, blanks, then `:` or `=` and blanks. Its
 * quote (or ''), its separator, and where the value starts; null when no separator follows.
 */
function afterKey(text: string, at: number): { quote: string; separator: string; value: number } | null {
  let position = at;
  const quote = text[position] === '"' || text[position] === "'" ? text[position]! : '';
  if (quote) position++;
  while (text[position] === ' ' || text[position] === '\t') position++;
  const separator = text[position];
  if (separator !== ':' && separator !== '=') return null;
  position++;
  while (text[position] === ' ' || text[position] === '\t') position++;
  return { quote, separator, value: position };
}

function isKeyChar(code: number): boolean {
  // A-Z a-z 0-9 _ . / -
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 47 ||
    code === 45
  );
}

/** CREDENTIAL_HINT for `credentialPairs`, which sets `lastIndex` before each search (and calls nothing that uses it). */
const HINTS = new RegExp(CREDENTIAL_HINT.source, 'gi');

/** Whether `afterKey` can find a separator from a unit: a closing quote, a blank, `:` or `=`. */
function mayFollowKey(code: number): boolean {
  // " ' space tab : =
  return code === 34 || code === 39 || code === 32 || code === 9 || code === 58 || code === 61;
}

/**
 * The credential pairs of a text: values of keys that name a credential, wherever a key can be. A key starts a line
 * (YAML, env files, after a `- `) or follows `{`, `,`, `[` or `(` (flow maps, JSON), optionally quoted, and is followed
 * by `:` or `=`; or it follows a blank and is followed by `=` (a literal a tool quotes). A key anywhere else
 * (`"automount-token: <reason>"` inside an annotation's value, `token: it` in a sentence) is not one. A value reads as
 * YAML writes it: quoted (to the closing quote), a block scalar (`|` or `>`: the more indented lines below), or plain
 * (to the end of the line at the start of a line, else to the next blank, comma or bracket). The search starts from
 * the words a credential key holds, which most keys lack.
 */
export function credentialPairs(text: string): CredentialPair[] {
  const pairs: CredentialPair[] = [];
  const hints = HINTS;
  hints.lastIndex = 0;
  // `test`, not `exec`: no match object for each of the many hits. The hint's letters are key characters, so the key
  // around it is found by walking both ways from where the hint ends.
  while (hints.test(text)) {
    let start = hints.lastIndex;
    while (start > 0 && isKeyChar(text.charCodeAt(start - 1))) start--;
    let end = hints.lastIndex;
    while (end < text.length && isKeyChar(text.charCodeAt(end))) end++;
    hints.lastIndex = end;
    // Most keys found are followed by none of these (`automountServiceAccountToken` in backticks, `tokens,` in
    // prose), and no separator can follow.
    if (!mayFollowKey(text.charCodeAt(end))) continue;
    const quote = text[start - 1] === '"' || text[start - 1] === "'" ? text[start - 1]! : '';
    const after = afterKey(text, end);
    if (!after || after.quote !== quote) continue;
    const keyStart = start - quote.length;
    // What comes before the key on its line, past blanks (and a list's `- `); walked back over only those, as a text
    // can be one long line (JSON).
    let before = keyStart - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t' || text[before] === '-')) before--;
    const atLineStart = before < 0 || text[before] === '\n' || text[before] === '\r';
    const inFlow = before >= 0 && '{,[('.includes(text[before]!);
    // In a sentence, `token: it never expires` is no pair; `password=x` in a literal a tool quotes is one.
    const literal = after.separator === '=' && /\s/.test(text[keyStart - 1] ?? '');
    if (!atLineStart && !inFlow && !literal) continue;
    const key = text.slice(start, end);
    if (!/^[A-Za-z_]/.test(key) || !isCredentialKey(key)) continue;
    const value = valueAt(text, after.value, atLineStart, keyStart - before - 1);
    if (!value || !isCredentialValue(value.value)) continue;
    pairs.push({ key, ...value });
    // Text inside a value is not searched for keys: `password: "a token: b"` is one pair.
    hints.lastIndex = Math.max(hints.lastIndex, value.end);
  }
  return pairs;
}

function valueAt(
  text: string,
  from: number,
  atLineStart: boolean,
  indent: number,
): Omit<CredentialPair, 'key'> | null {
  const first = text[from];
  if (first === '"' || first === "'") {
    const close = first === '"' ? /(?:[^"\\\n]|\\.)*"/y : /(?:[^'\n]|'')*'/y;
    close.lastIndex = from + 1;
    if (!close.exec(text)) return null;
    const end = close.lastIndex - 1;
    const written = text.slice(from + 1, end);
    return {
      value: first === '"' ? unescapeDouble(written) : written.replace(/''/g, "'"),
      start: from + 1,
      end,
    };
  }
  const block = /[|>][-+0-9]*[ \t]*(?:#.*)?(?:\r?\n|$)/y;
  block.lastIndex = from;
  if (atLineStart && block.exec(text)) {
    // The block's lines are those indented deeper than the key's line.
    const start = block.lastIndex;
    const lines = /(?:(?:[ \t]*\r?\n)|(?:[ \t]+[^\n]*(?:\n|$)))/y;
    let end = start;
    lines.lastIndex = start;
    for (let line = lines.exec(text); line && line[0] !== ''; line = lines.exec(text)) {
      if (line[0].trim() !== '' && line[0].length - line[0].trimStart().length <= indent) break;
      end = lines.lastIndex;
    }
    const written = text.slice(start, end).replace(/\s+$/, '');
    const rows = written.split('\n');
    const margin = Math.min(
      ...rows.filter((row) => row.trim() !== '').map((row) => /^[ \t]*/.exec(row)![0].length),
    );
    return { value: rows.map((row) => row.slice(margin)).join('\n'), start, end: start + written.length };
  }
  const plain = atLineStart
    ? /[^\s"'`{[\\][^\n]*?(?=[ \t]+#|[ \t]*(?:\r?\n|$))/y
    : /[^\s"'`{[\\][^\s,}\])"'`\\]*/y;
  plain.lastIndex = from;
  const found = plain.exec(text);
  if (!found) return null;
  return { value: found[0], start: from, end: from + found[0].length };
}

/** A double-quoted YAML or JSON string's content as it reads; as written when it is not valid JSON. */
function unescapeDouble(written: string): string {
  try {
    return JSON.parse(`"${written}"`) as string;
  } catch {
    return written;
  }
}

/**
 * Credentials recognisable by their shape alone, anywhere: AWS access key ids, PEM private keys, GitHub tokens, JWTs,
 * Google API keys and Slack tokens. A private key runs to its END line, or when cut short to the end of the text; in
 * JSON, never past the end of the string it is in (so redacting it keeps the JSON valid). Only that one runs past a
 * line break: `redact-pieces.ts` relies on it, and on a pair's value doing so only as a block scalar.
 */
export const CREDENTIAL_SHAPES: readonly RegExp[] = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/,
  /-----BEGIN[A-Z ]*PRIVATE KEY-----(?:\\.|[^"\\])*?(?:-----END[A-Z ]*PRIVATE KEY-----|(?="|$))/,
  /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/,
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/,
  /\bAIza[0-9A-Za-z_-]{35}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
];
