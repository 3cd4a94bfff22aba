/**
 * `kustomize build` output with `buildMetadata: [originAnnotations]`, cut into documents, each with the file it came
 * from (the `config.kubernetes.io/origin` annotation kustomize adds) and with that annotation taken out again.
 *
 * kustomize writes every document the same way (yaml.v3 through kyaml): `---` lines between documents, two spaces a
 * level, and the annotation as the block scalar
 *
 *     metadata:
 *       annotations:
 *         config.kubernetes.io/origin: |
 *           path: base/deployment.yaml
 *
 * so it is taken out of the text line by line, which leaves the rest of the document as kustomize wrote it. A
 * document written any other way is read and written again with the `yaml` package, as every document once was: that
 * took three times as long as kustomize itself on Argo CD's HA install (2 MB).
 */
import { parseAllDocuments } from 'yaml';

export const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

export interface OriginDocument {
  /** The document without the origin annotation (nor an `annotations` map it leaves empty). */
  text: string;
  /** The origin's `path`, relative to the kustomization built; null when it has none. */
  path: string | null;
}

/** The documents of kustomize's output, in order, each with its origin. */
export function originDocuments(output: string): OriginDocument[] {
  const documents: OriginDocument[] = [];
  for (const text of output.split(/^---$\n?/m)) {
    if (text.trim() === '') continue;
    const taken = takeOriginFromText(text);
    if (taken !== null) documents.push(taken);
    else for (const document of withTheYamlPackage(text)) documents.push(document);
  }
  return documents;
}

const ORIGIN_LINE = /^ {4}config\.kubernetes\.io\/origin: \|$/;
const PATH_LINE = /^ {6}path: (.+)$/;

/**
 * The origin taken out of a document written the way kustomize writes it: null for any other way (no top-level
 * `metadata:`, the annotation quoted or in flow style, an origin without a `path`), left to the `yaml` package.
 */
export function takeOriginFromText(text: string): OriginDocument | null {
  const lines = text.split('\n');
  const metadata = lines.indexOf('metadata:');
  if (metadata === -1) return null;
  // The metadata block: the indented (or blank) lines below it.
  let end = metadata + 1;
  while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end] === '')) end++;
  const annotations = lines.indexOf('  annotations:', metadata + 1);
  if (annotations === -1 || annotations >= end) return null;
  // The annotations block: lines indented deeper than two spaces (or blank, inside a block scalar).
  let last = annotations + 1;
  while (last < end && (lines[last]!.startsWith('   ') || lines[last] === '')) last++;
  const origin = lines.findIndex(
    (line, index) => index > annotations && index < last && ORIGIN_LINE.test(line),
  );
  if (origin === -1) return null;
  // Its value: the lines indented deeper than the key's four spaces.
  let after = origin + 1;
  while (after < last && lines[after]!.startsWith('     ')) after++;
  const paths = lines.slice(origin + 1, after).flatMap((line) => PATH_LINE.exec(line)?.[1]?.trim() ?? []);
  if (paths.length !== 1) return null;
  const emptied = origin === annotations + 1 && after === last;
  const kept = emptied
    ? [...lines.slice(0, annotations), ...lines.slice(last)]
    : [...lines.slice(0, origin), ...lines.slice(after)];
  return { text: kept.join('\n'), path: paths[0]! };
}

/**
 * A document read and written again with the `yaml` package, its origin annotation deleted. One the package cannot
 * read is kept as it is, with no origin: the scan reads it, and reports what it cannot read (it was once left out).
 */
function withTheYamlPackage(text: string): OriginDocument[] {
  const parsed = parseAllDocuments(text);
  if (!Array.isArray(parsed) || parsed.some((document) => document.errors.length > 0))
    return [{ text, path: null }];
  const documents: OriginDocument[] = [];
  for (const document of parsed) {
    if (!document.contents) continue;
    const origin = document.getIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
    const path = typeof origin === 'string' ? (/^path:\s*(.+)$/m.exec(origin)?.[1]?.trim() ?? null) : null;
    document.deleteIn(['metadata', 'annotations', ORIGIN_ANNOTATION]);
    const annotations = document.getIn(['metadata', 'annotations']) as { items?: unknown[] } | undefined;
    if (annotations?.items?.length === 0) document.deleteIn(['metadata', 'annotations']);
    documents.push({ text: document.toString(), path });
  }
  return documents;
}
