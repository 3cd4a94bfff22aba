/**
 * Seeded random scans for the differential tests of alternative installs: plain files and renders drawn from one small
 * vocabulary of namespaces, ServiceAccounts, Secrets and roles, so that renders keep meeting the plain objects:
 * bindings to plain accounts, accounts and Secrets declared in plain namespaces, roles a plain binding names, accounts
 * shared with plain workloads, objects without a namespace, rendered files at a plain file's path.
 */
import { stringify } from 'yaml';
import type { SourceFile } from '../src/core/types.js';
import { random } from '../bench/generate-corpus.js';

const NAMESPACES = ['shop', 'argocd', 'default', 'ops'];
const ACCOUNTS = ['default', 'web', 'controller', 'api'];
const SECRETS = ['web-token', 'creds', 'api-token'];
const ROLES = ['reader', 'wild', 'minter', 'binder', 'secret-reader', 'cluster-admin', 'edit', 'view'];
const GROUPS = ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated', 'devs'];

type Json = Record<string, unknown>;

export class ScanGenerator {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = random(seed);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** `metadata` with a name, and a namespace most of the time (none: the render's, else the default one). */
  private metadata(name: string, namespaced = true): Json {
    const metadata: Json = { name };
    if (namespaced && this.chance(0.8)) metadata.namespace = this.pick(NAMESPACES);
    if (this.chance(0.06)) {
      metadata.annotations = {
        'kube-token-guard.io/ignore': this.pick(['automount-token: accepted', 'no-such-rule: x', 'shared']),
      };
    }
    return metadata;
  }

  private automount(): Json {
    const roll = this.next();
    if (roll < 0.25) return { automountServiceAccountToken: false };
    if (roll < 0.35) return { automountServiceAccountToken: true };
    if (roll < 0.4) return { automountServiceAccountToken: 'false' };
    return {};
  }

  serviceAccount(): Json {
    const metadata = this.metadata(this.pick(ACCOUNTS));
    if (this.chance(0.25)) {
      metadata.annotations = {
        ...(metadata.annotations as Json | undefined),
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app',
      };
    }
    const account: Json = { apiVersion: 'v1', kind: 'ServiceAccount', metadata, ...this.automount() };
    if (this.chance(0.15)) account.secrets = [{ name: this.pick(SECRETS) }];
    return account;
  }

  workload(): Json {
    const kind = this.pick(['Deployment', 'StatefulSet', 'Job', 'Pod', 'CronJob']);
    const name = this.pick(['web', 'api', 'worker', 'controller']);
    const metadata = this.metadata(name);
    if (this.chance(0.1)) {
      metadata.annotations = {
        ...(metadata.annotations as Json | undefined),
        'kube-token-guard.io/api-client': 'watches',
      };
    }
    const spec: Json = { ...this.automount() };
    const account = this.next();
    if (account < 0.6) spec.serviceAccountName = this.pick(ACCOUNTS);
    else if (account < 0.7) spec.serviceAccount = this.pick(ACCOUNTS);
    const container: Json = { name: 'main', image: 'registry.example.com/app:1' };
    if (this.chance(0.2)) {
      container.env = [
        this.chance(0.5)
          ? { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAIOSFODNN7EXAMPLE' }
          : { name: 'TOKEN', valueFrom: { secretKeyRef: { name: this.pick(SECRETS), key: 'token' } } },
      ];
    }
    const volumes: Json[] = [];
    if (this.chance(0.2)) volumes.push({ name: 'token', secret: { secretName: this.pick(SECRETS) } });
    if (this.chance(0.15)) {
      volumes.push({
        name: 'bound',
        projected: {
          sources: [
            {
              serviceAccountToken: {
                path: 'token',
                ...(this.chance(0.5) ? { audience: 'vault' } : {}),
                ...(this.chance(0.5) ? { expirationSeconds: this.pick([7200, 300, 3600]) } : {}),
              },
            },
          ],
        },
      });
    }
    if (this.chance(0.08)) {
      volumes.push({
        name: 'kube-api-access-x2x9z',
        projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] },
      });
      container.volumeMounts = [{ name: 'kube-api-access-x2x9z', mountPath: '/var/run/secrets' }];
    }
    if (volumes.length > 0) spec.volumes = volumes;
    spec.containers = [container];
    if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata, spec };
    const template: Json = { spec };
    if (this.chance(0.05))
      template.metadata = { annotations: { 'kube-token-guard.io/ignore': 'automount-token' } };
    if (kind === 'CronJob') {
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata,
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } },
      };
    }
    return { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata, spec: { template } };
  }

  secret(): Json {
    const token = this.chance(0.5);
    const metadata = this.metadata(this.pick(SECRETS));
    if (token) metadata.annotations = { 'kubernetes.io/service-account.name': this.pick(ACCOUNTS) };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata,
      type: token ? 'kubernetes.io/service-account-token' : 'Opaque',
      ...(this.chance(0.4)
        ? { stringData: { aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } }
        : {}),
    };
  }

  private rules(): Json[] {
    const menu: Json[] = [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [this.pick(SECRETS)] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      {
        apiGroups: [''],
        resources: ['serviceaccounts/token'],
        verbs: ['create'],
        resourceNames: [this.pick(ACCOUNTS)],
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['clusterroles'],
        verbs: ['bind'],
        resourceNames: [this.pick(ROLES)],
      },
    ];
    return Array.from({ length: this.int(1, 2) }, () => this.pick(menu));
  }

  role(): Json {
    return {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: this.metadata(this.pick(ROLES)),
      rules: this.rules(),
    };
  }

  clusterRole(): Json {
    const role: Json = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: this.pick(ROLES) },
      rules: this.rules(),
    };
    if (this.chance(0.1)) {
      role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { aggregate: 'true' } }] };
    }
    return role;
  }

  private subject(): Json {
    const roll = this.next();
    if (roll < 0.55) {
      return {
        kind: 'ServiceAccount',
        name: this.pick(ACCOUNTS),
        ...(this.chance(0.7) ? { namespace: this.pick(NAMESPACES) } : {}),
      };
    }
    if (roll < 0.75) {
      return { kind: 'User', name: `system:serviceaccount:${this.pick(NAMESPACES)}:${this.pick(ACCOUNTS)}` };
    }
    return { kind: 'Group', name: this.pick(GROUPS) };
  }

  binding(): Json {
    const cluster = this.chance(0.4);
    const roleKind = cluster || this.chance(0.4) ? 'ClusterRole' : 'Role';
    return {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: cluster ? { name: this.pick(ROLES) } : this.metadata(`${this.pick(ROLES)}-binding`),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: this.pick(ROLES) },
      subjects: Array.from({ length: this.int(1, 2) }, () => this.subject()),
    };
  }

  namespace(): Json {
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.pick(NAMESPACES) } };
  }

  object(): Json {
    const roll = this.next();
    if (roll < 0.3) return this.workload();
    if (roll < 0.45) return this.serviceAccount();
    if (roll < 0.6) return this.binding();
    if (roll < 0.68) return this.role();
    if (roll < 0.76) return this.clusterRole();
    if (roll < 0.86) return this.secret();
    if (roll < 0.94) return this.namespace();
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: this.metadata('settings'), data: { a: 'b' } };
  }

  text(count: number): string {
    return Array.from({ length: count }, () => stringify(this.object())).join('---\n');
  }

  /**
   * Plain files, renders (two to four, each one to three files, some at a plain file's path as kustomize writes them,
   * some charts with a namespace of their own) and sometimes plain files that `install-files` makes installs.
   */
  files(): SourceFile[] {
    const plain: SourceFile[] = Array.from({ length: this.int(1, 5) }, (_, index) => ({
      path: `plain/p${index}.yaml`,
      text: this.text(this.int(1, 6)),
    }));
    const files = [...plain];
    const renders = this.int(2, 4);
    for (let render = 0; render < renders; render++) {
      const chart = this.chance(0.5);
      const label = chart ? `chart charts/c${render} (release r${render})` : `overlay overlays/o${render}`;
      const namespace = chart ? this.pick([...NAMESPACES, `own-${render}`]) : undefined;
      for (let index = this.int(1, 3); index > 0; index--) {
        const path =
          !chart && this.chance(0.3)
            ? this.pick(plain).path
            : `${chart ? 'charts' : 'overlays'}/x${render}/t${index}.yaml`;
        const text = this.text(this.int(1, 5));
        files.push({
          path,
          text,
          rendered: true,
          renderedBy: label,
          ...(namespace ? { renderNamespace: namespace } : {}),
          ...(!chart && this.chance(0.5) ? { origin: { text } } : {}),
        });
      }
    }
    if (this.chance(0.25)) {
      for (let index = this.int(1, 2); index > 0; index--) {
        files.push({ path: `installs/i${index}.yaml`, text: this.text(this.int(1, 4)) });
      }
    }
    return files;
  }

  config(): string {
    const lines = ["install-files: ['installs/*.yaml']"];
    if (this.chance(0.3)) lines.push('extends: strict');
    if (this.chance(0.2)) lines.push("api-clients: ['shop/web*']");
    if (this.chance(0.2)) lines.push('default-namespace: shop');
    const rules: string[] = [];
    if (this.chance(0.2)) rules.push('  sa-privileged-rbac:\n    privileged-roles: [edit, view]');
    if (this.chance(0.2)) rules.push('  automount-token:\n    assume-unresolved-mounts: false');
    if (this.chance(0.1)) rules.push('  shared-service-account: high');
    if (rules.length > 0) lines.push('rules:', ...rules);
    if (this.chance(0.15)) {
      lines.push(
        'exemptions:',
        '  - rule: automount-token',
        "    namespaces: ['ops']",
        '    reason: accepted',
      );
    }
    return `${lines.join('\n')}\n`;
  }
}
