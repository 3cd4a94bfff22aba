import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOverlays, kustomizationDirs } from '../src/adapters/kustomize.js';
import { runCliCaptured, yaml } from './helpers.js';
import { KUSTOMIZE, NO_KUSTOMIZE, because } from './tools.js';

const OVERLAY_REPO: Record<string, string> = {
  'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'deploy/base/deployment.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: api
    spec:
      selector:
        matchLabels: {app: api}
      template:
        metadata:
          labels: {app: api}
        spec:
          serviceAccountName: api
          containers:
            - name: api
              image: ghcr.io/acme/api:1.0.0
  `,
  'deploy/overlays/prod/kustomization.yaml': yaml`
    namespace: prod
    namePrefix: prod-
    resources:
      - ../../base
      - serviceaccount.yaml
    patches:
      - path: replicas.yaml
  `,
  'deploy/overlays/prod/serviceaccount.yaml':
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n',
  // A patch is a partial object: read as a plain manifest it would look like a Deployment without a ServiceAccount.
  'deploy/overlays/prod/replicas.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n',
};

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-kustomize-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function scanJson(cwd: string) {
  const { code, stdout, stderr } = await runCliCaptured(
    ['scan', '--format', 'json', '--fail-on', 'none'],
    cwd,
    false,
    { KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE ?? undefined },
  );
  return {
    code,
    stderr,
    report: JSON.parse(stdout) as { findings: Record<string, unknown>[]; errors: unknown[] },
  };
}

describe('overlay discovery', () => {
  it('builds the kustomizations no other one includes', async () => {
    const dir = workspace(OVERLAY_REPO);
    const dirs = kustomizationDirs(Object.keys(OVERLAY_REPO));
    expect(dirs).toEqual(['deploy/base', 'deploy/overlays/prod']);
    expect(await findOverlays(dir, dirs)).toEqual(['deploy/overlays/prod']);
  });
});

/** A Component no overlay includes (metrics-server's `manifests/` has several), beside an overlay using another. */
const COMPONENT_REPO: Record<string, string> = {
  ...OVERLAY_REPO,
  'deploy/components/hardened/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: automount.yaml\n',
  'deploy/components/hardened/automount.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n',
  'deploy/components/unused/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n',
  'deploy/components/unused/extra.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\ndata: {a: b}\n',
};

describe('kustomize Components', () => {
  it('are never overlays of their own: kustomize refuses to build a Component alone', async () => {
    const dir = workspace(COMPONENT_REPO);
    const dirs = kustomizationDirs(Object.keys(COMPONENT_REPO));
    expect(await findOverlays(dir, dirs)).toEqual(['deploy/overlays/prod']);
  });

  it.skipIf(NO_KUSTOMIZE)(
    because(NO_KUSTOMIZE, 'a repository with one no overlay includes scans without an error'),
    async () => {
      const { code, report, stderr } = await scanJson(workspace(COMPONENT_REPO));
      expect(report.errors).toEqual([]);
      expect(code).toBe(0);
      expect(stderr).toContain('Rendered 1 kustomize overlay');
    },
  );
});

describe.skipIf(NO_KUSTOMIZE)(
  because(NO_KUSTOMIZE, 'kustomize overlays built with the real kustomize'),
  () => {
    it('reports on the base file users edit, in the overlay namespace, and does not read patches as manifests', async () => {
      const { report, stderr } = await scanJson(workspace(OVERLAY_REPO));
      expect(report.errors).toEqual([]);
      expect(stderr).toContain('Rendered 1 kustomize overlay');
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({
        ruleId: 'automount-token',
        file: 'deploy/base/deployment.yaml',
        line: 11,
        rendered: true,
        resource: { kind: 'Deployment', namespace: 'prod', name: 'prod-api' },
      });
    });

    it('builds an overlay kustomize warns about (deprecated fields) without calling the warning an error', async () => {
      // kustomize 5 prints "Warning: 'bases' is deprecated" (and the like) on stderr and builds: a warning, exit 0.
      const files = {
        ...OVERLAY_REPO,
        'deploy/overlays/prod/kustomization.yaml': yaml`
        namespace: prod
        namePrefix: prod-
        commonLabels: {team: api}
        bases:
          - ../../base
        resources:
          - serviceaccount.yaml
        patchesStrategicMerge:
          - replicas.yaml
      `,
      };
      const { code, report, stderr } = await scanJson(workspace(files));
      expect(report.errors).toEqual([]);
      expect(code).toBe(0);
      expect(stderr).toContain('Rendered 1 kustomize overlay');
      expect(report.findings).toEqual([
        expect.objectContaining({ ruleId: 'automount-token', file: 'deploy/base/deployment.yaml', line: 11 }),
      ]);
    });

    it('points a finding at the base resource whose name the rendered one holds longest', async () => {
      // `prod-api-worker` holds both `api` and `api-worker`. In one file, with the api's document first, the first
      // name contained would point the worker's finding at the api.
      const api = OVERLAY_REPO['deploy/base/deployment.yaml']!;
      const worker = api.replace('name: api\n', 'name: api-worker\n');
      const files = { ...OVERLAY_REPO, 'deploy/base/deployment.yaml': `${api}---\n${worker}` };
      const { report } = await scanJson(workspace(files));
      const lines = Object.fromEntries(
        report.findings.map((finding) => [(finding.resource as { name: string }).name, finding.line]),
      );
      // Each finding in its own document: the api's in the first (lines 1-16), the worker's in the second.
      expect(lines['prod-api']).toBeLessThan(17);
      expect(lines['prod-api-worker']).toBeGreaterThan(17);
    });

    it('sees a hardening written in an overlay patch', async () => {
      const files = {
        ...OVERLAY_REPO,
        'deploy/overlays/prod/replicas.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n',
      };
      const { report } = await scanJson(workspace(files));
      expect(report.findings).toEqual([]);
    });

    it('never fetches a remote base: it is refused before the build, as an error of that overlay', async () => {
      const files = {
        'remote/kustomization.yaml':
          'resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n',
      };
      const started = Date.now();
      const { report } = await scanJson(workspace(files));
      expect(report.errors).toEqual([
        {
          file: 'remote/kustomization.yaml',
          line: 2,
          message:
            'resources[0] is a remote reference (https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0); only files of the repository are read; the overlay is not built',
        },
      ]);
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('reports an overlay that does not build as an error of that overlay, and scans the rest', async () => {
      const files = {
        ...OVERLAY_REPO,
        'deploy/overlays/broken/kustomization.yaml': 'resources:\n  - missing.yaml\n',
        'plain/pod.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n',
      };
      const { report, code } = await scanJson(workspace(files));
      expect(report.errors).toEqual([
        {
          file: 'deploy/overlays/broken/kustomization.yaml',
          line: 2,
          message: expect.stringMatching(/^kustomize build failed: /),
        },
      ]);
      expect(report.findings.map((finding) => finding.file)).toEqual(
        expect.arrayContaining(['deploy/base/deployment.yaml', 'plain/pod.yaml']),
      );
      expect(code).toBe(2);
    });

    it('names paths in a failed build as the repository does, not by the runner`s folders', async () => {
      const dir = workspace({
        'render/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
        'overlay/kustomization.yaml': 'resources:\n  - ../render/app.yaml\n',
      });
      const { report } = await scanJson(dir);
      const [error] = report.errors as { file: string; message: string }[];
      expect(error).toMatchObject({ file: 'overlay/kustomization.yaml', line: 2 });
      expect(error!.message).toContain("file 'render/app.yaml' is not in or below 'overlay'");
      expect(error!.message).not.toContain(dir);
      expect(error!.message).not.toMatch(/ktg-kustomize|\.\.\/[^']*overlay'/);
    });

    it('names the kustomization at fault and the line of its entry, down the chain of bases', async () => {
      const dir = workspace({
        ...OVERLAY_REPO,
        // The base the overlay reaches names a file it does not have.
        'deploy/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
        'deploy/overlays/env/kustomization.yaml': yaml`
          resources:
            - ../prod
          configMapGenerator:
            - name: settings
              files:
                - settings.env
        `,
        'deploy/overlays/env/settings.env': 'a=b\n',
        // A generator's source outside the kustomization's folder: kustomize's load restrictor.
        'deploy/overlays/gen/kustomization.yaml': yaml`
          configMapGenerator:
            - name: settings
              files:
                - ../env/settings.env
        `,
        // A patch that is not there.
        'deploy/overlays/patched/kustomization.yaml': yaml`
          resources:
            - deployment.yaml
          patches:
            - path: replicas.yaml
        `,
        'deploy/overlays/patched/deployment.yaml': OVERLAY_REPO['deploy/base/deployment.yaml']!,
      });
      const { report } = await scanJson(dir);
      const errors = (report.errors as { file: string; line: number | null; message: string }[]).map(
        ({ file, line }) => ({ file, line }),
      );
      expect(errors).toEqual(
        expect.arrayContaining([
          { file: 'deploy/base/kustomization.yaml', line: 3 },
          { file: 'deploy/overlays/gen/kustomization.yaml', line: 4 },
          { file: 'deploy/overlays/patched/kustomization.yaml', line: 4 },
        ]),
      );
    });
  },
);
