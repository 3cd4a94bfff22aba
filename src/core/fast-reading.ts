import { readBlock } from './block-reader.js';
import { isKubernetesObject } from './inert.js';
import { type TreeDocument, readFast } from './tree.js';

/**
 * What the fast reader makes of one document read alone, in whichever thread reads it: no document (blank or
 * comments only), a document that is no Kubernetes object (its tree let go at once: a lock file, an OpenAPI
 * description), or an object and its tree. null when the fast reader does not model the document or js-yaml rejects
 * it: the full reader then reads it in the main thread, and reports what it finds in its own words.
 */
export type FastReading = { documents: 0 | 1; tree: TreeDocument | null } | null;

export function readFastAlone(text: string, from: number, to: number, kept = true): FastReading {
  // Block YAML first: most manifests are, and its strings are the file text's own (nothing to detach).
  const block = readBlock(text, from, to);
  if (block === undefined) return { documents: 0, tree: null };
  if (block) return { documents: 1, tree: isKubernetesObject(block.value) ? block : null };
  let tree: TreeDocument | null | undefined;
  try {
    tree = readFast(text, from, to);
  } catch {
    return null;
  }
  if (tree === undefined) return { documents: 0, tree: null };
  if (tree === null) return null;
  if (!isKubernetesObject(tree.value)) return { documents: 1, tree: null };
  if (kept) detachStrings(tree.value);
  return { documents: 1, tree };
}

/**
 * js-yaml reads a copy of the document's text (it appends a terminator), and V8 makes each string of 13 characters or
 * more that js-yaml cuts from it a view into that copy: an object kept for the rules would keep its whole document's
 * text alive a second time (about 55 MB at 100,000 documents). Such strings are replaced by copies of their own.
 * `kept: false` skips this for data that is copied anyway (posted to another thread).
 */
function detachStrings(data: object): void {
  const record = data as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string') {
      // Flattening `value + ' '` copies the characters; the slice is a view into that copy alone.
      if (value.length >= 13) record[key] = `${value} `.slice(0, -1);
    } else if (typeof value === 'object' && value !== null) {
      detachStrings(value);
    }
  }
}
