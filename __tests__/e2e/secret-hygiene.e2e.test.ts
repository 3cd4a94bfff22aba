/**
 * Secret hygiene of the Action, end to end: the bundled dist/index.js reviews a pull request that adds manifests full of
 * planted Secret data and static cloud credentials (../secret-material.ts), against the fake GitHub. Nothing it
 * publishes may hold them, in any encoding: no request body the fake received (review, comments, check run, its
 * annotations, commit message), nothing in the log, the job summary, the outputs, the SARIF file or the fork patch.
 *
 * The autofix commit is the one place the files' own text goes, by design (the fixed files are written back); it is
 * checked to carry exactly the fixed files, with every secret line as it was, and nothing else.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config.js';
import { autofix } from '../../src/core/autofix.js';
import { EXPECTED_RULES, SECRET_MANIFESTS, leaksIn } from '../secret-material.js';
import type { FakeGitHub, FakeGitHubOptions } from './fake-github.js';
import { expectNoLeaks, publishedPlaces } from './published.js';
import type { RepoFixture } from './git-fixture.js';
import { type ActionRun, runAction } from './run-action.js';
import { type Scenario, pullRequestScenario } from './scenario.js';

const scenarios: Scenario[] = [];
afterEach(async () => {
  for (const scenario of scenarios.splice(0)) await scenario.dispose();
});

async function review(options: {
  inputs?: Record<string, string>;
  fork?: boolean;
  fake?: Partial<FakeGitHubOptions>;
}): Promise<{ repo: RepoFixture; fake: FakeGitHub; run: ActionRun }> {
  const scenario = await pullRequestScenario({
    base: { 'README.md': '# manifests\n' },
    head: SECRET_MANIFESTS,
    number: 31,
    fork: options.fork,
    fake: options.fake,
  });
  scenarios.push(scenario);
  const { repo, fake, eventPath } = scenario;
  const run = await runAction({
    workspace: repo.dir,
    eventPath,
    apiUrl: fake.url,
    inputs: { 'max-comments': '100', ...options.inputs },
  });
  return { repo, fake, run };
}

describe('the Action never publishes secret material', () => {
  it('in a review with suggestions, the check run, its annotations, the job summary and SARIF', async () => {
    const { repo, fake, run } = await review({});
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);
    // It did publish: a review with inline suggestions and a check run with an annotation for each rule.
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments.some((comment) => comment.body.includes('suggestion'))).toBe(true);
    const titles = new Set(
      fake.checkRuns[0]!.annotations.map((annotation) => annotation.title?.split(' ')[0]),
    );
    for (const rule of EXPECTED_RULES) expect(titles, rule).toContain(rule);
    expectNoLeaks(publishedPlaces(repo.dir, fake, run));
  });

  it('in the findings listed in the review body (comment-mode: summary)', async () => {
    const { repo, fake, run } = await review({ inputs: { 'comment-mode': 'summary' } });
    expect(fake.violations).toEqual([]);
    expect(fake.reviews[0]!.body).toContain('static-cloud-credentials');
    expectNoLeaks(publishedPlaces(repo.dir, fake, run));
  });

  it('from a fork: in workflow annotations, the job summary and the patch, which still applies', async () => {
    const { repo, fake, run } = await review({
      fork: true,
      inputs: { autofix: 'true' },
      fake: { permissions: { checks: 'none', pullRequests: 'read', contents: 'read' } },
    });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toEqual([]);
    expect(run.stdout).toMatch(/::error title=legacy-token-secret/);
    const patchFile = run.outputs['patch-file']!;
    const patch = readFileSync(patchFile, 'utf8');
    expect(patch).toContain('+kind: ServiceAccount');
    expect(run.summary).toContain('automountServiceAccountToken: false');
    expectNoLeaks(publishedPlaces(repo.dir, fake, run));

    // The patch leaves context out next to secrets; it must still give exactly the fixed files.
    const expected = autofix(
      Object.entries(SECRET_MANIFESTS).map(([path, text]) => ({ path, text })),
      defaultConfig(),
    ).files;
    const apply = /apply with `([^`]+)`/.exec(run.summary + run.stdout)?.[1] ?? 'git apply';
    writeFileSync(join(repo.dir, 'fixes.patch'), patch);
    execFileSync(apply.split(' ')[0]!, [...apply.split(' ').slice(1), 'fixes.patch'], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH ?? '', HOME: repo.dir, GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    for (const file of expected) {
      expect(readFileSync(join(repo.dir, file.path), 'utf8'), file.path).toBe(file.text);
    }
  });

  it('with an autofix commit: only the fixed files go out, with their secret lines untouched', async () => {
    const { repo, fake, run } = await review({ inputs: { autofix: 'true' } });
    expect(fake.violations).toEqual([]);
    expect(fake.branchCommits).toHaveLength(1);
    expectNoLeaks(publishedPlaces(repo.dir, fake, run));
    const expected = new Map(
      autofix(
        Object.entries(SECRET_MANIFESTS).map(([path, text]) => ({ path, text })),
        defaultConfig(),
      ).files.map((file) => [file.path, file.text]),
    );
    const committed = fake.branchCommits[0]!.files;
    expect(Object.keys(committed).length).toBeGreaterThan(0);
    for (const [path, text] of Object.entries(committed)) {
      expect(text, path).toBe(expected.get(path));
      expect(text, path).not.toBe(SECRET_MANIFESTS[path]);
      const secretLines = (source: string) => source.split('\n').filter((line) => leaksIn(line).length > 0);
      expect(secretLines(text!), path).toEqual(secretLines(SECRET_MANIFESTS[path]!));
    }
  });
});
