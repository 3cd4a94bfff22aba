/** Manifests the end-to-end scenarios share. */
import { yaml } from '../helpers.js';

/** A hardened app: its own ServiceAccount with automounting off, and a Deployment running as it. */
export const HARDENED_APP = yaml`
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: web
    namespace: shop
  automountServiceAccountToken: false
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        serviceAccountName: web
        containers:
          - name: web
            image: nginx:1.27
`;

/**
 * A Deployment that runs as `default` and mounts its token: `automount-token` (high, with a suggestion) and
 * `default-service-account`.
 */
export function insecureWorker(name = 'worker'): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}
      namespace: shop
    spec:
      selector:
        matchLabels: {app: ${name}}
      template:
        metadata:
          labels: {app: ${name}}
        spec:
          containers:
            - name: ${name}
              image: busybox:1.36
  `;
}

/** The smallest Deployment that mounts the `default` token (no selector, no labels): one pod spec to fix. */
export const WORKER = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: worker
    namespace: shop
  spec:
    template:
      spec:
        containers:
          - name: worker
            image: busybox:1.36
`;

/** A ConfigMap no rule reports: a document to put above others, moving their lines. */
export const SETTINGS = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
    namespace: shop
  data:
    mode: fast
    level: "3"
`;
