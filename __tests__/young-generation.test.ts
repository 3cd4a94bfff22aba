import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { YOUNG_GENERATION_BYTES } from '../src/core/young-generation.js';

const source = new URL('../src/core/young-generation.ts', import.meta.url).href;

/**
 * The young generation's size after a process made two million objects that all survive, as a scan's documents do,
 * calling `holdYoungGeneration` now and then: in a process of its own, as V8's growth factor is the process's.
 */
function youngGenerationAfterGrowth(enable: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { enableYoungGenerationHold, holdYoungGeneration } from ${JSON.stringify(source)};
    if (${enable}) enableYoungGenerationHold();
    const kept = [];
    for (let batch = 0; batch < 2000; batch++) {
      for (let index = 0; index < 1000; index++) kept.push({ batch, index, name: 'item-' + index });
      holdYoungGeneration();
    }
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    console.log(young.space_size);
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  return Number(output.trim());
}

describe('the young generation of a large scan', () => {
  it('grows no further once it holds YOUNG_GENERATION_BYTES, when the entry point enabled the hold', () => {
    const held = youngGenerationAfterGrowth(true);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(YOUNG_GENERATION_BYTES);
  });

  it('is left to V8 where the hold was not enabled (a library user keeps V8 as it set it)', () => {
    // V8 grows it past the hold's size on any machine with a few GiB of memory: to 16 MiB a semi-space on Node 20, 64
    // MiB on Node 24.
    expect(youngGenerationAfterGrowth(false)).toBeGreaterThan(YOUNG_GENERATION_BYTES);
  });
});
