/**
 * Which files of a walked tree can be left unread: those that provably cannot hold a Kubernetes object, however
 * kubectl or this scan would read them. A home folder or a monorepo is mostly lock files, package manifests, editor
 * settings and data; reading each as YAML, with offsets, costs minutes and gigabytes.
 *
 * A Kubernetes object is a mapping with both an `apiVersion` and a `kind` key (a List too, and its items). A file is
 * left unread only when one of the two keys cannot be written anywhere in it:
 *
 * - no spelling of the word at all: literally (in any case), or through escapes of double-quoted YAML and JSON
 *   strings (`"k\u0069nd"`, `"\x6bind"`, `"\U0000006b..."`) and escaped line breaks (`"ki\⏎  nd"`), the only ways a
 *   YAML or JSON reader builds a key from other characters. Anchors, aliases, merge keys (`<<: *a`), explicit keys
 *   (`? kind`), flow mappings and block scalars all take the key from text written somewhere in the file;
 * - and no tag that could make a key out of other text: go-yaml, which kubectl reads with, turns a `!!binary` key
 *   into the string it encodes. A file with a tag and `binary` or a `%` (a URI escape in a tag, a `%TAG` directive)
 *   is read.
 *
 * Or the file is one JSON value (what `JSON.parse` accepts) whose top level is not a mapping with both keys: kubectl
 * reads a file starting with `{` with a JSON decoder, and a JSON array or scalar is no object to any reader.
 *
 * Anything else is read as before, and its errors reported: a file that mentions both keys is judged whole.
 */

/** The spellings of `word` a YAML or JSON reader can turn into it, as a case-insensitive pattern. */
function spellingsOf(word: string): RegExp {
  const hex = (code: number) => code.toString(16).padStart(2, '0');
  const letter = (char: string) => {
    const codes = [...new Set([char.toLowerCase(), char.toUpperCase()])].map((c) => hex(c.charCodeAt(0)));
    return `(?:${char}|\\\\(?:x|u00|U000000)(?:${codes.join('|')}))`;
  };
  // An escaped line break joins two lines of a double-quoted string with nothing between them.
  const joint = '(?:\\\\[\\r\\n\\u0085\\u2028\\u2029]\\s*)*';
  return new RegExp([...word].map(letter).join(joint), 'i');
}

const API_VERSION = /apiversion/i;
const KIND = /kind/i;
const API_VERSION_SPELLINGS = spellingsOf('apiVersion');
const KIND_SPELLINGS = spellingsOf('kind');
/** What may stand before a YAML tag: blanks or a flow indicator (`"a":!!binary x` too); or it starts the text. */
const BEFORE_TAG = /[\s[{,:]/;
const BINARY = /binary/i;

/** Whether `text` may spell `word` (see the module comment): its literal, or escapes when it has any. */
function maySpell(text: string, literal: RegExp, spellings: RegExp): boolean {
  return literal.test(text) || (text.includes('\\') && spellings.test(text));
}

/**
 * Whether `text` may hold a tag: a `!` at its start or after what BEFORE_TAG allows. Found from each `!`: a pattern
 * for the pair is tried at every character of the text, a tenth of a large tree's scan.
 */
function mayHoldTag(text: string): boolean {
  for (let at = text.indexOf('!'); at !== -1; at = text.indexOf('!', at + 1)) {
    if (at === 0 || BEFORE_TAG.test(text[at - 1]!)) return true;
  }
  return false;
}

/** Whether a tag in `text` could turn other text into a key (`!!binary`, or one written with `%` escapes). */
function mayTagKeys(text: string): boolean {
  return mayHoldTag(text) && (BINARY.test(text) || text.includes('%'));
}

/**
 * false when the whole text of a file provably holds no Kubernetes object (see the module comment); true when it may,
 * and must be read.
 */
export function mayHoldKubernetesObjects(text: string): boolean {
  const spellsBoth =
    maySpell(text, API_VERSION, API_VERSION_SPELLINGS) && maySpell(text, KIND, KIND_SPELLINGS);
  if (!spellsBoth && !mayTagKeys(text)) return false;
  return jsonMayHoldObjects(text);
}

/**
 * For a text that is one JSON value: whether its top level is a mapping with both keys (in any case). Anything else
 * (not JSON, several JSON values, JSON with comments) may hold objects.
 */
function jsonMayHoldObjects(text: string): boolean {
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return true;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = new Set(Object.keys(value).map((key) => key.toLowerCase()));
  return keys.has('apiversion') && keys.has('kind');
}

/**
 * For a file too large to read whole, judged chunk by chunk: what `mayHoldKubernetesObjects` looks for, more
 * cautiously. Any backslash, or a tag with `binary` or `%`, and the file may hold objects; otherwise it may when it
 * spells both keys literally. Chunks are fed in order; the end of each is kept to find words cut in two.
 */
export class ChunkedCandidate {
  private carried = '';
  private apiVersion = false;
  private kind = false;
  private backslash = false;
  private tag = false;
  private binaryOrPercent = false;

  add(chunk: string): void {
    // The chunk, and where it meets the one before: no word looked for is longer than `carried`.
    for (const text of [chunk, this.carried + chunk.slice(0, 16)]) {
      this.apiVersion ||= API_VERSION.test(text);
      this.kind ||= KIND.test(text);
      this.tag ||= mayHoldTag(text);
      this.binaryOrPercent ||= BINARY.test(text);
    }
    this.backslash ||= chunk.includes('\\');
    this.binaryOrPercent ||= chunk.includes('%');
    this.carried = chunk.slice(-16);
  }

  /** false only when no chunk could write both keys. */
  mayHoldObjects(): boolean {
    return this.backslash || (this.tag && this.binaryOrPercent) || (this.apiVersion && this.kind);
  }
}
