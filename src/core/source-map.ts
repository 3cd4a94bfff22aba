import { type PathSegment, loadDocuments } from './load.js';
import { type LineSpan, spanOf } from './locate.js';
import { isRecord } from './model.js';
import type { RenderOrigin, ResourceRef, SourceFile } from './types.js';

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
 * A file of a chart's `crds/` (`--include-crds`) is printed as it is, several documents in one chunk, and could hold
 * such a boundary: it would name another file of the chart (a source leaving the chart is refused, see helm.ts).
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
 * template builds with actions (`{{ include ... }}`) are not found and leave the closest written ancestor. With
 * `section` (0-based lines [start, end) of one of the template's documents), only that document is searched, and a
 * field found nowhere points at its first line.
 */
export function templateLine(
  template: string,
  path: readonly PathSegment[],
  section?: { start: number; end: number },
  rendered?: unknown,
): number {
  return templateLineOf(template.split('\n'), path, section, rendered);
}

/** `templateLine` of a template already cut into lines. */
function templateLineOf(
  lines: readonly string[],
  path: readonly PathSegment[],
  section?: { start: number; end: number },
  rendered?: unknown,
): number {
  const first = section?.start ?? 0;
  const end = Math.min(section?.end ?? lines.length, lines.length);
  let current = -1;
  let parentIndent = -1;
  let value = rendered;
  // Whether the last segment was a list index: an item's first key may then sit on a `- ` line at the list key's own
  // indentation (`sources:` then `- serviceAccountToken:` in the same column, as YAML allows).
  let inItem = false;
  for (const segment of path) {
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
    const itemKey = inItem;
    inItem = typeof segment !== 'string';
    if (typeof segment !== 'string') {
      // A list item with a `name` (a container, a variable, a volume) is found by its `- name: <name>` line, when the
      // template writes that name literally; else the search goes on from the list's key.
      const name = isRecord(value) && typeof value.name === 'string' ? value.name : null;
      if (current === -1 || name === null) continue;
      const item = listItemLine(lines, current + 1, end, parentIndent, name);
      if (item !== -1) {
        current = item;
        parentIndent = lines[item]!.length - lines[item]!.trimStart().length;
      }
      continue;
    }
    const key = new RegExp(`^(\\s*(?:-\\s+)?)["']?${escapeRegExp(segment)}["']?\\s*:`);
    let found = -1;
    for (let index = current === -1 ? first : current + 1; index < end; index++) {
      const line = lines[index]!;
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) continue;
      const indent = line.length - trimmed.length;
      const sameColumnItem = itemKey && indent === parentIndent && trimmed.startsWith('-');
      if (current >= 0 && indent <= parentIndent && !sameColumnItem) break;
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
  if (current === -1) return firstContentLine(lines, first, end) + 1;
  return current + 1;
}

/**
 * The line from `start` on, inside the block of a key indented `indent`, that starts a list item `- name: <name>` (the
 * name plain or quoted); -1 when there is none.
 */
function listItemLine(
  lines: readonly string[],
  start: number,
  end: number,
  indent: number,
  name: string,
): number {
  const item = new RegExp(`^\\s*-\\s+["']?name["']?\\s*:\\s*(["']?)${escapeRegExp(name)}\\1\\s*(?:#.*)?$`);
  for (let index = start; index < end; index++) {
    const line = lines[index]!;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) continue;
    if (
      line.length - trimmed.length < indent ||
      (line.length - trimmed.length === indent && !trimmed.startsWith('-'))
    )
      break;
    if (item.test(line)) return index;
  }
  return -1;
}

/** The first line of [start, end) that is not blank: where a document of a template begins. */
function firstContentLine(lines: readonly string[], start: number, end: number): number {
  for (let index = start; index < end; index++) if (lines[index]!.trim() !== '') return index;
  return start;
}

/** The rendered document holding a line of the rendered file: the last to start at or before it. */
function documentAt(
  documents: NonNullable<RenderOrigin['documents']>,
  renderedLine: number,
): NonNullable<RenderOrigin['documents']>[number] | undefined {
  let document = documents[0];
  for (const entry of documents) if (entry.line <= renderedLine) document = entry;
  return document;
}

/** Template functions whose value changes from one render to the next. */
const CHANGING = /\b(?:rand(?:AlphaNum|Alpha|Numeric|Ascii|Int|Bytes)|uuidv4|now)\b/;
const NAME_LINE = /^\s*(?:name|generateName)\s*:.*\{\{/;

/**
 * The name an object rendered from a Helm template is known by from one render to the next: its rendered name, unless
 * a `name:` line of the template document that wrote it calls a function whose value changes at each render
 * (`{{ randAlphaNum 5 }}`, `uuidv4`, `now`, as test pods do): then the template's path and that line as written, after
 * `~`. Else the base's and the head's renders of an unchanged chart would name two objects, and its findings would be
 * new in every pull request (and their SARIF fingerprints new at every scan). A template that writes several such
 * objects from one name line (a `range`) gives them one name: the pull request's classification counts them.
 */
export function renderedName(file: SourceFile, renderedLine: number, name: string): string {
  const origin = file.origin;
  if (!origin?.documents) return name;
  const section = documentAt(origin.documents, renderedLine)?.section;
  if (!section) return name;
  const changing = linesOf(origin)
    .slice(section.start, section.end)
    .find((line) => NAME_LINE.test(line) && CHANGING.test(line));
  // With the template's path: a copy of the template elsewhere writes other objects.
  return changing === undefined ? name : `~${file.path}:${changing.trim()}`;
}

const originLines = new WeakMap<RenderOrigin, string[]>();

/** A template's lines, cut once for all the findings on what it rendered. */
function linesOf(origin: RenderOrigin): readonly string[] {
  let lines = originLines.get(origin);
  if (!lines) originLines.set(origin, (lines = origin.text.split('\n')));
  return lines;
}
const originObjects = new WeakMap<object, ReturnType<typeof loadDocuments>['objects']>();

/**
 * Where a field of a rendered object sits in the file users edit, or null when the rendered file has no origin. In a
 * Helm template: the best line key by key, inside the template document that wrote the object (the top of the
 * template when none can be told). In a plain file a kustomization took in: the field's exact lines in the resource's
 * document, matched by kind and name (names possibly prefixed or suffixed by the overlay).
 */
export function originSpan(
  file: SourceFile,
  renderedLine: number,
  resource: ResourceRef,
  path: readonly PathSegment[],
  value?: unknown,
): LineSpan | null {
  const origin = file.origin;
  if (!origin) return null;
  if (origin.documents) {
    const document = documentAt(origin.documents, renderedLine);
    const line = document?.section ? templateLineOf(linesOf(origin), path, document.section, value) : 1;
    return { line, endLine: line };
  }
  let objects = originObjects.get(origin);
  if (!objects) {
    objects = loadDocuments({ path: file.path, text: origin.text }).objects;
    originObjects.set(origin, objects);
  }
  const candidates = objects.filter((object) => object.value.kind === resource.kind);
  // The longest name the rendered one contains: `prod-api-worker` is `api-worker` of the base, not `api`.
  let named: (typeof candidates)[number] | undefined;
  let longest = 0;
  for (const object of candidates) {
    const name = (object.value.metadata as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name.length > longest && resource.name.includes(name)) {
      named = object;
      longest = name.length;
    }
  }
  const object = named ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (object) {
    const span = spanOf(object, path);
    return { line: span.line, endLine: Math.max(span.line, span.endLine) };
  }
  const line = templateLineOf(linesOf(origin), path);
  return { line, endLine: line };
}

/**
 * The line of the file users edit that a load error of rendered output stands for: in a Helm template, the line of
 * the template document that reads as the rendered line (the nearest to its place, if several do), else the
 * document's first line; null when that cannot be told.
 */
export function originErrorLine(file: SourceFile, renderedLine: number | null): number | null {
  const documents = file.origin?.documents;
  if (!documents || renderedLine === null) return null;
  const document = documentAt(documents, renderedLine);
  if (!document?.section) return null;
  const lines = linesOf(file.origin!);
  return (
    (templateLineOfRendered(file, renderedLine) ??
      firstContentLine(lines, document.section.start, document.section.end)) + 1
  );
}

/**
 * The 0-based line of the template document that wrote a rendered line, nearest to where it sits in the document: the
 * same text, else a line writing the same key with an action (`app: {{ .Chart.Name }}` for `app: web`); null when no
 * line of the document writes it (it came from an `include`).
 */
function templateLineOfRendered(file: SourceFile, renderedLine: number): number | null {
  const document = documentAt(file.origin!.documents!, renderedLine);
  if (!document?.section) return null;
  const { start, end } = document.section;
  const lines = linesOf(file.origin!);
  const wanted = file.text.split('\n')[renderedLine - 1]?.trim() ?? '';
  if (wanted === '') return null;
  // The rendered document's first line is helm's `# Source:` comment.
  const place = start + (renderedLine - document.line - 1);
  const key = /^(?:-\s+)?(["']?[^\s"':{}[\],#]+["']?\s*:)(?:\s|$)/.exec(wanted)?.[1];
  const nearest = (fits: (line: string) => boolean) => {
    let best: number | null = null;
    for (let index = start; index < Math.min(end, lines.length); index++) {
      if (!fits(lines[index]!.trim())) continue;
      if (best === null || Math.abs(index - place) < Math.abs(best - place)) best = index;
    }
    return best;
  };
  return (
    nearest((line) => line === wanted) ??
    (key === undefined
      ? null
      : nearest((line) => line.replace(/^-\s+/, '').startsWith(key) && line.includes('{{')))
  );
}

/**
 * An error message of a rendered file, its "(first at line N)" told in the template's lines: dropped when the first
 * place came from no line of the template document (an `include`), or cannot be told from the error's own `line`.
 */
export function originErrorMessage(file: SourceFile, message: string, line: number | null): string {
  if (!file.origin?.documents) return message;
  return message.replace(/ \(first at line (\d+)\)/, (_, first: string) => {
    const found = templateLineOfRendered(file, Number(first));
    return found === null || found + 1 === line ? '' : ` (first at line ${found + 1})`;
  });
}
