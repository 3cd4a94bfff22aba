import { CREDENTIAL_SHAPES, credentialPairs } from './credentials.js';
import { CATALOG } from '../rules/catalog.generated.js';
import { LiteralSearch } from './literal-search.js';
import type { Finding, SourceFile } from './types.js';

/**
 * The one filter every text that leaves the tool goes through. A pull request is attacker-controlled, and the files it
 * scans may hold secrets of the repository's owner: a review, a check run, a log line, a report or a patch that quoted
 * one would publish it. The filter knows the secret values of one run, learned from what the run read (Secret data,
 * credential-named keys of manifests and chart values, literal credential variables, kustomize generator sources), and
 * the shapes of well-known credentials. Prose goes through `redact`; text that must be shown verbatim (a suggestion,
 * a fix's replacement, a patch) is checked with `contains` and withheld, never altered: an altered suggestion would
 * write the marker into the user's file.
 */

/** What a secret is replaced with in prose. */
export const REDACTED = '[redacted]';

/**
 * Values shorter than this are not learned: a short value (`admin`, `default`, a namespace) is likely to be a word the
 * tool prints for its own reasons, and redacting it everywhere would make messages unreadable. Short credentials next
 * to a credential key (`password: abc`) are still recognised by the key.
 */
export const MIN_SECRET_LENGTH = 8;

export class SecretFilter {
  private readonly known = new Set<string>();
  /**
   * Names the outputs place things by (`allowIdentifiers`), as given: they matter only for plain values, which most
   * runs have none of, so they are not hashed into a set (100,000 names took a quarter of a second).
   */
  private readonly identifiers: (readonly string[])[] = [];
  /** The paths of the files read and of their folders (`allowPaths`), and their index, made when first needed. */
  private readonly paths = new Set<string>();
  private pathSearch: LiteralSearch | null = null;
  /** Values learned only as plain ones (`addScan`), and values learned any other way. */
  private readonly plain = new Set<string>();
  private readonly strong = new Set<string>();
  /** The known values' index, rebuilt on the next search after a value is added. */
  private search: LiteralSearch | null = null;

  /** Learns a secret value, with the forms it takes in outputs: trimmed, JSON-escaped and base64-encoded. */
  add(value: string): void {
    this.learn(value, this.strong);
  }

  /**
   * Learns a scan's secret values (`ScanResult`). Its plain ones (data of an Opaque Secret under a key that names no
   * credential, often configuration kept in a Secret) are kept out of outputs too, but not where one is a name the
   * outputs place things by (`allowIdentifiers`) or a word of the tool's own texts: `PLATFORM: Kubernetes` blanked
   * the tool's wording in every message. A value also learned any other way is no plain value.
   */
  addScan(found: { secretValues: Iterable<string>; plainSecretValues: ReadonlySet<string> }): void {
    for (const value of found.secretValues)
      this.learn(value, found.plainSecretValues.has(value) ? this.plain : this.strong);
  }

