/**
 * Which objects are one cluster. A repository often holds alternatives: a chart rendered per environment, overlays for
 * `dev` and `prod`, an HA install beside a plain one. Each chart render and each overlay build is an install of its
 * own, applied together with the plain manifests of the scan: ServiceAccounts, bindings and the workloads sharing an
 * account are resolved within it, never across two alternatives. With `installs: together` everything scanned is
 * one cluster. Plain files named by `install-files` (a generated `install.yaml` beside `ha/install.yaml`) are each an
 * install of their own in the same way.
 *
 * Plain manifests belong to every install. A finding on one of them stands when any install reports it, at its
 * highest severity, unless an install judges the workload an API client: then that install's finding stands (its token
 * stays everywhere). Its fix stands only when every install asks for the same one and none judges the workload an API
 * client (a fix on a shared file serves them all). A rendered object is judged in its own install only.
 *
 * The plain manifests are judged once, alone; a render's install judges its own objects and, again, only the plain
 * objects the render can judge differently (`reach.ts`). Every other plain object has in that install exactly the
 * findings it has alone, so they count as reported there too. The work grows with the plain objects plus each render's
 * objects and reach, not with their product.
 */
import { minimatch } from 'minimatch';
import type { ResolvedConfig } from '../config/config.js';
import type { RuleRegistry } from '../rules/index.js';
import { mountedClients } from './api-clients.js';
import { sameFix } from './apply.js';
import { evaluateScope, resourceOfFinding } from './evaluate.js';
import { type InstallScope, layeredScope, wholeScope } from './install-scope.js';
import { layerObjects } from './layered-model.js';
import type { LoadedObject } from './load.js';
import { type Model, type Resource, buildModel } from './model.js';
import { reachOf } from './reach.js';
import { extraCredentialEnvNames, secretsOf } from './secrets.js';
import { type Finding, severityRank } from './types.js';

/**
 * The install a file is one of: its render, `file <path>` for a plain file `install-files` names, else null (the
 * plain manifests every install is applied with).
 */
export function installLabel(
  path: string,
  renderedBy: string | undefined,
  installFiles: readonly string[],
): string | null {
  if (renderedBy !== undefined) return renderedBy;
  return installFiles.some((glob) => minimatch(path, glob, { dot: true })) ? `file ${path}` : null;
}

/** The judgement of a scan's objects, over all its installs. */
export interface JudgedInstalls {
  findings: Finding[];
  /** The secret values of every object, and those of them that are plain (`secretsOf`). */
  secretValues: Set<string>;
  plainSecretValues: Set<string>;
  /** The mounted API clients of every install (`mountedClients`): a client in any keeps its token. */
  mountedClients(): Set<string>;
  /** How many of the objects are workloads. */
  workloads: number;
}

interface RenderJudgement {
  render: string;
  scope: InstallScope;
  /** The plain objects judged again in this install. */
  touched: ReadonlySet<Resource>;
  findings: Finding[];
}

