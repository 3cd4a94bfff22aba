/**
 * What an overlay may read, checked before `kustomize build` runs: nothing remote and nothing outside the repository.
 *
 * kustomize clones any base that looks like a git URL (`https://`, `ssh://`, `git@host:`, `github.com/...`) and
 * fetches any file named by an `http(s)://` URL, and a base may be any folder of the machine (`../../..`). Go sends
 * requests for loopback addresses past every proxy, so the offline environment alone does not stop
 * `http://127.0.0.1/...`. Every kustomization an overlay reaches, and every plugin configuration it names, is read here
 * first; one remote reference or one path leaving the repository refuses the whole overlay, with the reason.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { type Document, isNode, parseAllDocuments } from 'yaml';
import { LineStarts } from '../core/line-starts.js';
import { insidePath, linkLeaving, readInside, resolvesInside } from './links.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Fields whose entries are kustomizations (folders) or files kustomize loads, local or remote. */
const TARGET_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'];
/** Fields whose entries configure plugins: a file, a folder, or an inline configuration. */
const PLUGIN_FIELDS = new Set(['generators', 'transformers', 'validators']);
/** Maps of free text (an annotation may be a URL), never paths. */
const FREE_TEXT = new Set(['metadata', 'annotations', 'labels', 'commonAnnotations', 'commonLabels']);
/** More kustomizations than any repository has; a graph beyond it is refused rather than walked for ever. */
const MAX_KUSTOMIZATIONS = 2_000;
const MAX_CONFIG_BYTES = 1024 * 1024;

const URL_LIKE = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

/** Whether kustomize would fetch `entry` of a resources-like field: its own test for a git URL, and any URL. */
export function isRemoteReference(entry: string): boolean {
  const text = entry.trim().replace(/^git::/i, '');
  return URL_LIKE.test(text) || /^[a-z][a-z0-9-]*@/i.test(text) || /^github\.com[/:]/i.test(text);
}

/** Why an overlay is not built: the file at fault (a kustomization, or null for the overlay itself) and the reason. */
export interface Refusal {
  file: string | null;
  /** The line of `file` at fault, when the refusal is about one entry of it. */
  line?: number;
  reason: string;
}

/**
 * Why the overlay at `dir` (relative to `root`) must not be built, or null when every kustomization it reaches and
 * every file they name stay inside the repository and nothing is remote.
 */
export async function overlayRefusal(root: string, dir: string): Promise<Refusal | null> {
  const refuse = (file: string | null, reason: string, line?: number): Refusal =>
    line === undefined ? { file, reason } : { file, line, reason };
  const queue = [dir];
  const seen = new Set<string>();
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    if (seen.has(current)) continue;
    seen.add(current);
    if (seen.size > MAX_KUSTOMIZATIONS) {
      return refuse(null, `it reaches more than ${MAX_KUSTOMIZATIONS} kustomizations`);
    }
    if (insidePath(root, current) === null || !(await resolvesInside(root, current))) {
      return refuse(null, `${display(current)} is outside the repository`);
    }
    const link = await linkLeaving(root, current);
    if (link !== null) return refuse(null, `${link} is a symbolic link leaving the repository`);
    const found = await readKustomization(root, current);
    if (found === null) continue;
    const { file, text, documents } = found;
    if (typeof documents === 'string') return refuse(file, documents);
    /** The line of the node at `path` in the kustomization, when it is there as written (not through an alias). */
    const lineOf = (path: ReadonlyArray<string | number>) => {
      const node = documents[0]?.getIn(path, true);
      const offset = isNode(node) ? node.range?.[0] : undefined;
      return offset === undefined ? undefined : new LineStarts(text).linePos(offset).line;
    };
    const content = plainValue(documents[0]);
    if (content === TOO_MANY_ALIASES) return refuse(file, 'uses more aliases than any kustomization needs');
    if (!isRecord(content)) continue;
    const url = urlIn(content);
    if (url) {
      return refuse(
        file,
        `${url.path} is a remote reference (${url.value}); only files of the repository are read`,
        lineOf(url.segments),
      );
    }
    for (const field of TARGET_FIELDS) {
      const entries = content[field];
      if (!Array.isArray(entries)) continue;
      for (const [index, entry] of entries.entries()) {
        if (typeof entry !== 'string') continue;
        if (PLUGIN_FIELDS.has(field) && entry.includes('\n')) {
          const reason = configRefusal(entry);
          if (reason) return refuse(file, `${field}: ${reason}`, lineOf([field, index]));
          continue;
        }
        if (isRemoteReference(entry)) {
          return refuse(
            file,
            `${field} names a remote base (${entry.trim()}); only files of the repository are read`,
            lineOf([field, index]),
          );
        }
        const target = posixJoin(current, entry.trim());
        if (insidePath(root, target) === null || !(await resolvesInside(root, target))) {
          return refuse(
            file,
            `${field} names ${entry.trim()}, outside the repository`,
            lineOf([field, index]),
          );
        }
        const info = await stat(join(root, target)).catch(() => null);
        if (info?.isDirectory()) queue.push(target);
        else if (info?.isFile() && PLUGIN_FIELDS.has(field)) {
          const reason = await pluginFileRefusal(root, target);
          if (reason) return refuse(target, reason);
        }
      }
    }
    for (const path of localFiles(content)) {
      const target = posixJoin(current, path);
      if (insidePath(root, target) === null || !(await resolvesInside(root, target))) {
        return refuse(file, `${path} is outside the repository`);
      }
    }
  }
  return null;
}

