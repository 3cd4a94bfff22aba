/**
 * The Go oracle (`__tests__/oracle`, built by `.ci/run` into `.tools/bin/k8s-yaml-oracle`): kubectl's own reading of
 * manifest files, through cli-runtime's byte-order-mark handling, apimachinery's YAML-or-JSON decoder and
 * `sigs.k8s.io/yaml`. `disagreement` holds the loader to it.
 */
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { decodeFile } from '../src/adapters/decode.js';
import { type LoadOptions, loadDocuments } from '../src/core/load.js';
import { isKubernetesObject } from '../src/core/inert.js';
import { mayMatter } from '../src/core/model.js';
import { NO_ORACLE, ORACLE } from './tools.js';

export const ORACLE_PATH = ORACLE ?? 'k8s-yaml-oracle';

/** Why the oracle cannot run here, or null when it can. */
export const ORACLE_MISSING: string | null = NO_ORACLE;

/**
 * One document as kubectl reads it: the JSON it sends, or the error it stops the file at (always last). A document
 * kubectl reads as a list (any with an `items` field) has the objects it applies instead of it, or why it applies none.
 */
export type KubernetesDocument = { json: unknown; items?: unknown[]; listError?: string } | { error: string };

/** kubectl's reading of each file (text is written as UTF-8; bytes are passed as they are). */
export function readAsKubernetes(files: ReadonlyArray<string | Uint8Array>): KubernetesDocument[][] {
  const input = JSON.stringify(files.map((file) => Buffer.from(file).toString('base64')));
  const output = execFileSync(ORACLE_PATH, { input, maxBuffer: 1 << 30 });
  return JSON.parse(output.toString('utf8')) as KubernetesDocument[][];
}

/** The objects of a document the scan would judge: the document itself, or what kubectl applies of a list. */
function judgedObjects(document: {
  json: unknown;
  items?: unknown[];
  listError?: string;
}): Record<string, unknown>[] {
  if (document.listError !== undefined) return [];
  const objects = document.items ?? [document.json];
  return objects.filter(
    (object): object is Record<string, unknown> & { kind: string } =>
      isKubernetesObject(object) && mayMatter(object),
  );
}

export interface Verdict {
  /** The loader refused the file (fail closed): nothing of it is judged, so it cannot disagree. */
  refused: boolean;
  /** What the loader judged that Kubernetes would not apply as judged; null when it judged nothing wrongly. */
  disagreement: string | null;
}

/**
 * Whether the loader reads a file as Kubernetes does. The rule, from the scan's promise: a file kubectl stops at with
 * an error, the loader refuses too (what another tool would apply from it is anyone's guess); and every object
 * Kubernetes applies from a file it reads is among the objects the loader judges, equal to the last detail and in
 * order, unless the loader refuses the file. Objects the loader judges beyond those cost a false finding at worst.
 */
export function verdictOf(
  file: string | Uint8Array,
  kubernetes: readonly KubernetesDocument[],
  options: LoadOptions = {},
): Verdict {
  const source = decodeFile('oracle.yaml', Buffer.from(file));
  if ('message' in source) return { refused: true, disagreement: null };
  const ours = loadDocuments(source, options);
  if (ours.errors.length > 0) return { refused: true, disagreement: null };
  const stop = kubernetes.find((document) => 'error' in document);
  if (stop !== undefined) {
    return {
      refused: false,
      disagreement: `Kubernetes stops at an error (${stop.error}); the loader reads the file without one`,
    };
  }
  const applied = kubernetes.flatMap((document) => ('json' in document ? judgedObjects(document) : []));
  const judged = ours.objects.map((object) => object.value);
  let next = 0;
  for (const object of applied) {
    while (next < judged.length && !isDeepStrictEqual(judged[next], object)) next++;
    if (next === judged.length) {
      return {
        refused: false,
        disagreement:
          `Kubernetes applies ${JSON.stringify(object)}, which the loader does not judge; ` +
          `it judged ${JSON.stringify(judged)}`,
      };
    }
    next++;
  }
  return { refused: false, disagreement: null };
}
