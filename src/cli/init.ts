import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { collectFiles } from '../adapters/files.js';
import { defaultRender } from '../adapters/helm.js';
import { findOverlays } from '../adapters/kustomize.js';
import { DEFAULT_CONFIG_PATHS } from '../config/config.js';
import { ConfigurationError } from '../config/errors.js';
import { plural } from '../core/words.js';
import { TOOL_NAME } from '../version.js';
import { parseCommandLine } from './arguments.js';
import type { CliIo } from './io.js';
import { type DetectedChart, type RepositoryLayout, configFileText, workflowText } from './init-texts.js';

export const WORKFLOW_PATHS = [
  '.github/workflows/kube-token-guard.yml',
  '.github/workflows/kube-token-guard.yaml',
];

export const INIT_USAGE = `Usage: ${TOOL_NAME} init [--dry-run] [--force]

Writes a commented config (.github/kube-token-guard.yml, every setting at its default, preset recommended) and a
pull request workflow (.github/workflows/kube-token-guard.yml) into the current directory, which should be the root
of the repository. Helm charts and kustomizations found in the repository are named in the config.

Options:
  --dry-run    print what would be written; write nothing
  --force      overwrite files that already exist
  -h, --help   show this help

Exit status: 0 written (or printed), 2 usage error or a file that exists without --force.
`;

/** Finds the Helm charts and kustomizations below `root`, the way a scan does (`.git` and `node_modules` skipped). */
export async function detectLayout(root: string): Promise<RepositoryLayout> {
  // Globs that match nothing: the walk then records charts and kustomizations without reading any file.
  const collected = await collectFiles({ root, paths: [], include: [], exclude: [] });
  const charts: DetectedChart[] = [];
  for (const path of collected.charts) {
    const render = await defaultRender(root, path, 'default');
    // helm renders a library chart only through the charts depending on it.
    if (render.library) continue;
    const entries = await readdir(resolve(root, path)).catch(() => [] as string[]);
    const extraValues = entries
      .filter((name) => /^values[-_.].+\.ya?ml$/.test(name))
      .sort()
      .map((name) => (path ? `${path}/${name}` : name));
    charts.push({ path, name: render.release, extraValues });
  }
  return {
    charts,
    kustomizations: collected.kustomizations,
    overlays: await findOverlays(root, collected.kustomizations),
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The first of `candidates` that exists below `root`, else the first candidate. */
async function target(
  root: string,
  candidates: readonly string[],
): Promise<{ path: string; exists: boolean }> {
  for (const candidate of candidates) {
    if (await exists(resolve(root, candidate))) return { path: candidate, exists: true };
  }
  return { path: candidates[0]!, exists: false };
}

/** `kube-token-guard init`: exit 0 when the files were written (or printed), 2 on a usage error or a conflict. */
export async function runInit(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      'dry-run': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    true,
    INIT_USAGE,
  );
  if (values.help) {
    io.stdout.write(INIT_USAGE);
    return 0;
  }
  if (positionals.length > 0) {
    throw new ConfigurationError(
      `init takes no arguments (run it at the repository root), not \`${positionals.join(' ')}\`\n\n${INIT_USAGE}`,
    );
  }
  const root = io.cwd;
  const dryRun = values['dry-run'];
  const layout = await detectLayout(root);
  const config = await target(root, DEFAULT_CONFIG_PATHS);
  const workflow = await target(root, WORKFLOW_PATHS);
  const files = [
    { ...config, text: configFileText(layout), what: 'config, preset recommended' },
    { ...workflow, text: workflowText(layout, config.path), what: 'pull request workflow' },
  ];
  const conflicts = files.filter((file) => file.exists && !values.force);

  if (dryRun) {
    for (const file of files) {
      const action = file.exists
        ? values.force
          ? 'would overwrite'
          : 'exists, would be kept'
        : 'would create';
      io.stdout.write(`--- ${file.path} (${action}: ${file.what})\n${file.text}\n`);
    }
  }
  if (conflicts.length > 0) {
    throw new ConfigurationError(
      `${conflicts.map((file) => file.path).join(' and ')} already exist${conflicts.length === 1 ? 's' : ''}; ` +
        `nothing was written. Run \`${TOOL_NAME} init --force\` to overwrite, or edit the existing file.`,
    );
  }
  if (!dryRun) {
    for (const file of files) {
      await mkdir(dirname(resolve(root, file.path)), { recursive: true });
      await writeFile(resolve(root, file.path), file.text);
      io.stdout.write(`${file.exists ? 'Overwrote' : 'Created'} ${file.path} (${file.what})\n`);
    }
  }
  const found = [
    layout.charts.length > 0 ? plural(layout.charts.length, 'Helm chart') : '',
    layout.kustomizations.length > 0
      ? `${plural(layout.kustomizations.length, 'kustomization')} (${plural(layout.overlays.length, 'overlay')})`
      : '',
  ].filter(Boolean);
  io.stdout.write(
    `${found.length > 0 ? `Found ${found.join(' and ')}; the config names them.` : 'Found no Helm chart or kustomization.'}\n` +
      (dryRun
        ? 'Dry run: nothing was written.\n'
        : `Next: run \`${TOOL_NAME} scan\` to see today's findings, commit both files, and require the check ` +
          '`kube-token-guard` in a branch protection rule so that new findings block merging.\n'),
  );
  if (!(await exists(resolve(root, '.git')))) {
    io.stderr.write(`notice: ${root} has no .git folder; init belongs at the root of the repository.\n`);
  }
  return 0;
}
