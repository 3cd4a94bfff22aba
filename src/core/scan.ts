import type { ResolvedConfig } from '../config/config.js';
import { registry as defaultRegistry, type RuleRegistry } from '../rules/index.js';
import { type LoadOptions, type LoadedObject, loadFiles } from './load.js';
import { sortFindings } from './evaluate.js';
import { judgeInstalls } from './installs.js';
import { identifiersOf } from './secrets.js';
import { secondThread } from './second-thread.js';
import { originErrorLine, originErrorMessage } from './source-map.js';
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
  /**
   * The secret values the files hold, for the filter of everything that leaves (`redact.ts`): those of the objects
   * (`secrets.ts`), and with `credentials`, the values of credential-named keys in the files' texts
   * (`credentialPairs`). Never output.
   */
  secretValues: Set<string>;
  /**
   * Those of them that are only data of a Secret under a key that names no credential (`EVENT_SOURCE: payments-api`):
   * they yield to the names outputs place things by, and to the tool's own words (`SecretFilter.addScan`).
   */
  plainSecretValues: Set<string>;
  /** The names outputs place things by (`identifiersOf`): no secret value, even when a Secret holds one. */
  identifiers: string[];
  /** API clients whose token is mounted (`Kind/namespace/name`), worked out when asked: what no fix may remove. */
  mountedClients(): Set<string>;
  /**
   * Whole milliseconds spent reading the documents, modelling and judging them, and finding the credentials in the
   * texts (what a second thread had not found by then), for the log.
   */
  timing: { documents: number; rules: number; secrets: number };
}

/**
 * Text in, findings out: loads every file, models its installs (so ServiceAccounts and bindings in any file of an
 * install count, see `installs.ts`), runs the enabled rules and applies suppressions. No I/O.
 */
export function scanFiles(
  files: readonly SourceFile[],
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
  options: LoadOptions = { secondThread },
): ScanResult {
  const objects: LoadedObject[] = [];
  const errors: ScanError[] = [];
  const notices: ScanNotice[] = [];
  let documents = 0;
  let inert = 0;
  const started = performance.now();
  const loaded = loadFiles(files, options);
  const read = performance.now();
  let judged: ReturnType<typeof judgeInstalls>;
  let judgedAt: number;
  let credentialValues: string[][] = [];
  let helped: { screened: number; read: number };
  try {
    loaded.results.forEach((result, index) => {
      const file = files[index]!;
      // An error in rendered output points at the template document that wrote it, never at a rendered line.
      if (file.origin) {
        for (const error of result.errors) {
          const line = originErrorLine(file, error.line);
          error.message = originErrorMessage(file, error.message, line);
          error.line = line;
        }
      }
      // Output of a packed dependency has no line of its own in the archive.
      if (file.archived) for (const error of result.errors) error.line = null;
      append(objects, result.objects);
      append(errors, result.errors);
      append(notices, result.notices);
      documents += result.documents;
      inert += result.inert;
    });
    judged = judgeInstalls(objects, config, registry);
    judgedAt = performance.now();
    // Found by the second thread while this one judged, where it could.
    if (options.credentials) credentialValues = loaded.credentialValues();
  } finally {
    helped = loaded.close();
  }
  const secretValues = judged.secretValues;
  const plainSecretValues = judged.plainSecretValues;
  for (const values of credentialValues) {
    for (const value of values) {
      secretValues.add(value);
      // Next to a credential key somewhere, a value is a credential everywhere.
      plainSecretValues.delete(value);
    }
  }
  return {
    findings: sortFindings(judged.findings),
    errors,
    notices,
    secretValues,
    plainSecretValues,
    identifiers: identifiersOf(files, objects),
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
    timing: {
      documents: Math.round(read - started),
      rules: Math.round(judgedAt - read),
      secrets: Math.round(performance.now() - judgedAt),
    },
  };
}
