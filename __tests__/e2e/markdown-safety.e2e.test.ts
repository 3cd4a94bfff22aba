/**
 * Markdown safety, end to end: the bundled Action reviews a pull request whose resources, namespaces, accounts, file
 * paths and branch have hostile names (mentions, links, images, HTML, table pipes, backticks). What it publishes for
 * GitHub to render, the review and its comments, the check run and the job summary, is parsed as CommonMark (see
 * ../markdown.ts) and must hold only the links, HTML, headings, tables and code blocks the tool writes itself.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectOwnMarkup, hostileDeployment } from '../markdown.js';
import type { FakeGitHubOptions } from './fake-github.js';
import { runAction } from './run-action.js';
import { type Scenario, pullRequestScenario } from './scenario.js';

const NAMES = [
  '@org/team',
  '[x](https://evil.example)',
  '![p](https://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  'a|b',
  '`<b>x</b>` and a`b',
  '\\[y\\](https://evil.example)',
  'x\n\n<img src=y>\n# heading',
];

/** A Deployment per name: runs as `default`, mounts its token (a fix), and uses the deprecated field (a fix). */
const deployment = (name: string) => hostileDeployment(name);

/**
 * A Pod whose top-level block scalar holds a line of four backticks and HTML, within the context lines of its automount
 * fix: in a patch fenced with four backticks, that line would end the fence and the HTML would render.
 */
const FENCE_BREAKER = [
  'apiVersion: v1',
  'kind: Pod',
  'note: |',
  ' ````',
  ' <img src=x onerror=alert(1)>',
  'metadata: {name: "@org/team", namespace: "[x](https://evil.example)"}',
  'spec:',
  '  containers: [{name: app, image: app:1}]',
  '',
].join('\n');

const TEMPLATED = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n';

function headFiles(): Record<string, string> {
  const files: Record<string, string> = { 'deploy/fence.yaml': FENCE_BREAKER };
  NAMES.forEach((name, index) => {
    // Hostile file names too, where a file name can hold them.
    const path = /[\n/\\]/.test(name) ? `deploy/app-${index}.yaml` : `deploy/${name}.yaml`;
    files[path] = deployment(name);
  });
  files['deploy/@org team [x](https:evil) <img src=x> a|b `c`.yaml'] = deployment('plain');
  return files;
}

const scenarios: Scenario[] = [];
afterEach(async () => {
  for (const scenario of scenarios.splice(0)) await scenario.dispose();
});

async function review(options: {
  inputs?: Record<string, string>;
  fork?: boolean;
  headRef?: string;
  fake?: Partial<FakeGitHubOptions>;
}) {
  const scenario = await pullRequestScenario({
    base: { 'README.md': '# manifests\n' },
    head: headFiles(),
    headRef: options.headRef,
    number: 41,
    fork: options.fork,
    fake: options.fake,
  });
  scenarios.push(scenario);
  const { repo, fake, eventPath } = scenario;
  const run = await runAction({
    workspace: repo.dir,
    eventPath,
    apiUrl: fake.url,
    inputs: options.inputs ?? {},
  });
  return { repo, fake, run };
}

describe('hostile names in a pull request', () => {
  it('make no mentions, links, images, HTML or broken tables in the review, the check run or the job summary', async () => {
    const { fake, run } = await review({ inputs: { 'max-comments': '6' } });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);

    expect(fake.reviews).toHaveLength(1);
    const body = expectOwnMarkup(fake.reviews[0]!.body, 'review body', 1);
    expect(body.tables).toEqual([]);
    expect(body.text).toContain('@\u200borg/team');

    expect(fake.reviewComments.length).toBe(6);
    for (const comment of fake.reviewComments) {
      const shape = expectOwnMarkup(comment.body, `comment on ${comment.path}`, 0);
      expect(shape.tables).toEqual([]);
      expect(shape.fences.every((info) => info === 'suggestion')).toBe(true);
    }

    const check = fake.checkRuns[0]!;
    const summary = expectOwnMarkup(check.output.summary ?? '', 'check run summary', 0);
    // The table of rules: a header and one row per rule, five cells each, whatever the file names hold.
    expect(summary.tables).toHaveLength(1);
    expect(summary.tables[0]!.every((cells) => cells === 5)).toBe(true);
    expect(summary.tables[0]!.length).toBe(summary.links.length + 1);
    const text = expectOwnMarkup(check.output.text ?? '', 'check run text', 1);
    expect(text.links).toEqual([]);
    expect(text.tables).toEqual([]);

    const job = expectOwnMarkup(run.summary, 'job summary', 1);
    expect(job.tables).toHaveLength(1);
    expect(job.tables[0]!.every((cells) => cells === 5)).toBe(true);
  });

  it('from a fork with autofix: the patch in the job summary stays one code block', async () => {
    const { fake, run } = await review({
      fork: true,
      inputs: { autofix: 'true' },
      fake: { permissions: { checks: 'none', pullRequests: 'read', contents: 'read' } },
    });
    expect(fake.violations).toEqual([]);
    expect(run.outputs['patch-file']).toBeTruthy();
    expect(run.summary).toContain('+  automountServiceAccountToken: false');
    const job = expectOwnMarkup(run.summary, 'job summary', 1);
    expect(job.fences).toEqual(['diff']);
    expect(job.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('file names cannot inject workflow commands into the log', async () => {
    const scenario = await pullRequestScenario({
      base: { 'README.md': '# manifests\n' },
      head: {
        // Templated files outside a chart are skipped with a notice naming the file.
        '::warning::top-level.yaml': TEMPLATED,
        'deploy/x\n::stop-commands::pwned\n::warning::after-break.yaml': TEMPLATED,
        'deploy/app.yaml': deployment('web'),
      },
      number: 41,
    });
    scenarios.push(scenario);
    const { repo, fake, eventPath } = scenario;
    // On a push the Action scans the workspace and logs every notice of the scan.
    const run = await runAction({
      workspace: repo.dir,
      eventPath,
      apiUrl: fake.url,
      inputs: {},
      env: { GITHUB_EVENT_NAME: 'push' },
    });
    expect(fake.violations).toEqual([]);
    const lines = run.stdout.split('\n');
    // The runner reads a line as a command after trimming its start.
    const injected = lines.filter((line) => /^\s*::(warning|stop-commands)::/.test(line));
    expect(injected).toEqual([]);
    expect(lines.filter((line) => line.startsWith('Notice: ')).length).toBe(2);
    expect(run.stdout).toContain('deploy/x\\u000a::stop-commands::pwned');
  });

  it('a hostile branch name in the autofix note stays code', async () => {
    const headRef = 'fix/`<img/src=x>`@org/team';
    const { fake, run } = await review({ inputs: { autofix: 'true' }, headRef });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toHaveLength(1);
    const note = fake.checkRuns[0]!.output.summary ?? '';
    expect(note).toContain('pushed to');
    const shape = expectOwnMarkup(note, 'check run summary', 0);
    expect(shape.text).toContain(headRef);
    expectOwnMarkup(run.summary, 'job summary', 1);
  });
});
