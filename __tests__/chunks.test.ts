/**
 * How a file divides into documents, and the line breaks only Kubernetes knows: `chunks.ts` finds both by scanning
 * lines and `indexOf`, a pass over the text that regular expressions took several of. Held here to the regular
 * expressions they replaced (kept as the reference), on the manifests the tests share and on random texts made of
 * the lines that matter: markers alone, with comments, glued to content or followed by it, directives, byte order
 * marks, CRLF and the other line breaks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentChunks, otherBreakError } from '../src/core/chunks.js';
import { LineStarts } from '../src/core/line-starts.js';
import { manifestFiles } from './helpers.js';

function referenceChunks(text: string): Array<[number, number]> | null {
  if (/^%|^(?:---[^ \t\r\n#]|\.\.\.[^ \t\r\n])/m.test(text)) return null;
  const marker = /^(?:---(?=[ \t\r\n#]|$)|\.\.\.(?=[ \t\r\n]|$))/gm;
  const chunks: Array<[number, number]> = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let match = marker.exec(text); match !== null; match = marker.exec(text)) {
    const lineEnd = text.indexOf('\n', match.index);
    const end = lineEnd === -1 ? text.length : lineEnd;
    if (!/^[ \t]*(?:#[^\n]*)?\r?$/.test(text.slice(match.index + 3, end))) return null;
    chunks.push([start, match.index]);
    start = end;
  }
  chunks.push([start, text.length]);
  return chunks;
}

function referenceBreak(text: string): number | null {
  return /\r(?!\n)|[\u0085\u2028\u2029]/.exec(text)?.index ?? null;
}

/** What the scan does with a text: refused at a line, or cut into documents. */
function outcome(text: string, chunks: (text: string) => Array<[number, number]> | null) {
  const error = otherBreakError({ path: 'f.yaml', text }, new LineStarts(text));
  return error ? { refusedAt: error.line } : { chunks: chunks(text) };
}

function referenceOutcome(text: string) {
  const at = referenceBreak(text);
  return at === null
    ? { chunks: referenceChunks(text) }
    : { refusedAt: new LineStarts(text).linePos(at).line };
}

const LINES = [
  '---',
  '--- ',
  '---\t# c',
  '---#c',
  '--- # c',
  '---x',
  '----',
  '--- {a: 1}',
  '--- |',
  '...',
  '... ',
  '...#',
  '...x',
  '.. .',
  '%YAML 1.1',
  ' %x',
  ' ---',
  '-- -',
  '--',
  'kind: Pod',
  'a: b # ---',
  '  - ---',
  '',
  '# comment',
];
const BREAKS = ['\n', '\n', '\n', '\r\n', '\r', '\u0085', '\u2028', '\u2029'];

const texts = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(fc.constantFrom(...LINES), fc.constantFrom(...BREAKS)), { maxLength: 12 }),
    fc.boolean(),
  )
  .map(
    ([bom, lines, last]) =>
      (bom ? '\uFEFF' : '') +
      lines.map(([line, end], index) => (index === lines.length - 1 && !last ? line : line + end)).join(''),
  );

describe('documents and line breaks', () => {
  it('are found as the regular expressions found them, in the shared manifests', () => {
    for (const file of manifestFiles()) {
      expect(outcome(file.text, documentChunks), file.path).toEqual(referenceOutcome(file.text));
    }
  });

  it('are found as the regular expressions found them, in random texts of the lines that matter', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(outcome(text, documentChunks)).toEqual(referenceOutcome(text));
      }),
      { numRuns: 5000, seed: 20261130 },
    );
  });

  it('cut at markers, and send a file whole for a directive, a glued marker or content on a marker line', () => {
    expect(documentChunks('a: 1\n---\nb: 2\n...\n')).toEqual([
      [0, 5],
      [8, 14],
      [17, 18],
    ]);
    expect(documentChunks('\uFEFFa: 1\n--- # next\r\nb: 2')).toEqual([
      [1, 6],
      [17, 22],
    ]);
    for (const text of [
      '%YAML 1.1\n---\na: 1\n',
      'a: 1\n---kind: x\n',
      'a: 1\n--- {b: 2}\n',
      'a: 1\n...#\n',
    ]) {
      expect(documentChunks(text), text).toBeNull();
    }
  });

  it('refuse the line breaks only Kubernetes knows, at the first of them', () => {
    expect(outcome('a: 1\nb: 2\u2028c\rd\n', documentChunks)).toEqual({ refusedAt: 2 });
    expect(outcome('a: 1\r\nb: 2\r', documentChunks)).toEqual({ refusedAt: 2 });
    expect(outcome('a: 1\r\nb: 2\r\n', documentChunks)).toEqual({ chunks: [[0, 12]] });
  });
});
