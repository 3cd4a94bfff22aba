import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig, parseConfig } from '../src/config/config.js';
import { runCliCaptured } from './helpers.js';
import { registry } from '../src/rules/index.js';
import { actionMetadata, workflowProblems } from './workflows.js';

const ROOT = join(import.meta.dirname, '..');
const CONFIG = '.github/kube-token-guard.yml';
const WORKFLOW = '.github/workflows/kube-token-guard.yml';
const shippedSchema = JSON.parse(readFileSync(join(ROOT, 'schema/kube-token-guard.schema.json'), 'utf8')) as {
  properties: Record<string, unknown>;
};
const validateShipped = new Ajv({ allErrors: true, strict: false }).compile(shippedSchema);

const cli = runCliCaptured;

function repository(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-init-'));
  mkdirSync(join(dir, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Every file below `dir`, relative, except `.git`. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .filter((path) => !path.startsWith('.git/'))
    .sort();
}

/** A repository with two charts (one with an extra values file) and a kustomize base with two overlays. */
const LAYOUT = {
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: storefront\nversion: 1.0.0\n',
  'charts/web/values.yaml': 'replicaCount: 1\n',
  'charts/web/values-prod.yaml': 'replicaCount: 3\n',
  'charts/web/templates/deployment.yaml': 'kind: Deployment\n',
  'charts/jobs/Chart.yaml': 'apiVersion: v2\nname: jobs\nversion: 0.1.0\n',
  'deploy/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'deploy/base/deployment.yaml': 'kind: Deployment\n',
  'deploy/overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
  'deploy/overlays/staging/kustomization.yaml': 'resources: [../../base]\n',
};

/** The config with the commented `rules:` and `exemptions:` examples switched on. */
function uncommentExamples(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let active = false;
  for (const line of lines) {
    if (line === 'rules: {}' || line === 'exemptions: []') {
      out.push(line.replace(/ (\{\}|\[\])$/, ''));
      active = true;
    } else if (active && line.startsWith('#')) {
      out.push(line.slice(1));
    } else {
      active = false;
      out.push(line);
    }
  }
  return out.join('\n');
}

describe('kube-token-guard init', () => {
  it('writes the config and the workflow, and says what it did', async () => {
    const dir = repository();
    const result = await cli(['init'], dir);
    expect(result.code).toBe(0);
    expect(listing(dir)).toEqual([CONFIG, WORKFLOW]);
    expect(result.stdout).toContain(`Created ${CONFIG}`);
    expect(result.stdout).toContain(`Created ${WORKFLOW}`);
    expect(result.stdout).toContain('Found no Helm chart or kustomization.');
    expect(result.stderr).toBe('');
  });

  it('writes a config that validates against the shipped schema and changes nothing', async () => {
    const dir = repository();
    await cli(['init'], dir);
    const text = readFileSync(join(dir, CONFIG), 'utf8');
    expect(validateShipped(parse(text)), JSON.stringify(validateShipped.errors)).toBe(true);
    expect({ ...parseConfig(text, CONFIG), file: null }).toEqual(defaultConfig());
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=https:\/\/.+\.schema\.json$/);
  });

  it('explains every setting of the schema, every rule and every rule option', async () => {
    const dir = repository();
    await cli(['init'], dir);
    const text = readFileSync(join(dir, CONFIG), 'utf8');
    for (const key of Object.keys(shippedSchema.properties)) {
      expect(text, key).toMatch(new RegExp(`^(# )?${key}:`, 'm'));
      // A comment right above each top-level setting says what it is.
      const lines = text.split('\n');
      const at = lines.findIndex((line) => new RegExp(`^(# )?${key}:`).test(line));
      expect(
        lines.slice(Math.max(0, at - 3), at).some((line) => line.startsWith('# ')),
        key,
      ).toBe(true);
    }
    for (const rule of registry.rules) {
      expect(text).toContain(`#   ${rule.meta.id}:`);
      for (const option of Object.keys(rule.meta.options)) expect(text).toContain(`#     ${option}: `);
    }
  });

  it('lists each rule at its default: the commented examples, switched on, change nothing', async () => {
    const dir = repository();
    await cli(['init'], dir);
    const text = uncommentExamples(readFileSync(join(dir, CONFIG), 'utf8'));
    const raw = parse(text) as { rules: Record<string, unknown> };
    expect(Object.keys(raw.rules).sort()).toEqual([...registry.ids].sort());
    expect(validateShipped(raw), JSON.stringify(validateShipped.errors)).toBe(true);
    const resolved = parseConfig(text, CONFIG);
    expect(resolved.rules).toEqual(defaultConfig().rules);
    expect(resolved.exemptions).toHaveLength(1);
    expect(resolved.exemptions[0]!.reason).not.toBe('');
  });

  it('writes a workflow that parses, asks for the permissions the Action needs and passes only its inputs', async () => {
    const dir = repository();
    await cli(['init'], dir);
    const text = readFileSync(join(dir, WORKFLOW), 'utf8');
    expect(workflowProblems(text)).toEqual([]);
    const workflow = parse(text) as {
      on: { pull_request: { paths: string[] } };
      permissions: Record<string, string>;
      jobs: { scan: { steps: { uses?: string; with?: Record<string, unknown> }[] } };
    };
    expect(workflow.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      checks: 'write',
      'security-events': 'write',
      actions: 'read',
    });
    expect(workflow.on.pull_request.paths).toEqual(expect.arrayContaining(['**.yaml', '**.yml', '**.tpl']));
    const steps = workflow.jobs.scan.steps;
    const guard = steps.find((step) => step.uses?.startsWith('kube-token-guard/kube-token-guard@'))!;
    const inputs = actionMetadata().inputs;
    // Every input is there, set to its default or shown in a comment.
    for (const [name, input] of Object.entries(inputs)) {
      expect(text, name).toMatch(new RegExp(`^ {10}(# )?${name}:`, 'm'));
      if (name in guard.with! && input.default !== undefined)
        expect(String(guard.with![name]), name).toBe(input.default);
    }
    expect(steps.at(-1)!.uses).toMatch(/^github\/codeql-action\/upload-sarif@/);
  });

  it('finds Helm charts and kustomize overlays and names them in the config', async () => {
    const dir = repository(LAYOUT);
    const result = await cli(['init'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Found 2 Helm charts and 3 kustomizations (2 overlays)');
    const text = readFileSync(join(dir, CONFIG), 'utf8');
    expect(validateShipped(parse(text)), JSON.stringify(validateShipped.errors)).toBe(true);
    const config = parseConfig(text, CONFIG);
    // Listed with their default settings: the same renders as without the entries.
    expect(config.charts).toEqual([
      { path: 'charts/jobs', release: null, namespace: null, values: [], set: {}, kubeVersion: null },
      { path: 'charts/web', release: null, namespace: null, values: [], set: {}, kubeVersion: null },
    ]);
    expect(config.overlays).toBeNull();
    expect(text).toContain('# release: storefront');
    expect(text).toContain("# values: ['charts/web/values-prod.yaml']");
    expect(text.split('\n')).toEqual(
      expect.arrayContaining(["#   - 'deploy/overlays/prod'", "#   - 'deploy/overlays/staging'"]),
    );
    expect(text).toContain('deploy/base is built as part of them');
    const workflow = readFileSync(join(dir, WORKFLOW), 'utf8').replace(/\n\s*# /g, ' ');
    expect(workflow).toContain('needs for its 2 Helm charts and 2 kustomize overlays');
  });

  it('writes a config the scanner then uses, and a workflow the scanner skips', async () => {
    const dir = repository({
      'pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ns}\nspec:\n  containers: [{name: a, image: a}]\n',
    });
    await cli(['init'], dir);
    const scan = await cli(['scan', '--format', 'json'], dir);
    expect(scan.stderr).toContain(`with ${CONFIG}`);
    const report = JSON.parse(scan.stdout) as { findings: { file: string }[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    expect(new Set(report.findings.map((finding) => finding.file))).toEqual(new Set(['pod.yaml']));
  });

  it('refuses to overwrite an existing file without --force, and then writes nothing at all', async () => {
    const dir = repository({ [CONFIG]: 'fail-on: low\n' });
    const result = await cli(['init'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${CONFIG} already exists; nothing was written`);
    expect(result.stderr).toContain('--force');
    expect(readFileSync(join(dir, CONFIG), 'utf8')).toBe('fail-on: low\n');
    expect(existsSync(join(dir, WORKFLOW))).toBe(false);
  });

  it('counts a .yaml config or workflow as existing too, and --force overwrites in place', async () => {
    const dir = repository({
      '.github/kube-token-guard.yaml': 'fail-on: low\n',
      '.github/workflows/kube-token-guard.yaml': 'name: old\n',
    });
    const refused = await cli(['init'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '.github/kube-token-guard.yaml and .github/workflows/kube-token-guard.yaml',
    );
    const forced = await cli(['init', '--force'], dir);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Overwrote .github/kube-token-guard.yaml');
    expect(listing(dir)).toEqual([
      '.github/kube-token-guard.yaml',
      '.github/workflows/kube-token-guard.yaml',
    ]);
    expect(readFileSync(join(dir, '.github/kube-token-guard.yaml'), 'utf8')).toContain(
      'extends: recommended',
    );
  });

  it('--dry-run prints both files and writes nothing', async () => {
    const dir = repository(LAYOUT);
    const before = listing(dir);
    const result = await cli(['init', '--dry-run'], dir);
    expect(result.code).toBe(0);
    expect(listing(dir)).toEqual(before);
    expect(result.stdout).toContain(`--- ${CONFIG} (would create`);
    expect(result.stdout).toContain(`--- ${WORKFLOW} (would create`);
    expect(result.stdout).toContain('extends: recommended');
    expect(result.stdout).toContain('uses: kube-token-guard/kube-token-guard@v0');
    expect(result.stdout).toContain('Dry run: nothing was written.');
  });

  it('--dry-run reports the same conflict a real run would, still writing nothing', async () => {
    const dir = repository({ [WORKFLOW]: 'name: old\n' });
    const result = await cli(['init', '--dry-run'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(`--- ${WORKFLOW} (exists, would be kept`);
    expect(result.stderr).toContain(`${WORKFLOW} already exists`);
    expect(listing(dir)).toEqual([WORKFLOW]);
  });

  it('exits 2 on usage errors, 0 for --help', async () => {
    const dir = repository();
    const flag = await cli(['init', '--overwrite'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/overwrite/);
    expect(flag.stderr).toContain('Usage: kube-token-guard init');
    const positional = await cli(['init', 'somewhere'], dir);
    expect(positional.code).toBe(2);
    expect(positional.stderr).toContain('init takes no arguments');
    const help = await cli(['init', '--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
    expect(listing(dir)).toEqual([]);
  });

  it('notes when the directory is not the root of a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-init-'));
    const result = await cli(['init'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('has no .git folder');
  });

  it('is part of the bundled CLI (dist/cli/index.js)', () => {
    const dir = repository();
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'init', '--dry-run'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`--- ${CONFIG} (would create`);
    expect(listing(dir)).toEqual([]);
  });
});
