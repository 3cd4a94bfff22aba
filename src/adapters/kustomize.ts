import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { ScanError, ScanNotice, SourceFile } from '../core/types.js';
import { originDocuments } from './kustomize-origin.js';
import { failureLocation } from './kustomize-failure.js';
import {
  KUSTOMIZATION_FILES,
  kustomizationFile,
  kustomizationLabel,
  overlayRefusal,
} from './kustomize-sources.js';
import {
  type ToolLimits,
  failureReason,
  findExecutable,
  limitsBefore,
  missingTool,
  runTool,
} from './process.js';
import { readInside } from './links.js';

export { KUSTOMIZATION_FILES };

export interface RenderedOverlay {
  dir: string;
  files: SourceFile[];
  errors: ScanError[];
  notices: ScanNotice[];
  milliseconds: number;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * The overlays to build: folders with a kustomization that no other kustomization of the repository includes
 * (as a resource, base or component). Those it includes are built as part of them. A Component
 * (`kind: Component`) is never built alone, which kustomize refuses: only through the overlays that include it (the
 * files of one that none includes are scanned as plain manifests, see unbuilt.ts).
 */
export async function findOverlays(root: string, kustomizationDirs: readonly string[]): Promise<string[]> {
  const included = new Set<string>();
  for (const dir of kustomizationDirs) {
    const found = await kustomizationIncludes(root, dir);
    if (found === null) continue;
    if (found.component) included.add(dir);
    for (const path of found.includes) included.add(path);
  }
  return kustomizationDirs.filter((dir) => !included.has(dir)).sort();
}

/**
 * What the kustomization of a folder includes as a resource, base or component (paths relative to the root, folders
 * and files alike; remote entries left out), and whether it is a Component; null when it has none that parses.
 */
export async function kustomizationIncludes(
  root: string,
  dir: string,
): Promise<{ component: boolean; includes: string[] } | null> {
  const found = await kustomizationFile(root, dir);
  if (found === null) return null;
  let content: unknown;
  try {
    content = parse(found.text);
  } catch {
    return null;
  }
  if (typeof content !== 'object' || content === null) return null;
  const record = content as Record<string, unknown>;
  const includes: string[] = [];
  for (const field of ['resources', 'bases', 'components']) {
    const entries = record[field];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== 'string' || /^[a-z]+:\/\//i.test(entry) || entry.includes('?')) continue;
      includes.push(toPosix(relative(root, resolve(root, dir, entry))));
    }
  }
  return { component: record.kind === 'Component', includes };
}

/**
 * Builds an overlay with the real `kustomize build`, through a wrapper kustomization that adds origin annotations,
 * so each resource can be reported on the file it was written in. The user's files are not touched.
 */
export async function buildOverlay(
  root: string,
  dir: string,
  options: { binary?: string; limits?: Partial<ToolLimits>; deadline?: number } = {},
): Promise<RenderedOverlay> {
  const started = performance.now();
  const result: RenderedOverlay = { dir, files: [], errors: [], notices: [], milliseconds: 0 };
  const label = kustomizationLabel(dir);
  const refuse = (message: string, file = label, line: number | null = null) => {
    result.errors.push({ file, line, message, build: dir });
    result.milliseconds = Math.round(performance.now() - started);
    return result;
  };
  // Remote bases, files named by URL and paths leaving the repository are refused before kustomize runs; the error
  // sits on the kustomization at fault, which may be a base of the overlay.
  const refusal = await overlayRefusal(root, dir);
  if (refusal !== null) {
    const own = refusal.file === null || posix.dirname(refusal.file) === (dir === '' ? '.' : dir);
    const overlay = own ? 'the overlay' : `the overlay ${dir === '' ? '.' : dir}`;
    return refuse(`${refusal.reason}; ${overlay} is not built`, refusal.file ?? label, refusal.line ?? null);
  }
  const limits = limitsBefore(options.deadline, options.limits);
  if (limits === null) return refuse('not built: the time budget for rendering ran out');
  const binary = await findExecutable(options.binary ?? 'kustomize');
  if (binary === null) return refuse(missingTool('kustomize', options.binary));
  const wrapper = await mkdtemp(join(tmpdir(), 'ktg-kustomize-'));
  try {
    const target = toPosix(relative(wrapper, resolve(root, dir)));
    await writeFile(
      join(wrapper, 'kustomization.yaml'),
      `resources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations]\n`,
    );
    const output = await runTool(
      binary,
      // kustomize's default restrictor: a kustomization reads files only below its own folder (bases are folders
      // of their own), so an overlay cannot pull a file of the runner, such as ~/.ssh or /etc, into the output.
      ['build', '--', wrapper],
      // No PATH: kustomize needs no other program, and without git on it no remote base can be cloned.
      { PATH: '', HOME: wrapper },
      wrapper,
      limits,
    );
    if (output.code === 'ENOENT') {
      result.errors.push({
        file: label,
        line: null,
        message: missingTool('kustomize', options.binary),
        build: dir,
      });
      return result;
    }
    if (output.code !== 0) {
      // Paths as the repository names them: kustomize writes the scratch folder's way to the overlay, and the
      // runner's absolute paths, which say nothing to a reader and take the room the cause needs.
      const stderr = output.stderr
        .replaceAll(`'${target}'`, `'${dir || '.'}'`)
        .replaceAll(`${resolve(root)}/`, '')
        .replaceAll(wrapper, '<scratch>');
      const reason = failureReason({ ...output, stderr }, limits);
      const at = await failureLocation(root, dir, stderr);
      result.errors.push({
        file: at.file,
        line: at.line,
        message: `kustomize build failed: ${reason}`,
        build: dir,
      });
      return result;
    }
    const bySource = new Map<string, string[]>();
    for (const { text, path } of originDocuments(output.stdout)) {
      const source = path ? toPosix(relative(root, resolve(wrapper, path))) : label;
      const documents = bySource.get(source);
      if (documents) documents.push(text);
      else bySource.set(source, [text]);
    }
    // The resource file users edit: findings point at its lines. It is read only inside the repository. A path that
    // is no file there (the annotation is the build's output, which an overlay's `replacements` may rewrite, with a
    // Secret's value say) places its documents on the overlay's kustomization.
    const origins = new Map<string, string>();
    for (const [path, documents] of [...bySource]) {
      if (path === label) continue;
      const text = await readInside(root, path).catch(() => null);
      if (text !== null) origins.set(path, text);
      else {
        bySource.delete(path);
        const own = bySource.get(label);
        if (own) own.push(...documents);
        else bySource.set(label, documents);
      }
    }
    for (const [path, documents] of bySource) {
      const file: SourceFile = {
        path,
        text: documents.join('---\n'),
        rendered: true,
        renderedBy: `overlay ${dir || '.'}`,
      };
      const text = origins.get(path);
      if (text !== undefined) file.origin = { text };
      result.files.push(file);
    }
    return result;
  } finally {
    result.milliseconds = Math.round(performance.now() - started);
    await rm(wrapper, { recursive: true, force: true });
  }
}

/** Folders (relative to the root) holding a kustomization, from a list of repository paths. */
export function kustomizationDirs(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (KUSTOMIZATION_FILES.includes(name)) dirs.add(dirname(path) === '.' ? '' : toPosix(dirname(path)));
  }
  return [...dirs].sort();
}
