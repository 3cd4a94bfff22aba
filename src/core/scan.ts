import type { ResolvedConfig } from '../config/config.js';
import { registry as defaultRegistry, type RuleRegistry } from '../rules/index.js';
import { type LoadOptions, type LoadedObject, loadFiles } from './load.js';
import { mountedClients } from './api-clients.js';
import { evaluate, sortFindings } from './evaluate.js';
import { combineInstallFindings, installLabel, installsOf } from './installs.js';
import { workerScreen } from './screen.js';
import { extraCredentialEnvNames, secretValues } from './secrets.js';
import { originErrorLine } from './source-map.js';
import type { Finding, ScanError, ScanNotice, SourceFile } from './types.js';
import { append } from './arrays.js';

export interface ScanStats {
  files: number;
  documents: number;
  resources: number;
  workloads: number;
  /** Documents of kinds no rule reads that a second thread confirmed as such (see `screen.ts`). */
  screened: number;
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
}

/**
 * Text in, findings out: loads every file, builds one model of all of them (so ServiceAccounts and bindings in any
 * file count), runs the enabled rules and applies suppressions. No I/O.
 */
export function scanFiles(
  files: readonly SourceFile[],
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
  load: LoadOptions = { screen: workerScreen },
): ScanResult {
  const objects: LoadedObject[] = [];
  const errors: ScanError[] = [];
  const notices: ScanNotice[] = [];
  let documents = 0;
  let inert = 0;
  const { results, screened } = loadFiles(files, load);
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
  const separate = config.installs === 'separate';
  const installs = installsOf(objects, config.defaultNamespace, separate, config.installFiles);
  const findings = sortFindings(
    combineInstallFindings(
      installs,
      (install) => evaluate(install.model, config, registry),
      (finding) => installLabel(finding.file, finding.via?.[0], config.installFiles),
    ),
  );
  const workloads = new Set(
    installs.flatMap((install) => install.model.workloads.map((workload) => workload.resource.object)),
  );
  return {
    findings,
    errors,
    notices,
    secretValues: new Set(
      installs.flatMap((install) => [...secretValues(install.model, extraCredentialEnvNames(config))]),
    ),
    // A client in any install keeps its token: a fix to a shared file serves them all.
    mountedClients: () =>
      new Set(installs.flatMap((install) => [...mountedClients(install.model, config.apiClients)])),
    stats: {
      files: files.length,
      documents,
      resources: objects.length + inert,
      workloads: workloads.size,
      screened,
    },
  };
}
