/**
 * Paths named inside a chart or a kustomization folder. A template, a values file or a patch is nothing Kubernetes
 * reads on its own: what it means shows only in the chart's render or the overlay's build. A scan of such a path
 * (a pre-commit hook, a wrapper passing the changed files) renders the chart, or builds the overlays that include the
 * folder, and reports the findings at or below the path; when nothing rendered comes from it (`values.yaml`,
 * `Chart.yaml`, a helper, a patch, the kustomization), every finding of the render, since it changes them all.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, ScanNotice, SourceFile } from '../core/types.js';
import { KUSTOMIZATION_FILES, kustomizationIncludes } from './kustomize.js';

/** A path named for a scan that lies inside a chart or a kustomization folder (not the folder itself). */
export interface Focus {
  /** The path as named, relative to the root (forward slashes). */
  path: string;
  /** The outermost chart holding it (the one a scan of the repository renders), or null. */
  chart: string | null;
  /** When it is in no chart: the kustomization folders above it, outermost first. */
  kustomizations: string[];
}

const SKIPPED = new Set(['.git', 'node_modules']);

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The chart or kustomization folders above `path` (relative to the real root `root`; a folder itself is not above
 * itself), or null when it lies in neither. A chart wins over kustomizations, as in a walk of the repository.
 */
export function focusOf(root: string, path: string): Focus | null {
  const parts = path === '' ? [] : path.split('/');
  const kustomizations: string[] = [];
  // The folders strictly above it: a folder named is walked as itself, a chart or kustomization or not.
  for (let index = 0; index < parts.length; index++) {
    const folder = parts.slice(0, index).join('/');
    if (parts.slice(0, index).some((part) => SKIPPED.has(part))) break;
    if (isFile(join(root, folder, 'Chart.yaml'))) return { path, chart: folder, kustomizations: [] };
    if (KUSTOMIZATION_FILES.some((name) => isFile(join(root, folder, name)))) kustomizations.push(folder);
  }
  return kustomizations.length > 0 ? { path, chart: null, kustomizations } : null;
}

/** Whether `path` is `named` or lies below it (relative paths). */
function atOrBelow(path: string, named: string): boolean {
  return named === '' || path === named || path.startsWith(`${named}/`);
}

/** Every folder below the root holding a kustomization, outside charts (which hold none a scan builds). */
function allKustomizations(root: string): string[] {
  const found: string[] = [];
  const folders = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    if (entries.some((entry) => entry.name === 'Chart.yaml' && entry.isFile())) continue;
    if (entries.some((entry) => KUSTOMIZATION_FILES.includes(entry.name) && entry.isFile()))
      found.push(folder);
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name))
        folders.push(folder === '' ? entry.name : `${folder}/${entry.name}`);
    }
  }
  return found.sort();
}

/**
 * The overlays to build for the paths named inside kustomization folders, beyond `built` (built whole anyway): each
 * overlay (of the config's `overlays`, else every kustomization no other includes) that reaches a kustomization
 * above the path, with the paths it is built for. A path no overlay reaches is named in a notice.
 */
export async function focusOverlays(
  root: string,
  focus: readonly Focus[],
  configured: readonly string[] | undefined,
  findOverlays: (dirs: readonly string[]) => Promise<string[]>,
  built: readonly string[],
  notices: ScanNotice[],
): Promise<Map<string, string[]>> {
  const wanted = new Map<string, string[]>();
  const inKustomizations = focus.filter((entry) => entry.chart === null);
  if (inKustomizations.length === 0) return wanted;
  const dirs = allKustomizations(root);
  const overlays = configured ?? (await findOverlays(dirs));
  const includes = new Map<string, string[]>();
  for (const dir of dirs) includes.set(dir, (await kustomizationIncludes(root, dir))?.includes ?? []);
  const reach = (overlay: string) => {
    const reached = new Set<string>();
    const queue = [overlay];
    for (let dir = queue.pop(); dir !== undefined; dir = queue.pop()) {
      if (reached.has(dir)) continue;
      reached.add(dir);
      queue.push(...(includes.get(dir) ?? []));
    }
    return reached;
  };
  const reached = new Map(overlays.map((overlay) => [overlay, reach(overlay)]));
  for (const entry of inKustomizations) {
    const reaching = overlays.filter((overlay) =>
      entry.kustomizations.some((dir) => reached.get(overlay)!.has(dir)),
    );
    if (reaching.length === 0) {
      const folder = entry.kustomizations.at(-1) || '.';
      const which = configured ? 'no overlay of the config `overlays`' : 'no overlay';
      notices.push({
        file: entry.path,
        message: `in the kustomization folder ${folder}, which ${which} includes; not checked`,
      });
    }
    for (const overlay of reaching) {
      if (built.includes(overlay)) continue;
      wanted.set(overlay, [...(wanted.get(overlay) ?? []), entry.path]);
    }
  }
  return wanted;
}

/** A render pulled in by named paths: which findings are its, and the paths they must be at. */
interface FocusedUnit {
  /** Whether a render (`via`) is this unit's. */
  renders(label: string): boolean;
  /** For a chart: its folder, whose plain files (no build reads them) are the unit's too. */
  chart: string | null;
  named: string[];
  /** Every finding of the unit is reported: a named path holds none of its output. */
  whole: boolean;
}

/**
 * The findings to report when paths were named inside charts and kustomization folders: a finding seen only through
 * renders pulled in by such paths (or on a plain file of such a chart) is kept when it is at or below one of them,
 * or when one of them holds nothing the render produced.
 */
export function focusFindings(
  findings: Finding[],
  files: readonly SourceFile[],
  focus: readonly Focus[],
  overlays: ReadonlyMap<string, string[]>,
): Finding[] {
  const units: FocusedUnit[] = [];
  const charts = new Map<string, string[]>();
  for (const entry of focus) {
    if (entry.chart === null) continue;
    charts.set(entry.chart, [...(charts.get(entry.chart) ?? []), entry.path]);
  }
  for (const [chart, named] of charts) {
    const prefix = `chart ${chart || '.'} (release `;
    units.push({ renders: (label) => label.startsWith(prefix), chart, named, whole: false });
  }
  for (const [overlay, named] of overlays) {
    const label = `overlay ${overlay || '.'}`;
    units.push({ renders: (other) => other === label, chart: null, named, whole: false });
  }
  if (units.length === 0) return findings;
  for (const unit of units) {
    const own = files.filter((file) =>
      file.renderedBy !== undefined
        ? unit.renders(file.renderedBy)
        : unit.chart !== null && atOrBelow(file.path, unit.chart),
    );
    unit.whole = unit.named.some((named) => !own.some((file) => atOrBelow(file.path, named)));
  }
  return findings.filter((finding) => {
    let seen: FocusedUnit[];
    if (finding.via && finding.via.length > 0) {
      seen = [];
      for (const label of finding.via) {
        const unit = units.find((candidate) => candidate.renders(label));
        // Seen through a render of its own (a chart or overlay scanned whole): reported as ever.
        if (unit === undefined) return true;
        seen.push(unit);
      }
    } else {
      seen = units.filter((unit) => unit.chart !== null && atOrBelow(finding.file, unit.chart));
      if (seen.length === 0) return true;
    }
    return seen.some((unit) => unit.whole || unit.named.some((named) => atOrBelow(finding.file, named)));
  });
}
