/**
 * The progress line of long scans (issue 20.4): on a terminal's standard error only, once a scan has run for a
 * second, redrawn in place at most ten times a second, and erased at the end; never on a pipe or a CI log, never on
 * standard output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { progressLine } from '../src/cli/progress.js';

/** A stream that records what is written, and a clock the test moves. */
function fakeTerminal(isTTY: boolean) {
  const writes: string[] = [];
  let now = 0;
  return {
    stream: { write: (text: string) => writes.push(text), isTTY },
    writes,
    clock: () => now,
    advance: (ms: number) => (now += ms),
  };
}

describe('progressLine', () => {
  it('stays silent for the first second, then shows files, skipped files, documents and time', () => {
    const terminal = fakeTerminal(true);
    const progress = progressLine(terminal.stream, terminal.clock);
    progress.files(10, 2);
    terminal.advance(999);
    progress.files(20, 5);
    expect(terminal.writes).toEqual([]);
    terminal.advance(1);
    progress.files(12_345, 11_000);
    terminal.advance(1500);
    progress.documents(2345);
    expect(terminal.writes).toEqual([
      '\r\x1b[2Kkube-token-guard: 12,345 files read (11,000 skipped), 0 documents, 1 s',
      '\r\x1b[2Kkube-token-guard: 12,345 files read (11,000 skipped), 2,345 documents, 2 s',
    ]);
    progress.clear();
    expect(terminal.writes.at(-1)).toBe('\r\x1b[2K');
    progress.clear();
    expect(terminal.writes).toHaveLength(3);
  });

  it('redraws at most every 100 ms, and never writes a line break', () => {
    const terminal = fakeTerminal(true);
    const progress = progressLine(terminal.stream, terminal.clock);
    terminal.advance(1000);
    for (let file = 1; file <= 100; file++) {
      progress.files(file, 0);
      terminal.advance(10);
    }
    expect(terminal.writes).toHaveLength(10);
    expect(terminal.writes.join('')).not.toContain('\n');
  });

  it('writes nothing at all when the stream is not a terminal, however long the scan', () => {
    const terminal = fakeTerminal(false);
    const progress = progressLine(terminal.stream, terminal.clock);
    terminal.advance(60_000);
    progress.files(1, 0);
    progress.documents(1);
    progress.clear();
    expect(terminal.writes).toEqual([]);
  });

  it('is erased before the CLI prints anything else, and standard output never carries it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-progress-'));
    try {
      writeFileSync(
        join(dir, 'pod.yaml'),
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x}]\n',
      );
      let stdout = '';
      let stderr = '';
      await runCli(['scan', '--fail-on', 'none'], {
        cwd: dir,
        env: {},
        stdout: { write: (text: string) => (stdout += text), isTTY: true },
        stderr: { write: (text: string) => (stderr += text), isTTY: true },
      });
      expect(stdout).not.toContain('\r');
      // A scan this short shows no progress: what stderr holds is the log, line by line.
      expect(stderr).not.toContain('\r');
      expect(stderr).toContain('kube-token-guard: scanned 1 file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