  private learn(value: string, kind: Set<string>): void {
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH) return;
    if (!kind.has(trimmed)) {
      kind.add(trimmed);
      this.search = null;
    }
    const forms = new Set([value, trimmed, JSON.stringify(trimmed).slice(1, -1)]);
    // Base64 with and without its padding: a kustomize replacement cut at `=` wrote the rest into a name.
    const base64 = Buffer.from(trimmed, 'utf8').toString('base64');
    forms.add(base64);
    forms.add(base64.replace(/=+$/, ''));
    // A private key's body lines, which a tool may quote one at a time. (Not the lines of any multi-line value: those
    // of a config file stored in a Secret, such as `apiVersion: v1`, are everyone's.)
    if (/-----BEGIN[A-Z ]*PRIVATE KEY-----/.test(trimmed)) {
      for (const line of trimmed.split(/\r?\n|\\n/)) if (!line.startsWith('-----')) forms.add(line.trim());
    }
    for (const form of forms) {
      if (form.length < MIN_SECRET_LENGTH || this.known.has(form)) continue;
      this.known.add(form);
      this.search = null;
    }
  }

  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  /**
   * Names the outputs place things by and print as such: path segments of the scanned files, names and namespaces of
   * their objects (`identifiersOf`). A plain value (`addScan`) equal to one (a Secret holding `payments-api` under
   * `EVENT_SOURCE`, the name of a folder and a Deployment) is not replaced: replaced, it broke the paths of findings,
   * SARIF results and review comments. A credential equal to one still is, wherever it is written.
   */
  allowIdentifiers(names: Iterable<string>): void {
    this.identifiers.push(Array.isArray(names) ? (names as readonly string[]) : [...names]);
    if (this.plain.size > 0) this.search = null;
  }

  /**
   * Learns the paths of the files a run read, and of their folders: where one is written whole in a text, no value in
   * it is replaced, a credential's included. A path places a finding (a review comment, an annotation, a SARIF location)
   * and names a file anyone with the repository sees; a password that happens to be a folder's name (`postgres`) made
   * `[redacted]/[redacted].yaml` of it, a place no output can use, while the name proves nothing about the secret.
   */
  allowPaths(files: Iterable<{ path: string }>): void {
    for (const { path } of files) {
      // The path and its folders of two segments or more: a folder of one segment is a word like any other, and the
      // secret itself may be one.
      for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
        const prefix = path.slice(0, end);
        if (prefix.length < MIN_SECRET_LENGTH || this.paths.has(prefix)) break;
        if (end < path.length && !prefix.includes('/')) break;
        this.paths.add(prefix);
        this.pathSearch = null;
      }
    }
  }

  /** Learns the values of credential-named keys in any text: YAML, JSON, an env file, a tool's output. */
  learnText(text: string): void {
    for (const pair of credentialPairs(text)) this.add(pair.value);
  }

  /**
   * Learns from a scan: the credential keys of every file read, and the secret values the scan's model found; and the
   * names it places things by.
   */
  learnScan(
    files: readonly SourceFile[],
    found: {
      secretValues: Iterable<string>;
      plainSecretValues: ReadonlySet<string>;
      identifiers: Iterable<string>;
    },
  ): void {
    for (const file of files) this.learnText(file.text);
    this.addScan(found);
    this.allowIdentifiers(found.identifiers);
  }

  /** Prose with every secret replaced by `[redacted]`: known values, credential shapes, values of credential keys. */
  redact(text: string): string {
    return withMarkers(text, this.spans(text));
  }

  /** Whether a text holds a secret: such a text, when it must be quoted verbatim, is not shown at all. */
  contains(text: string): boolean {
    return this.spans(text).length > 0;
  }

  /** The lines (1-based) of a text that hold a secret, or part of one: a patch leaves them out. */
  linesContaining(text: string): Set<number> {
    const lines = new Set<number>();
    const spans = this.spans(text);
    if (spans.length === 0) return lines;
    const starts = [0];
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
    /** The 1-based line of an offset: the number of line starts at or before it. */
    const lineOf = (offset: number) => {
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (starts[middle]! <= offset) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    for (const [start, end] of spans) {
      for (let line = lineOf(start); line <= lineOf(Math.max(start, end - 1)); line++) lines.add(line);
    }
    return lines;
  }

  /**
   * Findings made fit to leave: messages and suppression reasons redacted, and fixes that would quote a secret (as
   * a suggestion's whole lines, or in an edit) withheld, as when no safe edit can be made.
   */
  cleanFindings(findings: readonly Finding[]): void {
    // Findings repeat texts (one message for each resource of a kind, one inserted line for many workloads): each
    // distinct text is searched once.
    const searched = new Map<string, [number, number][]>();
    const spansOf = (text: string) => {
      let spans = searched.get(text);
      if (spans === undefined) searched.set(text, (spans = this.spans(text)));
      return spans;
    };
    const quotesSecret = (text: string) => spansOf(text).length > 0;
    for (const finding of findings) {
      finding.message = withMarkers(finding.message, spansOf(finding.message));
      const suppression = finding.suppression;
      if (suppression) suppression.reason = withMarkers(suppression.reason, spansOf(suppression.reason));
      const fix = finding.fix;
      if (fix && (quotesSecret(fix.replacement) || fix.edits.some((edit) => quotesSecret(edit.text))))
        finding.fix = null;
    }
  }

  /** Errors and notices (a renderer's stderr among them) with their messages redacted. */
  cleanMessages(entries: readonly { message: string }[]): void {
    for (const entry of entries) entry.message = this.redact(entry.message);
  }

  /**
   * Where secrets are in a text: [start, end) spans, sorted and merged. Every occurrence of every known value is in
   * one. (Values and shapes were once one RegExp, whose matches never overlap: a value starting inside an earlier
   * match was not found, and its part past that match stayed in the text. Covering it is more, never less.)
   */
  private spans(text: string): [number, number][] {
    const found = this.outsidePaths(text, this.valueSearch().longestAt(text));
    for (const shape of shapesBetween(text, found)) found.push(shape);
    // Inside an escaped string (JSON), a match right after a lone backslash takes it along: `\` + marker would be an
    // invalid escape. (Only now: `shapesBetween` reads where the values' matches begin.)
    for (const span of found) {
      let backslashes = 0;
      while (text.charCodeAt(span[0] - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 1) span[0]--;
    }
    for (const pair of credentialPairs(text)) found.push([pair.start, pair.end]);
    found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged: [number, number][] = [];
    for (const span of found) {
      const last = merged[merged.length - 1];
      if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push(span);
    }
    return merged;
  }

  /** The values' matches that are not inside a known path written whole (`allowPaths`). */
  private outsidePaths(text: string, found: [number, number][]): [number, number][] {
    if (found.length === 0 || this.paths.size === 0) return found;
    this.pathSearch ??= new LiteralSearch(this.paths, MIN_SECRET_LENGTH);
    // A path written whole: not the start of a longer name (`overlays/postgresql`), nor the end of one.
    const paths = this.pathSearch
      .longestAt(text)
      .filter(
        ([from, to]) => !PATH_CHARACTER.test(text.charAt(from - 1)) && !NAME_CHARACTER.test(text.charAt(to)),
      );
    if (paths.length === 0) return found;
    // Both in order of their starts: a match is inside a path when the furthest end of the paths starting at or
    // before it reaches its end.
    let next = 0;
    let reach = -1;
    return found.filter(([start, end]) => {
      while (next < paths.length && paths[next]![0] <= start) reach = Math.max(reach, paths[next++]![1]);
      return reach < end;
    });
  }

  private valueSearch(): LiteralSearch {
    if (this.search) return this.search;
    const words = toolWords();
    // The plain values that are names or words: those alone yield.
    const named = new Set<string>();
    if (this.plain.size > 0)
      for (const names of this.identifiers)
        for (const name of names) if (this.plain.has(name)) named.add(name);
    const yields = (value: string) =>
      this.plain.has(value) && !this.strong.has(value) && (named.has(value) || words.has(value));
    this.search = new LiteralSearch(
      [...this.known].filter((value) => !yields(value)),
      MIN_SECRET_LENGTH,
    );
    return this.search;
  }
}

const BACKSLASH = 0x5c;
/** Characters that continue a path before it, and a name after it (a `.` may end a sentence). */
const PATH_CHARACTER = /[\w./-]/;
const NAME_CHARACTER = /[\w-]/;

let words: Set<string> | null = null;

/**
 * The words of the tool's own texts (the rules' catalog: titles, descriptions, remediations, examples), as whole
 * values. A plain value that is one (`PLATFORM: Kubernetes`, `SCOPE: identity`) blanked the tool's wording in every
 * message and in SARIF's rule help.
 */
function toolWords(): Set<string> {
  words ??= new Set(
    JSON.stringify(CATALOG)
      .split(/[^A-Za-z0-9]+/)
      .filter((word) => word.length >= MIN_SECRET_LENGTH),
  );
  return words;
}

/** `text` with each span replaced by the marker. */
function withMarkers(text: string, spans: readonly [number, number][]): string {
  if (spans.length === 0) return text;
  let result = '';
  let at = 0;
  for (const [start, end] of spans) {
    result += text.slice(at, start) + REDACTED;
    at = end;
  }
  return result + text.slice(at);
}

/** The credential shapes as one pattern; `lastIndex` is set before each use. */
const SHAPES = new RegExp(CREDENTIAL_SHAPES.map((shape) => shape.source).join('|'), 'g');

/**
 * The credential shapes of a text: those the one RegExp of known values and shapes (values first, longest first)
 * found, and those it did not. It resumed each search at the end of its last match, and took a value where a value
 * and a shape began at the same place: a value ending inside a shape (`…-AKIA`) left the rest of the shape in the
 * text. `values` are the longest value at each place one starts, in order (`LiteralSearch.longestAt`).
 */
function shapesBetween(text: string, values: readonly [number, number][]): [number, number][] {
  const shapes: [number, number][] = [];
  // The pattern's way: shapes on their own, searched again where a value's match passes the next shape's start.
  let resume = 0;
  let next = 0;
  let passed: [number, number] | null = null;
  let shape = shapeFrom(text, 0);
  while (shape) {
    while (next < values.length && values[next]![0] < resume) next++;
    const value = values[next];
    if (value && value[0] <= shape[0]) {
      resume = value[1];
      next++;
      if (shape[0] < resume) {
        passed ??= shape;
        shape = shapeFrom(text, resume);
      }
      continue;
    }
    shapes.push(shape);
    resume = after(shape);
    shape = shapeFrom(text, resume);
  }
  // Until a value passed one, the pattern's searches were those of shapes alone; from there on, shapes alone too.
  for (let alone = passed; alone; alone = shapeFrom(text, after(alone))) shapes.push(alone);
  return shapes;
}

/** Where a search resumes after a shape's match. No shape matches the empty string; were one to, it would move on. */
function after(shape: [number, number]): number {
  return Math.max(shape[1], shape[0] + 1);
}

/** The first credential shape in `text` from `at` on. */
function shapeFrom(text: string, at: number): [number, number] | null {
  SHAPES.lastIndex = at;
  const match = SHAPES.exec(text);
  return match ? [match.index, match.index + match[0].length] : null;
}
