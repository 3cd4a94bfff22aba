import type { LoadedObject, PathSegment } from './tree-types.js';
import { IGNORE_ANNOTATION } from './suppress.js';
import type { ResourceRef } from './types.js';

export type Json = Record<string, unknown>;

export interface Resource {
  object: LoadedObject;
  ref: ResourceRef;
  /** `metadata.annotations` with string values only. */
  annotations: Readonly<Record<string, string>>;
  /** Its place among the model's objects: a judgement of some of them reports in the order one of all would. */
  order: number;
  /**
   * True when its namespace is the configured default only because neither the object nor its render names one: it
   * goes wherever it is applied (`kubectl apply -n`), so it may be the namespace a binding names.
   */
  namespaceAssumed?: boolean;
}

export interface Workload {
  resource: Resource;
  /** Path of the pod spec below the object, e.g. ['spec', 'template', 'spec']. */
  podSpecPath: PathSegment[];
  podSpec: Json;
  /** Path of the pod template's metadata, when the workload has a template. */
  templateMetadataPath: PathSegment[] | null;
  templateAnnotations: Readonly<Record<string, string>>;
  /** The ServiceAccount the pod runs as: `serviceAccountName`, else `serviceAccount`, else `default`. */
  serviceAccountName: string;
  /** Which field named it, or null when it defaulted. */
  serviceAccountField: 'serviceAccountName' | 'serviceAccount' | null;
}

/** Kinds that are not namespaced; every other kind takes the namespace defaulting below. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'CSINode',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PodSecurityPolicy',
  'ClusterIssuer',
  'VolumeSnapshotClass',
]);

const TEMPLATE_SPEC = { spec: ['spec', 'template', 'spec'], metadata: ['spec', 'template', 'metadata'] };

/**
 * The workload kinds of Kubernetes' own API groups, where their pod spec sits, and the groups they belong to (`''` is
 * the core group; `extensions` and the beta versions of `apps` served the same kinds before 1.16). Each is judged by its
 * kind: the API requires the pod template, so a template without `containers` is still a pod template (the API server
 * refuses the object, yet what it says about tokens is what the author meant). The same kind name in another group (a
 * custom resource) is judged only when it has the shape, `containers` included.
 */
const WORKLOAD_KINDS: Record<
  string,
  { groups: string[]; spec: PathSegment[]; metadata: PathSegment[] | null }
> = {
  Pod: { groups: [''], spec: ['spec'], metadata: null },
  PodTemplate: { groups: [''], spec: ['template', 'spec'], metadata: ['template', 'metadata'] },
  ReplicationController: { groups: [''], ...TEMPLATE_SPEC },
  Deployment: { groups: ['apps', 'extensions'], ...TEMPLATE_SPEC },
  StatefulSet: { groups: ['apps'], ...TEMPLATE_SPEC },
  DaemonSet: { groups: ['apps', 'extensions'], ...TEMPLATE_SPEC },
  ReplicaSet: { groups: ['apps', 'extensions'], ...TEMPLATE_SPEC },
  Job: { groups: ['batch'], ...TEMPLATE_SPEC },
  CronJob: {
    groups: ['batch'],
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    metadata: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  },
};

/** The API group of an `apiVersion`: `apps` of `apps/v1`, `''` of `v1`. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Kinds the model reads by name; every other kind matters only when it carries a pod template. */
export const MODEL_KINDS: ReadonlySet<string> = new Set([
  ...Object.keys(WORKLOAD_KINDS),
  'ServiceAccount',
  'Secret',
  'Namespace',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
]);

/**
 * Whether an object can change what the rules see: a kind the model reads, a list, anything with a pod template,
 * or anything carrying a suppression annotation (a broken one is reported wherever it is written).
 */
export function mayMatter(value: Record<string, unknown>): boolean {
  const kind = typeof value.kind === 'string' ? value.kind : '';
  // Any document with `items` is a list to kubectl (see addObjects in load.ts).
  if (MODEL_KINDS.has(kind) || kind.endsWith('List') || value.items != null) return true;
  const templateSpec = getPath(value, TEMPLATE_SPEC.spec);
  if (isRecord(templateSpec) && 'containers' in templateSpec) return true;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  return isRecord(metadata.annotations) && IGNORE_ANNOTATION in metadata.annotations;
}

