/**
 * The scan as it was before issue 20 removed its product term, kept for the differential tests only: one model per
 * install holding every plain object plus the render's own, every rule run over each of them, and the findings merged
 * as `src/core/installs.ts` describes. The engine must give exactly what this gives, in less time.
 */
import type { ResolvedConfig } from '../src/config/config.js';
import { sameFix } from '../src/core/apply.js';
import { evaluate } from '../src/core/evaluate.js';
import { installLabel } from '../src/core/installs.js';
import { type LoadedObject, loadFiles } from '../src/core/load.js';
import { type Model, buildModel } from '../src/core/model.js';
import { apiClientJudge, mountedClients } from '../src/core/api-clients.js';
import { buildRbacIndex } from '../src/core/rbac.js';
import { credentialPairs } from '../src/core/credentials.js';
import { extraCredentialEnvNames, secretValues } from '../src/core/secrets.js';
import { sortFindings } from '../src/core/evaluate.js';
import { originErrorLine } from '../src/core/source-map.js';
import { type Finding, type SourceFile, severityRank } from '../src/core/types.js';
import { registry as defaultRegistry, type RuleRegistry } from '../src/rules/index.js';

interface Install {
  render: string | null;
  model: Model;
}

function installsOf(
  objects: readonly LoadedObject[],
  defaultNamespace: string,
  separate: boolean,
  installFiles: readonly string[],
): Install[] {
  const renders = new Map<string, LoadedObject[]>();
  const plain: LoadedObject[] = [];
  for (const object of objects) {
    const render = installLabel(object.file.path, object.file.renderedBy, installFiles);
    if (render === null) plain.push(object);
    else {
      const list = renders.get(render);
      if (list) list.push(object);
      else renders.set(render, [object]);
    }
  }
  if (!separate || renders.size <= 1) {
    return [{ render: null, model: buildModel([...objects], defaultNamespace) }];
  }
  const installs: Install[] = [];
  if (plain.length > 0) installs.push({ render: null, model: buildModel(plain, defaultNamespace) });
  for (const [render, own] of [...renders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    installs.push({ render, model: buildModel([...plain, ...own], defaultNamespace) });
  }
  return installs;
}

function combineInstallFindings(
  installs: readonly Install[],
  findingsOf: (install: Install) => Finding[],
  renderOf: (finding: Finding) => string | null,
): Finding[] {
  if (installs.length === 1) return findingsOf(installs[0]!);
  const result: Finding[] = [];
  const plain = new Map<string, { finding: Finding; seen: number; agreed: boolean; apiClient?: string }>();
  for (const install of installs) {
    for (const finding of findingsOf(install)) {
      const render = renderOf(finding);
      if (render !== null) {
        if (render === install.render) result.push(finding);
        continue;
      }
      const key = `${finding.identity}\u0000${finding.file}\u0000${finding.line}`;
      const entry = plain.get(key);
      if (!entry) {
        plain.set(key, { finding, seen: 1, agreed: true, apiClient: finding.apiClient });
        continue;
      }
      entry.seen++;
      entry.agreed &&= sameFix(entry.finding, finding);
      entry.apiClient ??= finding.apiClient;
      // An install's report of an API client stands over those that lack the evidence; else the most severe.
      const clientBefore = entry.finding.apiClient !== undefined;
      const clientNow = finding.apiClient !== undefined;
      if (clientNow && !clientBefore) entry.finding = finding;
      else if (
        clientNow === clientBefore &&
        severityRank(finding.severity) > severityRank(entry.finding.severity)
      )
        entry.finding = finding;
    }
  }
  for (const { finding, seen, agreed, apiClient } of plain.values()) {
    const combined: Finding = { ...finding };
    if (apiClient !== undefined) combined.apiClient = apiClient;
    if (seen < installs.length || !agreed || apiClient !== undefined) combined.fix = null;
    result.push(combined);
  }
  return result;
}

/** What `scanFiles` returned before issue 20, with the sets as sorted lists, ready to compare. */
export interface ReferenceResult {
  findings: Finding[];
  errors: unknown[];
  notices: unknown[];
  stats: { files: number; documents: number; resources: number; workloads: number };
  secretValues: string[];
  mountedClients: string[];
}

/** The scan of `files` as it was: every install modelled and judged whole. No screening thread (nor in the engine's run). */
export function referenceScan(
  files: readonly SourceFile[],
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
  options: { plainJudgedAlone?: boolean } = {},
): ReferenceResult {
  const objects: LoadedObject[] = [];
  const errors: unknown[] = [];
  const notices: unknown[] = [];
  let documents = 0;
  let inert = 0;
  const loaded = loadFiles(files, {});
  loaded.close();
  loaded.results.forEach((loaded, index) => {
    const file = files[index]!;
    if (file.origin) for (const error of loaded.errors) error.line = originErrorLine(file, error.line);
    objects.push(...loaded.objects);
    errors.push(...loaded.errors);
    notices.push(...loaded.notices);
    documents += loaded.documents;
    inert += loaded.inert;
  });
  const installs = installsOf(
    objects,
    config.defaultNamespace,
    config.installs === 'separate',
    config.installFiles,
  );
  const renderOf = (finding: Finding) => installLabel(finding.file, finding.via?.[0], config.installFiles);
  const plainInstall = installs.length > 1 ? installs.find((install) => install.render === null) : undefined;
  const findingsOf = (install: Install): Finding[] => {
    const own = evaluate(install.model, config, registry);
    // The shortcut the differential tests must catch: a plain object judged as if no render could change it.
    if (!options.plainJudgedAlone || install.render === null || !plainInstall) return own;
    return [
      ...own.filter((finding) => renderOf(finding) !== null),
      ...evaluate(plainInstall.model, config, registry),
    ];
  };
  const findings = sortFindings(combineInstallFindings(installs, findingsOf, renderOf));
  const workloads = new Set(
    installs.flatMap((install) => install.model.workloads.map((workload) => workload.resource.object)),
  );
  const extra = extraCredentialEnvNames(config);
  return {
    findings,
    errors,
    notices,
    stats: { files: files.length, documents, resources: objects.length + inert, workloads: workloads.size },
    secretValues: [
      ...new Set([
        ...installs.flatMap((install) => [...secretValues(install.model, extra)]),
        ...files.flatMap((file) => credentialPairs(file.text).map((pair) => pair.value)),
      ]),
    ].sort(),
    mountedClients: [
      ...new Set(
        installs.flatMap((install) => {
          const judge = apiClientJudge(install.model, buildRbacIndex(install.model, []), config.apiClients);
          return [...mountedClients(install.model, judge)];
        }),
      ),
    ].sort(),
  };
}
