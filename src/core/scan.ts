import type { ResolvedConfig } from '../config/config.js';
import { registry as defaultRegistry, type RuleRegistry } from '../rules/index.js';
import { type LoadOptions, type LoadedObject, loadFiles } from './load.js';
import { sortFindings } from './evaluate.js';
import { judgeInstalls } from './installs.js';
import { secondThread } from './second-thread.js';
import { originErrorLine } from './source-map.js';
import type { Finding, ScanError, ScanNotice, SourceFile } from './types.js';
import { append } from './arrays.js';

export interface ScanStats {
  files: number;
  documents: number;
  resources: number;
  workloads: number;
  /** Documents a second thread confirmed to be of kinds no rule reads, and documents it read (see `second-thread.ts`). */
  screened: number;
  readInSecondThread: number;
}

export interface ScanResult {
  findings: Finding[];
  errors: ScanError[];
  notices: ScanNotice[];
  stats: ScanStats;
  /** The secret values the files hold, for the filter of everything that leaves (`redact.ts`). Never output. */
  secretValues: Set<string>;
  /** API clients whose token is mounted (`Kind/namespace/name`), worked out when asked: what no fix may remove. */
  mountedClients(): Set<string>;
  /** Whole milliseconds spent reading the documents, and modelling and judging them, for the log. */
  timing: { documents: number; rules: number };
}

/**
 * Text in, findings out: loads every file, models its installs (so ServiceAccounts and bindings in any file of an
 * install count, see `installs.ts`), runs the enabled rules and applies suppressions. No I/O.
 */
export function scanFiles(
  files: readonly SourceFile[],
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
  load: LoadOptions = { secondThread },
): ScanResult {
  const objects: LoadedObject[] = [];
  const errors: ScanError[] = [];
  const notices: ScanNotice[] = [];
  let documents = 0;
  let inert = 0;
  const started = performance.now();
  const { results, secondThread: helped } = loadFiles(files, load);
  const read = performance.now();
  results.forEach((loaded, index) => {
    const file = files[index]!;
    // An error in rendered output points at the template document that wrote it, never at a rendered line.
    if (file.origin) for (const error of loaded.errors) error.line = originErrorLine(file, error.line);
    append(objects, loaded.objects);
    append(errors, loaded.errors);
    append(notices, loaded.notices);
    documents += loaded.documents;
    inert += loaded.inert;
  });
  const judged = judgeInstalls(objects, config, registry);
  const timing = {
    documents: Math.round(read - started),
    rules: Math.round(performance.now() - read),
  };
  return {
    findings: sortFindings(judged.findings),
    errors,
    notices,
    secretValues: judged.secretValues,
    // A client in any install keeps its token: a fix to a shared file serves them all.
    mountedClients: judged.mountedClients,
    stats: {
      files: files.length,
      documents,
      resources: objects.length + inert,
      workloads: judged.workloads,
      screened: helped.screened,
      readInSecondThread: helped.read,
    },
    timing,
  };
}
