/**
 * What counts as new: a finding the merge base did not have, wherever its file is, and a finding the pull request
 * made more severe. A pull request that changes only what an unchanged workload depends on (its ServiceAccount, the
 * namespace's `default` account) gives it a token, and must not pass.
 */
import { describe, expect, it } from 'vitest';
import { pullRequestRunner } from './pull-request-run.js';

const runPullRequest = pullRequestRunner();

const deployment = (account: string | null) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web, namespace: shop}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    ...(account === null ? [] : [`      serviceAccountName: ${account}`]),
    '      containers: [{name: web, image: nginx:1.27}]',
    '',
  ].join('\n');

const account = (name: string, automount: boolean | null) =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: shop}\n` +
  (automount === null ? '' : `automountServiceAccountToken: ${automount}\n`);

describe('new findings', () => {
  it('in a file the pull request leaves alone: it took the false off the namespace default account', async () => {
    const base = { 'deploy/web.yaml': deployment(null), 'deploy/accounts.yaml': account('default', false) };
    const { run, fake } = await runPullRequest({
      base,
      head: { ...base, 'deploy/accounts.yaml': account('default', null) },
    });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toContain('1 new finding is in files this pull request does not change');
    expect(check.output.text).toMatch(/### New findings[\s\S]*deploy\/web\.yaml/);
    // An annotation on the unchanged file; no review comment, since GitHub shows no diff of it.
    expect(check.annotations.some((annotation) => annotation.path === 'deploy/web.yaml')).toBe(true);
    expect(fake.reviewComments.filter((comment) => comment.path === 'deploy/web.yaml')).toEqual([]);
  });

  it('in a file the pull request leaves alone: it took the false off the workload’s own account', async () => {
    const base = { 'deploy/web.yaml': deployment('web'), 'deploy/accounts.yaml': account('web', false) };
    const { fake } = await runPullRequest({
      base,
      head: { ...base, 'deploy/accounts.yaml': account('web', null) },
      inputs: { 'fail-on': 'medium' },
    });
    expect(fake.checkRuns[0]!.conclusion).toBe('failure');
  });

  it('an existing finding made more severe: the workload moved from an undeclared account to default', async () => {
    const { fake } = await runPullRequest({
      base: { 'deploy/web.yaml': deployment('web') },
      head: { 'deploy/web.yaml': deployment('default') },
    });
    const check = fake.checkRuns[0]!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.text).toMatch(/### New findings[\s\S]*\*\*high\*\* `automount-token`/);
  });

  it('nothing new when the pull request changes neither the workload nor what it depends on', async () => {
    const base = { 'deploy/web.yaml': deployment(null), 'deploy/accounts.yaml': account('default', null) };
    const { fake } = await runPullRequest({ base, head: { ...base, 'README.md': 'changed\n' } });
    expect(fake.checkRuns[0]!.conclusion).toBe('success');
  });
});
