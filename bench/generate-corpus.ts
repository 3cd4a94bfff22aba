/**
 * Writes a deterministic synthetic corpus of Kubernetes manifests for benchmarks: `node --import tsx
 * bench/generate-corpus.ts <documents> <folder>`. Realistic diversity: namespaces with their ServiceAccounts, RBAC
 * (some privileged, some bound to `default`), workloads of every kind with and without hardening, Services,
 * ConfigMaps, Secrets (a few legacy tokens), and large CustomResourceDefinitions, 25 documents a file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real install manifests kept for the tests (their sources and licence are in the folder's SOURCES.md). */
const REAL_MANIFESTS = join(dirname(fileURLToPath(import.meta.url)), '..', '__tests__', 'fixtures', 'corpus');
const REAL_FILES = ['argo-cd-install.yaml', 'microservices-demo.yaml'];

/** A small seeded generator (mulberry32), so every run writes the same corpus. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCorpus(documents: number, folder: string, seed = 42): number {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const docs: string[] = [];
  let files = 0;
  const flush = () => {
    if (docs.length === 0) return;
    writeFileSync(join(folder, `manifests-${String(files).padStart(5, '0')}.yaml`), `${docs.join('---\n')}`);
    files++;
    docs.length = 0;
  };
  const namespaces = Math.max(1, Math.round(documents / 200));
  for (let index = 0; index < documents; index++) {
    const namespace = `team-${index % namespaces}`;
    const app = `app-${index}`;
    const kind = pick([
      'Deployment',
      'Deployment',
      'Deployment',
      'StatefulSet',
      'CronJob',
      'DaemonSet',
      'Job',
      'Service',
      'ConfigMap',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'Secret',
      'CRD',
    ]);
    const hardened = next() < 0.5;
    const account = next() < 0.2 ? 'default' : app;
    const podSpec = (indent: string) =>
      [
        `${indent}serviceAccountName: ${account}`,
        ...(hardened ? [`${indent}automountServiceAccountToken: false`] : []),
        `${indent}containers:`,
        `${indent}  - name: main`,
        `${indent}    image: registry.example.com/${app}:1.${index % 10}.0`,
        `${indent}    ports: [{containerPort: 8080}]`,
        `${indent}    env:`,
        `${indent}      - {name: LOG_LEVEL, value: info}`,
        `${indent}      - {name: REGION, value: eu-west-1}`,
        `${indent}    resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}`,
      ].join('\n');
    const meta = `metadata:\n  name: ${app}\n  namespace: ${namespace}\n  labels: {app: ${app}, team: ${namespace}}\n`;
    switch (kind) {
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
        docs.push(
          `apiVersion: apps/v1\nkind: ${kind}\n${meta}spec:\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n${podSpec('      ')}\n`,
        );
        break;
      case 'Job':
        docs.push(
          `apiVersion: batch/v1\nkind: Job\n${meta}spec:\n  template:\n    spec:\n      restartPolicy: Never\n${podSpec('      ')}\n`,
        );
        break;
      case 'CronJob':
        docs.push(
          `apiVersion: batch/v1\nkind: CronJob\n${meta}spec:\n  schedule: "0 * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n${podSpec('          ')}\n`,
        );
        break;
      case 'Service':
        docs.push(
          `apiVersion: v1\nkind: Service\n${meta}spec:\n  selector: {app: ${app}}\n  ports: [{port: 80, targetPort: 8080}]\n`,
        );
        break;
      case 'ConfigMap':
        docs.push(
          `apiVersion: v1\nkind: ConfigMap\n${meta}data:\n  config.yaml: |\n    listen: :8080\n    upstream: http://${app}.${namespace}.svc\n`,
        );
        break;
      case 'ServiceAccount':
        docs.push(
          `apiVersion: v1\nkind: ServiceAccount\n${meta}${hardened ? 'automountServiceAccountToken: false\n' : ''}`,
        );
        break;
      case 'Role':
        docs.push(
          `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n${meta}rules:\n  - apiGroups: [""]\n    resources: [configmaps${next() < 0.2 ? ', secrets' : ''}]\n    verbs: [get, list${next() < 0.1 ? ', "*"' : ''}]\n`,
        );
        break;
      case 'RoleBinding':
        docs.push(
          `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n${meta}roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-${index - 1}}\nsubjects:\n  - kind: ServiceAccount\n    name: ${account}\n    namespace: ${namespace}\n`,
        );
        break;
      case 'Secret':
        docs.push(
          `apiVersion: v1\nkind: Secret\n${meta}${next() < 0.1 ? 'type: kubernetes.io/service-account-token\n' : 'type: Opaque\n'}data:\n  password: ${Buffer.from(`not-a-secret-${index}`).toString('base64')}\n`,
        );
        break;
      default: {
        const properties = Array.from(
          { length: 40 },
          (_, field) =>
            `                field${field}:\n                  type: string\n                  description: Field ${field} of the ${app} resource.`,
        ).join('\n');
        docs.push(
          `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${app}s.example.com\nspec:\n  group: example.com\n  names: {kind: App${index}, plural: ${app}s}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n${properties}\n`,
        );
      }
    }
    if (docs.length === 25) flush();
  }
  flush();
  return files;
}

/**
 * A corpus of real install manifests (Argo CD's and Online Boutique's, as kubectl and kustomize write them: folded
 * plain scalars, comment-only chunks, large ConfigMaps), copied until it holds about `documents` documents, each copy a
 * file of its own that starts with a Namespace: the Namespace fix then appends a ServiceAccount to a large file.
 */
export function generateRealCorpus(documents: number, folder: string): number {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const sources = REAL_FILES.map((name) => readFileSync(join(REAL_MANIFESTS, name), 'utf8'));
  const perCopy = sources.reduce((sum, text) => sum + text.split(/^---$/m).length, 1);
  let files = 0;
  for (let written = 0; written < documents; written += perCopy) {
    const namespace = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: copy-${files}\n`;
    const body = sources.map((text) => text.replace(/\n*$/, '\n')).join('---\n');
    writeFileSync(join(folder, `copy-${String(files).padStart(5, '0')}.yaml`), `${namespace}---\n${body}`);
    files++;
  }
  return files;
}

/** How many alternative installs `generateInstallsCorpus` writes, and the `install-files` glob that names them. */
export const INSTALLS = 20;
export const INSTALL_FILES_GLOB = '**/install-*.yaml';

/**
 * The generated corpus of `documents` plain documents, and beside it INSTALLS alternative installs of Argo CD (its
 * `install.yaml`, 55 documents), files the config's `install-files` makes installs of their own: each is judged with
 * all the plain documents, as a chart rendered per environment or a kustomize overlay would be.
 */
export function generateInstallsCorpus(documents: number, folder: string): number {
  const files = generateCorpus(documents, folder);
  const install = readFileSync(join(REAL_MANIFESTS, 'argo-cd-install.yaml'), 'utf8');
  for (let index = 0; index < INSTALLS; index++) {
    writeFileSync(join(folder, `install-${String(index).padStart(2, '0')}.yaml`), install);
  }
  return files + INSTALLS;
}

if (process.argv[1]?.endsWith('generate-corpus.ts')) {
  const documents = Number(process.argv[2] ?? '20000');
  const folder = process.argv[3] ?? `.bench/corpus-${documents}`;
  const files = generateCorpus(documents, folder);
  console.log(`Wrote ${documents} documents in ${files} files to ${folder}`);
}
