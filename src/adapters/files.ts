import { type Dirent, type Stats, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { ConfigurationError } from '../config/errors.js';
import type { GitRepository } from './git.js';
import { KUSTOMIZATION_FILES, kustomizationDirs } from './kustomize.js';
import { MAX_FILE_BYTES, decodeFile, tooLarge, unreadable } from './decode.js';
import { judgeCandidate, readCandidate, readReusing } from './candidates.js';
import { type Focus, focusOf } from './focus.js';
import { within } from './links.js';
import { type HeldFile, type UnbuiltOutcome, unbuiltManifests } from './unbuilt.js';
import { append } from '../core/arrays.js';

export { MAX_FILE_BYTES, decodeFile };

const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export interface CollectOptions {
  root: string;
  paths: string[];
  include: string[];
  exclude: string[];
  /** Called as files are read: how many so far, and how many of them were skipped (see `skipped`). */
  onRead?: (read: number, skipped: number) => void;
}

export interface CollectedFiles {
  files: SourceFile[];
  /** Folders holding a Helm chart (relative to the root): rendered with helm, not read as plain manifests. */
  charts: string[];
  /**
   * Folders holding a kustomization (relative to the root): their files are built by kustomize (patches are partial
   * objects), not read as plain manifests.
   */
  kustomizations: string[];
  errors: ScanError[];
  notices: ScanNotice[];
  /**
   * Files found by walking folders that provably hold no Kubernetes object (lock files, package manifests, data:
   * see core/kubernetes-candidate.ts), left out of the scan and out of memory. Files named on the command line are
   * always read. Their paths (a pull request's changed files among them are read at its head if the checkout is not).
   */
  skipped: string[];
  /**
   * Paths named inside a chart or kustomization folder (see focus.ts): the chart is rendered, the overlays including
   * the folder are built, and only the findings at those paths are reported. Charts also scanned whole are not here.
   */
  focus?: Focus[];
}

/** Files read from git's objects in one `git cat-file` run. */
const GIT_READ_BATCH = 500;

/** Whether `path` lies below the folder `dir` (relative paths; `''` is the root, which holds everything). */
export function under(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** The file's status, or null when it cannot be had (no such file, a loop of links, no permission). */
function statOrNull(call: (path: string) => Stats, path: string): Stats | null {
  try {
    return call(path);
  } catch {
    return null;
  }
}

function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((glob) => minimatch(path, glob, { dot: true }));
}

export interface PathSelection {
  selected: string[];
  kustomizations: string[];
  /** Folders holding a Helm chart: their files are the renderer's, not plain manifests. */
  charts: string[];
  /** Files in chart and kustomization folders, to scan when no build reads them (see unbuilt.ts). */
  held: HeldFile[];
}

/** Picks the files to scan from a repository listing (paths relative to the root, forward slashes). */
export function selectPaths(
  paths: readonly string[],
  include: readonly string[],
  exclude: readonly string[],
): PathSelection {
  const chartFiles = paths.filter((path) => path === 'Chart.yaml' || path.endsWith('/Chart.yaml'));
  const toDir = (path: string) => path.slice(0, -'Chart.yaml'.length).replace(/\/$/, '');
  // A chart whose Chart.yaml is excluded is left out whole, as the walk of a folder leaves it.
  const excludedCharts = chartFiles.filter((path) => matchesAny(path, exclude)).map(toDir);
  const charts = chartFiles
    .map(toDir)
    .filter((dir) => !excludedCharts.some((excluded) => under(`${dir}/x`, excluded)));
  const chartOf = (path: string) =>
    charts.filter((chart) => under(path, chart)).sort((a, b) => a.length - b.length)[0];
  const kustomizations = kustomizationDirs(paths).filter((dir) => chartOf(`${dir}/x`) === undefined);
  const inKustomization = (path: string) => kustomizations.some((dir) => under(path, dir));
  const skipped = (path: string) => path.split('/').some((part) => SKIPPED_DIRECTORIES.has(part));
  const selected: string[] = [];
  const held: HeldFile[] = [];
  for (const path of [...paths].sort()) {
    if (skipped(path) || !matchesAny(path, include) || matchesAny(path, exclude)) continue;
    if (excludedCharts.some((excluded) => under(path, excluded))) continue;
    const chart = chartOf(path);
    if (chart !== undefined) held.push({ path, chart });
    else if (inKustomization(path)) held.push({ path, chart: null });
    else selected.push(path);
  }
  return { selected, charts: charts.sort(), kustomizations, held };
}

/**
 * Reads the files to scan below `root`: named files always, folders walked with the include/exclude globs. Nothing
 * outside `root` is read, whatever symlinks say; Helm charts are left to the chart renderer.
 */
export async function collectFiles(options: CollectOptions): Promise<CollectedFiles> {
  // The file system is read with synchronous calls: a scan has nothing else to do meanwhile, and each asynchronous
  // call is a round trip through libuv's thread pool. 4,000 files of 20 KB took 0.9-1.9 s that way, 0.4 s this way;
  // only files not yet in the page cache (a first scan after a reboot) came a tenth slower, one read waiting at a time.
  const root = realpathSync.native(resolve(options.root));
  const result: CollectedFiles = {
    files: [],
    charts: [],
    kustomizations: [],
    errors: [],
    notices: [],
    skipped: [],
  };
  const seen = new Set<string>();
  let read = 0;
  /** `linked`: reached through a symbolic link of its own, so its real path is still to be found. */
  const addFile = (absolute: string, explicit: boolean, linked: boolean) => {
    const path = toPosix(relative(root, absolute));
    if (seen.has(path)) return;
    if (!explicit && (!matchesAny(path, options.include) || matchesAny(path, options.exclude))) return;
    seen.add(path);
    // Folders are walked from their real path and links to folders are not followed: what is not a link is real.
    let outcome: ReturnType<typeof readCandidate>;
    try {
      const real = linked ? realpathSync.native(absolute) : absolute;
      if (!within(root, real)) {
        result.notices.push({ file: path, message: 'links outside the scanned root; skipped' });
        return;
      }
      outcome = readCandidate(path, real, explicit);
    } catch (error) {
      // A file in scope that cannot be read fails the scan, as a broken one does: a clean result means all were read.
      outcome = unreadable(path, error);
    }
    if ('skipped' in outcome) result.skipped.push(path);
    else if ('text' in outcome) result.files.push(outcome);
    else result.errors.push(outcome);
    options.onRead?.(++read, result.skipped.length);
  };

  // Files in chart and kustomization folders are their builds' to read; those no build reads are judged afterwards.
  const held: HeldFile[] = [];
  const heldPaths = new Set<string>();
  const addHeld = (absolute: string, chart: string | null, explicit = false) => {
    const path = toPosix(relative(root, absolute));
    if (heldPaths.has(path)) return;
    if (explicit || (matchesAny(path, options.include) && !matchesAny(path, options.exclude))) {
      heldPaths.add(path);
      held.push({ path, chart });
    }
  };
  /** Charts walked (each once), and those walked whole rather than for a path named inside them. */
  const walkedCharts = new Set<string>();
  const wholeCharts = new Set<string>();
  const focus: Focus[] = [];
  /**
   * `chart`: the chart folder being walked; `inKustomization`: below a kustomization (and not in a chart);
   * `focused`: a chart walked for a path named inside it.
   */
  const walk = (directory: string, inKustomization: boolean, chart: string | null, focused = false): void => {
    const here = toPosix(relative(root, directory));
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch (error) {
      result.errors.push(unreadable(here === '' ? '.' : here, error, true));
      return;
    }
    if (chart === null && entries.some((entry) => entry.name === 'Chart.yaml' && entry.isFile())) {
      // Excluded by its Chart.yaml (`charts/common/**`), a chart is left out whole: not rendered, nothing in it read.
      if (matchesAny(here === '' ? 'Chart.yaml' : `${here}/Chart.yaml`, options.exclude)) return;
      if (!focused) wholeCharts.add(here);
      if (walkedCharts.has(here)) return;
      walkedCharts.add(here);
      result.charts.push(here);
      chart = here;
    }
    if (
      chart === null &&
      entries.some((entry) => KUSTOMIZATION_FILES.includes(entry.name) && entry.isFile())
    ) {
      result.kustomizations.push(here);
      inKustomization = true;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) {
        // A chart's templates, subcharts and crds are helm's alone (rendered with `--include-crds`).
        const rendered = chart === here && ['templates', 'charts', 'crds'].includes(entry.name);
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !rendered) walk(absolute, inKustomization, chart);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (entry.isSymbolicLink() && !statOrNull(statSync, absolute)?.isFile()) continue;
        if (chart !== null) addHeld(absolute, chart);
        else if (inKustomization) addHeld(absolute, null);
        else addFile(absolute, false, entry.isSymbolicLink());
      }
    }
  };

  for (const given of options.paths.length > 0 ? options.paths : ['.']) {
    const absolute = resolve(options.root, given);
    // Followed through links: a link that leads nowhere (or in a loop) is no file either.
    if (!statOrNull(statSync, absolute)) throw new ConfigurationError(`${given}: no such file or directory`);
    const real = realpathSync.native(absolute);
    if (!within(root, real)) {
      throw new ConfigurationError(`${given}: outside the scanned root ${root}`);
    }
    const isDirectory = statSync(real).isDirectory();
    const inside = focusOf(root, toPosix(relative(root, real)));
    if (inside?.chart != null) {
      // A template, values file or folder of a chart means what the chart renders from it: the chart is rendered.
      const chartFile = inside.chart === '' ? 'Chart.yaml' : `${inside.chart}/Chart.yaml`;
      if (matchesAny(chartFile, options.exclude)) {
        result.notices.push({
          file: inside.path,
          message: `in the chart ${inside.chart || '.'}, whose Chart.yaml the config excludes; not checked`,
        });
        continue;
      }
      focus.push(inside);
      walk(join(root, inside.chart), false, null, true);
    } else if (inside !== null) {
      // In a kustomization folder: the overlays including it are built (render.ts); a file none reads is plain.
      focus.push(inside);
      if (isDirectory) walk(real, true, null);
      else addHeld(real, null, true);
    } else if (isDirectory) walk(real, false, null);
    else addFile(real, true, false);
  }
  const readInRoot = async (path: string) => {
    let real: string;
    try {
      real = realpathSync.native(join(root, path));
    } catch {
      return null;
    }
    if (!within(root, real)) return null;
    const bytes = statSync(real).size > MAX_FILE_BYTES ? null : readReusing(real);
    return bytes ? decodeFile(path, bytes) : tooLarge(path);
  };
  const above = focus.flatMap((entry) => entry.kustomizations);
  const kustomizations = [...new Set([...result.kustomizations, ...above])];
  addUnbuilt(result, await unbuiltManifests(held, kustomizations, readInRoot));
  const plain = new Set(result.files.map((file) => file.path));
  // A chart scanned whole reports everything; a file no kustomization reads is a plain manifest, reported as such.
  result.focus = focus.filter((entry) =>
    entry.chart !== null ? !wholeCharts.has(entry.chart) : !plain.has(entry.path),
  );
  return result;
}

