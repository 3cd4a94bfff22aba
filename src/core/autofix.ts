import type { ResolvedConfig } from '../config/config.js';
import { applyFixes } from './apply.js';
import { type ScanResult, scanFiles } from './scan.js';
import type { Finding, Fix, SourceFile } from './types.js';

export interface AutofixResult {
  /** The files after fixing; unchanged files are the same objects as given. */
  files: SourceFile[];
  /** Fixes applied per changed file path. */
  changed: Map<string, number>;
  /** The scan of the fixed files: what remains. */
  result: ScanResult;
  /**
   * Files whose fixes were undone because the result no longer parsed cleanly, or took an API client's token (a bug
   * in a fix; never written).
   */
  reverted: string[];
}

const MAX_PASSES = 10;

/**
 * Applies every fix of every unsuppressed finding (except those about API clients, see core/api-clients.ts: no
 * commit removes their token or consents for them), re-scanning after each pass so that fixes left out for overlapping
 * are offered again against the new text, until nothing is left to fix or the pass limit is reached.
 */
export function autofix(
  input: readonly SourceFile[],
  config: ResolvedConfig,
  select: (finding: Finding) => boolean = () => true,
): AutofixResult {
  let files = [...input];
  const changed = new Map<string, number>();
  const reverted = new Set<string>();
  let result = scanFiles(files, config);
  // API clients with their token: a pass that takes one away (a fix of one workload reaching another) is undone.
  const clients = result.mountedClients();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const byFile = new Map<string, Fix[]>();
    for (const finding of result.findings) {
      if (
        finding.suppressed ||
        !finding.fix ||
        finding.rendered ||
        // An API client's fix makes its consent explicit: that is a person's decision, never a commit's.
        finding.apiClient !== undefined ||
        reverted.has(finding.file) ||
        !select(finding)
      )
        continue;
      const list = byFile.get(finding.file);
      if (list) list.push(finding.fix);
      else byFile.set(finding.file, [finding.fix]);
    }
    if (byFile.size === 0) break;
    const errorsBefore = countErrorsByFile(result);
    const previous = files;
    let progress = false;
    files = files.map((file) => {
      const fixes = byFile.get(file.path);
      if (!fixes) return file;
      const applied = applyFixes(file.text, fixes);
      if (applied.applied === 0 || applied.text === file.text) return file;
      progress = true;
      changed.set(file.path, (changed.get(file.path) ?? 0) + applied.applied);
      return { ...file, text: applied.text };
    });
    if (!progress) break;
    result = scanFiles(files, config);
    const errorsAfter = countErrorsByFile(result);
    const clientsAfter = result.mountedClients();
    const tokenTaken = [...clients].some((client) => !clientsAfter.has(client));
    const broken = files.filter(
      (file, index) =>
        file !== previous[index] &&
        (tokenTaken || (errorsAfter.get(file.path) ?? 0) > (errorsBefore.get(file.path) ?? 0)),
    );
    if (broken.length > 0) {
      for (const file of broken) {
        reverted.add(file.path);
        changed.delete(file.path);
      }
      files = files.map((file) =>
        reverted.has(file.path) ? input.find((original) => original.path === file.path)! : file,
      );
      result = scanFiles(files, config);
    }
  }
  return { files, changed, result, reverted: [...reverted] };
}

function countErrorsByFile(result: ScanResult): Map<string, number> {
  const counts = new Map<string, number>();
  for (const error of result.errors) counts.set(error.file, (counts.get(error.file) ?? 0) + 1);
  return counts;
}
