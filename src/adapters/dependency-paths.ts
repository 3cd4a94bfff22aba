/**
 * Where a dependency's template lives. helm names the templates of a chart's dependencies by the dependency's name, or
 * its alias (`parent/charts/<alias>/templates/x.yaml`), whatever folder of `charts/` holds the chart: a chart used
 * twice under two aliases, or kept in a folder named otherwise, is printed under names no file has. The folder is the
 * one of `charts/` whose `Chart.yaml` carries that name, as helm's loader matches dependencies.
 */
import { readdir } from 'node:fs/promises';
import { parse } from 'yaml';
import { insidePath, readInside, resolvesInside } from './links.js';

/** Chart.yaml files larger than this are not read for names (no real one comes near it). */
const MAX_CHART_YAML_BYTES = 256 * 1024;
/** Folders of one `charts/` looked into at most. */
const MAX_SUBCHARTS = 500;

/** What is known of one chart folder: its dependencies' aliases, and its subcharts' folders by chart name. */
interface ChartFolder {
  aliases: Map<string, string>;
  subcharts: Map<string, string>;
}

/** Answers for one render: each chart folder is read once. */
export class DependencyPaths {
  private readonly folders = new Map<string, Promise<ChartFolder>>();

  constructor(private readonly root: string) {}

  /**
   * The file (relative to the root) a template path helm printed stands for, with the chart's folder `chartDir`; the
   * path itself when no dependency is named by another name, and null when no folder holds the dependency (one packed
   * as an archive).
   */
  async fileOf(chartDir: string, path: string): Promise<string | null> {
    const parts = (chartDir ? path.slice(chartDir.length + 1) : path).split('/');
    let dir = chartDir;
    let index = 0;
    for (; index + 2 < parts.length && parts[index] === 'charts'; index += 2) {
      const folder = await this.folderOf(dir);
      const name = folder.aliases.get(parts[index + 1]!) ?? parts[index + 1]!;
      const found = folder.subcharts.get(name);
      if (found === undefined) return null;
      dir = found;
    }
    return [dir, ...parts.slice(index)].filter(Boolean).join('/');
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
    // A folder named as its chart first: helm loads each folder, and two holding one name would be an error there.
    const folders = entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort()
      .slice(0, MAX_SUBCHARTS);
    for (const name of folders) {
      const chartName = (await readYaml(this.root, at('charts', name, 'Chart.yaml')))?.name;
      if (typeof chartName === 'string' && (chartName === name || !subcharts.has(chartName)))
        subcharts.set(chartName, at('charts', name));
    }
    return { aliases, subcharts };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
