/**
 * Large scans share the reading with a second thread that runs the same bundle (`src/core/second-thread.ts`): it
 * confirms the documents of kinds no rule reads, and reads others from the last one back. The bundled CLI, run as
 * users run it, must give exactly the same report with the thread and without it (`KUBE_TOKEN_GUARD_THREADS=1`), on
 * the Node the tests run on and on the Action's Node 24; and when the main thread waits for the thread to start
 * (`KUBE_TOKEN_GUARD_THREADS=2`), the thread must take its share, however busy the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.js';
import { NO_NODE24, because } from '../tools.js';
import { node24 } from './run-action.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js');

function scan(node: string, folder: string, threads: string | undefined, status: number) {
  const env = { ...process.env };
  delete env.KUBE_TOKEN_GUARD_THREADS;
  if (threads !== undefined) env.KUBE_TOKEN_GUARD_THREADS = threads;
  const run = spawnSync(node, [CLI, 'scan', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd: folder,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(status);
  return { report: JSON.parse(run.stdout) as { findings: unknown[]; errors: unknown[] }, log: run.stderr };
}

const RUNTIMES: Array<[string, string, string | null]> = [
  ['this Node', process.execPath, null],
  ['Node 24', node24() ?? '', NO_NODE24],
];

/**
 * The threaded scans: one with the thread as users run it, and one in which the main thread waits for the thread to
 * start (`KUBE_TOKEN_GUARD_THREADS=2`). In the first, on a busy machine, the main thread can finish before the thread
 * has done anything (the report is the same); in the second the thread always takes its share.
 */
function threadedScans(node: string, folder: string, status: number) {
  return { usual: scan(node, folder, undefined, status), waited: scan(node, folder, '2', status) };
}

/** The thread's part of the log: how many documents it read, and how many it screened. */
function threadCounts(log: string): { read: number; screened: number } | null {
  const found = /; a second thread read (\d+) documents and screened (\d+) of kinds no rule reads\)/.exec(
    log,
  );
  return found ? { read: Number(found[1]), screened: Number(found[2]) } : null;
}

describe('a second thread', () => {
  // 6,000 documents hold about 2.4 MB: above the size at which the thread is started. About a fifth are of kinds no rule
  // reads, which the thread screens first; whether it then reads any depends on how fast each thread is.
  const generated = mkdtempSync(join(tmpdir(), 'ktg-threads-'));
  generateCorpus(6000, generated);
  // A credential written in one file's text, and a name another file gives a workload: the thread finds the one (it
  // finds the credentials of the first files while the main thread judges), and no report may print the other.
  const credential = 'quietly-kept-credential-9';
  writeFileSync(
    join(generated, 'aa-settings.yaml'),
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: team-1}\ndata:\n  db_password: ${credential}\n`,
  );
  writeFileSync(
    join(generated, 'zz-named.yaml'),
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${credential}, namespace: team-1}\nspec:\n  containers: [{name: c, image: i}]\n`,
  );

  // Only documents that matter, so the thread reads from the start, from the last document back: first those of
  // `zz-odd.yaml`, which it must hand back (an alias bomb, a tag, a merge key, a `__proto__` key, a syntax error, a
  // duplicate key) or read as the main thread would (integer keys, -0, no object, comments only).
  const workloads = mkdtempSync(join(tmpdir(), 'ktg-threads-read-'));
  const pod = (name: string, extra = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: odd\n${extra}spec:\n  containers: [{name: c, image: registry.example/app:1.2.3}]\n`;
  for (let file = 0; file < 64; file++) {
    const pods = Array.from({ length: 250 }, (_, index) => pod(`pod-${file}-${index}`));
    writeFileSync(join(workloads, `pods-${String(file).padStart(2, '0')}.yaml`), pods.join('---\n'));
  }
  // Nine levels of nine aliases each: 9^9 nodes when expanded.
  const levels = 'abcdefghi';
  const bomb = [...levels]
    .map((name, index) => {
      const item = index === 0 ? 'x' : `*${levels[index - 1]}`;
      return `  ${name}: &${name} [${Array(9).fill(item).join(', ')}]`;
    })
    .join('\n');
  writeFileSync(
    join(workloads, 'zz-odd.yaml'),
    [
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${bomb}\n`,
      pod('tagged', '  labels: {app: !!str web}\n'),
      pod('merged').replace('spec:\n', 'spec:\n  <<: {automountServiceAccountToken: false}\n'),
      pod('proto', '  labels: {__proto__: x}\n'),
      pod('broken', '  labels: {app: [}\n'),
      pod('twice', '  labels: {app: a, app: b}\n'),
      pod('numbered', '  labels: {"10": a, b: c, "2": d}\n'),
      // -0 (a float), which JSON would make 0 on its way from the thread: the fix's check would then refuse the fix.
      pod('zero').replace('spec:\n', 'spec:\n  priority: -0.0\n'),
      '[1, 2, 3]',
      '# only a comment',
    ].join('---\n'),
  );

  for (const [name, node, skip] of RUNTIMES) {
    it.skipIf(skip)(
      because(skip, `gives the same report with and without it on generated manifests (${name})`),
      () => {
        const { usual, waited } = threadedScans(node, generated, 0);
        const single = scan(node, generated, '1', 0);
        expect(threadCounts(waited.log)?.screened).toBeGreaterThan(0);
        expect(single.log).not.toMatch(/second thread/);
        expect(single.report.findings.length).toBeGreaterThan(1000);
        expect(usual.report).toStrictEqual(single.report);
        expect(waited.report).toStrictEqual(single.report);
        const printed = JSON.stringify(single.report);
        expect(printed).not.toContain(credential);
        expect(printed).toContain('[redacted]');
      },
      180_000,
    );

    it.skipIf(skip)(
      because(skip, `reads, hands back and reports errors as the main thread does (${name})`),
      () => {
        // The syntax error and the duplicate key are errors: the scan fails closed either way.
        const { usual, waited } = threadedScans(node, workloads, 2);
        const single = scan(node, workloads, '1', 2);
        expect(threadCounts(waited.log)?.read).toBeGreaterThan(0);
        expect(single.log).not.toMatch(/second thread/);
        expect(single.report.errors.length).toBeGreaterThanOrEqual(2);
        expect(single.report.findings.length).toBeGreaterThan(15_000);
        expect(usual.report).toStrictEqual(single.report);
        expect(waited.report).toStrictEqual(single.report);
      },
      180_000,
    );
  }
});
