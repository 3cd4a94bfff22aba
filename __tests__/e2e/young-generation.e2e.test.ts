/**
 * The bundled CLI holds V8's young generation at `YOUNG_GENERATION_BYTES` (`src/core/young-generation.ts`): on the
 * Action's Node 24, a scan of 20,000 generated documents otherwise grows it to 64 MiB a semi-space, and takes a fifth
 * longer (docs/performance.md). V8's own trace of each collection says how large it was.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.js';
import { YOUNG_GENERATION_BYTES } from '../../src/core/young-generation.js';
import { NO_NODE24, because } from '../tools.js';
import { node24 } from './run-action.js';

const CLI = resolve(import.meta.dirname, '../../dist/cli/index.js');

describe('the young generation of a large scan', () => {
  it.skipIf(NO_NODE24)(
    because(NO_NODE24, 'stays at the size the hold sets, on the Action’s Node 24'),
    () => {
      const corpus = mkdtempSync(join(tmpdir(), 'ktg-young-'));
      let run: SpawnSyncReturns<string>;
      try {
        generateCorpus(20000, corpus);
        run = spawnSync(
          node24()!,
          ['--trace-gc-nvp', CLI, 'scan', '.', '--format', 'text', '--fail-on', 'none'],
          { cwd: corpus, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
        );
      } finally {
        rmSync(corpus, { recursive: true, force: true });
      }
      expect(run.status, run.stderr).toBe(0);
      // `[pid:isolate:thread] ... new_space_capacity=N`: the main thread's isolate is the first to collect.
      const collections = [
        ...run.stdout.matchAll(/^\[\d+:(0x[0-9a-f]+)[^\]]*\].*\bnew_space_capacity=(\d+)/gm),
      ];
      expect(collections.length).toBeGreaterThan(10);
      const main = collections[0]![1];
      const capacities = collections.filter((found) => found[1] === main).map((found) => Number(found[2]));
      // Capacity is one semi-space's; the hold counts both.
      expect(Math.max(...capacities)).toBe(YOUNG_GENERATION_BYTES / 2);
    },
    120_000,
  );
});
