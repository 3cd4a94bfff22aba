/**
 * Every input and output of action.yml and every key of the config schema is documented in the README (generated
 * tables) and must also be implemented and tested: each input is read by readInputs, each output is set by the Action
 * and asserted by a test, each config key is read by src/config and reaches the resolved configuration.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readInputs } from '../src/action/inputs.js';
import { parseConfig } from '../src/config/config.js';
import { configSchema } from '../src/config/schema.js';
import { CATALOG } from '../src/rules/catalog.generated.js';
import { registry } from '../src/rules/index.js';
import type { RuleMeta } from '../src/rules/types.js';
import {
  type JsonSchema,
  fillReadme,
  inputsTable,
  outputsTable,
  referenceRows,
  referenceTable,
  ruleIndexTable,
} from '../scripts/readme-sections.js';
import { actionMetadata } from './workflows.js';

const ROOT = join(import.meta.dirname, '..');
const action = actionMetadata();
const schema = JSON.parse(
  readFileSync(join(ROOT, 'schema/kube-token-guard.schema.json'), 'utf8'),
) as JsonSchema;
const rules = Object.values(CATALOG as Record<string, RuleMeta>);
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function source(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

function sourcesUnder(dir: string): string {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => source(join(dir, name)))
    .join('\n');
}

/** Every key path of the config schema: `charts[].path`, `rules.<id>`, `rules.<id>.<option>`, ... */
function schemaPaths(node: JsonSchema, prefix = ''): string[] {
  const paths: string[] = [];
  for (const [name, property] of Object.entries(node.properties ?? {})) {
    const key = `${prefix}${name}`;
    paths.push(key);
    if (property.items?.properties) paths.push(...schemaPaths(property.items, `${key}[].`));
    if (property.properties) paths.push(...schemaPaths(property, `${key}.`));
    const map = property.anyOf?.find((branch) => branch.type === 'object');
    if (map) paths.push(...schemaPaths(map, `${key}.`));
  }
  return paths;
}

