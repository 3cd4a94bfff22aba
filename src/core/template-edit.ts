/**
 * Reading a Helm template as text, for fixes at the source: where a pod spec is written literally, whether the
 * template can already write `automountServiceAccountToken` there (so a literal line would render the key twice as
 * soon as a value is set), and which values decide it.
 */
import { templateSections } from './template-sections.js';
import type { TextEdit } from './types.js';

const KEY = 'automountServiceAccountToken';
/** An action that writes text of its own making (a helper, a values block), possibly keys at the pod spec's level. */
const WRITES_KEYS = /\b(include|template|toYaml|toJson|tpl)\b/;
const VALUES_REF = /\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g;

interface Block {
  /** 0-based index of the `spec:` line. */
  line: number;
  indent: number;
  /** 0-based lines below it, up to the first literal line at its indentation or less. */
  body: number[];
}

function isAction(trimmed: string): boolean {
  return trimmed.startsWith('{{');
}

/** The block of the key on 0-based `line`: the lines below it that belong to it. */
function blockAt(lines: readonly string[], line: number): Block {
  const text = lines[line] ?? '';
  const indent = text.length - text.trimStart().length;
  const body: number[] = [];
  for (let index = line + 1; index < lines.length; index++) {
    const next = lines[index]!;
    const trimmed = next.trimStart();
    if (next.startsWith('---')) break;
    // Actions and comments sit at any indentation; only a literal line closes the block.
    if (
      trimmed !== '' &&
      !trimmed.startsWith('#') &&
      !isAction(trimmed) &&
      next.length - trimmed.length <= indent
    )
      break;
    body.push(index);
  }
  return { line, indent, body };
}

/** The indentation of the block's keys: its first literal key line's, else two more than its own. */
function childIndentOf(lines: readonly string[], block: Block): number {
  for (const index of block.body) {
    const text = lines[index]!;
    const trimmed = text.trimStart();
    if (trimmed === '' || trimmed.startsWith('#') || isAction(trimmed)) continue;
    return text.length - trimmed.length;
  }
  return block.indent + 2;
}

/**
 * Whether the template may write `automountServiceAccountToken` in the pod spec at 0-based `line` itself: it names
 * the key there (literally or in an action), or an action there writes keys of its own making at the pod spec's level
 * (`{{- include "pod.extra" . | nindent 6 }}`), which can be anything.
 */
export function writesAutomount(template: string, line: number): boolean {
  const lines = template.split('\n');
  const block = blockAt(lines, line);
  const child = childIndentOf(lines, block);
  return block.body.some((index) => {
    const text = lines[index]!;
    if (text.includes(KEY)) return true;
    const trimmed = text.trimStart();
    if (!isAction(trimmed) || !WRITES_KEYS.test(text)) return false;
    const indented = /\bn?indent\s+(\d+)/.exec(text);
    return indented ? Number(indented[1]) === child : text.length - trimmed.length <= child;
  });
}

/** The insertion of `automountServiceAccountToken: false` under the literal pod spec `spec:` on 1-based `line`. */
export function podSpecInsertion(template: string, line: number): TextEdit | null {
  const lines = template.split('\n');
  const text = lines[line - 1];
  if (text === undefined || !/^\s*spec:\s*(#.*)?\r?$/.test(text)) return null;
  if (writesAutomount(template, line - 1)) return null;
  const child = childIndentOf(lines, blockAt(lines, line - 1));
  const lineStart = lines.slice(0, line).reduce((sum, entry) => sum + entry.length + 1, 0);
  const newline = text.endsWith('\r') ? '\r\n' : '\n';
  return { start: lineStart, end: lineStart, text: `${' '.repeat(child)}${KEY}: false${newline}` };
}

/**
 * The values the template document holding 1-based `line` consults where it writes `automountServiceAccountToken`:
 * `.Values.x.y` on the line that writes it and on the actions right above it (`if`, `with`), as key paths.
 */
export function automountValueRefs(template: string, line: number): string[][] {
  const lines = template.split('\n');
  const section = templateSections(template).find((entry) => entry.start < line && line <= entry.end);
  if (!section) return [];
  const found = new Map<string, string[]>();
  const collect = (text: string) => {
    for (const match of text.matchAll(VALUES_REF)) {
      const path = match[1]!.slice(1).split('.');
      found.set(path.join('.'), path);
    }
  };
  for (let index = section.start; index < section.end; index++) {
    if (!lines[index]!.includes(KEY)) continue;
    collect(lines[index]!);
    for (let above = index - 1; above >= section.start && isAction(lines[above]!.trimStart()); above--)
      collect(lines[above]!);
  }
  return [...found.values()];
}
