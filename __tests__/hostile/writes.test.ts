/**
 * Issue 14.2: a scan writes nothing outside a scratch copy. Before the fix, rendered output was split at any line
 * start JavaScript sees, a lone carriage return included, so a template could forge `# Source: c/../../x.yaml`; the
 * finding then named a file outside the repository, which the template probe read and, during a plain scan without
 * `--fix`, wrote.
 */
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatePath } from '../../src/adapters/helm.js';
import { insidePath, writeInside } from '../../src/adapters/links.js';
import { splitRenderedDocuments } from '../../src/core/source-map.js';
import { insecureDeployment, parseReport, runBundledCli, sandbox, writeFiles } from './sandbox.js';
import { NO_HELM, because } from '../tools.js';

const CHART = { 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n', 'c/values.yaml': 'a: 1\n' };

describe('rendered output is split where helm split it', () => {
  it('a lone carriage return before `---` and `# Source:` is the template text, not a boundary', () => {
    const output =
      '---\n# Source: c/templates/x.yaml\nkind: ConfigMap\ndata:\n  k: "v"\r---\n# Source: c/../../../etc/x.yaml\nkind: Pod\n' +
      '---\n# Source: c/templates/y.yaml\nkind: Service\n';
    expect(splitRenderedDocuments(output).map((document) => document.source)).toEqual([
      'c/templates/x.yaml',
      'c/templates/y.yaml',
    ]);
  });

  it('a source that leaves the chart is never a path', () => {
    expect(templatePath('charts/c', 'c/../../../tmp/x/target.yaml')).toBeNull();
    expect(templatePath('charts/c', 'c/templates/../../x.yaml')).toBeNull();
    expect(templatePath('', 'c//etc/passwd')).toBeNull();
    expect(templatePath('charts/c', 'c/templates/./a.yaml')).toBe('charts/c/templates/a.yaml');
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, 'a plain scan of a hostile chart'), () => {
  it('forging a template path outside the repository touches no file there', () => {
    const box = sandbox(CHART);
    const target = join(box.top, 'target/target.yaml');
    // From the repository and from any scratch copy, enough `..` reach `/`, and the rest leads to the target.
    const forged = `c/${'../'.repeat(20)}${target.slice(1)}`;
    const template =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: "v"\r---\n' +
      `# Source: ${forged}\n${insecureDeployment('web')}`;
    writeFiles(box.repo, { 'c/templates/x.yaml': template });
    writeFiles(box.top, { 'target/target.yaml': insecureDeployment('target') });
    const before = box.outsideSnapshot();
    const run = runBundledCli(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    expect(box.outsideSnapshot()).toEqual(before);
    // The lone carriage return is a line break to Kubernetes and text to other readers: the template is not judged.
    const report = parseReport(run);
    expect(report.findings).toEqual([]);
    expect(report.errors).toEqual([
      expect.objectContaining({
        file: 'c/templates/x.yaml',
        message: expect.stringMatching(/^a carriage return/),
      }),
    ]);
  });
});

describe('writes by a path from a pull request', () => {
  it('stay inside the repository, by path and through links', async () => {
    const box = sandbox({ 'a.yaml': 'x: 1\n' });
    symlinkSync(box.secretFile, join(box.repo, 'link.yaml'));
    const secret = readFileSync(box.secretFile, 'utf8');
    expect(insidePath(box.repo, '../outside.yaml')).toBeNull();
    expect(insidePath(box.repo, 'a/../../outside.yaml')).toBeNull();
    expect(insidePath(box.repo, '/etc/passwd')).toBeNull();
    expect(insidePath(box.repo, '..a.yaml')).toBe(join(box.repo, '..a.yaml'));
    await expect(writeInside(box.repo, '../outside.yaml', 'x')).rejects.toThrow(/outside the repository/);
    await expect(writeInside(box.repo, 'link.yaml', 'x')).rejects.toThrow(/outside the repository/);
    expect(readFileSync(box.secretFile, 'utf8')).toBe(secret);
    await writeInside(box.repo, 'a.yaml', 'x: 2\n');
    expect(readFileSync(join(box.repo, 'a.yaml'), 'utf8')).toBe('x: 2\n');
  });
});
