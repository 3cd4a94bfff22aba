/**
 * Issue 14, "secrets never leave", through the CLI: secret material the tool reads outside plain manifests (a chart's
 * values next to the value a fix changes, a kustomize secretGenerator literal that the build's error quotes, a token
 * that a failing template prints) never comes out, in any format, on standard output, standard error, a report file
 * or through --fix. The Action's side is in secrets.e2e.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnSecretSources } from '../../src/adapters/secret-sources.js';
import { runCli } from '../../src/cli/main.js';
import { REDACTED, SecretFilter } from '../../src/core/redact.js';
import { PLANTED, SECRET_SOURCES, leaksIn } from '../secret-material.js';
import { HELM, KUSTOMIZE, sandbox } from './sandbox.js';
import { NO_RENDERERS, because } from '../tools.js';

const TOOLS = { KUBE_TOKEN_GUARD_HELM: HELM ?? '', KUBE_TOKEN_GUARD_KUSTOMIZE: KUSTOMIZE ?? '' };

const workspace = (files: Record<string, string>) => sandbox(files).repo;

/** Runs the CLI in `dir` with helm and kustomize (from .tools/bin, else PATH); everything it printed, and the exit code. */
async function cli(args: string[], dir: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: dir,
    env: TOOLS,
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

interface JsonReport {
  findings: { ruleId: string; file: string; fix: { file?: string; replacement: string } | null }[];
  errors: { file: string; message: string }[];
}

describe.skipIf(NO_RENDERERS)(
  because(NO_RENDERERS, 'secrets in chart values and kustomize sources never leave the CLI'),
  () => {
    it.each(['text', 'json', 'sarif'])('%s, on standard output and in an --output file', async (format) => {
      const dir = workspace(SECRET_SOURCES);
      const printed = await cli(['scan', '--format', format], dir);
      expect(leaksIn(printed.stdout), 'stdout').toEqual([]);
      expect(leaksIn(printed.stderr), 'stderr').toEqual([]);
      const written = await cli(['scan', '--format', format, '--output', 'report.out'], dir);
      expect(leaksIn(readFileSync(join(dir, 'report.out'), 'utf8')), '--output').toEqual([]);
      expect(leaksIn(written.stdout + written.stderr), 'stdout and stderr with --output').toEqual([]);
    });

    it('still reports what it found: the values fix away from the secret, the build error without it', async () => {
      const dir = workspace(SECRET_SOURCES);
      const run = await cli(['scan', '--format', 'json'], dir);
      const report = JSON.parse(run.stdout) as JsonReport;
      const fixOf = (chart: string) =>
        report.findings.find(
          (finding) =>
            finding.ruleId === 'workload-identity-automount' && finding.file.startsWith(`charts/${chart}/`),
        );
      // The fix of `web` would be shown as its whole line, which holds the password: withheld, not altered.
      expect(fixOf('web')).toBeDefined();
      expect(fixOf('web')!.fix).toBeNull();
      // The fix of `api` is on its own line, one above the token: offered as usual.
      expect(fixOf('api')!.fix).toMatchObject({
        file: 'charts/api/values.yaml',
        replacement: '  automount: false',
      });
      const error = report.errors.find((entry) => entry.file === 'deploy/db/kustomization.yaml');
      // A literal without `=` may be a value whose key was forgotten: it is withheld too.
      expect(error?.message).toMatch(
        /kustomize build failed: .*literal sources \[url=\[redacted\] \[redacted\]\]: invalid literal source \[redacted\], expected key=value/,
      );
    });

    it('--fix changes only what it can without quoting a secret, and prints none', async () => {
      const dir = workspace(SECRET_SOURCES);
      const run = await cli(['scan', '--fix', '--format', 'json'], dir);
      expect(leaksIn(run.stdout + run.stderr)).toEqual([]);
      // The ServiceAccount and the Deployment running as it: one value decides both.
      expect(run.stderr).toMatch(/Fixed 2 findings in 1 file: charts\/api\/values\.yaml \(2\)/);
      expect(readFileSync(join(dir, 'charts/api/values.yaml'), 'utf8')).toBe(
        `image: nginx:1.27\nserviceAccount:\n  automount: false\n  apiToken: "${PLANTED.chartApiToken}"\n`,
      );
      expect(readFileSync(join(dir, 'charts/web/values.yaml'), 'utf8')).toBe(
        SECRET_SOURCES['charts/web/values.yaml'],
      );
    });

    it('a credential of a well-known shape that a failing render prints', async () => {
      const token = 'ghp_ktgPlantedGitHubToken012345678901234';
      const dir = workspace({
        'charts/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
        'charts/broken/templates/fail.yaml': `{{ fail "deploy key ${token} expired" }}\n`,
      });
      for (const format of ['text', 'json', 'sarif']) {
        const run = await cli(['scan', '--format', format], dir);
        expect(run.code).toBe(2);
        expect(run.stdout + run.stderr, format).toContain('helm template failed');
        expect(leaksIn(run.stdout + run.stderr), format).toEqual([]);
      }
    });
  },
);

describe('what a kustomize secretGenerator names', () => {
  it('is learned whole, literals, files and env files alike; nothing outside the repository is read', async () => {
    const outside = join(workspace({ 'outside.txt': 'ktgPlantedOutsideFile' }), 'outside.txt');
    const dir = workspace({
      'k/cert.pem': 'ktgPlantedFileContentA\n',
      'k/extra.txt': 'ktgPlantedFileContentB',
      'k/app.env': '# comment\nDB_HOST=db.internal\nDB_PASS=ktgPlantedEnvValueC\nktgPlantedEnvLineD\n',
    });
    writeFileSync(
      join(dir, 'k/kustomization.yaml'),
      [
        'secretGenerator:',
        '  - name: app',
        '    literals: [api=ktgPlantedLiteralValue1, ktgPlantedLiteralWithoutKey]',
        `    files: [cert.pem, key=extra.txt, ${relative(join(dir, 'k'), outside)}]`,
        '    envs: [app.env]',
        '',
      ].join('\n'),
    );
    const secrets = new SecretFilter();
    await learnSecretSources(secrets, dir, { charts: [], kustomizations: ['k'] }, { charts: [] });
    for (const value of [
      'ktgPlantedLiteralValue1',
      'ktgPlantedLiteralWithoutKey',
      'ktgPlantedFileContentA',
      'ktgPlantedFileContentB',
      'ktgPlantedEnvValueC',
      'ktgPlantedEnvLineD',
      // Every value of a generated Secret is secret, whatever its key.
      'db.internal',
    ])
      expect(secrets.redact(`x ${value} y`), value).toBe(`x ${REDACTED} y`);
    expect(secrets.redact('ktgPlantedOutsideFile')).toBe('ktgPlantedOutsideFile');
  });
});

describe("names the outputs place findings by, and the tool's own words, are never taken for secrets", () => {
  // A Secret holding a word that is also the name of a folder, a Deployment and a namespace: once, every path, name
  // and namespace that held it came out as `[redacted]`, and SARIF results, review comments and --fix pointed nowhere.
  const files = {
    'payments-api/deploy.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: settings, namespace: checkout}',
      'stringData:',
      '  EVENT_SOURCE: payments-api',
      '  NAMESPACE: checkout',
      '  API_KEY: s3cr3t-value-9f2c1d',
      // Words of the tool's own texts, which redacting blanked in every message and in SARIF's rule help.
      '  PLATFORM: Kubernetes',
      '  OIDC_SCOPE: identity',
      '  MODE: automountServiceAccountToken',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: payments-api, namespace: checkout}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers: [{name: app, image: example/app:1}]',
      '',
    ].join('\n'),
  };

  it.each(['text', 'json', 'sarif'])('%s', async (format) => {
    const dir = workspace(files);
    const { stdout } = await cli(['scan', '--format', format], dir);
    expect(stdout).toContain('payments-api/deploy.yaml');
    expect(stdout).toContain('checkout/payments-api');
    expect(stdout).not.toContain('s3cr3t-value-9f2c1d');
    // The one secret is redacted where the report quotes it (nowhere here): the tool's own wording is whole.
    expect(stdout).not.toContain('[redacted]');
    expect(stdout).toContain('`automountServiceAccountToken: false`');
  });

  it('a filter told the names keeps out the values that are not names, and credentials whatever they equal', () => {
    const secrets = new SecretFilter();
    secrets.addScan({
      secretValues: ['payments-api', 's3cr3t-value-9f2c1d', 'Kubernetes', 'checkout-db-pass'],
      plainSecretValues: new Set(['payments-api', 'Kubernetes']),
    });
    expect(secrets.redact('payments-api s3cr3t-value-9f2c1d')).toBe(`${REDACTED} ${REDACTED}`);
    secrets.allowIdentifiers(['payments-api', 'checkout-db-pass', 'short']);
    expect(secrets.redact('payments-api/deploy.yaml s3cr3t-value-9f2c1d on Kubernetes')).toBe(
      `payments-api/deploy.yaml ${REDACTED} on Kubernetes`,
    );
    // Its encoded forms are not names, and stay out.
    expect(secrets.redact(Buffer.from('payments-api').toString('base64'))).toBe(REDACTED);
    // A credential (no plain value) stays out even as a name; so does a plain value learned as a credential too.
    expect(secrets.redact('Deployment checkout-db-pass')).toBe(`Deployment ${REDACTED}`);
    secrets.add('Kubernetes');
    expect(secrets.redact('on Kubernetes')).toBe(`on ${REDACTED}`);
  });
});
