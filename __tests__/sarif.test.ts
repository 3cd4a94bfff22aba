import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import AjvDraft04Module from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { registry } from '../src/rules/index.js';
import type { Finding, Severity } from '../src/core/types.js';
import { MAX_SARIF_RESULTS, artifactUri, sarifPieces, toSarif } from '../src/report/sarif.js';
import { scan, yaml } from './helpers.js';

const require = createRequire(import.meta.url);
// ajv-draft-04 is CommonJS: under NodeNext its default import is the module object, whose `default` is the class.
const AjvDraft04 = AjvDraft04Module.default;
// The OASIS SARIF 2.1.0 schema, as shipped by Microsoft's SARIF SDK.
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
const validate = new AjvDraft04({
  allErrors: true,
  strict: false,
  validateFormats: false,
  unicodeRegExp: false,
}).compile(schema);

const MANIFESTS = {
  'deploy/app.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
      annotations:
        kube-token-guard.io/ignore: "default-service-account: migrating in SHOP-12"
    spec:
      template:
        spec:
          containers:
            - name: app
              image: nginx
  `,
  'deploy/rbac with space.yaml': yaml`
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: ops
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
    subjects:
      - kind: ServiceAccount
        name: ops
        namespace: shop
  `,
  'broken.yaml': 'a: [\n',
};

describe('SARIF output', () => {
  const result = scan(MANIFESTS);
  const log = toSarif(
    result.findings,
    result.errors,
    registry.rules.map((rule) => rule.meta),
  );

  it('validates against the SARIF 2.1.0 schema', () => {
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the validator has teeth: a log without a driver or with a bad level is rejected', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
    const broken = structuredClone(log);
    broken.runs[0]!.results![0]!.level = 'fatal' as never;
    expect(validate(broken)).toBe(false);
  });

  it('carries every finding with rule index, level, location, fingerprint and suppression', () => {
    const run = log.runs[0]!;
    expect(run.results).toHaveLength(result.findings.length);
    const critical = run.results!.find((entry) => entry.ruleId === 'sa-privileged-rbac')!;
    expect(critical.level).toBe('error');
    expect(critical.properties?.['security-severity']).toBe('9.5');
    expect(run.tool.driver.rules![critical.ruleIndex!]!.id).toBe('sa-privileged-rbac');
    expect(critical.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'deploy/rbac%20with%20space.yaml',
    );
    expect(critical.partialFingerprints!['kubeTokenGuardIdentity/v1']).toMatch(/^[0-9a-f]{32}$/);
    const suppressed = run.results!.find((entry) => entry.ruleId === 'default-service-account')!;
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'migrating in SHOP-12' }]);
    const fixable = run.results!.find((entry) => entry.ruleId === 'automount-token')!;
    expect(fixable.fixes![0]!.artifactChanges[0]!.replacements[0]!.insertedContent!.text).toContain(
      'automountServiceAccountToken: false',
    );
  });

  it('describes each rule with help text and a documentation link', () => {
    for (const rule of log.runs[0]!.tool.driver.rules!) {
      expect(rule.help?.markdown).toContain('How to fix');
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(rule.shortDescription?.text.length).toBeGreaterThan(10);
    }
  });

  it('reports files that could not be read as failed notifications', () => {
    const invocation = log.runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    expect(
      invocation.toolExecutionNotifications![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri,
    ).toBe('broken.yaml');
  });
});

describe("SARIF fixes and GitHub's limits", () => {
  const rules = registry.rules.map((rule) => rule.meta);
  const fixable = scan(MANIFESTS).findings.find((finding) => finding.ruleId === 'automount-token')!;

  it("names the file a fix edits, which may be another than its finding's (a chart's values file)", () => {
    const rendered: Finding = {
      ...fixable,
      file: 'charts/web/templates/deployment.yaml',
      fix: { ...fixable.fix!, file: 'charts/web/values.yaml' },
    };
    const [result] = toSarif([rendered], [], rules).runs[0]!.results!;
    expect(result!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(
      'charts/web/templates/deployment.yaml',
    );
    expect(result!.fixes![0]!.artifactChanges[0]!.artifactLocation.uri).toBe('charts/web/values.yaml');
    const [own] = toSarif([fixable], [], rules).runs[0]!.results!;
    expect(own!.fixes![0]!.artifactChanges[0]!.artifactLocation.uri).toBe(fixable.file);
  });

  it('keeps the 25,000 most severe results GitHub takes, and says how many were left out', () => {
    const many = (count: number, severity: Severity, from: number): Finding[] =>
      Array.from({ length: count }, (_, index) => ({
        ...fixable,
        severity,
        line: from + index,
        identity: `${fixable.identity}#${from + index}`,
      }));
    // The most severe come last: they are kept all the same.
    const findings = [...many(MAX_SARIF_RESULTS, 'low', 1), ...many(7, 'critical', 100_000)];
    const log = toSarif(findings, [], rules);
    const results = log.runs[0]!.results!;
    expect(results).toHaveLength(MAX_SARIF_RESULTS);
    expect(results.filter((entry) => entry.properties?.severity === 'critical')).toHaveLength(7);
    const notifications = log.runs[0]!.invocations![0]!.toolExecutionNotifications!;
    expect(notifications).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: { text: expect.stringMatching(/^7 more findings are not in this log: .*25000 results/) },
      }),
    ]);
    // The CLI's log, written a result at a time, is the same.
    expect([...sarifPieces(findings, [], rules)].join('')).toBe(JSON.stringify(log, null, 2));
    expect(validate(log)).toBe(true);
  });
});

describe('SARIF artifact URIs', () => {
  it.each([
    ['deploy/app.yaml', 'deploy/app.yaml'],
    ['my dir/a pi#1.yaml', 'my%20dir/a%20pi%231.yaml'],
    ['q?x=1.yaml', 'q%3Fx=1.yaml'],
    ['c:/x.yaml', 'c%3A/x.yaml'],
    ['100%.yaml', '100%25.yaml'],
    ['ünï/[x].yaml', '%C3%BCn%C3%AF/%5Bx%5D.yaml'],
  ])('%s is %s, which resolves to the same file', (path, uri) => {
    expect(artifactUri(path)).toBe(uri);
    const base = 'file:///repo/';
    expect(decodeURIComponent(new URL(uri, base).pathname)).toBe(`/repo/${path}`);
    expect(new URL(uri, base).hash + new URL(uri, base).search).toBe('');
  });
});
