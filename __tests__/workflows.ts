import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parse, parseDocument } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
/** How a workflow refers to this Action: the published name, or the repository itself (`uses: ./`). */
const GUARD = /^(kube-token-guard\/kube-token-guard@|\.\/?$)/;
const SCOPES = new Set([
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
]);
const LEVELS = ['none', 'read', 'write'];

export interface ActionMetadata {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
}

export function actionMetadata(): ActionMetadata {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata;
}

type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { 'runs-on'?: unknown; permissions?: unknown; steps?: Step[]; uses?: string };
type Workflow = { on?: unknown; permissions?: unknown; jobs?: Record<string, Job> };

function level(permissions: unknown, scope: string): string {
  if (permissions === 'write-all') return 'write';
  if (permissions === 'read-all') return 'read';
  if (typeof permissions !== 'object' || permissions === null) return 'none';
  return String((permissions as Record<string, unknown>)[scope] ?? 'none');
}

function atLeast(permissions: unknown, scope: string, wanted: 'read' | 'write'): boolean {
  return LEVELS.indexOf(level(permissions, scope)) >= LEVELS.indexOf(wanted);
}

/**
 * What is wrong with a workflow that uses this Action: it must parse, have a trigger, jobs with steps and a
 * permissions block (top level or on every job) naming real scopes; steps that use the Action may only pass inputs
 * action.yml declares and read outputs it declares; and the token the Action gets must have the permissions its
 * inputs call for (unless it is given another token), as must a SARIF upload.
 */
export function workflowProblems(text: string, action: ActionMetadata = actionMetadata()): string[] {
  const problems: string[] = [];
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) return document.errors.map((error) => `YAML: ${error.message}`);
  if (!isMap(document.contents)) return ['not a map'];
  const workflow = document.toJS() as Workflow;
  if (workflow.on === undefined) problems.push('no `on` trigger');
  const jobs = Object.entries(workflow.jobs ?? {});
  if (jobs.length === 0) problems.push('no jobs');
  const inputs = new Set(Object.keys(action.inputs));
  const outputs = new Set(Object.keys(action.outputs));
  let guardSteps = 0;
  for (const [name, job] of jobs) {
    const permissions = job.permissions ?? workflow.permissions;
    if (permissions === undefined) problems.push(`job ${name}: no permissions block (top level or job)`);
    for (const block of [workflow.permissions, job.permissions]) {
      if (typeof block !== 'object' || block === null) continue;
      for (const [scope, value] of Object.entries(block)) {
        if (!SCOPES.has(scope)) problems.push(`permissions: unknown scope ${scope}`);
        if (!LEVELS.includes(String(value)))
          problems.push(`permissions: ${scope} must be read, write or none`);
      }
    }
    if (job['runs-on'] === undefined) problems.push(`job ${name}: no runs-on`);
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      problems.push(`job ${name}: no steps`);
      continue;
    }
    const guardIds = new Set<string>();
    for (const step of job.steps) {
      if (!step.uses && !step.run) problems.push(`job ${name}: a step has neither uses nor run`);
      if (step.uses?.startsWith('github/codeql-action/upload-sarif@')) {
        if (!atLeast(permissions, 'security-events', 'write'))
          problems.push(`job ${name}: uploads SARIF without security-events: write`);
      }
      if (!step.uses || !GUARD.test(step.uses)) continue;
      guardSteps++;
      if (step.id) guardIds.add(step.id);
      const given = step.with ?? {};
      for (const input of Object.keys(given)) {
        if (!inputs.has(input)) problems.push(`job ${name}: input ${input} is not in action.yml`);
      }
      if (!atLeast(permissions, 'contents', 'read')) problems.push(`job ${name}: needs contents: read`);
      if (given.token === undefined && String(given.mode ?? 'auto') === 'scan') {
        // The scanning half of the fork-safe pair writes nothing to GitHub: it reads the pull request's files.
        if (!atLeast(permissions, 'pull-requests', 'read'))
          problems.push(`job ${name}: mode scan lists the pull request's files: needs pull-requests: read`);
      } else if (given.token === undefined) {
        // The workflow's own token does the work, so it needs what the review, the check run and an autofix need.
        if (
          String(given['comment-mode'] ?? 'review') !== 'off' &&
          !atLeast(permissions, 'pull-requests', 'write')
        )
          problems.push(`job ${name}: the review needs pull-requests: write`);
        if (!atLeast(permissions, 'checks', 'write'))
          problems.push(`job ${name}: the check run needs checks: write`);
        if (String(given.autofix ?? 'false') === 'true' && !atLeast(permissions, 'contents', 'write'))
          problems.push(`job ${name}: autofix needs contents: write`);
      }
    }
    for (const match of JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (guardIds.has(match[1]!) && !outputs.has(match[2]!))
        problems.push(`job ${name}: output ${match[2]} is not in action.yml`);
    }
  }
  if (guardSteps === 0) problems.push('no step uses kube-token-guard');
  return problems;
}
