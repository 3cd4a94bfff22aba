import { describe, expect, it } from 'vitest';
import { diffContents, inOneHunk, parsePatch } from '../../src/pr/patch.js';

const PATCH = [
  '@@ -1,4 +1,5 @@',
  ' apiVersion: v1',
  ' kind: Pod',
  '-metadata: {name: a}',
  '+metadata:',
  '+  name: a',
  ' spec:',
  '@@ -20,3 +21,4 @@ spec:',
  '   containers:',
  '+    - name: b',
  '     - name: c',
  '\\ No newline at end of file',
].join('\n');

describe('parsePatch', () => {
  const lines = parsePatch(PATCH);

  it('lists the new-file lines inside each hunk', () => {
    expect(lines.hunks).toEqual([
      { start: 1, end: 5 },
      { start: 21, end: 23 },
    ]);
    expect([...lines.right].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 21, 22, 23]);
  });

  it('knows which lines were added', () => {
    expect([...lines.added].sort((a, b) => a - b)).toEqual([3, 4, 22]);
  });

  it('accepts ranges inside one hunk only', () => {
    expect(inOneHunk(lines, 2, 5)).toBe(true);
    expect(inOneHunk(lines, 21, 21)).toBe(true);
    expect(inOneHunk(lines, 5, 21)).toBe(false);
    expect(inOneHunk(lines, 6, 6)).toBe(false);
  });
});

describe('diffContents', () => {
  it('computes the same lines from both versions when GitHub leaves the patch out', () => {
    const before = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n') + '\n';
    const after = before.replace('line 15\n', 'line 15\nadded\n');
    const lines = diffContents(before, after);
    expect(lines.hunks).toEqual([{ start: 13, end: 19 }]);
    expect([...lines.added]).toEqual([16]);
    // GitHub takes no line comments on a file it shows no diff for.
    expect(lines.inline).toBe(false);
    expect(parsePatch('@@ -1 +1 @@\n-a\n+b').inline).toBe(true);
  });

  it('treats a new file as one hunk of added lines', () => {
    const lines = diffContents('', 'a: 1\nb: 2\n');
    expect([...lines.right]).toEqual([1, 2]);
    expect([...lines.added]).toEqual([1, 2]);
  });
});
