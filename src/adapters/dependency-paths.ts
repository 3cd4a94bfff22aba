/**
 * Where a dependency's template lives. helm names the templates of a chart's dependencies by the dependency's name, or
 * its alias (`parent/charts/<alias>/templates/x.yaml`), whatever folder of `charts/` holds the chart: a chart used
 * twice under two aliases, or kept in a folder named otherwise, is printed under names no file has. The folder is the
 * one of `charts/` whose `Chart.yaml` carries that name, as helm's loader matches dependencies. A dependency no folder
 * holds is packed as an archive, `charts/<name>-<version>.tgz` (helm's own naming).
 */
import { readdir, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import { insidePath, readInside, resolvesInside } from './links.js';

/** Chart.yaml files larger than this are not read for names (no real one comes near it). */
const MAX_CHART_YAML_BYTES = 256 * 1024;
/** Folders of one `charts/` looked into at most. */
const MAX_SUBCHARTS = 500;

/**
 * What is known of one chart folder: its dependencies' aliases, its subcharts' folders by chart name, and the names
 * of the folders and files of its `charts/`.
 */
interface ChartFolder {
  aliases: Map<string, string>;
  subcharts: Map<string, string>;
  folders: Set<string>;
  files: string[];
}

/** Where a template helm printed is: a file of the repository, or inside an archive (or a chart holding one). */
export type TemplatePlace = { file: string } | { archive: string };

/** Answers for one render: each chart folder is read once. */
export class DependencyPaths {
  private readonly folders = new Map<string, Promise<ChartFolder>>();

  constructor(private readonly root: string) {}

  /**
   * The file (relative to the root) a template path helm printed stands for, with the chart's folder `chartDir`: the
   * dependencies named by alias or by chart name followed to their folders. When no folder holds one, the archive it
   * is packed in, or the Chart.yaml of the chart whose `charts/` holds no single archive of that name.
   */
  async locate(chartDir: string, path: string): Promise<TemplatePlace> {
    const parts = (chartDir ? path.slice(chartDir.length + 1) : path).split('/');
    const at = (dir: string, ...names: string[]) => [dir, ...names].filter(Boolean).join('/');
    let dir = chartDir;
    let index = 0;
    for (; index + 2 < parts.length && parts[index] === 'charts'; index += 2) {
      const segment = parts[index + 1]!;
      const folder = await this.folderOf(dir);
      const name = folder.aliases.get(segment) ?? segment;
      const found =
        folder.subcharts.get(name) ?? (folder.folders.has(segment) ? at(dir, 'charts', segment) : undefined);
      if (found === undefined) {
        const packed = folder.files.filter(
          (entry) =>
            entry.startsWith(`${name}-`) && /^v?\d[^/]*\.(tgz|tar\.gz)$/i.test(entry.slice(name.length + 1)),
        );
        return { archive: packed.length === 1 ? at(dir, 'charts', packed[0]!) : at(dir, 'Chart.yaml') };
      }
      dir = found;
    }
    const file = at(dir, ...parts.slice(index));
    return (await isFileInside(this.root, file)) ? { file } : { archive: at(dir, 'Chart.yaml') };
  }

  private folderOf(dir: string): Promise<ChartFolder> {
    let folder = this.folders.get(dir);
    if (folder === undefined) this.folders.set(dir, (folder = this.read(dir)));
    return folder;
  }

  private async read(dir: string): Promise<ChartFolder> {
    const at = (...names: string[]) => [dir, ...names].filter(Boolean).join('/');
    const aliases = new Map<string, string>();
    // apiVersion v2 lists dependencies in Chart.yaml, v1 in requirements.yaml.
    for (const file of ['Chart.yaml', 'requirements.yaml']) {
      const dependencies = (await readYaml(this.root, at(file)))?.dependencies;
      if (!Array.isArray(dependencies)) continue;
      for (const dependency of dependencies as unknown[]) {
        if (!isRecord(dependency)) continue;
        const { name, alias } = dependency;
        if (typeof name === 'string' && typeof alias === 'string' && alias !== '' && !aliases.has(alias))
          aliases.set(alias, name);
      }
    }
    const subcharts = new Map<string, string>();
    const charts = insidePath(this.root, at('charts'));
    const entries =
      charts !== null && (await resolvesInside(this.root, at('charts')))
        ? await readdir(charts, { withFileTypes: true }).catch(() => [])
        : [];
    const folders = new Set<string>();
    const files: string[] = [];
    for (const entry of entries) {
      // A link is what it leads to (a link out of the repository is refused before any render).
      const isFolder =
        entry.isDirectory() ||
        (entry.isSymbolicLink() &&
          ((await stat(`${charts}/${entry.name}`).catch(() => null))?.isDirectory() ?? false));
      if (isFolder) folders.add(entry.name);
      else files.push(entry.name);
    }
    // A folder named as its chart first: helm loads each folder, and two holding one name would be an error there.
    for (const name of [...folders].sort().slice(0, MAX_SUBCHARTS)) {
      const chartName = (await readYaml(this.root, at('charts', name, 'Chart.yaml')))?.name;
      if (typeof chartName === 'string' && (chartName === name || !subcharts.has(chartName)))
        subcharts.set(chartName, at('charts', name));
    }
    return { aliases, subcharts, folders, files };
  }
}

/** A YAML file of the repository as a map; null when it is missing, outside, too large or not a map. */
async function readYaml(root: string, path: string): Promise<Record<string, unknown> | null> {
  const text = await readInside(root, path).catch(() => null);
  if (text === null || text.length > MAX_CHART_YAML_BYTES) return null;
  try {
    const value: unknown = parse(text, { maxAliasCount: 100 });
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** Whether `file` (relative to `root`) is a file inside it by its path. */
export async function isFileInside(root: string, file: string): Promise<boolean> {
  const absolute = insidePath(root, file);
  if (absolute === null) return false;
  return (await stat(absolute).catch(() => null))?.isFile() === true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
