/**
 * `--output FILE` with a report written in batches (src/cli/output.ts): a report that cannot be written, from the
 * first batch or partway through, is printed whole on standard output, and the run exits 2 saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { writeReport } from '../src/cli/output.js';
import { printReport } from '../src/cli/report.js';
import { runCliCaptured } from './helpers.js';
import { ROOT } from './tools.js';

/** A repository of `count` Deployments that mount their token, one finding or more each. */
function repository(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-output-'));
  const documents = Array.from(
    { length: count },
    (_, index) =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${index}\n  namespace: shop\n` +
      `spec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n`,
  );
  writeFileSync(join(dir, 'deployments.yaml'), documents.join('---\n'));
  return dir;
}

describe('writeReport', () => {
  it('writes the batches in turn', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ktg-output-')), 'report.txt');
    writeFileSync(path, 'an older and much longer report that must not show through');
    expect(await writeReport({ given: 'report.txt', path }, ['one\n', 'two é\n', '', 'three'])).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo é\nthree');
  });

  it('says why a report could not be written', async () => {
    const full = await writeReport({ given: '/dev/full', path: '/dev/full' }, ['a\n', 'b\n']);
    expect(full).toBe('--output /dev/full: cannot write the report (ENOSPC); it is printed here instead');
    const dir = mkdtempSync(join(tmpdir(), 'ktg-output-'));
    expect(await writeReport({ given: 'x', path: dir }, ['a\n'])).toMatch(
      /cannot write the report \(EISDIR\)/,
    );
  });

  it('lets a failure to make the report through, as no failure to write it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ktg-output-')), 'report.txt');
    function* failing() {
      yield 'a\n';
      throw new Error('a bug');
    }
    await expect(writeReport({ given: 'report.txt', path }, failing())).rejects.toThrow('a bug');
  });
});

describe('a report that cannot be written is printed', () => {
  it('from the first batch: exit 2, the message, and the report on standard output', async () => {
    const dir = repository(3);
    for (const format of ['text', 'json', 'sarif']) {
      const printed = await runCliCaptured(['scan', '--format', format], dir);
      const run = await runCliCaptured(['scan', '--format', format, '--output', '/dev/full'], dir);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe(printed.stdout);
      expect(run.stderr).toContain(
        '--output /dev/full: cannot write the report (ENOSPC); it is printed here instead',
      );
    }
  });

  it.runIf(process.platform === 'linux')(
    'partway through: the file is cut short, the report is printed whole (bundled CLI, with a file size limit)',
    () => {
      const dir = repository(1500);
      const cli = join(ROOT, 'dist/cli/index.js');
      const options = { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 } as const;
      const printed = spawnSync(process.execPath, [cli, 'scan', '--format', 'json'], options);
      // Several batches of about 256 KiB; the limit (in KiB) lets the first through and stops a later one.
      expect(printed.stdout.length).toBeGreaterThan(800 * 1024);
      const limited = spawnSync(
        'bash',
        [
          '-c',
          'ulimit -f 400 && exec "$@"',
          'bash',
          process.execPath,
          cli,
          'scan',
          '--format',
          'json',
          '--output',
          'out.json',
        ],
        options,
      );
      expect(limited.status).toBe(2);
      expect(limited.stderr).toContain(
        '--output out.json: cannot write the report (EFBIG); it is printed here instead',
      );
      expect(limited.stdout).toBe(printed.stdout);
      expect(existsSync(join(dir, 'out.json'))).toBe(true);
      const written = statSync(join(dir, 'out.json')).size;
      expect(written).toBeGreaterThan(256 * 1024);
      expect(written).toBeLessThanOrEqual(400 * 1024);
      expect(printed.stdout.startsWith(readFileSync(join(dir, 'out.json'), 'utf8'))).toBe(true);
    },
  );
});

describe('standard output that holds what it is given (a pipe)', () => {
  it('gets the next batch only once it drained', async () => {
    const events: string[] = [];
    let drained: (() => void) | null = null;
    const stdout = {
      write: (text: string) => {
        events.push(text);
        return false;
      },
      once: (_event: 'drain', listener: () => void) => {
        events.push('waits');
        drained = listener;
      },
    };
    const printing = printReport(stdout, ['a\n', 'b\n']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['a\n', 'waits']);
    drained!();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['a\n', 'waits', 'b\n', 'waits']);
    drained!();
    await printing;
  });

  it('is waited for through the secret filter, and gets the whole report', async () => {
    const dir = repository(1500);
    const printed = await runCliCaptured(['scan', '--format', 'json'], dir);
    let stdout = '';
    let waits = 0;
    const code = await runCli(['scan', '--format', 'json'], {
      cwd: dir,
      env: {},
      stdout: {
        write: (text: string) => {
          stdout += text;
          return false;
        },
        once: (_event, listener) => {
          waits++;
          setImmediate(listener);
        },
      },
      stderr: { write: () => true },
    });
    expect(code).toBe(printed.code);
    expect(stdout).toBe(printed.stdout);
    expect(waits).toBeGreaterThan(2);
  });
});