/** Judges the objects of a scan: one model of everything, or each install as the module comment says. */
export function judgeInstalls(
  objects: readonly LoadedObject[],
  config: ResolvedConfig,
  registry: RuleRegistry,
): JudgedInstalls {
  const renders = new Map<string, LoadedObject[]>();
  const plain: LoadedObject[] = [];
  for (const object of objects) {
    const render = installLabel(object.file.path, object.file.renderedBy, config.installFiles);
    if (render === null) plain.push(object);
    else {
      const list = renders.get(render);
      if (list) list.push(object);
      else renders.set(render, [object]);
    }
  }
  const extraEnvNames = extraCredentialEnvNames(config);
  if (config.installs !== 'separate' || renders.size <= 1) {
    const scope = wholeScope(buildModel(objects, config.defaultNamespace), config);
    return {
      findings: evaluateScope(scope, config, registry),
      ...secretsOf([scope.model], extraEnvNames),
      mountedClients: () => mountedClients(scope.model, scope.apiClients),
      workloads: scope.model.workloads.length,
    };
  }

  const base = plain.length > 0 ? wholeScope(buildModel(plain, config.defaultNamespace), config) : null;
  const baseFindings = base ? evaluateScope(base, config, registry) : null;
  const reach = base ? reachOf(base.model) : null;
  const judged: RenderJudgement[] = [];
  const models: Model[] = base ? [base.model] : [];
  for (const [render, own] of [...renders].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ownModel = base ? layerObjects(base.model, own) : buildModel(own, config.defaultNamespace);
    models.push(ownModel);
    const touched = reach ? reach.touchedBy(ownModel) : new Set<Resource>();
    const scope = base ? layeredScope(base, ownModel, touched, config) : wholeScope(ownModel, config);
    judged.push({ render, scope, touched, findings: evaluateScope(scope, config, registry) });
  }
  const scopes = [...(base ? [base] : []), ...judged.map((entry) => entry.scope)];
  return {
    findings: combineInstallFindings(baseFindings, judged, config.installFiles),
    // Each object's secrets are its own: those of every install are those of every object.
    ...secretsOf(models, extraEnvNames),
    // A plain workload not judged again in an install is there the client it is in the plain install.
    mountedClients: () =>
      new Set(
        scopes.flatMap((scope) => [
          ...mountedClients(scope.model, scope.apiClients, scope.subjects.workloads),
        ]),
      ),
    workloads: models.reduce((sum, model) => sum + model.workloads.length, 0),
  };
}

/**
 * The findings of all installs: a rendered object's from its own install; a plain object's from every install, merged
 * by identity and place as the module comment says. `plain` holds the findings of the plain install (null when there
 * are no plain objects); a render reports those of the plain objects it did not judge again as they are.
 */
function combineInstallFindings(
  plain: readonly Finding[] | null,
  renders: readonly RenderJudgement[],
  installFiles: readonly string[],
): Finding[] {
  const installs = (plain ? 1 : 0) + renders.length;
  const judgedAgain = new Map<Resource, number>();
  for (const { touched } of renders) {
    for (const resource of touched) judgedAgain.set(resource, (judgedAgain.get(resource) ?? 0) + 1);
  }
  const result: Finding[] = [];
  // Per plain finding: the first report, how many reports were made, whether their fixes agree, and a client's evidence.
  const entries = new Map<string, { finding: Finding; seen: number; agreed: boolean; apiClient?: string }>();
  const merge = (finding: Finding, reports: number) => {
    // The same finding in each install; alternatives in two plain files share identities but not places.
    const key = `${finding.identity}\u0000${finding.file}\u0000${finding.line}`;
    const entry = entries.get(key);
    if (!entry) {
      entries.set(key, { finding, seen: reports, agreed: true, apiClient: finding.apiClient });
      return;
    }
    entry.seen += reports;
    entry.agreed &&= sameFix(entry.finding, finding);
    entry.apiClient ??= finding.apiClient;
    // A workload that is an API client in one install keeps its token in all (it is the same object): the client's
    // finding stands, as the one that says so, whatever an install that lacks the evidence reported.
    const client = (report: Finding) => (report.apiClient === undefined ? 0 : 1);
    const rank = client(finding) - client(entry.finding);
    if (rank > 0 || (rank === 0 && severityRank(finding.severity) > severityRank(entry.finding.severity)))
      entry.finding = finding;
  };
  // A finding of the plain install is made again, unchanged, by every render that did not judge its object again: the
  // same fix, client and severity, so those reports are only counted.
  for (const finding of plain ?? []) {
    const again = judgedAgain.get(resourceOfFinding(finding)!) ?? 0;
    merge(finding, 1 + renders.length - again);
  }
  for (const { render, findings } of renders) {
    for (const finding of findings) {
      const own = installLabel(finding.file, finding.via?.[0], installFiles);
      if (own === null) merge(finding, 1);
      else if (own === render) result.push(finding);
    }
  }
  for (const { finding, seen, agreed, apiClient } of entries.values()) {
    const combined: Finding = { ...finding };
    if (apiClient !== undefined) combined.apiClient = apiClient;
    // Plain objects are in every install: a fix on one must be asked for by each of them, and remove no client's token.
    if (seen < installs || !agreed || apiClient !== undefined) combined.fix = null;
    result.push(combined);
  }
  return result;
}
