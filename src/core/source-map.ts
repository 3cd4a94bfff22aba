import type { PathSegment } from './load.js';

export interface RenderedDocument {
  /** The template the document came from, as `# Source:` names it (`<chart>/templates/x.yaml`). */
  source: string | null;
  text: string;
}

const SOURCE_COMMENT = /^# Source: (.+?)\s*$/m;

/** Splits `helm template` output into its documents, each with the template that produced it. */
export function splitRenderedDocuments(output: string): RenderedDocument[] {
  const documents: RenderedDocument[] = [];
  for (const chunk of output.split(/^---[ \t]*(?:\r?\n|$)/m)) {
    if (chunk.trim() === '') continue;
    const source = SOURCE_COMMENT.exec(chunk)?.[1] ?? null;
    documents.push({ source, text: chunk.endsWith('\n') ? chunk : `${chunk}\n` });
  }
  return documents;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The line of a template that best matches a field of the rendered object: each key of `path` is looked for in
 * turn inside the block of the previous one (deeper indentation, before the block ends), starting from the document's
 * top-level keys, so `spec.template.spec` lands on the pod spec's `spec:` rather than the first `spec:`. Keys the
 * template builds with actions (`{{ include ... }}`) are not found and leave the closest written ancestor.
 */
export function templateLine(template: string, path: readonly PathSegment[]): number {
  const lines = template.split('\n');
  let current = -1;
  let parentIndent = -1;
  for (const segment of path) {
    if (typeof segment !== 'string') continue;
    const key = new RegExp(`^(\\s*(?:-\\s+)?)["']?${escapeRegExp(segment)}["']?\\s*:`);
    let found = -1;
    for (let index = current + 1; index < lines.length; index++) {
      const line = lines[index]!;
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) continue;
      const indent = line.length - trimmed.length;
      if (current >= 0 && indent <= parentIndent) break;
      if (trimmed === '---' && current >= 0) break;
      const match = key.exec(line);
      if (match && (current >= 0 || match[1]!.length === 0)) {
        found = index;
        parentIndent = match[1]!.length;
        break;
      }
    }
    if (found === -1) break;
    current = found;
  }
  return current === -1 ? 1 : current + 1;
}
