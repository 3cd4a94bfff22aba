/**
 * Secret hygiene of the CLI: planted Secret data and static cloud credentials never come out of a scan, in any
 * format, with or without --fix, in standard output, standard error or a report file; and --fix leaves every line
 * that holds them as it was. The Action's side is in e2e/secret-hygiene.e2e.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { autofix } from '../src/core/autofix.js';
import { secretLinesOfFiles } from '../src/core/secrets.js';
import { patchWithoutSecrets } from '../src/pr/fix-patch.js';
import { planReview } from '../src/pr/review.js';
import { findingList, summaryMarkdown } from '../src/pr/summary.js';
import { diffContents } from '../src/pr/patch.js';
import { toSarif } from '../src/report/sarif.js';
import { registry } from '../src/rules/index.js';
import { runCliCaptured, scan } from './helpers.js';
import { EXPECTED_RULES, PLANTED, SECRET_MANIFESTS, leaksIn } from './secret-material.js';

const ROOT = join(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-secrets-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const cli = runCliCaptured;

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    },
  });
}

/** Lines of the manifests that hold a planted value, by file: what --fix must leave exactly as it was. */
function plantedLines(files: Record<string, string>): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [path, text] of Object.entries(files)) {
    result.set(
      path,
      text.split('\n').filter((line) => leaksIn(line).length > 0),
    );
  }
  return result;
}

describe('the CLI never prints secret material', () => {
  const runs: [string, string[]][] = [
    ['text', ['scan', '--no-color']],
    ['text with suppressed findings', ['scan', '--no-color', '--show-suppressed']],
    ['json', ['scan', '--format', 'json']],
    ['sarif', ['scan', '--format', 'sarif']],
  ];

  it.each(runs)('%s', async (_name, args) => {
    const dir = workspace(SECRET_MANIFESTS);
    const run = await cli(args, dir);
    expect(run.code, run.stderr).toBe(1);
    expect(leaksIn(run.stdout), 'stdout').toEqual([]);
    expect(leaksIn(run.stderr), 'stderr').toEqual([]);
  });

  it('finds what the manifests hold, so the silence above is not an empty scan', async () => {
    const dir = workspace(SECRET_MANIFESTS);
    const run = await cli(['scan', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string; fix: unknown }[] };
    const rules = new Set(report.findings.map((finding) => finding.ruleId));
    for (const rule of EXPECTED_RULES) expect(rules, rule).toContain(rule);
    expect(report.findings.some((finding) => finding.fix !== null)).toBe(true);
  });

  it('with --output, in every format', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      const dir = workspace(SECRET_MANIFESTS);
      const run = await cli(['scan', '--format', format, '--output', 'report.out'], dir);
      expect(run.code).toBe(1);
      expect(leaksIn(readFileSync(join(dir, 'report.out'), 'utf8')), format).toEqual([]);
      expect(leaksIn(run.stdout + run.stderr), format).toEqual([]);
    }
  });

  it.each(['text', 'json', 'sarif'])(
    '--fix (%s): prints nothing secret and leaves every secret line as it was',
    async (format) => {
      const dir = workspace(SECRET_MANIFESTS);
      const run = await cli(['scan', '--fix', '--format', format], dir);
      expect(leaksIn(run.stdout), 'stdout').toEqual([]);
      expect(leaksIn(run.stderr), 'stderr').toEqual([]);
      expect(run.stderr).toMatch(/Fixed \d+ finding/);
      const before = plantedLines(SECRET_MANIFESTS);
      const changed: string[] = [];
      for (const path of Object.keys(SECRET_MANIFESTS)) {
        const text = readFileSync(join(dir, path), 'utf8');
        if (text !== SECRET_MANIFESTS[path]) changed.push(path);
        expect(plantedLines({ [path]: text }).get(path), path).toEqual(before.get(path));
      }
      expect(changed.length).toBeGreaterThan(0);
    },
  );

  it('with the strict preset and every rule at its loudest', async () => {
    const dir = workspace({
      ...SECRET_MANIFESTS,
      '.github/kube-token-guard.yml': [
        'extends: strict',
        'fail-on: info',
        'rules:',
        '  static-cloud-credentials:',
        '    extra-env-names: [UPSTREAM_KEY]',
        '',
      ].join('\n'),
    });
    for (const format of ['text', 'json', 'sarif']) {
      const run = await cli(['scan', '--format', format, '--show-suppressed'], dir);
      expect(run.code).toBe(1);
      expect(leaksIn(run.stdout + run.stderr), format).toEqual([]);
    }
  });

  it('the bundled CLI, as a process: every format, then --fix', () => {
    const dir = workspace(SECRET_MANIFESTS);
    const bin = join(ROOT, 'dist/cli/index.js');
    for (const args of [['--format', 'text'], ['--format', 'json'], ['--format', 'sarif'], ['--fix']]) {
      const run = spawnSync(process.execPath, [bin, 'scan', ...args], { cwd: dir, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(1);
      expect(leaksIn(run.stdout), `${args.join(' ')}: stdout`).toEqual([]);
      expect(leaksIn(run.stderr), `${args.join(' ')}: stderr`).toEqual([]);
    }
  });

  it('names the file and line of a Secret that does not parse, not its data', async () => {
    const broken = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: broken}',
      'stringData:',
      `  password: "${PLANTED.opaquePassword}\\q"`,
      `  aws_secret_access_key: ${PLANTED.awsSecretKey}`,
      `  aws_secret_access_key: ${PLANTED.awsSecretKey}`,
      '',
    ].join('\n');
    const dir = workspace({ 'broken.yaml': broken });
    for (const format of ['text', 'json', 'sarif']) {
      const run = await cli(['scan', '--format', format], dir);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).toContain('broken.yaml');
      expect(leaksIn(run.stdout + run.stderr), format).toEqual([]);
    }
  });
});

