/**
 * The model of a render's install: the render's own objects over the model of the plain manifests, built without a
 * pass over the plain objects. Every look-up answers as `buildModel` of the plain objects followed by the render's would
 * (the plain ones first in each list, the render's objects ordered after them); the lists of all objects are put
 * together only when asked for, which judging the install's subjects does not do (see `installs.ts`).
 */
import type { LoadedObject } from './load.js';
import { type Index, type Model, buildModel } from './model.js';

/** The model of `objects` to layer over `base`: its objects are ordered after the base's. */
export function layerObjects(base: Model, objects: readonly LoadedObject[]): Model {
  return buildModel(objects, base.defaultNamespace, base.resources.length);
}

/** `own` (from `layerObjects`) over `base`, as one model. */
export function layerModel(base: Model, own: Model): Model {
  const joined = <T>(list: (model: Model) => T[]) => {
    let all: T[] | undefined;
    return () => (all ??= [...list(base), ...list(own)]);
  };
  const resources = joined((model) => model.resources);
  const workloads = joined((model) => model.workloads);
  const serviceAccounts = joined((model) => model.serviceAccounts);
  const roles = joined((model) => model.roles);
  const clusterRoles = joined((model) => model.clusterRoles);
  const bindings = joined((model) => model.bindings);
  const secrets = joined((model) => model.secrets);
  const namespaces = joined((model) => model.namespaces);
  return {
    get resources() {
      return resources();
    },
    get workloads() {
      return workloads();
    },
    get serviceAccounts() {
      return serviceAccounts();
    },
    get roles() {
      return roles();
    },
    get clusterRoles() {
      return clusterRoles();
    },
    get bindings() {
      return bindings();
    },
    get secrets() {
      return secrets();
    },
    get namespaces() {
      return namespaces();
    },
    defaultNamespace: base.defaultNamespace,
    serviceAccountIndex: layerIndex(base.serviceAccountIndex, own.serviceAccountIndex),
    roleIndex: layerIndex(base.roleIndex, own.roleIndex),
    clusterRoleIndex: layerIndex(base.clusterRoleIndex, own.clusterRoleIndex),
    secretIndex: layerIndex(base.secretIndex, own.secretIndex),
    serviceAccountNameIndex: layerIndex(base.serviceAccountNameIndex, own.serviceAccountNameIndex),
    secretNameIndex: layerIndex(base.secretNameIndex, own.secretNameIndex),
    workloadIndex: layerIndex(base.workloadIndex, own.workloadIndex),
    workloadAccountNameIndex: layerIndex(base.workloadAccountNameIndex, own.workloadAccountNameIndex),
    workloadOf: (resource) => own.workloadOf(resource) ?? base.workloadOf(resource),
  };
}

function layerIndex<T>(base: Index<T>, own: Index<T>): Index<T> {
  const both = new Map<string, readonly T[]>();
  return {
    get(key) {
      const under = base.get(key);
      const over = own.get(key);
      if (!over) return under;
      if (!under) return over;
      let all = both.get(key);
      if (!all) both.set(key, (all = [...under, ...over]));
      return all;
    },
    has: (key) => base.has(key) || own.has(key),
  };
}