/** Objects by a key, in the model's order; several when a key is declared more than once. */
export interface Index<T> {
  get(key: string): readonly T[] | undefined;
  has(key: string): boolean;
}

export interface Model {
  resources: Resource[];
  workloads: Workload[];
  serviceAccounts: Resource[];
  roles: Resource[];
  clusterRoles: Resource[];
  bindings: Resource[];
  secrets: Resource[];
  namespaces: Resource[];
  defaultNamespace: string;
  /** Look-ups by `namespace/name` (ClusterRoles by name). */
  serviceAccountIndex: Index<Resource>;
  roleIndex: Index<Resource>;
  clusterRoleIndex: Index<Resource>;
  secretIndex: Index<Resource>;
  /** ServiceAccounts and Secrets by name alone, in any namespace (what a ClusterRole names, it names everywhere). */
  serviceAccountNameIndex: Index<Resource>;
  secretNameIndex: Index<Resource>;
  /** Workloads by the ServiceAccount they run as, `namespace/name` (the namespace defaulted as for resolving it). */
  workloadIndex: Index<Workload>;
  /** Workloads by the name alone of the ServiceAccount they run as, built when first asked (`api-clients.ts`). */
  workloadAccountNameIndex: Index<Workload>;
  /** The workload a resource is, if it is one. */
  workloadOf(resource: Resource): Workload | undefined;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getPath(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/** What `stringMap` gives for a map without text: one object for all (most resources have no annotations). */
const NO_STRINGS: Readonly<Record<string, string>> = Object.freeze({});

export function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (!isRecord(value)) return NO_STRINGS;
  let result: Record<string, string> | null = null;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') (result ??= {})[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') (result ??= {})[key] = String(entry);
  }
  return result ?? NO_STRINGS;
}

