import type { PathSegment } from './load.js';

export interface RenderedDocument {
  /** The template the document came from, as `# Source:` names it (`<chart>/templates/x.yaml`). */
  source: string | null;
  text: string;
}

/** What `helm template` writes before each document: helm 3 and 4 alike. */
const BOUNDARY = '---\n# Source: ';

/**
 * Splits `helm template` output into its documents, each with the template that produced it, exactly where helm put
 * its own boundaries: a line `---` followed by a line `# Source: <template>`, lines ending at `\n` only. Helm splits a
 * template's output at every line that starts with `---` before it writes these boundaries, so no template output can
 * hold one; a lone carriage return, a `# Source:` comment or a `---` further into a line is the template's text.
 * Linear in the size of the output.
 */
export function splitRenderedDocuments(output: string): RenderedDocument[] {
  const documents: RenderedDocument[] = [];
  const starts: number[] = [];
  if (output.startsWith(BOUNDARY)) starts.push(0);
  for (let at = output.indexOf(`\n${BOUNDARY}`); at !== -1; at = output.indexOf(`\n${BOUNDARY}`, at + 1)) {
    starts.push(at + 1);
  }
  const leading = output.slice(0, starts[0] ?? output.length);
  if (leading.trim() !== '') documents.push({ source: null, text: withNewline(leading) });
  starts.forEach((start, index) => {
    const end = starts[index + 1] ?? output.length;
    // The chunk keeps its `# Source:` line, as the line numbers of a rendered file count it.
    const text = output.slice(start + '---\n'.length, end);
    const lineEnd = text.indexOf('\n');
    const source = text.slice('# Source: '.length, lineEnd === -1 ? text.length : lineEnd).trimEnd();
    const content = lineEnd === -1 ? '' : text.slice(lineEnd + 1);
    if (content.trim() === '') return;
    documents.push({ source: source === '' ? null : source, text: withNewline(text) });
  });
  return documents;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
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
