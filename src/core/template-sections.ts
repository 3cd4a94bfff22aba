/**
 * Which part of a Helm template wrote which rendered document. Helm cuts a template's output into documents at every
 * line that starts with `---`, so a template with several documents is several sections of text; the documents it
 * renders come out in the order of those sections, a section skipped (`if`) or repeated (`range`). Each rendered
 * document is matched to the section whose literal `kind:` and `metadata.name` fit it, in that order.
 */

export interface TemplateSection {
  /** 0-based lines of the template: [start, end). */
  start: number;
  end: number;
  /** Kinds the section writes literally at its top level; null when one is built by an action. */
  kinds: Set<string> | null;
  /**
   * The section's `metadata.name` lines: one, or several in the branches of an `if` (strimzi's `name: op-namespaced`
   * `{{- else }}` `name: op`); empty when it writes none.
   */
  names: NameLine[];
}

/** A name line: its literal parts in order, and whether it is all literal (so the rendered name must equal it). */
export interface NameLine {
  parts: string[];
  literal: boolean;
}

export interface RenderedIdentity {
  kind: string | null;
  name: string | null;
}

const ACTION = /\{\{[\s\S]*?\}\}/g;

/** The template's sections, cut where helm cuts its output. */
export function templateSections(template: string): TemplateSection[] {
  const lines = template.split('\n');
  const sections: TemplateSection[] = [];
  let start = 0;
  const close = (end: number) => {
    if (end > start) sections.push(describe(lines, start, end));
  };
  lines.forEach((line, index) => {
    if (!line.startsWith('---')) return;
    close(index);
    start = index + 1;
  });
  close(lines.length);
  return sections;
}

