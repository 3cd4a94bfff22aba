/**
 * Large scans confirm documents of kinds no rule reads in a second thread that runs the same bundle
 * (`src/core/screen.ts`). The bundled CLI, run as users run it, must give exactly the same report with the thread
 * and without it (`KUBE_TOKEN_GUARD_THREADS=1`), on the Node the tests run on and on the Action's Node 24.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.js';
import { NO_NODE24, because } from '../tools.js';
import { node24 } from './run-action.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js');

function scan(node: string, folder: string, threads: string | undefined) {
  const env = { ...process.env };
  delete env.KUBE_TOKEN_GUARD_THREADS;
  if (threads !== undefined) env.KUBE_TOKEN_GUARD_THREADS = threads;
  const run = spawnSync(node, [CLI, 'scan', '.', '--format', 'json', '--fail-on', 'none'], {
    cwd: folder,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  return { report: JSON.parse(run.stdout) as { findings: unknown[] }, log: run.stderr };
}

describe('screening in a second thread', () => {
  // 6,000 documents hold about 2.4 MB of CustomResourceDefinitions, Services and ConfigMaps: above the size at which
  // the thread is started.
  const folder = mkdtempSync(join(tmpdir(), 'ktg-threads-'));
  generateCorpus(6000, folder);
  const runtimes: Array<[string, string, string | null]> = [
    ['this Node', process.execPath, null],
    ['Node 24', node24() ?? '', NO_NODE24],
  ];

  for (const [name, node, skip] of runtimes) {
    it.skipIf(skip)(
      because(skip, `gives the same report with and without the thread (${name})`),
      () => {
        const threaded = scan(node, folder, undefined);
        const single = scan(node, folder, '1');
        expect(threaded.log).toMatch(
          /\(a second thread read [1-9]\d* documents and screened [1-9]\d* of kinds no rule reads\)/,
        );
        expect(single.log).not.toMatch(/second thread/);
        expect(threaded.report.findings.length).toBeGreaterThan(1000);
        expect(threaded.report).toStrictEqual(single.report);
      },
      60_000,
    );
  }
});
