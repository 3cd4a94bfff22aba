/**
 * Where a document parsed by the `yaml` package could mean something else to Kubernetes, which reads YAML with
 * `sigs.k8s.io/yaml` (a fork of go-yaml v2) and turns it into JSON. Plain scalars already resolve as Kubernetes
 * resolves them (`kubernetes-scalars.ts`); what is left is found here, and such a document is not judged but reported,
 * so a check never passes on a reading other than the one applied:
 *
 * - a merge key that overwrites a key written above it in the same map: go-yaml v2 applies a map's entries in order,
 *   so `roleRef: {name: view, <<: {name: cluster-admin}}` binds `cluster-admin` in the cluster and `view` to the YAML
 *   1.1 merge rule other readers follow;
 * - keys JSON cannot take as they are: null, float and collection keys (Kubernetes refuses some and renders others in
 *   its own way), and two keys that become the same field (`1` and `"1"`: which one wins is random in Go);
 * - tags other than the core ones (`!!binary`, `!!set`, `!!timestamp`, local `!tags`), which go-yaml v2 reads in its
 *   own ways;
 * - infinities and NaN, which JSON cannot carry.
 */
import {
  type Document,
  type Node,
  type Scalar,
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
} from 'yaml';
import { resolvePlain } from './kubernetes-scalars.js';

export interface ReadingProblem {
  /** Offset of the node at fault in the document's text. */
  offset: number;
  message: string;
}

const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((tag) => `tag:yaml.org,2002:${tag}`).concat('!'),
);

/** The first place where Kubernetes could read the document differently; null when it reads what we read. */
export function readingProblem(doc: Document.Parsed): ReadingProblem | null {
  let found: ReadingProblem | null = null;
  const report = (node: Node | null | undefined, message: string) => {
    found = { offset: node?.range?.[0] ?? 0, message };
    return visit.BREAK;
  };
  visit(doc, {
    Scalar(_, scalar, path) {
      if (scalar.tag !== undefined && !CORE_TAGS.has(scalar.tag))
        return report(scalar, tagMessage(scalar.tag));
      if (scalar.type === 'PLAIN' && scalar.source?.startsWith(':') && inFlow(path)) {
        return report(
          scalar,
          `YAML plain value \`${scalar.source.slice(0, 40)}\` in a flow collection (\`[...]\` or \`{...}\`): ` +
            "Kubernetes' reader takes a `:` that starts it for a missing key and refuses the file; quote the value.",
        );
      }
      if (typeof scalar.value === 'number' && !Number.isFinite(scalar.value)) {
        return report(
          scalar,
          `YAML value \`${String(scalar.source)}\`: JSON, and so Kubernetes, cannot carry it.`,
        );
      }
      return undefined;
    },
    Seq(_, seq) {
      if (seq.tag !== undefined && !CORE_TAGS.has(seq.tag)) return report(seq, tagMessage(seq.tag));
      return undefined;
    },
    Map(_, map) {
      if (map.tag !== undefined && !CORE_TAGS.has(map.tag)) return report(map, tagMessage(map.tag));
      const written = new Set<string>();
      const fields = new Map<string, Node>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (isScalar(key) && typeof key.value === 'symbol') {
          const clash = [...mergedKeys(doc, pair.value as Node | null, 0)].find((name) => written.has(name));
          if (clash !== undefined) {
            return report(
              key,
              `YAML merge key: \`<<\` here sets \`${clash}\`, which this map also sets above it. Kubernetes reads the ` +
                'merged value, other YAML readers the one written in the map; write the field once.',
            );
          }
          continue;
        }
        const field = fieldName(key);
        if (field === null) {
          return report(
            key,
            `YAML map key ${describeKey(key)}: Kubernetes cannot read it as a field name the way other YAML readers ` +
              'do; write it as a quoted string.',
          );
        }
        const earlier = fields.get(field);
        if (earlier !== undefined && earlier !== key) {
          return report(
            key,
            `YAML map key ${describeKey(key)} is the same field to Kubernetes as the key on the line above with the ` +
              `same name (\`${field}\`), and which one it keeps is random; write the field once.`,
          );
        }
        fields.set(field, key!);
        written.add(field);
      }
      return undefined;
    },
  });
  return found;
}

function tagMessage(tag: string): string {
  return `YAML tag \`${tag.replace(/^tag:yaml.org,2002:/, '!!')}\`: Kubernetes reads it in its own way; write the value without the tag.`;
}

/** The JSON field name Kubernetes makes of a map key, or null where it refuses it or renders it its own way. */
function fieldName(key: Node | null): string | null {
  if (!isScalar(key)) return null;
  const value = key.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && isPlainInt(key)) return String(value);
  return null;
}

function isPlainInt(key: Scalar): boolean {
  if (key.tag === 'tag:yaml.org,2002:int') return true;
  return key.tag === undefined && resolvePlain(String(key.source)).tag === 'int';
}

function describeKey(key: Node | null): string {
  if (isScalar(key)) return `\`${String(key.source ?? key.value)}\``;
  if (isAlias(key)) return `\`*${key.source}\``;
  if (isCollection(key)) return 'written as a collection';
  return 'left empty';
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

/** Whether a node with these ancestors sits in a flow collection. */
function inFlow(path: readonly unknown[]): boolean {
  return path.some((ancestor) => (isMap(ancestor) || isSeq(ancestor)) && ancestor.flow === true);
}
