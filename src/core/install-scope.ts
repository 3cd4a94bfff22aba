/**
 * What the rules of one install are run with: the model to look things up in, the objects to report on, and what is
 * worked out of the model once for all rules. A model judged whole is one scope; a render's install over the plain
 * manifests is a layered one, which reuses what the plain install's scope worked out (see `installs.ts`).
 */
import type { ResolvedConfig } from '../config/config.js';
import { type ApiClientJudge, apiClientJudge } from './api-clients.js';
import { layerModel } from './layered-model.js';
import { type Model, type Resource, categoryOf } from './model.js';
import { type RbacIndex, buildRbacIndex, layerRbacIndex } from './rbac.js';
import { extraCredentialEnvNames, secretLines } from './secrets.js';
import { type Subjects, allSubjects, someSubjects } from './subjects.js';

export interface InstallScope {
  model: Model;
  subjects: Subjects;
  rbac: RbacIndex;
  apiClients: ApiClientJudge;
  /** The lines of a file that hold secret material (`secretLines`): no fix may quote them. */
  secretLines: { get(file: string): ReadonlySet<number> | undefined };
  /** Whether a file was read from UTF-16: its findings get no fixes. */
  utf16(file: string): boolean;
}

/** The roles the config calls privileged by name (`sa-privileged-rbac`'s option). */
export function privilegedRoles(config: ResolvedConfig): string[] {
  const option = config.rules['sa-privileged-rbac']?.options['privileged-roles'] as string[] | undefined;
  return option ?? ['cluster-admin', 'admin', 'edit'];
}

/** A model judged whole. */
export function wholeScope(model: Model, config: ResolvedConfig): InstallScope {
  const rbac = buildRbacIndex(model, privilegedRoles(config));
  return {
    model,
    subjects: allSubjects(model),
    rbac,
    apiClients: apiClientJudge(model, rbac, config.apiClients),
    ...fixGuards(model, config),
  };
}

/**
 * `own` (a model of a render's objects, `layerObjects`) over the objects of `base`, reporting on the render's objects
 * and on `touched`, the base's objects the render can judge differently (`reach.ts`).
 */
export function layeredScope(
  base: InstallScope,
  own: Model,
  touched: ReadonlySet<Resource>,
  config: ResolvedConfig,
): InstallScope {
  const model = layerModel(base.model, own);
  const touchedBindings = [...touched].filter((resource) => categoryOf(resource) === 'binding');
  const rbac = layerRbacIndex(model, privilegedRoles(config), base.rbac, touchedBindings, own.bindings);
  const over = fixGuards(own, config);
  const bothLines = new Map<string, ReadonlySet<number>>();
  return {
    model,
    subjects: someSubjects(model, [...touched, ...own.resources]),
    rbac,
    apiClients: apiClientJudge(model, rbac, config.apiClients),
    secretLines: {
      get(file) {
        const under = base.secretLines.get(file);
        const lines = over.secretLines.get(file);
        if (!under || !lines) return under ?? lines;
        let both = bothLines.get(file);
        if (!both) bothLines.set(file, (both = new Set([...under, ...lines])));
        return both;
      },
    },
    utf16: (file) => base.utf16(file) || over.utf16(file),
  };
}

/** What withholds fixes in a model's files: secret lines, and text read from UTF-16. */
function fixGuards(model: Model, config: ResolvedConfig): Pick<InstallScope, 'secretLines' | 'utf16'> {
  const encoded = new Set(
    model.resources.filter((resource) => resource.object.file.encoding).map((r) => r.object.file.path),
  );
  return {
    secretLines: secretLines(model, extraCredentialEnvNames(config)),
    utf16: (file) => encoded.has(file),
  };
}
