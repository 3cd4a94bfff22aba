/**
 * Where YAML merge keys (`<<`) are read differently by Kubernetes. The API server and kubectl read YAML with
 * `sigs.k8s.io/yaml` (a fork of go-yaml v2), which applies a map's entries in order: a `<<` merge overwrites a key
 * written above it in the same map. The YAML 1.1 merge rule, which the parsers here follow, keeps the key written in
 * the map. So `roleRef: {name: view, <<: {name: cluster-admin}}` binds `cluster-admin` in the cluster and `view` to
 * any other reader. Such a document is not judged: it is an error naming the key, to be written once.
 */
import { type Document, type Node, isAlias, isMap, isScalar, isSeq, visit } from 'yaml';

export interface MergeConflict {
  /** Offset of the `<<` key in the document's text. */
  offset: number;
  key: string;
}

/** The first merge that overwrites, for Kubernetes, a key its map wrote above it; null when readers agree. */
export function mergeConflict(doc: Document.Parsed): MergeConflict | null {
  let found: MergeConflict | null = null;
  visit(doc, {
    Map(_, map) {
      const written = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) continue;
        if (typeof key.value === 'symbol') {
          const clash = [...mergedKeys(doc, pair.value as Node | null, 0)].find((name) => written.has(name));
          if (clash !== undefined) {
            found = { offset: key.range?.[0] ?? 0, key: clash };
            return visit.BREAK;
          }
        } else {
          written.add(String(key.value));
        }
      }
      return undefined;
    },
  });
  return found;
}

/** The keys a merge value brings: of a map, an alias of one, or a sequence of those (nested merges included). */
function mergedKeys(doc: Document.Parsed, node: Node | null, depth: number): Set<string> {
  const keys = new Set<string>();
  if (node === null || depth > 20) return keys;
  const target = isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
  if (!target) return keys;
  if (isSeq(target)) {
    for (const item of target.items)
      for (const key of mergedKeys(doc, item as Node, depth + 1)) keys.add(key);
  } else if (isMap(target)) {
    for (const pair of target.items) {
      if (!isScalar(pair.key)) continue;
      if (typeof pair.key.value === 'symbol') {
        for (const key of mergedKeys(doc, pair.value as Node | null, depth + 1)) keys.add(key);
      } else keys.add(String(pair.key.value));
    }
  }
  return keys;
}
