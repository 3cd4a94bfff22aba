import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/config.js';
import { workflowProblems } from './workflows.js';

const ROOT = join(import.meta.dirname, '..');
const EXAMPLES = join(ROOT, 'docs/examples');
const workflows = readdirSync(EXAMPLES)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();
const configs = readdirSync(join(EXAMPLES, 'config')).filter((name) => /\.ya?ml$/.test(name));
const validateShipped = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(join(ROOT, 'schema/kube-token-guard.schema.json'), 'utf8')),
);

type Workflow = {
  permissions?: Record<string, string>;
  on: { pull_request?: { paths?: string[] } };
  jobs: Record<
    string,
    { permissions?: unknown; steps: { uses?: string; id?: string; with?: Record<string, unknown> }[] }
  >;
};

function read(name: string): { text: string; workflow: Workflow } {
  const text = readFileSync(join(EXAMPLES, name), 'utf8');
  return { text, workflow: parse(text) as Workflow };
}

function guardStep(workflow: Workflow) {
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  return steps.find((step) => step.uses?.startsWith('kube-token-guard/kube-token-guard@'))!;
}

describe('example workflows in docs/examples', () => {
  it('include the documented ones', () => {
    expect(workflows).toEqual(
      expect.arrayContaining(['autofix-app-token.yml', 'basic.yml', 'monorepo-helm.yml']),
    );
  });

  it.each(workflows)(
    '%s parses, has a permissions block and uses only inputs and outputs of action.yml',
    (name) => {
      const { text, workflow } = read(name);
      expect(workflowProblems(text)).toEqual([]);
      const jobs = Object.values(workflow.jobs);
      expect(workflow.permissions !== undefined || jobs.every((job) => job.permissions !== undefined)).toBe(
        true,
      );
    },
  );

  it('monorepo-helm.yml filters paths, pins helm and points at a config that validates', () => {
    const { workflow } = read('monorepo-helm.yml');
    expect(workflow.on.pull_request?.paths).toEqual(expect.arrayContaining(['charts/**', 'deploy/**']));
    const steps = workflow.jobs.scan!.steps;
    expect(steps.some((step) => step.uses?.startsWith('azure/setup-helm@'))).toBe(true);
    expect(guardStep(workflow).with).toMatchObject({ config: '.github/kube-token-guard.yml' });
    const config = parseConfig(
      readFileSync(join(EXAMPLES, 'config/monorepo-helm.yml'), 'utf8'),
      'config/monorepo-helm.yml',
    );
    expect(config.kubeVersion).toBe('1.30.0');
    expect(config.charts.map((chart) => chart.path)).toEqual(['charts/web', 'charts/web', 'charts/ingest']);
    expect(config.charts[2]!.kubeVersion).toBe('1.29.0');
    expect(config.overlays).toEqual(['deploy/overlays/prod', 'deploy/overlays/staging']);
  });

  it('autofix-app-token.yml hands the App token to the Action and keeps the workflow token read-only', () => {
    const { workflow } = read('autofix-app-token.yml');
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const steps = workflow.jobs.scan!.steps;
    const app = steps.find((step) => step.uses?.startsWith('actions/create-github-app-token@'))!;
    expect(app.id).toBeTruthy();
    expect(guardStep(workflow).with).toMatchObject({
      token: `\${{ steps.${app.id}.outputs.token }}`,
      autofix: 'true',
    });
    expect(app.with).toMatchObject({
      'permission-contents': 'write',
      'permission-pull-requests': 'write',
      'permission-checks': 'write',
    });
  });

  it.each(configs)('config/%s validates against the shipped schema', (name) => {
    const text = readFileSync(join(EXAMPLES, 'config', name), 'utf8');
    expect(validateShipped(parse(text)), JSON.stringify(validateShipped.errors)).toBe(true);
    expect(() => parseConfig(text, name)).not.toThrow();
  });
});

describe('workflows in the README', () => {
  const blocks = [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .filter((block) => /^jobs:/m.test(block));

  it('has some', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });

  it.each(blocks.map((block, index) => [index, block]))(
    'block %i has only the problems of a snippet',
    (_, block) => {
      // The autofix snippet is an excerpt: its `on:` is the quick start's.
      const text = /^on:/m.test(block) ? block : `on: pull_request\n${block}`;
      expect(workflowProblems(text)).toEqual([]);
    },
  );
});

describe('the workflow checker', () => {
  it('reports what the tests rely on it to catch', () => {
    const problems = workflowProblems(`
on: pull_request
permissions:
  contents: read
  pull-request: write
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: kube-token-guard/kube-token-guard@v0
        id: guard
        with:
          fail-on: high
          severity: high
          autofix: 'true'
      - run: echo \${{ steps.guard.outputs.findings }} \${{ steps.guard.outputs.score }}
      - uses: github/codeql-action/upload-sarif@v4
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'permissions: unknown scope pull-request',
        'job scan: input severity is not in action.yml',
        'job scan: output score is not in action.yml',
        'job scan: the review needs pull-requests: write',
        'job scan: the check run needs checks: write',
        'job scan: autofix needs contents: write',
        'job scan: uploads SARIF without security-events: write',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/fail-on|findings/);
    expect(
      workflowProblems('on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: "true"\n'),
    ).toEqual(['job a: no permissions block (top level or job)', 'no step uses kube-token-guard']);
  });
});
