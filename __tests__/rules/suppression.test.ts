// Suppression by annotation and by config exemption, and invalid-suppression.
import { describe, expect, it } from 'vitest';
import { findingsOf } from '../helpers.js';
import { type ExpectedFinding, checkFinding, run, ruleTester } from './tester.js';

/** A Pod in `shop` running as the undeclared SA `api`, with an annotation on its metadata (line 7). */
const annotatedPod = (value: string | null, name = 'web', namespace = 'shop') =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    ...(value === null ? [] : ['  annotations:', `    kube-token-guard.io/ignore: ${JSON.stringify(value)}`]),
    'spec:',
    '  serviceAccountName: api',
    '  containers: [{name: c, image: nginx}]',
    '',
  ].join('\n');

/** A Deployment in `shop` running as `default`, with an annotation on its pod template (line 11). */
const annotatedTemplate = (value: string) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '      annotations:',
    `        kube-token-guard.io/ignore: ${JSON.stringify(value)}`,
    '    spec:',
    '      containers: [{name: c, image: nginx}]',
    '',
  ].join('\n');

interface SuppressionCase {
  name: string;
  files: string | Record<string, string>;
  config?: string;
  /** Rules whose findings (all of them) must be suppressed with this reason and kind. */
  suppressed?: { rules: string[]; kind: 'annotation' | 'config'; reason: string };
  /** Rules whose findings must be reported (not suppressed). */
  reported?: string[];
  /** Expected invalid-suppression findings. */
  invalid?: ExpectedFinding[];
}

function check(testCase: SuppressionCase): void {
  const result = run(testCase);
  for (const rule of testCase.suppressed?.rules ?? []) {
    const all = result.findings.filter((finding) => finding.ruleId === rule);
    expect(all.length, `${rule} findings`).toBeGreaterThan(0);
    for (const finding of all) {
      expect(finding.suppressed, rule).toBe(true);
      expect(finding.suppression).toEqual({
        kind: testCase.suppressed!.kind,
        reason: testCase.suppressed!.reason,
      });
    }
    expect(findingsOf(result, rule)).toEqual([]);
  }
  for (const rule of testCase.reported ?? []) {
    const all = result.findings.filter((finding) => finding.ruleId === rule);
    expect(all.length, `${rule} findings`).toBeGreaterThan(0);
    for (const finding of all) {
      expect(finding.suppressed, rule).toBe(false);
      expect(finding.suppression).toBeUndefined();
    }
  }
  const invalid = findingsOf(result, 'invalid-suppression');
  expect(invalid.map((finding) => finding.message)).toHaveLength(testCase.invalid?.length ?? 0);
  testCase.invalid?.forEach((expected, index) => checkFinding(invalid[index]!, expected));
}

