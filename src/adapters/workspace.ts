import type { ResolvedConfig } from '../config/config.js';
import type { SecretFilter } from '../core/redact.js';
import { mergeRenderedDuplicates } from '../core/duplicates.js';
import { type ScanResult, scanFiles } from '../core/scan.js';
import { identifiersOf, placesOf } from '../core/secrets.js';
import { secondThread } from '../core/second-thread.js';
import { plural } from '../core/words.js';
import { type CollectedFiles, collectFiles } from './files.js';
import { focusFindings } from './focus.js';
import { probeSummary, probeValues } from './probe.js';
import { type RenderTools, renderCollected } from './render.js';
import { learnSecretSources } from './secret-sources.js';

/** What a scan reports as it goes, for a progress line: files read (and skipped), then documents read. */
export interface ScanProgress {
  files(read: number, skipped: number): void;
  documents(read: number): void;
}

/**
 * A scan of a working tree, as the CLI and the Action's non-pull-request runs make it: collect the files, render
 * charts and overlays, scan everything together, point rendered findings at their sources and look for fixes at
 * the source. Log lines go to `log`, counts as it goes to `progress`. `secrets` learns the secrets of everything read, and the findings, errors
 * and notices returned have been through it.
 */
export async function scanWorkspace(
  root: string,
  paths: string[],
  config: ResolvedConfig,
  tools: RenderTools,
  log: (line: string) => void,
  secrets: SecretFilter,
  progress?: ScanProgress,
): Promise<{ collected: CollectedFiles; result: ScanResult }> {
  const clock = stopwatch();
  const collected = await collectFiles({
    root,
    paths,
    include: config.include,
    exclude: config.exclude,
    onRead: progress?.files,
  });
  const collecting = clock();
  if (collected.skipped.length > 0) {
    log(
      `Skipped ${plural(collected.skipped.length, 'file')} that cannot hold a Kubernetes object ` +
        '(no `apiVersion` or no `kind` key in any spelling, or JSON without both at its top level).',
    );
  }
  // Before anything is logged: the paths of the files are names, never secrets.
  secrets.allowIdentifiers(identifiersOf(collected.files));
  secrets.allowPaths(placesOf(collected));
  // Before rendering: a failed render's error quotes what it read.
  await learnSecretSources(secrets, root, collected, config);
  const rendering = await renderCollected(collected, root, config, tools);
  // The rendered files are named by their templates and bases.
  secrets.allowPaths(placesOf({ files: collected.files, charts: [], kustomizations: [] }));
  const rendered = clock();
  if (rendering.log) log(rendering.log);
  const result = scanFiles(collected.files, config, undefined, {
    secondThread,
    onDocuments: progress?.documents,
    credentials: true,
  });
  const judging = clock();
  // The credentials in the files' texts are among the scan's secret values (see scanFiles).
  secrets.addScan(result);
  secrets.allowIdentifiers(result.identifiers);
  const learning = clock();
  let probing = 0;
  if (rendering.charts.length > 0) {
    const probe = await probeValues({
      root,
      config,
      helm: tools.helm,
      charts: rendering.charts,
      files: collected.files,
      scan: result,
    });
    const summary = probeSummary(probe);
    if (summary) log(summary);
    probing = clock();
  }
  // After probing, which judges each render's findings: one finding per source location and rule.
  result.findings = mergeRenderedDuplicates(result.findings);
  // Paths named inside a chart or kustomization folder: the findings at them (see focus.ts).
  result.findings = focusFindings(
    result.findings,
    collected.files,
    collected.focus ?? [],
    rendering.focusOverlays,
  );
  secrets.cleanFindings(result.findings);
  for (const list of [collected.errors, collected.notices, result.errors, result.notices])
    secrets.cleanMessages(list);
  const { documents, rules, secrets: found } = result.timing;
  log(
    `Timing: read ${collecting} ms, render ${rendered} ms, scan ${judging + learning} ms` +
      (rendering.charts.length > 0 ? `, probe ${probing} ms` : '') +
      ` (documents ${documents} ms, rules ${rules} ms, secrets ${found + learning} ms` +
      (result.stats.screened + result.stats.readInSecondThread > 0
        ? `; a second thread read ${result.stats.readInSecondThread} documents and screened ${result.stats.screened} of kinds no rule reads).`
        : ').'),
  );
  return { collected, result };
}

/** Each call returns the whole milliseconds since the previous call (or since the stopwatch was made). */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = Math.round(now - last);
    last = now;
    return elapsed;
  };
}
