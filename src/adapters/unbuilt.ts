/**
 * Manifests no build reads. Files in a chart or kustomization folder are left to helm and kustomize, but a file
 * neither reads is still applied by `kubectl apply -f <folder>`: a `Kustomization` or `Chart.yaml` dropped beside
 * plain manifests would otherwise hide them from the check. Such a file is scanned as a plain manifest when it holds
 * complete Kubernetes objects; in a kustomization folder, one that does not is named in a notice.
 */
import { posix } from 'node:path';
import { loadAll } from 'js-yaml';
import { parse } from 'yaml';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { KUSTOMIZATION_FILES, kustomizationReferences } from './kustomize-sources.js';

/** A YAML or JSON file inside a chart or kustomization folder, with the folder it is in. */
export interface HeldFile {
  path: string;
  /** The chart folder holding it, or null when it is in a kustomization folder. */
  chart: string | null;
}

export interface UnbuiltOutcome {
  files: SourceFile[];
  errors: ScanError[];
  notices: ScanNotice[];
}

/** Files a chart's build reads itself, besides its templates, subcharts and crds (see helm.ts). */
const CHART_FILES =
  /^(Chart\.ya?ml|Chart\.lock|values[^/]*\.(ya?ml|json)|values\.schema\.json|requirements\.ya?ml)$/;

/** Whether helm or kustomize reads this file of its folder by its place alone. */
function readByItsBuild(file: HeldFile): boolean {
  const name = posix.basename(file.path);
  if (file.chart === null) return KUSTOMIZATION_FILES.includes(name);
  const inChart = file.chart === '' ? file.path : file.path.slice(file.chart.length + 1);
  return /^(templates|charts|crds)\//.test(inChart) || CHART_FILES.test(inChart);
}

/**
 * Of the files held in chart and kustomization folders, those no build reads: scanned when they hold complete objects.
 * `read` gives a file decoded (from the working tree or a git revision), or why it cannot be; null when it is not
 * there (or is a link leading out).
 */
export async function unbuiltManifests(
  held: readonly HeldFile[],
  kustomizationDirs: readonly string[],
  read: (path: string) => Promise<SourceFile | ScanError | null>,
): Promise<UnbuiltOutcome> {
  const outcome: UnbuiltOutcome = { files: [], errors: [], notices: [] };
  const candidates = held.filter((file) => !readByItsBuild(file));
  if (candidates.length === 0) return outcome;
  const referenced = new Set<string>();
  for (const dir of kustomizationDirs) {
    for (const name of KUSTOMIZATION_FILES) {
      const kustomization = await read(dir === '' ? name : `${dir}/${name}`);
      if (kustomization === null) continue;
      if (!('text' in kustomization)) break;
      let content: unknown;
      try {
        content = parse(kustomization.text, { maxAliasCount: 100 });
      } catch {
        break;
      }
      for (const path of kustomizationReferences(dir, content)) referenced.add(path);
      break;
    }
  }
  for (const file of candidates) {
    if (referenced.has(file.path)) continue;
    const decoded = await read(file.path);
    if (decoded === null) continue;
    if (!('text' in decoded)) {
      outcome.errors.push(decoded);
    } else if (holdsCompleteObjects(decoded.text)) {
      outcome.files.push(decoded);
    } else if (file.chart === null) {
      outcome.notices.push({
        file: file.path,
        message:
          'no kustomization here reads it and it holds no complete Kubernetes object (apiVersion, kind and name, and ' +
          'a selector for a Deployment, StatefulSet, DaemonSet or ReplicaSet): a patch, not checked on its own',
      });
    }
  }
  return outcome;
}

/** Whether every document of a text is a complete Kubernetes object, and there is one at least. */
function holdsCompleteObjects(text: string): boolean {
  let documents: unknown[];
  try {
    documents = [];
    loadAll(text, (document) => documents.push(document), { json: true });
  } catch {
    return false;
  }
  const objects = documents.filter((document) => document !== null && document !== undefined);
  return (
    objects.length > 0 &&
    objects.every((object) => {
      if (typeof object !== 'object' || Array.isArray(object)) return false;
      const record = object as Record<string, unknown>;
      const metadata = record.metadata as Record<string, unknown> | undefined;
      const spec = record.spec as Record<string, unknown> | undefined;
      return (
        typeof record.apiVersion === 'string' &&
        typeof record.kind === 'string' &&
        typeof metadata === 'object' &&
        metadata !== null &&
        typeof metadata.name === 'string' &&
        // A patch of one (kubebuilder's `manager_*_patch.yaml`, left for a kustomization to enable) names no selector;
        // the API server refuses such a Deployment, so `kubectl apply -f` never creates it.
        (!SELECTED_KINDS.has(record.kind) ||
          (typeof spec === 'object' &&
            spec !== null &&
            typeof spec.selector === 'object' &&
            spec.selector !== null))
      );
    })
  );
}

/** Kinds the API server refuses without `spec.selector` (apps/v1). */
const SELECTED_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