/** The path a folder's kustomization is named by when it has none of its own to name (`kustomization.yaml`). */
export function kustomizationLabel(dir: string): string {
  return dir === '' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`;
}

/**
 * A folder's kustomization file, whichever of its names it has (path relative to the root, and text), or null. Read
 * only inside the repository: one linking out is never read.
 */
export async function kustomizationFile(
  root: string,
  dir: string,
): Promise<{ file: string; text: string } | null> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = dir === '' ? name : `${dir}/${name}`;
    const text = await readInside(root, file).catch(() => null);
    if (text !== null) return { file, text };
  }
  return null;
}

/** A kustomization file of a folder, parsed; a string when it cannot be read as YAML (refused: kustomize may). */
async function readKustomization(
  root: string,
  dir: string,
): Promise<{ file: string; text: string; documents: Document[] | string } | null> {
  const found = await kustomizationFile(root, dir);
  return found === null ? null : { ...found, documents: parseYaml(found.text) };
}

function parseYaml(text: string): Document[] | string {
  if (text.length > MAX_CONFIG_BYTES) return 'larger than 1 MiB';
  const documents = parseAllDocuments(text, { version: '1.1', prettyErrors: false });
  if (!Array.isArray(documents)) return 'cannot be read as YAML';
  const error = documents.flatMap((document) => document.errors)[0];
  // The parser's message quotes the source line; the code and position say enough without quoting it.
  return error ? `cannot be read as YAML (${error.code} at offset ${error.pos[0]})` : documents;
}

/** Why an inline or file plugin configuration must not be used: a URL in a field kustomize would load. */
function configRefusal(text: string): string | null {
  const documents = parseYaml(text);
  if (typeof documents === 'string') return `a plugin configuration ${documents}`;
  for (const document of documents) {
    const value = plainValue(document);
    if (value === TOO_MANY_ALIASES) return 'a plugin configuration uses more aliases than any needs';
    const url = urlIn(value);
    if (url) return `${url.path} of a plugin configuration is a remote reference (${url.value})`;
  }
  return null;
}

async function pluginFileRefusal(root: string, file: string): Promise<string | null> {
  const text = await readFile(join(root, file), 'utf8').catch(() => null);
  return text === null ? null : configRefusal(text);
}

const TOO_MANY_ALIASES = Symbol('too many aliases');

/** A document as plain data; an alias bomb (which the parser refuses to expand) is answered, not thrown. */
function plainValue(document: Document | undefined): unknown {
  try {
    return document?.toJS({ maxAliasCount: 100 }) as unknown;
  } catch {
    return TOO_MANY_ALIASES;
  }
}

/** The first string (outside free-text maps) that is a URL, with where it is. */
function urlIn(
  value: unknown,
  path = '',
  segments: ReadonlyArray<string | number> = [],
): { path: string; segments: ReadonlyArray<string | number>; value: string } | null {
  if (typeof value === 'string')
    return URL_LIKE.test(value) ? { path: path || '(value)', segments, value } : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = urlIn(item, `${path}[${index}]`, [...segments, index]);
      if (found) return found;
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (FREE_TEXT.has(key)) continue;
      const found = urlIn(item, path ? `${path}.${key}` : key, [...segments, key]);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The files of the repository (paths from its root) a kustomization in `dir` reads: resources, bases, components and
 * plugin configurations that are files, patches, generator sources, CRDs and configurations. Remote entries are left
 * out (the build refuses them).
 */
export function kustomizationReferences(dir: string, content: unknown): string[] {
  if (!isRecord(content)) return [];
  const named: string[] = [];
  for (const field of TARGET_FIELDS) {
    const entries = content[field];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry === 'string' && !entry.includes('\n') && !isRemoteReference(entry))
        named.push(entry.trim());
    }
  }
  named.push(...localFiles(content).filter((path) => !URL_LIKE.test(path)));
  return named.map((path) => posixJoin(dir, path)).filter((path) => !path.startsWith('..'));
}

/** Files a kustomization names that kustomize reads itself (patches, generator sources, CRDs, configurations). */
function localFiles(content: Record<string, unknown>): string[] {
  const files: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '' && !value.includes('\n')) files.push(value.trim());
  };
  for (const field of ['crds', 'configurations', 'patchesStrategicMerge']) {
    const entries = content[field];
    if (Array.isArray(entries)) entries.forEach(add);
  }
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    const entries = content[field];
    if (Array.isArray(entries)) for (const entry of entries) if (isRecord(entry)) add(entry.path);
  }
  if (isRecord(content.openapi)) add(content.openapi.path);
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    const entries = content[field];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (!isRecord(entry)) continue;
      // `files` entries may be `key=path`.
      if (Array.isArray(entry.files))
        for (const file of entry.files) add(String(file).replace(/^[^=]*=/, ''));
      if (Array.isArray(entry.envs)) entry.envs.forEach(add);
      add(entry.env);
    }
  }
  return files;
}

function posixJoin(dir: string, path: string): string {
  const joined = relative('/r', resolve('/r', dir, path));
  return joined.split(sep).join('/');
}

function display(dir: string): string {
  return dir === '' ? '.' : dir;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
