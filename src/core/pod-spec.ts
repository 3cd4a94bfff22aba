/** The parts of a workload's pod spec that hold tokens: its containers, its volumes, its projected tokens. */
import { type Json, type Workload, isRecord } from './model.js';
import type { PathSegment } from './tree-types.js';

/**
 * All containers of a pod spec with their paths: containers, initContainers and ephemeralContainers.
 */
export function containersOf(workload: Workload): { container: Json; path: PathSegment[] }[] {
  const result: { container: Json; path: PathSegment[] }[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = workload.podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (isRecord(container)) result.push({ container, path: [...workload.podSpecPath, field, index] });
    });
  }
  return result;
}

/** The `volumeMounts` entries of all the pod spec's containers. */
export function volumeMountsOf(workload: Workload): Json[] {
  return containersOf(workload).flatMap(({ container }) =>
    Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isRecord) : [],
  );
}

/** The pod spec's volumes with their paths. */
export function volumesOf(workload: Workload): { volume: Json; path: PathSegment[] }[] {
  const list = workload.podSpec.volumes;
  if (!Array.isArray(list)) return [];
  const result: { volume: Json; path: PathSegment[] }[] = [];
  list.forEach((volume, index) => {
    if (isRecord(volume)) result.push({ volume, path: [...workload.podSpecPath, 'volumes', index] });
  });
  return result;
}

/**
 * The name prefix of the token volume the ServiceAccount admission plugin adds to a pod that automounts its token,
 * `kube-api-access-<suffix>`. The plugin takes any volume so named as that volume (and adds no other), so a pod
 * exported from a cluster, or written to look like one, carries its automounted token in it.
 */
export const AUTOMOUNT_VOLUME_PREFIX = 'kube-api-access-';

export interface ProjectedToken {
  token: Json;
  path: PathSegment[];
  volume: string;
  /** The source sits in a `kube-api-access-*` volume: the automounted token, not one the workload asked for. */
  automounted: boolean;
}

/** Every projected `serviceAccountToken` source of a pod's volumes, with its path. */
export function projectedTokensOf(workload: Workload): ProjectedToken[] {
  const result: ProjectedToken[] = [];
  for (const { volume, path } of volumesOf(workload)) {
    const projected = volume.projected;
    if (!isRecord(projected) || !Array.isArray(projected.sources)) continue;
    const name = typeof volume.name === 'string' ? volume.name : null;
    projected.sources.forEach((source, index) => {
      if (isRecord(source) && isRecord(source.serviceAccountToken)) {
        result.push({
          token: source.serviceAccountToken,
          path: [...path, 'projected', 'sources', index, 'serviceAccountToken'],
          volume: name ?? String(index),
          automounted: name?.startsWith(AUTOMOUNT_VOLUME_PREFIX) ?? false,
        });
      }
    });
  }
  return result;
}
