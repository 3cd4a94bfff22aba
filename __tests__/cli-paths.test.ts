/**
 * The bundled CLI as a user runs it, from wherever they stand: any path is scanned, rooted at its repository (the
 * nearest folder with `.git`, else the folder given) whose config applies; and every mistake is an error in words,
 * exit 2, never a stack trace or the findings code.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insecureDeployment, parseReport, runBundledCli, sandbox } from './hostile/sandbox.js';

/** A repository (`.git` present) with a deployment in a subfolder and a config that turns one rule off. */
function repository(config = 'rules:\n  default-service-account: off\n') {
  return sandbox({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.github/kube-token-guard.yml': config,
    'deploy/web.yaml': insecureDeployment('web'),
  });
}

const ruleIds = (stdout: string) =>
  parseReport({ status: 0, stdout, stderr: '' }).findings.map((f) => f.ruleId);

describe('paths: the root is the repository of the path given', () => {
  it('scans a repository from a folder outside it, naming files relative to the repository', () => {
    const { top, repo } = repository();
    const run = runBundledCli(top, ['scan', 'repo', '--format', 'json']);
    expect(run.status).toBe(1);
    const report = parseReport(run);
    expect(report.errors).toEqual([]);
    expect(report.findings.map((finding) => finding.file)).toEqual(['deploy/web.yaml']);
    expect(run.stderr).toContain(`in ${repo} with .github/kube-token-guard.yml`);
  });

  it('scans from `/`, by absolute and by relative path', () => {
    const { repo } = repository();
    for (const path of [repo, join(repo, 'deploy/web.yaml').slice(1)]) {
      const run = runBundledCli('/', ['scan', path, '--format', 'json']);
      expect(run.stderr).not.toMatch(/outside/);
      expect(parseReport(run).findings.map((finding) => finding.file)).toEqual(['deploy/web.yaml']);
    }
  });

  it('applies the repository config when run in a subfolder (which it used to ignore)', () => {
    const { repo } = repository();
    const run = runBundledCli(join(repo, 'deploy'), ['scan', '--format', 'json']);
    expect(run.stderr).toContain('with .github/kube-token-guard.yml');
    expect(ruleIds(run.stdout)).toEqual(['automount-token']);
    // The same scan with the rule on shows the config was what turned it off.
    const plain = runBundledCli(join(repo, 'deploy'), ['scan', '--format', 'json', '--config', '/dev/null']);
    expect(ruleIds(plain.stdout).sort()).toEqual(['automount-token', 'default-service-account']);
  });

  it('takes a folder outside any repository as its own root', () => {
    const box = sandbox({ 'plain/sub/web.yaml': insecureDeployment('web') });
    const run = runBundledCli(box.repo, ['scan', 'plain', '--format', 'json']);
    expect(parseReport(run).findings[0]?.file).toBe('sub/web.yaml');
    const file = runBundledCli('/', ['scan', join(box.repo, 'plain/sub/web.yaml'), '--format', 'json']);
    expect(parseReport(file).findings[0]?.file).toBe('web.yaml');
  });

  it('reads --config relative to the current folder, and fixes files of the repository from outside it', () => {
    const { top, repo } = repository();
    const run = runBundledCli(top, [
      'scan',
      'repo/deploy',
      '--config',
      'repo/.github/kube-token-guard.yml',
      '--fix',
    ]);
    expect(run.stderr).toContain('Fixed 1 finding in 1 file: deploy/web.yaml (1)');
    expect(readFileSync(join(repo, 'deploy/web.yaml'), 'utf8')).toContain(
      'automountServiceAccountToken: false',
    );
    expect(run.status).toBe(0);
  });

  it('refuses paths in two repositories, and a path that does not exist, with exit 2', () => {
    const one = repository();
    const two = repository();
    const run = runBundledCli('/', ['scan', one.repo, two.repo]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('are not in the same repository');
    const missing = runBundledCli(one.repo, ['scan', 'nowhere']);
    expect([missing.status, missing.stderr]).toEqual([
      2,
      'kube-token-guard: nowhere: no such file or directory\n',
    ]);
  });
});

describe('errors are errors: exit 2, in words, naming what is wrong', () => {
  const noTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |node:internal/);

  it('--output into a missing folder or onto a folder, before anything is scanned or fixed', () => {
    const { repo } = repository();
    const before = readFileSync(join(repo, 'deploy/web.yaml'), 'utf8');
    const missing = runBundledCli(repo, ['scan', '--fix', '--output', 'reports/out.json']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--output reports/out.json: the folder reports does not exist');
    noTrace(missing.stderr);
    expect(readFileSync(join(repo, 'deploy/web.yaml'), 'utf8')).toBe(before);
    mkdirSync(join(repo, 'reports'));
    const folder = runBundledCli(repo, ['scan', '--output', 'reports']);
    expect([folder.status, folder.stderr]).toEqual([
      2,
      'kube-token-guard: --output reports: is a folder; name a file to write the report to\n',
    ]);
    const written = runBundledCli(repo, ['scan', '--format', 'sarif', '--output', 'reports/out.sarif']);
    expect(written.status).toBe(1);
    expect(existsSync(join(repo, 'reports/out.sarif'))).toBe(true);
  });

  it('names an unknown option and the one meant, and an option missing its value', () => {
    const { repo } = repository();
    const typo = runBundledCli(repo, ['scan', '--fial-on', 'low']);
    expect(typo.status).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe(
      'kube-token-guard: unknown option `--fial-on`; did you mean `--fail-on`?',
    );
    const unknown = runBundledCli(repo, ['scan', '--frobnicate']);
    expect(unknown.stderr.split('\n')[0]).toBe(
      'kube-token-guard: unknown option `--frobnicate` (a path that starts with `-` goes after `--`: kube-token-guard scan -- --frobnicate)',
    );
    const value = runBundledCli(repo, ['scan', '--config']);
    expect(value.stderr.split('\n')[0]).toBe('kube-token-guard: option `--config` needs a value');
    const init = runBundledCli(repo, ['init', '--forse']);
    expect(init.stderr.split('\n')[0]).toBe(
      'kube-token-guard: unknown option `--forse`; did you mean `--force`?',
    );
    for (const run of [typo, unknown, value, init]) {
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage:');
      expect(run.stderr).not.toMatch(/To specify a positional/);
    }
  });

  it('a config of several documents, and an unknown rule id, name the file and line', () => {
    const several = runBundledCli(repository('fail-on: high\n---\nfail-on: low\n').repo, ['scan']);
    expect(several.status).toBe(2);
    expect(several.stderr).toContain('.github/kube-token-guard.yml:2: a second YAML document starts here');
    expect(several.stderr).not.toMatch(/parseAllDocuments/);
    const rule = runBundledCli(repository('rules:\n  automount-tokn: off\n').repo, ['scan']);
    expect(rule.status).toBe(2);
    expect(rule.stderr).toContain(
      '.github/kube-token-guard.yml:2: rules.automount-tokn: unknown rule; did you mean `automount-token`?',
    );
  });

  it('counts in the singular when there is one', () => {
    const run = runBundledCli(repository().repo, ['scan', 'deploy']);
    expect(run.stderr).toMatch(/scanned 1 file \(1 document, 1 resource, 1 workload\) in \d+ ms with /);
    expect(run.stdout).toContain('1 fixable with --fix');
  });
});

describe('SARIF from the command line', () => {
  it('percent-encodes artifact URIs, so `my dir/a pi#1.yaml` resolves to that file', () => {
    const { repo } = sandbox({ 'my dir/a pi#1.yaml': insecureDeployment('web') });
    const run = runBundledCli(repo, ['scan', '--format', 'sarif']);
    const sarif = JSON.parse(run.stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = new Set(
      sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri),
    );
    expect([...uris]).toEqual(['my%20dir/a%20pi%231.yaml']);
    expect(decodeURIComponent(new URL([...uris][0]!, `file://${repo}/`).pathname)).toBe(
      join(repo, 'my dir/a pi#1.yaml'),
    );
  });
});