const annotationCases: SuppressionCase[] = [
  {
    name: 'annotation on the resource with a reason',
    files: annotatedPod('automount-token: reads ConfigMaps through the API'),
    suppressed: {
      rules: ['automount-token'],
      kind: 'annotation',
      reason: 'reads ConfigMaps through the API',
    },
  },
  {
    name: 'annotation on the pod template with a reason',
    files: annotatedTemplate('default-service-account,automount-token: vendor chart, see OPS-412'),
    suppressed: {
      rules: ['default-service-account', 'automount-token'],
      kind: 'annotation',
      reason: 'vendor chart, see OPS-412',
    },
  },
  {
    name: 'everything after the first colon is the reason',
    files: annotatedPod('automount-token: ticket: OPS-1: accepted'),
    suppressed: { rules: ['automount-token'], kind: 'annotation', reason: 'ticket: OPS-1: accepted' },
  },
  {
    name: '`all` covers every rule of the resource',
    files: annotatedTemplate('all: legacy system, replaced in Q3'),
    suppressed: {
      rules: ['default-service-account', 'automount-token'],
      kind: 'annotation',
      reason: 'legacy system, replaced in Q3',
    },
  },
  {
    name: 'a suppression of another rule does not suppress this one',
    files: annotatedPod('default-service-account: not this one'),
    reported: ['automount-token'],
  },
  {
    name: 'annotation on a ServiceAccount',
    files:
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n  annotations:\n    kube-token-guard.io/ignore: "default-sa-automount: managed by the platform team"\n',
    suppressed: {
      rules: ['default-sa-automount'],
      kind: 'annotation',
      reason: 'managed by the platform team',
    },
  },
  {
    name: 'no reason: nothing suppressed, reported at the annotation',
    files: annotatedPod('automount-token'),
    reported: ['automount-token'],
    invalid: [
      {
        line: 7,
        severity: 'low',
        resource: { kind: 'Pod', name: 'web' },
        message: ['does not take effect', 'gives no reason', 'automount-token: <reason>'],
      },
    ],
  },
  {
    name: 'a colon followed by spaces is no reason',
    files: annotatedPod('automount-token:    '),
    reported: ['automount-token'],
    invalid: [{ line: 7, message: 'gives no reason' }],
  },
  {
    name: 'no reason on the pod template: reported at the template annotation',
    files: annotatedTemplate('automount-token'),
    reported: ['automount-token', 'default-service-account'],
    invalid: [{ line: 11, resource: { kind: 'Deployment', name: 'web' }, message: 'gives no reason' }],
  },
  {
    name: 'unknown rule id: named, nothing suppressed',
    files: annotatedPod('automount-tokens: typo'),
    reported: ['automount-token'],
    invalid: [{ line: 7, message: '`automount-tokens` is not a rule id' }],
  },
  {
    name: 'unknown rule id next to a valid one: the valid one applies, the unknown one is reported',
    files: annotatedPod('automount-token,automount-tokens: accepted risk'),
    suppressed: { rules: ['automount-token'], kind: 'annotation', reason: 'accepted risk' },
    invalid: [{ line: 7, message: '`automount-tokens` is not a rule id' }],
  },
  {
    name: 'several unknown ids are all named',
    files: annotatedPod('foo, bar: reason'),
    reported: ['automount-token'],
    invalid: [{ message: '`foo`, `bar` are not rule ids' }],
  },
  {
    name: 'no rule at all',
    files: annotatedPod(': just a reason'),
    reported: ['automount-token'],
    invalid: [{ line: 7, message: 'names no rule' }],
  },
  {
    name: '`all` without reason suppresses nothing',
    files: annotatedTemplate('all'),
    reported: ['automount-token', 'default-service-account'],
    invalid: [{ line: 11, message: 'gives no reason' }],
  },
  {
    name: 'a broken annotation is reported even under `all` on the pod template',
    files: annotatedTemplate('all: accepted').replace(
      'metadata:\n  name: web\n',
      'metadata:\n  name: web\n  annotations:\n    kube-token-guard.io/ignore: automount-token\n',
    ),
    suppressed: {
      rules: ['automount-token', 'default-service-account'],
      kind: 'annotation',
      reason: 'accepted',
    },
    invalid: [{ line: 6, message: 'gives no reason' }],
  },
];