/** The key paths a config value uses, in the same notation. */
function valuePaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuePaths(item, `${prefix.slice(0, -1)}[].`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${prefix}${key}`,
    ...valuePaths(child, `${prefix}${key}.`),
  ]);
}

describe('action.yml inputs', () => {
  /** A valid value, other than the default, for every input. */
  const SAMPLES: Record<string, [string, (inputs: ReturnType<typeof readInputs>) => unknown, unknown]> = {
    token: ['ghs_sample', (inputs) => inputs.token, 'ghs_sample'],
    config: ['ci/guard.yml', (inputs) => inputs.config, 'ci/guard.yml'],
    'fail-on': ['low', (inputs) => inputs.failOn, 'low'],
    'comment-mode': ['summary', (inputs) => inputs.commentMode, 'summary'],
    'max-comments': ['7', (inputs) => inputs.maxComments, 7],
    'check-name': ['token hardening', (inputs) => inputs.checkName, 'token hardening'],
    autofix: ['true', (inputs) => inputs.autofix, true],
    'autofix-message': ['Fix tokens', (inputs) => inputs.autofixMessage, 'Fix tokens'],
    paths: ['deploy\ncharts\n', (inputs) => inputs.paths, ['deploy', 'charts']],
    'sarif-file': ['out/guard.sarif', (inputs) => inputs.sarifFile, 'out/guard.sarif'],
    'working-directory': ['/srv/repo', (inputs) => inputs.workingDirectory, '/srv/repo'],
    mode: ['publish', (inputs) => inputs.mode, 'publish'],
    'results-file': ['out/results.json', (inputs) => inputs.resultsFile, 'out/results.json'],
  };
  const saved = Object.entries(process.env).filter(([name]) => name.startsWith('INPUT_'));
  const clear = () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
  };
  beforeEach(clear);
  afterEach(() => {
    clear();
    for (const [name, value] of saved) process.env[name] = value;
  });

  it('has a sample for each input, so a new input needs a test here', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(action.inputs).sort());
  });

  it.each(Object.keys(action.inputs))('%s is read by readInputs (src/action/inputs.ts)', (name) => {
    expect(source('src/action/inputs.ts')).toContain(`'${name}'`);
    const [value, pick, expected] = SAMPLES[name]!;
    const before = pick(readInputs());
    process.env[`INPUT_${name.toUpperCase()}`] = value;
    expect(pick(readInputs())).toEqual(expected);
    expect(expected).not.toEqual(before);
  });

  it('defaults in readInputs match the defaults in action.yml', () => {
    const inputs = readInputs();
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).flatMap(([name, input]) =>
        input.default === undefined ? [] : [[name, input.default]],
      ),
    );
    expect(defaults).toMatchObject({
      'comment-mode': inputs.commentMode,
      'max-comments': String(inputs.maxComments),
      'check-name': inputs.checkName,
      autofix: String(inputs.autofix),
      'autofix-message': inputs.autofixMessage,
      'sarif-file': inputs.sarifFile,
      mode: inputs.mode,
      'results-file': inputs.resultsFile,
    });
  });
});

describe('action.yml outputs', () => {
  it.each(Object.keys(action.outputs))('%s is set by the Action', (name) => {
    expect(sourcesUnder('src')).toContain(`setOutput('${name}'`);
  });

  it('are all asserted by a test: the workspace ones here, the pull request ones end to end', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ktg-outputs-'));
    cpSync(join(ROOT, 'examples'), join(workspace, 'examples'), { recursive: true });
    const runner = mkdtempSync(join(tmpdir(), 'ktg-runner-'));
    writeFileSync(join(runner, 'output'), '');
    writeFileSync(join(runner, 'summary'), '');
    const result = spawnSync(process.execPath, [join(ROOT, 'dist/index.js')], {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary'),
        INPUT_PATHS: 'examples/insecure',
      },
    });
    expect(result.status).toBe(1);
    const outputs: Record<string, string> = {};
    for (const match of readFileSync(join(runner, 'output'), 'utf8').matchAll(
      /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm,
    ))
      outputs[match[1]!] = match[3]!;
    expect(outputs).toMatchObject({
      conclusion: 'failure',
      'sarif-file': join(workspace, 'kube-token-guard.sarif'),
    });
    for (const name of ['findings', 'new-findings', 'blocking', 'suppressed'])
      expect(outputs[name], name).toMatch(/^\d+$/);
    expect(Number(outputs.blocking)).toBeGreaterThan(0);
    expect(outputs['new-findings']).toBe(outputs.findings);

    // Autofix and fork pull requests only happen against the fake GitHub of the end-to-end tests.
    const e2e = readdirSync(join(ROOT, '__tests__/e2e'))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => source(join('__tests__/e2e', name)))
      .join('\n');
    const asserted = Object.keys(action.outputs).filter(
      (name) =>
        name in outputs ||
        new RegExp(`outputs(\\.${name}\\b|\\['${name}'\\])|'${name}':|[{,]\\s*${name}:`).test(e2e),
    );
    expect(asserted.sort()).toEqual(Object.keys(action.outputs).sort());
  });
});

describe('config schema keys', () => {
  const paths = schemaPaths(schema);
  const configSource = source('src/config/config.ts');

  it('are the keys the engine builds the schema from', () => {
    expect(configSchema()).toEqual(schema);
  });

  it.each(paths.filter((path) => !path.startsWith('rules.')))('%s is read by src/config', (path) => {
    const key = path.slice(path.lastIndexOf('.') + 1).replace('[]', '');
    expect(configSource).toMatch(new RegExp(`\\.${key}\\b|\\['${key}'\\]`));
  });

  it.each(paths.filter((path) => path.startsWith('rules.')))('%s is implemented', (path) => {
    const [, id, option] = path.split('.');
    expect(registry.ids).toContain(id);
    if (option === 'severity') expect(configSource).toContain('severity');
    else if (option) expect(sourcesUnder('src/rules') + sourcesUnder('src/core')).toContain(`'${option}'`);
  });

  it('all reach the resolved configuration when set', () => {
    const optionValue = (option: RuleMeta['options'][string]) =>
      option.type === 'boolean'
        ? !option.default
        : option.type === 'integer'
          ? Number(option.default) + 1
          : ['extra'];
    const ruleSettings = Object.fromEntries(
      rules.map((rule) => {
        const options = Object.entries(rule.options);
        if (options.length === 0) return [rule.id, rule.id === 'shared-service-account' ? 'off' : 'critical'];
        return [
          rule.id,
          { severity: 'info', ...Object.fromEntries(options.map(([name, o]) => [name, optionValue(o)])) },
        ];
      }),
    );
    const full = {
      extends: 'strict',
      'fail-on': 'low',
      report: 'all',
      'default-namespace': 'apps',
      'kube-version': 'v1.29.3',
      charts: [
        {
          path: './charts/web/',
          release: 'web-prod',
          namespace: 'shop',
          values: ['charts/web/values-prod.yaml'],
          set: { replicas: 3, debug: false, tag: 'v2' },
          'kube-version': '1.28',
        },
      ],
      render: false,
      installs: 'together',
      'install-files': ['./manifests/install.yaml'],
      overlays: ['deploy/overlays/prod/'],
      include: ['manifests/**/*.yaml'],
      exclude: ['manifests/test/**'],
      'api-clients': ['monitoring/prometheus-*'],
      rules: ruleSettings,
      exemptions: [
        {
          rule: 'automount-token',
          rules: ['default-service-account'],
          kinds: ['Deployment'],
          namespaces: ['ops-*'],
          names: ['agent'],
          paths: ['ops/**'],
          reason: ' Agent calls the API ',
        },
      ],
    };
    // Every key of the schema is set above (a rule's `severity` only where the map form is used).
    const everyKey = paths.filter((path) => !/^rules\.[^.]+\.severity$/.test(path));
    expect(valuePaths(full)).toEqual(expect.arrayContaining([...everyKey, 'rules.automount-token.severity']));
    const resolved = parseConfig(stringify(full), 'full.yml');
    expect(resolved).toMatchObject({
      preset: 'strict',
      failOn: 'low',
      report: 'all',
      defaultNamespace: 'apps',
      kubeVersion: '1.29.3',
      charts: [
        {
          path: 'charts/web',
          release: 'web-prod',
          namespace: 'shop',
          values: ['charts/web/values-prod.yaml'],
          set: { replicas: '3', debug: 'false', tag: 'v2' },
          kubeVersion: '1.28',
        },
      ],
      render: false,
      installs: 'together',
      installFiles: ['manifests/install.yaml'],
      overlays: ['deploy/overlays/prod'],
      include: ['manifests/**/*.yaml'],
      exclude: ['manifests/test/**'],
      apiClients: ['monitoring/prometheus-*'],
      exemptions: [
        {
          rules: ['default-service-account'],
          kinds: ['Deployment'],
          namespaces: ['ops-*'],
          names: ['agent'],
          paths: ['ops/**'],
          reason: 'Agent calls the API',
        },
      ],
    });
    for (const rule of rules) {
      const setting = ruleSettings[rule.id];
      const expected =
        setting === 'off'
          ? { enabled: false, severity: null }
          : typeof setting === 'string'
            ? { enabled: true, severity: setting }
            : {
                enabled: true,
                severity: 'info',
                options: Object.fromEntries(Object.keys(rule.options).map((name) => [name, setting[name]])),
              };
      expect(resolved.rules[rule.id], rule.id).toMatchObject(expected);
    }
    // `rule` alone is read when `rules` is absent.
    const single = parseConfig('exemptions: [{rule: automount-token, reason: ok}]\n', 'single.yml');
    expect(single.exemptions[0]!.rules).toEqual(['automount-token']);
  });
});

describe('README generated sections', () => {
  it('are fresh (npm run docs)', () => {
    const tables = {
      'action-inputs': inputsTable(action),
      'action-outputs': outputsTable(action),
      'config-reference': referenceTable(schema, rules),
      'rule-index': ruleIndexTable(rules),
    };
    expect(fillReadme(readme, tables)).toBe(readme);
  });

  it('document every input, output, config key and rule', () => {
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)])
      expect(readme, name).toContain(`| \`${name}\` |`);
    const rows = referenceRows(schema, rules).map((row) => row.key);
    for (const path of schemaPaths(schema)) {
      const documented = /^rules\.[^.]+\.severity$/.test(path) ? 'rules.<rule>.severity' : path;
      expect(rows, path).toContain(documented);
      expect(readme, path).toContain(`| \`${documented}\` |`);
    }
    for (const rule of rules) expect(readme).toContain(`[\`${rule.id}\`](docs/rules/${rule.id}.md)`);
  });

  it('have the headings the generated workflow and config link to', () => {
    expect(readme).toMatch(/^#+ Configuration reference$/m);
    expect(readme).toMatch(/^#+ Inputs$/m);
    expect(readme).toMatch(/^#+ Setting up a repository: `init`$/m);
  });
});