function unquote(text: string): string {
  const trimmed = text.replace(/\s+#.*$/, '').trim();
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function describe(lines: string[], start: number, end: number): TemplateSection {
  let kinds: Set<string> | null = new Set();
  const names: NameLine[] = [];
  let inMetadata = false;
  let childIndent = -1;
  for (let index = start; index < end; index++) {
    const line = lines[index]!.replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('{{')) continue;
    const indent = line.length - trimmed.length;
    if (indent === 0) {
      inMetadata = /^metadata:\s*(#.*)?$/.test(line);
      childIndent = -1;
      const kind = /^kind:(.*)$/.exec(line);
      if (kind && kinds) {
        const value = kind[1]!;
        if (value.includes('{{')) kinds = null;
        else if (unquote(value) !== '') kinds.add(unquote(value));
      }
      continue;
    }
    if (!inMetadata) continue;
    if (childIndent === -1) childIndent = indent;
    if (indent !== childIndent) continue;
    const match = /^name:(.*)$/.exec(trimmed);
    if (!match) continue;
    // A second name line of one metadata is another branch: YAML refuses a key written twice in a map.
    const value = match[1]!;
    const literal = !value.includes('{{');
    names.push({ parts: literal ? [unquote(value)] : requiredParts(value), literal });
  }
  return { start, end, kinds: kinds && kinds.size > 0 ? kinds : null, names };
}

/**
 * The literal parts of a name line built with actions that every render writes: those outside `if`, `with` and `range`
 * blocks (istio's `name: istiod{{- if .Values.revision }}-{{ .Values.revision }}{{- end }}` writes `-` only with a
 * revision).
 */
function requiredParts(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let at = 0;
  const take = (text: string) => {
    const part = text.trim().replace(/^["']|["']$/g, '');
    if (depth === 0 && part !== '') parts.push(part);
  };
  for (const action of value.matchAll(ACTION)) {
    take(value.slice(at, action.index));
    at = action.index + action[0].length;
    const word = /^\{\{-?\s*(\w+)/.exec(action[0])?.[1];
    if (word === 'if' || word === 'with' || word === 'range') depth++;
    else if (word === 'end') depth = Math.max(0, depth - 1);
  }
  take(value.slice(at));
  return parts;
}

/** The `kind` and `metadata.name` of a rendered document, read from its top-level lines; null where not plain. */
export function renderedIdentity(text: string): RenderedIdentity {
  let kind: string | null = null;
  let name: string | null = null;
  let inMetadata = false;
  let childIndent = -1;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = line.length - trimmed.length;
    if (indent === 0) {
      inMetadata = /^metadata:\s*$/.test(line);
      childIndent = -1;
      const match = /^kind:(.*)$/.exec(line);
      if (match) kind = unquote(match[1]!) || null;
      continue;
    }
    if (!inMetadata || name !== null) continue;
    if (childIndent === -1) childIndent = indent;
    const match = indent === childIndent ? /^name:(.*)$/.exec(trimmed) : null;
    if (match) name = unquote(match[1]!) || null;
  }
  return { kind, name };
}

/** How well a section fits a document: null when it cannot have written it. */
function fit(section: TemplateSection, document: RenderedIdentity): number | null {
  let score = 1;
  if (section.kinds && document.kind !== null) {
    if (!section.kinds.has(document.kind)) return null;
    score += 4;
  }
  if (section.names.length > 0 && document.name !== null) {
    const fits = section.names.map((line) => nameFit(line, document.name!));
    if (fits.every((value) => value === null)) return null;
    score += Math.max(...fits.map((value) => value ?? 0));
  }
  return score;
}

/** How well a name line fits a rendered name: null when it cannot have written it. */
function nameFit(line: NameLine, name: string): number | null {
  if (line.literal) return line.parts[0] === name ? 4 : null;
  let at = 0;
  for (const part of line.parts) {
    const found = name.indexOf(part, at);
    if (found === -1) return null;
    at = found + part.length;
  }
  // Longer literal parts tell more: `-webhook` over `-`.
  return 2 + Math.min(1, line.parts.join('').length / 64);
}

/**
 * The section of each rendered document (in output order), or null for one no section can have written. Helm sorts
 * its output by kind (its install order), keeping the template's order within a kind; so within each kind sections
 * are taken in order, each possibly for several documents in a row (a `range`) or for none (an `if`): the order that
 * fits best overall, by dynamic programming over documents and sections.
 */
export function alignSections(
  sections: readonly TemplateSection[],
  documents: readonly RenderedIdentity[],
): (number | null)[] {
  const chosen: (number | null)[] = documents.map(() => null);
  const byKind = new Map<string | null, number[]>();
  documents.forEach((document, index) => {
    const group = byKind.get(document.kind);
    if (group) group.push(index);
    else byKind.set(document.kind, [index]);
  });
  for (const [kind, indexes] of byKind) {
    const candidates = sections
      .map((section, index) => ({ section, index }))
      .filter(({ section }) => kind === null || section.kinds === null || section.kinds.has(kind));
    const order = kind === null ? indexes.map((index) => [index]) : [indexes];
    for (const run of order) {
      const aligned = alignInOrder(
        candidates.map((entry) => entry.section),
        run.map((index) => documents[index]!),
      );
      run.forEach((index, at) => {
        const section = aligned[at];
        chosen[index] = section === null || section === undefined ? null : candidates[section]!.index;
      });
    }
  }
  return chosen;
}

/** Documents of one kind, in output order, to sections taken in order. */
function alignInOrder(
  sections: readonly TemplateSection[],
  documents: readonly RenderedIdentity[],
): (number | null)[] {
  if (sections.length === 0) return documents.map(() => null);
  if (sections.length === 1)
    return documents.map((document) => (fit(sections[0]!, document) === null ? null : 0));
  const UNFIT = -1000;
  const scores = documents.map((document) => sections.map((section) => fit(section, document) ?? UNFIT));
  // best[i][j]: the best total for documents 0..i with document i in section j; from[i][j]: section of i-1.
  const best: number[][] = [];
  const from: number[][] = [];
  documents.forEach((_, i) => {
    best.push([]);
    from.push([]);
    let prefixBest = -Infinity;
    let prefixAt = -1;
    sections.forEach((_, j) => {
      const own = scores[i]![j]!;
      if (i === 0) {
        best[i]![j] = own;
        from[i]![j] = -1;
        return;
      }
      // The previous document in an earlier section, or in the same one (a repeat, slightly less likely).
      const repeat = best[i - 1]![j]! - 0.5;
      if (prefixBest >= repeat) {
        best[i]![j] = own + prefixBest;
        from[i]![j] = prefixAt;
      } else {
        best[i]![j] = own + repeat;
        from[i]![j] = j;
      }
      if (best[i - 1]![j]! > prefixBest) {
        prefixBest = best[i - 1]![j]!;
        prefixAt = j;
      }
    });
  });
  const last = documents.length - 1;
  if (last < 0) return [];
  let at = best[last]!.indexOf(Math.max(...best[last]!));
  const chosen: (number | null)[] = new Array<number | null>(documents.length).fill(null);
  for (let i = last; i >= 0; i--) {
    chosen[i] = scores[i]![at]! === UNFIT ? null : at;
    at = from[i]![at]!;
  }
  return chosen;
}
