/**
 * The Action right on every push (issue 19), end to end through the bundled Action and the fake GitHub: lines after an
 * autofix commit, comments GitHub shows as outdated, a plain merge-commit checkout, and files with CRLF line endings.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { autofix } from '../../src/core/autofix.js';
import { scan, yaml } from '../helpers.js';
import type { FakeReviewComment } from './fake-github.js';
import { mergeCheckout } from './git-fixture.js';
import { pullRequestRunner } from './pull-request-run.js';
import { runAction } from './run-action.js';
import { pullRequestScenario } from './scenario.js';
import { SETTINGS, WORKER } from './manifests.js';

const BINDING = yaml`
  apiVersion: rbac.authorization.k8s.io/v1
  kind: RoleBinding
  metadata:
    name: reader
    namespace: shop
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
  subjects:
    - kind: Group
      apiGroup: rbac.authorization.k8s.io
      name: system:serviceaccounts:shop
`;

/** A binding no rule reports. */
const READER = BINDING.replace('kind: Group', 'kind: User').replace('system:serviceaccounts:shop', 'jane');

const runPullRequest = pullRequestRunner();

/** What the file is after GitHub commits a suggestion: the block's lines, as the comment carries them, for the range. */
function applySuggestion(text: string, comment: FakeReviewComment): string {
  const block = /^(`{4,})suggestion\r?\n([\s\S]*?)^\1\r?$/m.exec(comment.body);
  if (!block || comment.line === null) throw new Error(`no suggestion on a line in comment ${comment.id}`);
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const start = (comment.start_line ?? comment.line) - 1;
  return [...lines.slice(0, start), block[2], ...lines.slice(comment.line)].join('');
}

/** The file as the CLI's `--fix` leaves it with the default configuration. */
function fixed(path: string, text: string): string {
  return autofix([{ path, text }], defaultConfig()).files[0]!.text;
}

/** `rule:line-endLine` of each finding of `text` as a scan of that file alone sees it, for the given rules. */
function placesIn(path: string, text: string, rules: string[]): string[] {
  return scan({ [path]: text })
    .findings.filter((finding) => rules.includes(finding.ruleId))
    .map((finding) => `${finding.ruleId}:${finding.line}-${finding.endLine}`)
    .sort();
}

describe('after an autofix commit', () => {
  it('annotates the lines of the commit the check run is on, and its text cites those lines', async () => {
    const { run, fake } = await runPullRequest({
      head: { 'deploy/app.yaml': `${WORKER}---\n${BINDING}` },
      inputs: { autofix: 'true' },
    });
    expect(fake.violations).toEqual([]);
    expect(fake.graphqlCommits, run.stdout).toHaveLength(1);
    const commit = fake.graphqlCommits[0]!;
    const after = commit.files['deploy/app.yaml']!;
    expect(after).toContain('automountServiceAccountToken: false');
    const check = fake.checkRuns[0]!;
    expect(check.head_sha).toBe(commit.oid);
    const annotated = check.annotations
      .filter((annotation) => annotation.path === 'deploy/app.yaml')
      .map(
        (annotation) => `${annotation.title!.split(' ')[0]}:${annotation.start_line}-${annotation.end_line}`,
      )
      .sort();
    const rules = ['default-sa-rbac', 'default-service-account'];
    expect(annotated).toEqual(placesIn('deploy/app.yaml', after, rules));
    const binding = scan({ 'deploy/app.yaml': after }).findings.find((f) => f.ruleId === 'default-sa-rbac')!;
    expect(check.output.text).toContain(`deploy/app.yaml:${binding.line}`);
    expect(run.summary).toContain(`deploy/app.yaml:${binding.line}`);
  });
});

describe('a comment GitHub shows as outdated', () => {
  it('is replaced by a fresh comment with a fresh suggestion while its finding is open, and marked superseded', async () => {
    const first = await runPullRequest({ head: { 'deploy/worker.yaml': WORKER } });
    const comments = first.fake.visibleReviewComments;
    const posted = comments.find((comment) => comment.body.includes('````suggestion'));
    expect(posted).toBeDefined();
    // A push rewrites the commented line without fixing anything: GitHub answers line null, original_line kept.
    const lines = WORKER.split('\n');
    lines[posted!.line! - 1] += '  # reformatted';
    const pushed = lines.join('\n');
    const second = await runPullRequest({
      head: { 'deploy/worker.yaml': pushed },
      fake: {
        existingReviewComments: comments.map((comment) => ({
          id: comment.id,
          path: comment.path,
          body: comment.body,
          ...(comment === posted
            ? { line: null, original_line: comment.line!, commit_id: first.scenario.repo.headSha }
            : { line: comment.line }),
        })),
      },
    });
    expect(second.fake.violations).toEqual([]);
    expect(second.fake.responseProblems).toEqual([]);
    const seeded = new Set(comments.map((comment) => comment.id));
    const fresh = second.fake.visibleReviewComments.filter((comment) => !seeded.has(comment.id));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.body).toContain('````suggestion');
    expect(applySuggestion(pushed, fresh[0]!)).toBe(fixed('deploy/worker.yaml', pushed));
    const old = second.fake.reviewComments.find((comment) => comment.id === posted!.id)!;
    expect(old.body).toMatch(/^↪️ \*\*Superseded\*\*/);
    expect(old.body).not.toContain('````suggestion');

    // The next run sees the fresh comment: nothing is posted or edited again.
    const third = await second.again();
    expect(second.fake.violations).toEqual([]);
    expect(second.fake.reviews, third.stdout).toHaveLength(1);
    expect(second.fake.reviewComments).toHaveLength(comments.length + 1);
    expect(old.history).toHaveLength(2);
  });
});

describe('a plain actions/checkout (the merge commit, one commit deep)', () => {
  const dirs: string[] = [];
  const disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    for (const dispose of disposals.splice(0)) await dispose();
  });

  /** The Action on the merge checkout of a pull request whose fake GitHub serves the commits' files. */
  async function onMergeCheckout(options: Parameters<typeof pullRequestScenario>[0]) {
    const scenario = await pullRequestScenario({ ...options, serveContents: true });
    disposals.push(scenario.dispose);
    const workspace = mergeCheckout(scenario.repo);
    dirs.push(workspace);
    const { fake } = scenario;
    const run = await runAction({ workspace, eventPath: scenario.eventPath, apiUrl: fake.url, inputs: {} });
    const annotated = fake.checkRuns[0]!.annotations.map(
      (annotation) => `${annotation.title!.split(' ')[0]}:${annotation.start_line}-${annotation.end_line}`,
    ).sort();
    return { run, fake, workspace, annotated };
  }

  it("scans the head's version of a file the base branch changed too, and anchors on the head's lines", async () => {
    const { run, fake, annotated } = await onMergeCheckout({
      base: { 'deploy/app.yaml': READER },
      head: { 'deploy/app.yaml': `${READER}---\n${WORKER}` },
      // Merged later into the base branch: a document above, so the merge's lines are not the head's.
      baseAfterBranch: {
        'deploy/app.yaml': `${SETTINGS}---\n${READER}`,
      },
    });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toContain('read at the head through the API');
    const head = `${READER}---\n${WORKER}`;
    const [comment] = fake.visibleReviewComments;
    expect(comment?.path).toBe('deploy/app.yaml');
    expect(applySuggestion(head, comment!)).toBe(fixed('deploy/app.yaml', head));
    expect(annotated).toEqual(
      placesIn('deploy/app.yaml', head, ['automount-token', 'default-service-account']),
    );
  });

  it("judges the head's version of a file whose merge holds no Kubernetes object, read through the API", async () => {
    const hardened = WORKER.replace(
      '      containers:',
      '      automountServiceAccountToken: false\n      containers:',
    );
    const { run, fake, workspace, annotated } = await onMergeCheckout({
      base: { 'deploy/app.yaml': hardened },
      // The pull request turns the token on; the base branch (later) drops the object's first lines, so the merge
      // spells no `apiVersion` and is left out of the scan as holding no object.
      head: { 'deploy/app.yaml': WORKER },
      baseAfterBranch: { 'deploy/app.yaml': hardened.split('\n').slice(2).join('\n') },
    });
    expect(fake.violations).toEqual([]);
    expect(readFileSync(join(workspace, 'deploy/app.yaml'), 'utf8')).not.toContain('apiVersion');
    expect(annotated).toEqual(
      placesIn('deploy/app.yaml', WORKER, ['automount-token', 'default-service-account']),
    );
    expect(fake.checkRuns[0]!.conclusion, run.stdout).toBe('failure');
  });
});

describe('a file with CRLF line endings', () => {
  it('gets suggestions whose lines keep CRLF when GitHub commits them', async () => {
    const crlf = WORKER.replace(/\n/g, '\r\n');
    const { fake } = await runPullRequest({ head: { 'deploy/worker.yaml': crlf } });
    expect(fake.violations).toEqual([]);
    const [comment] = fake.visibleReviewComments;
    const accepted = applySuggestion(crlf, comment!);
    expect(accepted).toBe(fixed('deploy/worker.yaml', crlf));
    expect(accepted).not.toMatch(/[^\r]\n/);
  });
});
