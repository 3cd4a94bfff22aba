/**
 * Which objects are one cluster. A repository often holds alternatives: a chart rendered per environment, overlays for
 * `dev` and `prod`, an HA install beside a plain one. Each chart render and each overlay build is an install of its
 * own, applied together with the plain manifests of the scan: ServiceAccounts, bindings and the workloads sharing an
 * account are resolved within it, never across two alternatives. With `installs: together` everything scanned is
 * one cluster. Plain files named by `install-files` (a generated `install.yaml` beside `ha/install.yaml`) are each an
 * install of their own in the same way.
 *
 * Plain manifests belong to every install. A finding on one of them stands when any install reports it, at its
 * highest severity; its fix only when every install asks for the same one and none judges the workload an API
 * client (a fix on a shared file serves them all).
 */
import { minimatch } from 'minimatch';
import type { LoadedObject } from './load.js';
import { type Model, buildModel } from './model.js';
import { sameFix } from './apply.js';
import { type Finding, severityRank } from './types.js';

export interface Install {
  /** The render (`overlay deploy/prod`), or null for the plain manifests alone. */
  render: string | null;
  model: Model;
}

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

/** The installs of a scan's objects: one model of everything, or one per render plus one of the plain manifests. */
export function installsOf(
  objects: readonly LoadedObject[],
  defaultNamespace: string,
  separate: boolean,
  installFiles: readonly string[] = [],
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

/**
 * The findings of all installs: a rendered object's from its own install; a plain object's from every install,
 * merged by identity and place as the module comment says.
 */
export function combineInstallFindings(
  installs: readonly Install[],
  findingsOf: (install: Install) => Finding[],
  renderOf: (finding: Finding) => string | null,
): Finding[] {
  if (installs.length === 1) return findingsOf(installs[0]!);
  const result: Finding[] = [];
  // Per plain finding: the first report, how many installs made it, whether their fixes agree, and a client's evidence.
  const plain = new Map<string, { finding: Finding; seen: number; agreed: boolean; apiClient?: string }>();
  for (const install of installs) {
    for (const finding of findingsOf(install)) {
      const render = renderOf(finding);
      if (render !== null) {
        if (render === install.render) result.push(finding);
        continue;
      }
      // The same finding in each install; alternatives in two plain files share identities but not places.
      const key = `${finding.identity}\u0000${finding.file}\u0000${finding.line}`;
      const entry = plain.get(key);
      if (!entry) {
        plain.set(key, { finding, seen: 1, agreed: true, apiClient: finding.apiClient });
        continue;
      }
      entry.seen++;
      entry.agreed &&= sameFix(entry.finding, finding);
      entry.apiClient ??= finding.apiClient;
      if (severityRank(finding.severity) > severityRank(entry.finding.severity)) entry.finding = finding;
    }
  }
  for (const { finding, seen, agreed, apiClient } of plain.values()) {
    const combined: Finding = { ...finding };
    if (apiClient !== undefined) combined.apiClient = apiClient;
    // Plain objects are in every install: a fix on one must be asked for by each of them, and remove no client's token.
    if (seen < installs.length || !agreed || apiClient !== undefined) combined.fix = null;
    result.push(combined);
  }
  return result;
}
