/** The render stage of a pull request's review: charts and overlays rendered at the head or at the merge base. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitRepository, materialize } from '../adapters/git.js';
import { type RenderOutcome, renderCollected, renderTools } from '../adapters/render.js';
import type { ResolvedConfig } from '../config/config.js';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';

/**
 * Renders charts and builds overlays as they are in the workspace, or at a git revision (written to a temporary
 * folder, removed by the caller), returning the rendered files and the folder their sources are read from.
 */
export async function renderAt(
  units: { charts: string[]; kustomizations: string[] },
  source: { root: string } | { git: GitRepository; rev: string },
  config: ResolvedConfig,
  temporary: string[],
): Promise<{
  files: SourceFile[];
  errors: ScanError[];
  notices: ScanNotice[];
  root: string;
  log: string | null;
  rendered: RenderOutcome['charts'];
}> {
  let root: string;
  if ('root' in source) {
    root = source.root;
  } else {
    root = await mkdtemp(join(tmpdir(), 'ktg-render-'));
    temporary.push(root);
    for (const dir of [...units.charts, ...units.kustomizations])
      await materialize(source.git, source.rev, dir, root);
  }
  const collected = {
    files: [] as SourceFile[],
    charts: units.charts,
    kustomizations: units.kustomizations,
    errors: [] as ScanError[],
    notices: [] as ScanNotice[],
  };
  const rendering = await renderCollected(collected, root, config, renderTools(process.env));
  return { ...collected, root, log: rendering.log, rendered: rendering.charts };
}
