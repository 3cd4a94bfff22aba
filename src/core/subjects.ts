/**
 * The objects the rules report on. A model is judged whole, or, in an install that shares objects with others (see
 * `installs.ts`), with every object there to look things up in but reports made on some of them only: those whose
 * findings can differ from the ones already made.
 */
import { type Model, type Resource, type Workload, categoryOf } from './model.js';

export interface Subjects {
  /** In the model's order, as each list below. */
  resources: readonly Resource[];
  workloads: readonly Workload[];
  serviceAccounts: readonly Resource[];
  bindings: readonly Resource[];
  secrets: readonly Resource[];
  namespaces: readonly Resource[];
  has(resource: Resource): boolean;
}

export function allSubjects(model: Model): Subjects {
  return {
    resources: model.resources,
    workloads: model.workloads,
    serviceAccounts: model.serviceAccounts,
    bindings: model.bindings,
    secrets: model.secrets,
    namespaces: model.namespaces,
    has: () => true,
  };
}

/** Some of a model's objects as subjects. */
export function someSubjects(model: Model, resources: Iterable<Resource>): Subjects {
  const chosen = new Set(resources);
  const subjects = {
    resources: [...chosen].sort((a, b) => a.order - b.order),
    workloads: [] as Workload[],
    serviceAccounts: [] as Resource[],
    bindings: [] as Resource[],
    secrets: [] as Resource[],
    namespaces: [] as Resource[],
    has: (resource: Resource) => chosen.has(resource),
  };
  for (const resource of subjects.resources) {
    const category = categoryOf(resource);
    if (category === 'serviceAccount') subjects.serviceAccounts.push(resource);
    else if (category === 'binding') subjects.bindings.push(resource);
    else if (category === 'secret') subjects.secrets.push(resource);
    else if (category === 'namespace') subjects.namespaces.push(resource);
    else {
      const workload = model.workloadOf(resource);
      if (workload) subjects.workloads.push(workload);
    }
  }
  return subjects;
}
