/**
 * Documents of kinds no rule reads (CRDs, Services, ConfigMaps: often half of a repository's bytes) are only counted:
 * which ones are, and the test that decides it.
 */
import { load as loadQuickly } from 'js-yaml';
import { Lexer } from 'yaml';
import { hasRefusedCharacter } from './chunks.js';
import { readBlock } from './block-reader.js';
import { KUBERNETES_SCHEMA } from './kubernetes-scalars.js';
import { mayMatter } from './model.js';
import { readsDifferently } from './tree.js';

/**
 * Whether [from, to) looks like a document of a kind no rule reads (a CRD, a Service, a ConfigMap: often half of a
 * repository's bytes) by its top-level `kind:` line. Anchors go the normal way, which refuses alias bombs; so do merge
 * keys, which js-yaml reads differently in places, and text the two parsers are known to read differently.
 */
export function inertCandidate(text: string, from: number, to: number): boolean {
  const chunk = text.slice(from, to);
  const kind = KIND_LINE.exec(chunk);
  return (
    kind !== null &&
    isInertKind(kind[1]!) &&
    !(hasAnchor(chunk) && lexesAnchor(chunk)) &&
    !chunk.includes('<<') &&
    !readsDifferently(chunk)
  );
}

/**
 * Whether a candidate is inert: it reads (by the block reader or js-yaml) as an object of the kind its `kind:` line
 * says, and nothing in it can matter. It is then only counted, never given offsets. Whatever js-yaml rejects goes the
 * normal way, which reports the error.
 */
export function isInert(text: string, from: number, to: number): boolean {
  const chunk = text.slice(from, to);
  const kind = KIND_LINE.exec(chunk);
  if (!kind) return false;
  // The block reader when it takes the document (it reads as js-yaml does, faster), else js-yaml.
  let value = readBlock(text, from, to)?.value;
  if (value === undefined) {
    // js-yaml takes a control character in a comment, Kubernetes none: the full reader reports it.
    if (hasRefusedCharacter(chunk)) return false;
    try {
      value = loadQuickly(chunk, { schema: KUBERNETES_SCHEMA });
    } catch {
      return false;
    }
  }
  return isKubernetesObject(value) && value.kind === kind[1] && !mayMatter(value);
}

/** Kinds that carry a pod template by definition: never inert, so not worth a screening read. */
const TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'Rollout',
  'DeploymentConfig',
]);

function isInertKind(kind: string): boolean {
  return !TEMPLATE_KINDS.has(kind) && !mayMatter({ kind });
}

/**
 * Whether a text holds an anchor (`&` at its start or after a blank, `[`, `{` or `,`, then a character that can start
 * its name): documents with aliases go the full way, which refuses alias bombs with an error of their own. Found from
 * each `&`, which most documents lack: a search for the pattern as a whole took most of the time of deciding which
 * documents to screen.
 */
export function hasAnchor(text: string): boolean {
  for (let at = text.indexOf('&'); at !== -1; at = text.indexOf('&', at + 1)) {
    if (at > 0 && !ANCHOR_AFTER.test(text[at - 1]!)) continue;
    const next = text[at + 1];
    if (next !== undefined && ANCHOR_NAME.test(next)) return true;
  }
  return false;
}

/**
 * Whether the `yaml` package's lexer, the first stage of the full reader, finds an anchor: it tells a node's
 * properties from scalars and comments, which `hasAnchor` cannot. CRDs' validation rules (`rule: '!(has(self.count) &&
 * has(self.end))'`, continued on lines starting with `&&`) made every modern CRD look anchored, and a 2.5 MB one went
 * the slow way (1.2 s) rather than to screening (0.2 s); the lexer takes about 0.1 s a MB, and only where `hasAnchor`
 * says yes.
 */
function lexesAnchor(text: string): boolean {
  for (const token of new Lexer().lex(text)) if (token.startsWith('&')) return true;
  return false;
}

const ANCHOR_AFTER = /[\s[{,]/;
const ANCHOR_NAME = /[^\s,[\]{}]/;
/** A top-level `kind:` written as a plain scalar, the way nearly every manifest writes it. */
const KIND_LINE = /^kind:[ \t]*([A-Za-z][\w.-]*)[ \t]*(?:#[^\n]*)?\r?$/m;

export function isKubernetesObject(
  value: unknown,
): value is Record<string, unknown> & { apiVersion: string; kind: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.apiVersion === 'string' &&
    record.apiVersion !== '' &&
    typeof record.kind === 'string' &&
    record.kind !== ''
  );
}