export function nsKey(namespace: string | null, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** An index made by `build` the first time it is read. */
function lazyIndex<T>(build: () => Map<string, T[]>): Index<T> {
  let built: Map<string, T[]> | null = null;
  return {
    get: (key) => (built ??= build()).get(key),
    has: (key) => (built ??= build()).has(key),
  };
}

function addTo<T>(index: Map<string, T[]>, key: string, entry: T): void {
  const list = index.get(key);
  if (list) list.push(entry);
  else index.set(key, [entry]);
}

/**
 * Builds the model of every scanned object: the joins rules need are indexes built once, not scans per finding.
 * `first` is the order of the first object (objects of another model come before them, see `layerModel`).
 */
export function buildModel(objects: readonly LoadedObject[], defaultNamespace: string, first = 0): Model {
  const serviceAccountIndex = new Map<string, Resource[]>();
  const roleIndex = new Map<string, Resource[]>();
  const clusterRoleIndex = new Map<string, Resource[]>();
  const secretIndex = new Map<string, Resource[]>();
  const serviceAccountNameIndex = new Map<string, Resource[]>();
  const secretNameIndex = new Map<string, Resource[]>();
  const workloadIndex = new Map<string, Workload[]>();
  const workloadByResource = new Map<Resource, Workload>();
  const model: Model = {
    resources: [],
    workloads: [],
    serviceAccounts: [],
    roles: [],
    clusterRoles: [],
    bindings: [],
    secrets: [],
    namespaces: [],
    defaultNamespace,
    serviceAccountIndex,
    roleIndex,
    clusterRoleIndex,
    secretIndex,
    serviceAccountNameIndex,
    secretNameIndex,
    workloadIndex,
    workloadAccountNameIndex: lazyIndex(() => {
      const byName = new Map<string, Workload[]>();
      for (const workload of model.workloads) addTo(byName, workload.serviceAccountName, workload);
      return byName;
    }),
    workloadOf: (resource) => workloadByResource.get(resource),
  };
  for (const object of objects) {
    const resource = toResource(object, defaultNamespace, first + model.resources.length);
    model.resources.push(resource);
    const { namespace, name } = resource.ref;
    switch (categoryOf(resource)) {
      case 'serviceAccount':
        model.serviceAccounts.push(resource);
        addTo(serviceAccountIndex, nsKey(namespace, name), resource);
        addTo(serviceAccountNameIndex, name, resource);
        break;
      case 'secret':
        model.secrets.push(resource);
        addTo(secretIndex, nsKey(namespace, name), resource);
        addTo(secretNameIndex, name, resource);
        break;
      case 'namespace':
        model.namespaces.push(resource);
        break;
      case 'role':
        model.roles.push(resource);
        addTo(roleIndex, nsKey(namespace, name), resource);
        break;
      case 'clusterRole':
        model.clusterRoles.push(resource);
        addTo(clusterRoleIndex, name, resource);
        break;
      case 'binding':
        model.bindings.push(resource);
        break;
      default: {
        const workload = toWorkload(resource);
        if (!workload) break;
        model.workloads.push(workload);
        workloadByResource.set(resource, workload);
        addTo(workloadIndex, accountKeyOf(workload, defaultNamespace), workload);
      }
    }
  }
  return model;
}

export type Category =
  'serviceAccount' | 'secret' | 'namespace' | 'role' | 'clusterRole' | 'binding' | 'other';

/** Which of the model's lists an object is in (`other`: a workload, when it has a pod spec, or nothing the rules read). */
export function categoryOf(resource: Resource): Category {
  const { kind, apiVersion } = resource.ref;
  if (isCoreGroup(apiVersion)) {
    if (kind === 'ServiceAccount') return 'serviceAccount';
    if (kind === 'Secret') return 'secret';
    if (kind === 'Namespace') return 'namespace';
  } else if (apiVersion.startsWith('rbac.authorization.k8s.io/')) {
    if (kind === 'Role') return 'role';
    if (kind === 'ClusterRole') return 'clusterRole';
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') return 'binding';
  }
  return 'other';
}

/** `namespace/name` of the ServiceAccount a workload runs as, as it is resolved. */
export function accountKeyOf(workload: Workload, defaultNamespace: string): string {
  return nsKey(workload.resource.ref.namespace ?? defaultNamespace, workload.serviceAccountName);
}

function isCoreGroup(apiVersion: string): boolean {
  return apiVersion === 'v1';
}

function toResource(object: LoadedObject, defaultNamespace: string, order: number): Resource {
  const value = object.value;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const kind = String(value.kind);
  const declared =
    typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : null;
  const clusterScoped = CLUSTER_SCOPED_KINDS.has(kind);
  const namespace = clusterScoped ? null : (declared ?? object.file.renderNamespace ?? defaultNamespace);
  const name =
    typeof metadata.name === 'string' && metadata.name !== ''
      ? metadata.name
      : typeof metadata.generateName === 'string'
        ? `${metadata.generateName}*`
        : '(unnamed)';
  return {
    object,
    ref: { apiVersion: String(value.apiVersion), kind, namespace, name },
    annotations: stringMap(metadata.annotations),
    order,
    namespaceAssumed: !clusterScoped && declared === null && object.file.renderNamespace === undefined,
  };
}

function toWorkload(resource: Resource): Workload | null {
  const value = resource.object.value;
  // Own keys only: a kind such as `constructor` must not find Object's prototype.
  const known = Object.hasOwn(WORKLOAD_KINDS, resource.ref.kind)
    ? WORKLOAD_KINDS[resource.ref.kind]
    : undefined;
  const paths = known ?? TEMPLATE_SPEC;
  const found = getPath(value, paths.spec);
  let podSpec: Json;
  if (known?.groups.includes(groupOf(resource.ref.apiVersion))) {
    // A workload of Kubernetes' own kinds whatever its pod spec holds; one without any is read as an empty one (every
    // field unset, as Kubernetes would default it) and pointed at where its template should be.
    podSpec = isRecord(found) ? found : {};
  } else {
    if (!isRecord(found) || !Array.isArray(found.containers)) return null;
    podSpec = found;
  }
  const templateMetadata = paths.metadata ? getPath(value, paths.metadata) : undefined;
  const templateAnnotations = stringMap(
    isRecord(templateMetadata) ? templateMetadata.annotations : undefined,
  );
  const byName = nonEmptyString(podSpec.serviceAccountName);
  const byDeprecated = nonEmptyString(podSpec.serviceAccount);
  return {
    resource,
    podSpecPath: paths.spec,
    podSpec,
    templateMetadataPath: paths.metadata,
    templateAnnotations,
    serviceAccountName: byName ?? byDeprecated ?? 'default',
    serviceAccountField: byName ? 'serviceAccountName' : byDeprecated ? 'serviceAccount' : null,
  };
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function resourceLabel(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
