import { isKubernetesObject } from './inert.js';
import { type TreeDocument, readFast } from './tree.js';

/**
 * What the fast reader makes of one document read alone, in whichever thread reads it: no document (blank or
 * comments only), a document that is no Kubernetes object (its tree let go at once: a lock file, an OpenAPI
 * description), or an object and its tree. null when the fast reader does not model the document or js-yaml rejects
 * it: the full reader then reads it in the main thread, and reports what it finds in its own words.
 */
export type FastReading = { documents: 0 | 1; tree: TreeDocument | null } | null;

export function readFastAlone(text: string, from: number, to: number): FastReading {
  let tree: TreeDocument | null | undefined;
  try {
    tree = readFast(text, from, to);
  } catch {
    return null;
  }
  if (tree === undefined) return { documents: 0, tree: null };
  if (tree === null) return null;
  return { documents: 1, tree: isKubernetesObject(tree.value) ? tree : null };
}
