import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured, yaml } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');

const cli = runCliCaptured;

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-examples-'));
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  return dir;
}

const INSECURE_POD = yaml`
  apiVersion: v1
  kind: Pod
  metadata:
    name: tool
    namespace: ops
  spec:
    containers:
      - name: tool
        image: busybox
`;

describe('exit codes', () => {
  it('exits 1 when findings reach fail-on, 0 when they do not', async () => {
    const dir = workspace({ 'pod.yaml': INSECURE_POD });
    expect((await cli(['scan'], dir)).code).toBe(1);
    expect((await cli(['scan', '--fail-on', 'critical'], dir)).code).toBe(0);
    expect((await cli(['scan', '--fail-on', 'none'], dir)).code).toBe(0);
  });

  it('exits 0 on the hardened example and 1 on the insecure one', async () => {
    expect((await cli(['scan', 'examples/hardened'], ROOT)).code).toBe(0);
    expect((await cli(['scan', 'examples/insecure'], ROOT)).code).toBe(1);
  });

  it('exits 2 on usage errors with a message', async () => {
    const dir = workspace({});
    const unknownFlag = await cli(['scan', '--frobnicate'], dir);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/frobnicate/);
    expect((await cli(['lint'], dir)).code).toBe(2);
    expect((await cli(['scan', '--format', 'xml'], dir)).code).toBe(2);
    expect((await cli(['scan', '--fail-on', 'severe'], dir)).stderr).toMatch(/--fail-on must be one of/);
    expect((await cli(['scan', 'missing-folder'], dir)).stderr).toMatch(
      /missing-folder: no such file or directory/,
    );
  });

  it('exits 2 on a bad config, naming file, line and property', async () => {
    const dir = workspace({
      '.github/kube-token-guard.yml': 'rules:\n  automount-token: sometimes\n',
      'pod.yaml': INSECURE_POD,
    });
    const result = await cli(['scan'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.github/kube-token-guard.yml:2: rules.automount-token: must be');
    expect(result.stdout).toBe('');
  });

  it('exits 2 when a named config file does not exist', async () => {
    const result = await cli(['scan', '--config', 'nope.yml'], workspace({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.yml: cannot read the config file/);
  });

  it('exits 2 when a file cannot be parsed and nothing else blocks, reporting file and line', async () => {
    const dir = workspace({ 'broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n' });
    const result = await cli(['scan', '--format', 'json'], dir);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toEqual([
      { file: 'broken.yaml', line: expect.any(Number), message: expect.stringMatching(/YAML/) },
    ]);
  });
});

describe('config', () => {
  it('uses .github/kube-token-guard.yml when present', async () => {
    const dir = workspace({
      '.github/kube-token-guard.yml': 'fail-on: critical\nrules:\n  default-service-account: off\n',
      'pod.yaml': INSECURE_POD,
    });
    const result = await cli(['scan', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const ids = JSON.parse(result.stdout).findings.map((finding: { ruleId: string }) => finding.ruleId);
    expect(ids).toContain('automount-token');
    expect(ids).not.toContain('default-service-account');
    expect(result.stderr).toContain('with .github/kube-token-guard.yml');
  });

  it('applies include and exclude globs to folders', async () => {
    const dir = workspace({
      '.github/kube-token-guard.yml': 'exclude: ["legacy/**"]\n',
      'legacy/pod.yaml': INSECURE_POD,
      'deploy/pod.yml': INSECURE_POD,
    });
    const report = JSON.parse((await cli(['scan', '--format', 'json'], dir)).stdout);
    expect(new Set(report.findings.map((finding: { file: string }) => finding.file))).toEqual(
      new Set(['deploy/pod.yml']),
    );
  });
});

describe('json format', () => {
  it('prints the contract of the design', async () => {
    const dir = workspace({ 'pod.yaml': INSECURE_POD });
    const report = JSON.parse((await cli(['scan', '--format', 'json'], dir)).stdout);
    expect(Object.keys(report)).toEqual(['findings', 'errors']);
    const finding = report.findings.find((entry: { ruleId: string }) => entry.ruleId === 'automount-token');
    expect(finding).toEqual({
      ruleId: 'automount-token',
      severity: 'high',
      message: expect.stringContaining('Pod ops/tool mounts the API token'),
      file: 'pod.yaml',
      line: 6,
      endLine: 6,
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ops', name: 'tool' },
      suppressed: false,
      fix: {
        edits: [
          {
            start: INSECURE_POD.indexOf('  containers'),
            end: INSECURE_POD.indexOf('  containers'),
            text: '  automountServiceAccountToken: false\n',
          },
        ],
        startLine: 7,
        endLine: 7,
        replacement: '  automountServiceAccountToken: false\n  containers:',
      },
    });
  });
});

describe('text format', () => {
  it('groups by file and ends with a summary line; no colour unless a TTY', async () => {
    const dir = workspace({ 'a.yaml': INSECURE_POD, 'b.yaml': INSECURE_POD.replace('tool', 'tool2') });
    const plain = await cli(['scan'], dir);
    expect(plain.stdout).toMatch(/^a\.yaml\n/);
    expect(plain.stdout).toContain('\nb.yaml\n');
    expect(plain.stdout).toMatch(
      /✖ 4 findings \(2 high, 2 medium\) in 2 files · 2 at or above high · 2 fixable with --fix\n$/,
    );
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stderr).toMatch(/scanned 2 files \(2 documents, 2 resources, 2 workloads\) in \d+ ms/);
    // Where the time went: no charts here, so no probe stage.
    expect(plain.stderr).toMatch(
      /^Timing: read \d+ ms, render \d+ ms, scan \d+ ms \(documents \d+ ms, rules \d+ ms, secrets \d+ ms\)\.$/m,
    );
    const tty = await cli(['scan'], dir, true);
    expect(tty.stdout).toContain('\u001b[');
    expect((await cli(['scan', '--no-color'], dir, true)).stdout).not.toContain('\u001b[');
  });
});

describe('--fix', () => {
  it('fixes the insecure example in place, reports what it changed, and leaves only what a person decides', async () => {
    const dir = copyOfExamples();
    const before = JSON.parse(
      (await cli(['scan', 'examples/insecure', '--format', 'json', '--fail-on', 'none'], dir)).stdout,
    );
    const fixable = before.findings.filter((finding: { fix: unknown }) => finding.fix).length;
    expect(fixable).toBeGreaterThan(3);
    const fixed = await cli(
      ['scan', 'examples/insecure', '--fix', '--format', 'json', '--fail-on', 'none'],
      dir,
    );
    expect(fixed.stderr).toMatch(/Fixed \d+ findings in \d+ files/);
    const after = JSON.parse(fixed.stdout);
    // What keeps a fix is left to a person: the consent of API clients, whose token stays.
    const leftToAPerson = (finding: { fix: unknown; apiClient?: string }) => finding.fix && finding.apiClient;
    expect(
      after.findings.filter(
        (finding: { fix: unknown; apiClient?: string }) => finding.fix && !finding.apiClient,
      ),
    ).toEqual([]);
    const kept = after.findings.filter(leftToAPerson).length;
    expect(kept).toBe(before.findings.filter(leftToAPerson).length);
    expect(after.findings.length).toBeLessThanOrEqual(before.findings.length - (fixable - kept));
    const rescan = JSON.parse(
      (await cli(['scan', 'examples/insecure', '--format', 'json', '--fail-on', 'none'], dir)).stdout,
    );
    expect(rescan.findings).toEqual(after.findings);
    expect(rescan.errors).toEqual([]);
    // The text report counts what --fix fixes, and tags the rest as suggestions for a person.
    const text = (await cli(['scan', 'examples/insecure', '--fail-on', 'none'], copyOfExamples())).stdout;
    const applied = Number(/Fixed (\d+) findings/.exec(fixed.stderr)![1]);
    expect(text).toContain(`· ${applied} fixable with --fix`);
    expect(text.match(/ \[fixable\]$/gm)).toHaveLength(applied);
    expect(text.match(/ \[suggestion\]$/gm)).toHaveLength(kept);
    expect(readFileSync(join(dir, 'examples/insecure/jobs-and-db.yaml'), 'utf8')).toContain(
      'automountServiceAccountToken: false',
    );
    // The api calls the API (its ServiceAccount is bound): its token is left alone.
    expect(readFileSync(join(dir, 'examples/insecure/api.yaml'), 'utf8')).not.toContain(
      'automountServiceAccountToken',
    );
  });

  it('leaves the hardened example untouched', async () => {
    const dir = copyOfExamples();
    const original = readFileSync(join(dir, 'examples/hardened/api.yaml'), 'utf8');
    const result = await cli(['scan', 'examples/hardened', '--fix'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Nothing to fix automatically.');
    expect(readFileSync(join(dir, 'examples/hardened/api.yaml'), 'utf8')).toBe(original);
  });
});

describe('the bundled CLI (dist/cli/index.js)', () => {
  const bin = join(ROOT, 'dist/cli/index.js');

  it('runs the README quick start on examples/', () => {
    const result = spawnSync(process.execPath, [bin, 'scan', 'examples'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('examples/insecure/api.yaml');
    expect(result.stdout).not.toContain('examples/hardened/');
  });

  it('prints its version and help', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(version);
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain(
      'Usage: kube-token-guard scan',
    );
  });
});