/** Adds the manifests no build reads to a collection, and keeps its files in path order. */
function addUnbuilt(result: CollectedFiles, unbuilt: UnbuiltOutcome): void {
  append(result.files, unbuilt.files);
  append(result.errors, unbuilt.errors);
  append(result.notices, unbuilt.notices);
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The files to scan at a git revision, read from the object store (the working tree may hold another commit). */
export async function collectFromGit(
  repo: GitRepository,
  rev: string,
  include: readonly string[],
  exclude: readonly string[],
): Promise<CollectedFiles> {
  const { selected, charts, kustomizations, held } = selectPaths(await repo.listFiles(rev), include, exclude);
  const result: CollectedFiles = { files: [], charts, kustomizations, errors: [], notices: [], skipped: [] };
  // A batch at a time, so the bytes of files that hold no object are let go before the next are read.
  for (let start = 0; start < selected.length; start += GIT_READ_BATCH) {
    const batch = selected.slice(start, start + GIT_READ_BATCH);
    const contents = await repo.readFiles(rev, batch);
    for (const path of batch) {
      const buffer = contents.get(path);
      if (!buffer) {
        // Not read, so not judged: a check that passed without it would promise what it did not see.
        if (path.includes('\n'))
          result.errors.push({
            file: path,
            line: null,
            message:
              "its name holds a line feed, which git's batch reader cannot take: it is not read; rename it",
          });
        continue;
      }
      // As in a checkout: the same files are left out wherever the head is read from.
      const outcome = judgeCandidate(path, buffer, false);
      if ('skipped' in outcome) result.skipped.push(path);
      else if ('text' in outcome) result.files.push(outcome);
      else result.errors.push(outcome);
    }
  }
  const wanted = [
    ...held.map((file) => file.path),
    ...kustomizations.flatMap((dir) =>
      KUSTOMIZATION_FILES.map((name) => (dir === '' ? name : `${dir}/${name}`)),
    ),
  ];
  const heldContents = await repo.readFiles(rev, wanted);
  const readAtRev = async (path: string) => {
    const buffer = heldContents.get(path);
    return buffer ? decodeFile(path, buffer) : null;
  };
  addUnbuilt(result, await unbuiltManifests(held, kustomizations, readAtRev));
  return result;
}