describe('annotation suppression', () => {
  it.each(annotationCases)('$name', check);

  it('an annotation covers only its own resource', () => {
    const result = run({
      name: 'two pods',
      files: {
        'a.yaml': annotatedPod('automount-token: only for a', 'a'),
        'b.yaml': annotatedPod(null, 'b'),
      },
    });
    const automount = result.findings.filter((finding) => finding.ruleId === 'automount-token');
    expect(automount.map((finding) => [finding.resource.name, finding.suppressed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});

ruleTester('invalid-suppression', {
  valid: [
    { name: 'a well-formed annotation matching a finding', files: annotatedPod('automount-token: accepted') },
    {
      name: 'a well-formed annotation matching nothing',
      files: annotatedPod('legacy-token-secret: nothing to hide'),
    },
    { name: 'a well-formed `all`', files: annotatedPod('all: accepted') },
    {
      name: 'other annotations',
      files: annotatedPod('automount-token: x').replace('kube-token-guard.io/ignore', 'example.com/ignore'),
    },
  ],
  invalid: [
    {
      name: 'on a Secret',
      files:
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kube-token-guard.io/ignore: legacy-token-secret\ntype: kubernetes.io/service-account-token\n',
      line: 6,
      severity: 'low',
      resource: { kind: 'Secret', name: 's' },
      fix: null,
    },
    {
      name: 'on both the resource and the pod template',
      files: annotatedTemplate('automount-token').replace(
        'metadata:\n  name: web\n',
        'metadata:\n  name: web\n  annotations:\n    kube-token-guard.io/ignore: nope\n',
      ),
      findings: [
        { line: 6, message: 'gives no reason' },
        { line: 13, message: 'gives no reason' },
      ],
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// Config exemptions

const exemption = (fields: string) => `exemptions:\n  - ${fields.trim().split('\n').join('\n    ')}\n`;

const exemptionCases: SuppressionCase[] = [
  {
    name: 'rule + name glob',
    files: annotatedPod(null, 'legacy-reports'),
    config: exemption('rule: automount-token\nnames: ["legacy-*"]\nreason: vendor chart'),
    suppressed: { rules: ['automount-token'], kind: 'config', reason: 'vendor chart' },
  },
  {
    name: 'name glob does not match',
    files: annotatedPod(null, 'reports'),
    config: exemption('rule: automount-token\nnames: ["legacy-*"]\nreason: vendor chart'),
    reported: ['automount-token'],
  },
  {
    name: 'namespace glob',
    files: annotatedPod(null, 'web', 'kube-system'),
    config: exemption('namespaces: ["kube-*"]\nreason: platform namespace'),
    suppressed: { rules: ['automount-token'], kind: 'config', reason: 'platform namespace' },
  },
  {
    name: 'namespace glob does not match',
    files: annotatedPod(null, 'web', 'shop'),
    config: exemption('namespaces: ["kube-*"]\nreason: platform namespace'),
    reported: ['automount-token'],
  },
  {
    name: 'path glob',
    files: { 'vendor/cert-manager/pod.yaml': annotatedPod(null) },
    config: exemption('paths: ["vendor/**"]\nreason: third-party manifests'),
    suppressed: { rules: ['automount-token'], kind: 'config', reason: 'third-party manifests' },
  },
  {
    name: 'path glob does not match',
    files: { 'apps/vendor/pod.yaml': annotatedPod(null) },
    config: exemption('paths: ["vendor/**"]\nreason: third-party manifests'),
    reported: ['automount-token'],
  },
  {
    name: 'kind glob',
    files: annotatedTemplate('x: y').replace(/ {6}annotations:\n.*\n/, ''),
    config: exemption('kinds: ["Deploy*"]\nrule: default-service-account\nreason: migrating'),
    suppressed: { rules: ['default-service-account'], kind: 'config', reason: 'migrating' },
    reported: ['automount-token'],
  },
  {
    name: 'kind glob does not match',
    files: annotatedPod(null),
    config: exemption('kinds: ["Deploy*"]\nreason: migrating'),
    reported: ['automount-token'],
  },
  {
    name: 'a list of rules',
    files: annotatedTemplate('x: y').replace(/ {6}annotations:\n.*\n/, ''),
    config: exemption('rules: [automount-token, default-service-account]\nreason: batch window'),
    suppressed: {
      rules: ['automount-token', 'default-service-account'],
      kind: 'config',
      reason: 'batch window',
    },
  },
  {
    name: 'every filter must match',
    files: annotatedPod(null, 'legacy-reports', 'shop'),
    config: exemption('names: ["legacy-*"]\nnamespaces: [kube-system]\nreason: x'),
    reported: ['automount-token'],
  },
  {
    name: 'an annotation takes precedence over an exemption',
    files: annotatedPod('automount-token: from the annotation'),
    config: exemption('rule: automount-token\nreason: from the config'),
    suppressed: { rules: ['automount-token'], kind: 'annotation', reason: 'from the annotation' },
  },
];

describe('config exemptions', () => {
  it.each(exemptionCases)('$name', check);

  it('a path glob only covers the files it matches', () => {
    const result = run({
      name: 'two files',
      files: {
        'vendor/cert-manager/pod.yaml': annotatedPod(null),
        'apps/pod.yaml': annotatedPod(null, 'other'),
      },
      config: exemption('paths: ["vendor/**"]\nreason: third-party manifests'),
    });
    const automount = result.findings.filter((finding) => finding.ruleId === 'automount-token');
    expect(
      automount.map((finding) => [finding.file, finding.suppressed, finding.suppression?.reason ?? null]),
    ).toEqual([
      ['apps/pod.yaml', false, null],
      ['vendor/cert-manager/pod.yaml', true, 'third-party manifests'],
    ]);
  });

  it('suppressed findings stay in the result, flagged', () => {
    const result = run({ name: 'x', files: annotatedPod('all: accepted') });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((finding) => finding.suppressed)).toBe(true);
  });
});
