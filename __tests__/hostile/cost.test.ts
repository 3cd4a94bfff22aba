/**
 * Issue 14.6: what a pull request can make a scan cost is bounded. Before the fix, rendered documents were collected
 * by copying the list for each one (150,000 documents took minutes after helm returned), a render's output and memory
 * had no bound but the timeout, and probes of chart values each had their own minute, however many there were.
 * (Speed itself is measured by `npm run bench`; these tests check bounds and behaviour.)
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../../src/adapters/helm.js';
import { probeSummary, probeValues } from '../../src/adapters/probe.js';
import { runTool } from '../../src/adapters/process.js';
import { defaultConfig } from '../../src/config/config.js';
import { scanFiles } from '../../src/core/scan.js';
import type { Finding } from '../../src/core/types.js';
import { codeFence, codeSpan } from '../../src/pr/review.js';
import { summaryMarkdown } from '../../src/pr/summary.js';
import { formatText } from '../../src/report/text.js';
import { HELM, chartRender, insecureDeployment, parseReport, runBundledCli, sandbox } from './sandbox.js';
import { NO_HELM, because } from '../tools.js';

const CHART = { 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n' };
const RENDER = chartRender('c');
const manyConfigMaps = (count: number) =>
  `{{- range $i := until ${count} }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{{ $i }}\n{{ end }}\n`;

/** A stand-in program: a shell script doing `body`. */
function standIn(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'a chart rendering very many documents'), () => {
  it('has all 150,000 of its documents scanned, in one pass over the output', () => {
    const box = sandbox({ ...CHART, 'c/templates/cm.yaml': manyConfigMaps(150_000) });
    const run = runBundledCli(box.repo, ['scan', '--format', 'json']);
    expect(parseReport(run).errors).toEqual([]);
    expect(run.stderr).toMatch(/scanned 1 file \(150000 documents, 150000 resources/);
    expect(run.status).toBe(0);
  }, 240_000);

  it('is stopped once its output passes the bound, with an error of the chart', async () => {
    const box = sandbox({ ...CHART, 'c/templates/cm.yaml': manyConfigMaps(20_000) });
    const result = await renderChart(RENDER, {
      root: box.repo,
      binary: HELM!,
      limits: { maxOutputBytes: 1024 * 1024 },
    });
    expect(result.files).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: 'c/Chart.yaml',
        line: null,
        message: 'helm template failed: stopped: it wrote more than 1 MiB of output',
      },
    ]);
  });
});

describe('a rendering tool', () => {
  it('is stopped when it uses more memory than allowed', async () => {
    const box = sandbox({});
    // Node holds what it allocates: half a gigabyte of filled buffers, kept until the process is stopped.
    const hog = standIn(
      box.top,
      'hog',
      `exec "${process.execPath}" -e 'const k=[];for(let i=0;i<64;i++){k.push(Buffer.alloc(8<<20,1))}setTimeout(()=>{},60000)'`,
    );
    const result = await runTool(hog, [], { PATH: process.env.PATH ?? '' }, box.top, {
      timeoutMs: 30_000,
      maxOutputBytes: 1024,
      maxMemoryBytes: 128 * 1024 * 1024,
    });
    expect(result.code).toBe('MEMORY');
  });

  it('runs in the scratch folder it is given, so a relative path it writes to lands there', async () => {
    const box = sandbox({});
    const tool = standIn(box.top, 'writer', 'pwd; echo x > relative-file');
    const result = await runTool(tool, [], { PATH: process.env.PATH ?? '' }, box.repo);
    expect(result.stdout.trim()).toBe(box.repo);
  });
});

describe('probes of chart values', () => {
  it('share one time budget, and say how many were left undone', async () => {
    const box = sandbox({
      ...CHART,
      'c/values.yaml': Array.from({ length: 6 }, (_, index) => `automount${index}: true\n`).join(''),
    });
    // A helm that takes a second per render and renders one insecure Deployment whatever it is given.
    const slowHelm = standIn(
      box.top,
      'slow-helm',
      `sleep 1; printf -- '---\\n# Source: c/templates/deploy.yaml\\n%s' '${insecureDeployment('web')}'`,
    );
    const files = [{ path: 'c/templates/deploy.yaml', text: insecureDeployment('web'), rendered: true }];
    const report = await probeValues({
      root: box.repo,
      config: defaultConfig(),
      helm: slowHelm,
      charts: [{ render: RENDER, files }],
      files,
      scan: scanFiles(files, defaultConfig()),
      budgetMs: 2_500,
    });
    expect(report.renders).toBeGreaterThan(0);
    expect(report.renders).toBeLessThan(6);
    expect(report.skipped).toBeGreaterThan(0);
    expect(probeSummary(report)).toMatch(
      /probes? (was|were) left undone: all probes together may take 120 s\.$/,
    );
  });
});

describe('reports of very large results', () => {
  // Spreading this many values into one call (`Math.max(...x)`, `push(...x)`) throws a RangeError in V8.
  const COUNT = 300_000;

  it('format 300,000 findings of one file as text and Markdown', () => {
    const findings: Finding[] = Array.from({ length: COUNT }, (_, index) => ({
      ruleId: 'automount-token',
      severity: 'high',
      message: 'm',
      file: 'pods.yaml',
      line: index + 1,
      endLine: index + 1,
      resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: `pod-${index}` },
      suppressed: false,
      fix: null,
      path: [],
      identity: `pod-${index}`,
    }));
    const text = formatText(findings, [], [], { color: false, failOn: 'high' });
    expect(text).toContain(`${COUNT} findings (${COUNT} high) in 1 file`);
    const markdown = summaryMarkdown({
      introduced: findings,
      existing: [],
      failOn: 'high',
      blocking: findings,
      changedManifests: 1,
      notes: [],
    });
    expect(markdown).toContain(`| ${COUNT} |`);
  });

  it('fence and quote a text of 300,000 backtick runs', () => {
    const text = '`a'.repeat(COUNT) + '``';
    expect(codeFence(text)).toBe('```');
    expect(codeSpan(text).startsWith('```')).toBe(true);
  });
});

describe('alias bombs in the files the tool reads for itself', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...'bcdefgh'.split('').map((name, index) => {
      const previous = 'abcdefg'[index];
      return `${name}: &${name} [*${previous}, *${previous}, *${previous}, *${previous}, *${previous}, *${previous}]`;
    }),
  ].join('\n');

  it('a kustomization is refused as an error of its overlay; the scan goes on', () => {
    const box = sandbox({
      'prod/kustomization.yaml': `${bomb}\nresources: [deploy.yaml]\n`,
      'prod/deploy.yaml': insecureDeployment('web'),
      'plain/deploy.yaml': insecureDeployment('plain'),
    });
    const run = runBundledCli(box.repo, ['scan', '--format', 'json', '--fail-on', 'none']);
    const report = parseReport(run);
    expect(report.errors).toEqual([
      {
        file: 'prod/kustomization.yaml',
        line: null,
        message: 'uses more aliases than any kustomization needs; the overlay is not built',
      },
    ]);
    expect(report.findings.map((finding) => finding.file)).toContain('plain/deploy.yaml');
  });

  it('a config file is a configuration error, not a crash', () => {
    const box = sandbox({ '.github/kube-token-guard.yml': `${bomb}\n` });
    const run = runBundledCli(box.repo, ['scan']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('.github/kube-token-guard.yml: more aliases than a configuration needs');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
