/**
 * Where a failed `kustomize build` went wrong, read from kustomize's message: the kustomization at fault and the line
 * of its entry. kustomize names each entry it was accumulating, outermost first (`accumulating resources from
 * 'base'`), and then quotes what it could not load (`'missing.yaml'`, `file sources: [../x.env]`). The file is the
 * innermost kustomization of that chain the repository holds; the line is that of the entry the message names last in
 * the chain, or else of the file's value the rest of the message quotes last. Best effort: a message that
 * names nothing the file holds leaves the line out, and the overlay's own kustomization is named.
 */
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { LineStarts } from '../core/line-starts.js';
import { kustomizationFile, kustomizationLabel } from './kustomize-sources.js';

export interface FailureLocation {
  /** A kustomization file, relative to the root. */
  file: string;
  line: number | null;
}

/** Kustomizations walked down a chain at most; a real overlay nests a few deep. */
const MAX_DEPTH = 50;
/**
 * How much of a message is read, and how many of a kustomization's values are looked for in it: real messages take a
 * few hundred characters, and a hostile kustomization's thousands of values against a long message must not take
 * minutes.
 */
const MAX_MESSAGE = 16_384;
const MAX_VALUES = 2_000;
/** Characters that may stand around a value kustomize quotes (`/`: the end of a path it made absolute). */
const BEFORE = new Set(["'", '"', '[', '(', ' ', '\t', '=', '/']);
const AFTER = new Set(["'", '"', ']', ')', ' ', '\t', ':', ',']);

/**
 * The kustomization at fault for the overlay at `dir` (relative to `root`), given kustomize's message with the
 * overlay named as `dir` (or `.`) where the build named its scratch wrapper's entry (`stderr`).
 */
export async function failureLocation(root: string, dir: string, stderr: string): Promise<FailureLocation> {
  const message = stderr.slice(0, MAX_MESSAGE);
  const chain = [...message.matchAll(/accumulating (?:resources|components) from '([^']*)'/g)];
  // The first entry is the wrapper's, which names the overlay itself.
  if (chain[0]?.[1] === (dir || '.')) chain.shift();
  let current = dir;
  let found = await kustomizationFile(root, current);
  if (found === null) return { file: kustomizationLabel(dir), line: null };
  let rest = message;
  for (const match of chain.slice(0, MAX_DEPTH)) {
    const entry = match[1]!.trim();
    const next = posix.normalize(posix.join(current || '.', entry));
    const nested = isLocal(next) && (await isFolder(root, next)) ? await kustomizationFile(root, next) : null;
    rest = message.slice(match.index! + match[0].length);
    // A file (or a folder without a kustomization) failed to load: the kustomization naming it is at fault.
    if (nested === null) {
      const values = valuesOf(found.text);
      const line = values.find(({ value }) => value.trim() === entry)?.line;
      return { file: found.file, line: line ?? lastQuoted(values, rest) };
    }
    current = next === '.' ? '' : next;
    found = nested;
  }
  return { file: found.file, line: lastQuoted(valuesOf(found.text), rest) };
}

/**
 * The line of the kustomization's value that `message` quotes last: kustomize's messages go from the context to the
 * cause (`literal sources [a=b bad]: invalid literal source bad`, `file sources: [x]: security; file '<root>/x'`).
 */
function lastQuoted(values: readonly KustomizationValue[], message: string): number | null {
  let best: { at: number; line: number } | null = null;
  const searched = new Set<string>();
  for (const { value, line } of values) {
    const needle = value.trim();
    if (needle.length < 2 || searched.has(needle)) continue;
    searched.add(needle);
    for (
      let at = message.lastIndexOf(needle);
      at !== -1;
      at = at === 0 ? -1 : message.lastIndexOf(needle, at - 1)
    ) {
      const before = at === 0 ? ' ' : message[at - 1]!;
      const after = message[at + needle.length] ?? ' ';
      if (BEFORE.has(before) && AFTER.has(after)) {
        if (best === null || at > best.at) best = { at, line };
        break;
      }
    }
  }
  return best?.line ?? null;
}

interface KustomizationValue {
  value: string;
  line: number;
}

/**
 * The string values of a kustomization (not keys: field names are not what kustomize quotes), with their lines, in
 * the order written; at most MAX_VALUES.
 */
function valuesOf(text: string): KustomizationValue[] {
  const lines = new LineStarts(text);
  const values: KustomizationValue[] = [];
  let count = 0;
  const walk = (node: unknown, depth: number): void => {
    if (depth > 20 || count >= MAX_VALUES) return;
    if (isScalar(node)) {
      count++;
      if (typeof node.value === 'string' && node.range)
        values.push({ value: node.value, line: lines.linePos(node.range[0]).line });
    } else if (isMap(node)) for (const pair of node.items) walk(pair.value, depth + 1);
    else if (isSeq(node)) for (const item of node.items) walk(item, depth + 1);
  };
  walk(parseDocument(text, { version: '1.1' }).contents, 0);
  return values;
}

function isLocal(path: string): boolean {
  return path !== '..' && !path.startsWith('../') && !posix.isAbsolute(path);
}

async function isFolder(root: string, path: string): Promise<boolean> {
  return (await stat(join(root, path)).catch(() => null))?.isDirectory() ?? false;
}