/** The loader's own messages: the parser's errors and warnings can quote the source they are about. */
describe('the loader quotes no secret', () => {
  // A plain value starting with `*` is read as a YAML alias; the error quotes the alias name, which is the value.
  it('does not quote a value that YAML reads as an unresolved alias', async () => {
    const dir = workspace({
      'alias.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: a}\nstringData:\n  password: *${PLANTED.opaquePassword.replace(/[#!]/g, '')}\n`,
    });
    const run = await cli(['scan', '--format', 'json'], dir);
    expect(leaksIn(run.stdout + run.stderr)).toEqual([]);
  });

  // A collection used as a map key makes the yaml package emit a process warning that quotes the key's source; the
  // loader parses with the default log level, so Node prints it on the CLI's (and the Action's) standard error.
  it('prints no parser warning quoting a Secret', () => {
    const dir = workspace({
      'key.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: k}\nstringData: { [${PLANTED.awsSecretKey}]: x }\n`,
    });
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli/index.js'), 'scan', '.'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(leaksIn(run.stdout + run.stderr)).toEqual([]);
  });
});

describe('fixes next to secret material', () => {
  const files = Object.entries(SECRET_MANIFESTS).map(([path, text]) => ({ path, text }));
  const result = scan(files);

  it('offer no fix whose lines would quote a Secret or a credential', () => {
    const fixes = result.findings.filter((finding) => finding.fix);
    expect(fixes.length).toBeGreaterThan(0);
    for (const finding of fixes) {
      const fix = finding.fix!;
      const context = `${finding.file}:${finding.line} ${finding.ruleId}`;
      expect(leaksIn(fix.replacement), context).toEqual([]);
      expect(leaksIn(fix.edits.map((edit) => edit.text).join('\n')), context).toEqual([]);
    }
    // The one-line List and the flow Pod share their line with secrets: their automount fixes are withheld.
    const automount = (file: string) =>
      result.findings.find((finding) => finding.file === file && finding.ruleId === 'automount-token');
    expect(automount('deploy/bundle.json')?.fix).toBeNull();
    expect(automount('deploy/flow-pod.yaml')?.fix).toBeNull();
    // Fixes near secrets, but not on their lines, are still offered.
    expect(automount('deploy/billing.yaml')?.fix).not.toBeNull();
    expect(result.findings.find((finding) => finding.ruleId === 'namespace-default-sa')?.fix).not.toBeNull();
  });

  it('render into review comments, the review body, summaries and SARIF without secrets', () => {
    const rules = new Map(registry.rules.map((rule) => [rule.meta.id, rule.meta]));
    const lines = new Map(files.map((file) => [file.path, { ...diffContents('', file.text), inline: true }]));
    const texts = new Map(files.map((file) => [file.path, file.text]));
    const plan = planReview(result.findings, [], { rules, lines, texts, maxComments: 100 });
    expect(plan.comments.some((comment) => comment.body.includes('suggestion'))).toBe(true);
    for (const comment of plan.comments) expect(leaksIn(comment.body), comment.path).toEqual([]);
    expect(leaksIn(findingList(result.findings))).toEqual([]);
    const summary = summaryMarkdown({
      introduced: result.findings,
      existing: [],
      failOn: 'high',
      blocking: [],
      changedManifests: files.length,
      notes: [],
    });
    expect(leaksIn(summary)).toEqual([]);
    const sarif = JSON.stringify(
      toSarif(
        result.findings,
        result.errors,
        registry.rules.map((rule) => rule.meta),
      ),
    );
    expect(leaksIn(sarif)).toEqual([]);
  });

  it('and into the patch of a fork pull request, which still applies and gives the fixed files', () => {
    const config = defaultConfig();
    const fixed = autofix(files, config);
    const secret = secretLinesOfFiles(files, config);
    const repo = workspace(SECRET_MANIFESTS);
    git(repo, ['init', '--quiet']);
    let patched = 0;
    for (const file of fixed.files) {
      const original = SECRET_MANIFESTS[file.path]!;
      if (file.text === original) continue;
      const patch = patchWithoutSecrets(file.path, original, file.text, secret.get(file.path) ?? new Set());
      expect(patch.text, file.path).not.toBeNull();
      expect(leaksIn(patch.text!), file.path).toEqual([]);
      writeFileSync(join(repo, 'fix.patch'), patch.text!);
      git(repo, ['apply', ...(patch.needsUnidiffZero ? ['--unidiff-zero'] : []), 'fix.patch']);
      expect(readFileSync(join(repo, file.path), 'utf8'), file.path).toBe(file.text);
      patched++;
    }
    expect(patched).toBeGreaterThanOrEqual(3);
  });

  it('patchWithoutSecrets: context stops at secret lines, end-of-file markers follow their line, and a changed secret line gives no patch', () => {
    const repo = workspace({});
    git(repo, ['init', '--quiet']);
    const before = [
      'a: 1',
      'b: 2',
      `secret: ${PLANTED.opaquePassword}`,
      'c: 3',
      `last: ${PLANTED.awsKeyId}`,
    ].join('\n');
    const after = before.replace('c: 3', 'c: 3\nd: 4');
    const patch = patchWithoutSecrets('f.yaml', before, after, new Set([3, 5]));
    expect(leaksIn(patch.text!)).toEqual([]);
    expect(patch.text).not.toContain('No newline');
    expect(patch.needsUnidiffZero).toBe(true);
    writeFileSync(join(repo, 'f.yaml'), before);
    writeFileSync(join(repo, 'f.patch'), patch.text!);
    git(repo, ['apply', '--unidiff-zero', 'f.patch']);
    expect(readFileSync(join(repo, 'f.yaml'), 'utf8')).toBe(after);

    const changedSecret = before.replace(PLANTED.opaquePassword, 'rotated');
    expect(patchWithoutSecrets('f.yaml', before, changedSecret, new Set([3, 5])).text).toBeNull();
    // Without secrets nearby the patch is the usual one, with its three lines of context.
    const plain = patchWithoutSecrets('f.yaml', before, after, new Set());
    expect(plain.text).toContain(' b: 2');
    expect(plain.needsUnidiffZero).toBe(false);
  });
});

describe('secret lines', () => {
  it("cover a Secret document's every line, a value commented out below its data included", () => {
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: db}',
      'data:',
      '  password: bmV3LXBhc3N3b3Jk',
      '# password: b2xkLXBhc3N3b3Jk',
      '---',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: {name: web}',
      '',
    ].join('\n');
    const lines = secretLinesOfFiles([{ path: 'db.yaml', text }], defaultConfig()).get('db.yaml');
    expect([...(lines ?? [])].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
