/**
 * Hostile files in a pull request: each gives an error entry for that file (or a correct result) in bounded time
 * and memory, and the scan of every other file goes on. Each case runs the CLI, in process, on a folder holding the
 * hostile file next to an ordinary insecure workload, whose finding must still be reported.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.js';
import { yaml } from './helpers.js';

const WORKLOAD = yaml`
  apiVersion: v1
  kind: Pod
  metadata: {name: bystander, namespace: shop}
  spec:
    serviceAccountName: bystander
    containers: [{name: c, image: nginx}]
`;

interface Report {
  findings: { ruleId: string; file: string; line: number; resource: { name: string } }[];
  errors: { file: string; line: number | null; message: string }[];
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Scans `hostile.yaml` (text or bytes) beside `bystander.yaml`; returns the JSON report and the heap growth. */
async function scanBeside(content: string | Buffer, name = 'hostile.yaml') {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-hostile-'));
  folders.push(dir);
  mkdirSync(join(dir, 'deploy'));
  writeFileSync(join(dir, 'deploy', name), content);
  writeFileSync(join(dir, 'deploy', 'bystander.yaml'), WORKLOAD);
  let stdout = '';
  let stderr = '';
  const heapBefore = process.memoryUsage().heapUsed;
  const code = await runCli(['scan', '--format', 'json', '--fail-on', 'none'], {
    cwd: dir,
    env: {},
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text) },
  });
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const report = JSON.parse(stdout) as Report;
  // The bystander is always scanned and reported.
  expect(
    report.findings.some(
      (finding) => finding.file === 'deploy/bystander.yaml' && finding.ruleId === 'automount-token',
    ),
    stderr,
  ).toBe(true);
  return {
    code,
    report,
    stderr,
    heapGrowth,
    errorsOf: report.errors.filter((error) => error.file === `deploy/${name}`),
  };
}

const MB = 1024 * 1024;

describe('hostile YAML', () => {
  it('an alias bomb ("billion laughs") is refused with an error naming the file, without expanding it', async () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 12; level++)
      levels.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      );
    const bomb = `apiVersion: v1\nkind: Pod\nmetadata: {name: bomb}\nspec:\n${levels.map((line) => `  ${line}`).join('\n')}\n  containers: [{name: c, image: x}]\n`;
    const { code, errorsOf, heapGrowth } = await scanBeside(bomb);
    expect(code).toBe(2);
    expect(errorsOf).toHaveLength(1);
    expect(errorsOf[0]!.message).toMatch(/alias/i);
    expect(heapGrowth).toBeLessThan(200 * MB);
  });

  it('1000 levels of nesting (block and flow) are read, or refused, without a stack overflow', async () => {
    const block =
      Array.from({ length: 1000 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:`).join('\n') + ' end\n';
    const flow = `${'['.repeat(1000)}x${']'.repeat(1000)}\n`;
    // Both name `apiVersion` and `kind`: a file that cannot hold an object is not read at all (skip-files.test.ts).
    for (const text of [
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n${block.replace(/^/gm, '  ')}`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\nnested: ${flow}`,
    ]) {
      const { report } = await scanBeside(text);
      expect(report.errors.every((error) => error.file.startsWith('deploy/'))).toBe(true);
    }
  });

  it('a 50 MB file that may hold objects is reported, never read whole; the rest is scanned', async () => {
    const big = `apiVersion: v1\nkind: ConfigMap\n${`# ${'x'.repeat(80)}\n`.repeat(Math.ceil((50 * MB) / 83))}`;
    const { code, errorsOf } = await scanBeside(big);
    expect(code).toBe(2);
    expect(errorsOf).toEqual([
      { file: 'deploy/hostile.yaml', line: null, message: expect.stringMatching(/larger than 20 MiB/) },
    ]);
  });

  it('a large file under the limit (15 MB of manifests) is scanned completely', async () => {
    const doc = (index: number) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${index}}\ndata:\n  text: "${'y'.repeat(200)}"\n`;
    const parts: string[] = [];
    for (let index = 0; parts.join('---\n').length < 15 * MB; index += 1000)
      parts.push(Array.from({ length: 1000 }, (_, offset) => doc(index + offset)).join('---\n'));
    const { code, errorsOf } = await scanBeside(parts.join('---\n'));
    expect(code).toBe(0);
    expect(errorsOf).toEqual([]);
  }, 60_000);

  it('binary content and invalid UTF-8 named .yaml give an error or nothing, never a crash', async () => {
    const binary = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0xff, 0xfe]);
    expect((await scanBeside(binary)).errorsOf[0]!.message).toMatch(/binary content/);
    const invalid = Buffer.concat([
      Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: '),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
      Buffer.from('}\n'),
    ]);
    const { report } = await scanBeside(invalid);
    expect(report.errors.every((error) => error.file === 'deploy/hostile.yaml')).toBe(true);
  });

  it('duplicate keys and tabs used for indentation are errors with their line', async () => {
    const duplicate = `apiVersion: v1\nkind: Pod\nmetadata: {name: dup}\nspec:\n  automountServiceAccountToken: false\n  automountServiceAccountToken: true\n  containers: [{name: c, image: x}]\n`;
    const dup = await scanBeside(duplicate);
    expect(dup.errorsOf).toEqual([
      { file: 'deploy/hostile.yaml', line: 6, message: expect.stringMatching(/duplicate key/) },
    ]);
    // A duplicated automount key must not be read either way: no finding is made from a document that is an error.
    expect(dup.report.findings.filter((finding) => finding.file === 'deploy/hostile.yaml')).toEqual([]);
    const tabs = `apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabbed\n`;
    const tabbed = await scanBeside(tabs);
    expect(tabbed.errorsOf).toHaveLength(1);
    expect(tabbed.errorsOf[0]!.line).toBe(4);
  });

  it('a document that is a scalar or a list, and huge numbers, are read as what they are', async () => {
    const { code, errorsOf, report } = await scanBeside(
      `just a string\n---\n- a\n- list\n---\n12345678901234567890123456789012345678901234567890\n---\n` +
        `apiVersion: v1\nkind: Pod\nmetadata: {name: big-numbers}\nspec:\n  serviceAccountName: big\n  automountServiceAccountToken: false\n` +
        `  terminationGracePeriodSeconds: 1e400\n  containers: [{name: c, image: x, ports: [{containerPort: 99999999999999999999999}]}]\n`,
    );
    expect(code).toBe(0);
    expect(errorsOf).toEqual([]);
    expect(
      report.findings
        .filter((finding) => finding.file === 'deploy/hostile.yaml')
        .map((finding) => finding.ruleId),
    ).not.toContain('automount-token');
  });

  it('`<<` merge keys are honoured as Kubernetes (YAML 1.1) reads them', async () => {
    const merged = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: merged}
      spec:
        <<: &hardened {automountServiceAccountToken: false, serviceAccountName: merged}
        containers: [{name: c, image: x}]
    `;
    const { errorsOf, report } = await scanBeside(merged);
    expect(errorsOf).toEqual([]);
    const findings = report.findings.filter((finding) => finding.file === 'deploy/hostile.yaml');
    expect(findings.map((finding) => finding.ruleId)).not.toContain('automount-token');
  });
});
