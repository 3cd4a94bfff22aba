// Which objects are workloads: Kubernetes' own workload kinds by their kind and group, whatever their pod template
// holds; other kinds by the shape of a pod template.
import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';

/** A workload of `kind` whose pod template (`spec.template.spec`, line 8) sets one field and has no `containers`. */
const withoutContainers = (apiVersion: string, kind: string) => yaml`
  apiVersion: ${apiVersion}
  kind: ${kind}
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      spec:
        serviceAccountName: web
`;

// Kubernetes API reference (Workload Resources): the `template` of DeploymentSpec, StatefulSetSpec, DaemonSetSpec,
// ReplicaSetSpec, ReplicationControllerSpec and JobSpec is a PodTemplateSpec, the pod spec of the pods they create.
// `containers` is required by the API server's validation, not by what makes an object a workload: such a manifest
// still says which ServiceAccount its pods would run as and whether they would mount its token.
const KINDS: [apiVersion: string, kind: string][] = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['v1', 'ReplicationController'],
  ['batch/v1', 'Job'],
  ['extensions/v1beta1', 'Deployment'],
];

describe('workloads are judged by kind (API reference, Workload Resources: `template` is a PodTemplateSpec)', () => {
  it.each(KINDS)('%s %s without `containers` is a workload', (apiVersion, kind) => {
    const result = scan(withoutContainers(apiVersion, kind));
    expect(result.errors).toEqual([]);
    expect(result.stats.workloads).toBe(1);
    const [finding, ...rest] = findingsOf(result, 'automount-token');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ line: 8, resource: { kind, namespace: 'shop', name: 'web' } });
    expect(finding!.message).toContain('ServiceAccount `shop/web` is not declared');
  });

  it('a CronJob (batch/v1) whose job template has no `containers` is a workload too', () => {
    const text = yaml`
      apiVersion: batch/v1
      kind: CronJob
      metadata:
        name: nightly
      spec:
        schedule: "0 3 * * *"
        jobTemplate:
          spec:
            template:
              spec:
                restartPolicy: OnFailure
    `;
    const result = scan(text);
    expect(result.stats.workloads).toBe(1);
    expect(findingsOf(result, 'default-service-account')).toHaveLength(1);
  });

  it('a Deployment without a pod spec at all is still judged: its pods run as `default`, pointed at the template', () => {
    const text = yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: shop
      spec:
        template:
          metadata:
            labels: {app: web}
    `;
    const result = scan(text);
    expect(result.stats.workloads).toBe(1);
    const [finding] = findingsOf(result, 'default-service-account');
    // The deepest part of `spec.template.spec` that exists: `template:`.
    expect(finding).toMatchObject({ line: 7, severity: 'medium' });
    // Nothing to insert into: no fix is offered where there is no pod spec.
    expect(findingsOf(result, 'automount-token')[0]!.fix).toBeNull();
  });

  it('the same kind name in another API group is a custom resource: judged only with a pod template holding containers', () => {
    // e.g. Volcano's `Job` (batch.volcano.sh) keeps its pod templates under `spec.tasks`.
    const shapeless = scan(withoutContainers('batch.volcano.sh/v1alpha1', 'Job'));
    expect(shapeless.stats.workloads).toBe(0);
    const shaped = scan(
      withoutContainers('example.com/v1', 'Deployment').replace(
        '    serviceAccountName: web',
        '    serviceAccountName: web\n      containers: [{name: c, image: nginx}]',
      ),
    );
    expect(shaped.stats.workloads).toBe(1);
  });

  it('a custom resource with `spec.template.spec` but no containers is not a workload', () => {
    const result = scan(withoutContainers('example.com/v1', 'Widget'));
    expect(result.stats.workloads).toBe(0);
  });
});
