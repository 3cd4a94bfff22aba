/**
 * One finding per source location and rule, whatever number of renders showed it (issue 17, item 4).
 */
import { describe, expect, it } from 'vitest';
import { mergeRenderedDuplicates } from '../src/core/duplicates.js';
import type { Finding } from '../src/core/types.js';
import { splitFindings } from '../src/pr/differential.js';
import { diffContents } from '../src/pr/patch.js';
import { planReview } from '../src/pr/review.js';
import { registry } from '../src/rules/index.js';
import { parseReport, runBundledCli, sandbox } from './hostile/sandbox.js';
import { NO_KUSTOMIZE, because } from './tools.js';

function rendered(overlay: string, changes: Partial<Finding> = {}): Finding {
  const name = `${overlay.replace(/\W/g, '')}-web`;
  return {
    ruleId: 'automount-token',
    severity: 'medium',
    message: `Deployment default/${name} mounts the API token.`,
    file: 'base/web.yaml',
    line: 9,
    endLine: 9,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name },
    suppressed: false,
    fix: null,
    rendered: true,
    via: [`overlay ${overlay}`],
    path: ['spec', 'template', 'spec'],
    identity: `automount-token|apps|Deployment|default|${name}|spec.template.spec`,
    ...changes,
  };
}

describe('mergeRenderedDuplicates', () => {
  it('keeps one finding per rule and place, naming every render it was seen through', () => {
    const merged = mergeRenderedDuplicates([rendered('dev'), rendered('prod'), rendered('staging')]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.via).toEqual(['overlay dev', 'overlay prod', 'overlay staging']);
    expect(merged[0]!.also).toHaveLength(2);
    expect(merged[0]!.message).toMatch(
      /Seen through 3 renders: `overlay dev`, `overlay prod`, `overlay staging`\.$/,
    );
  });

  it('leaves plain findings, other rules, other places and suppressed ones apart', () => {
    const plain = { ...rendered('dev'), rendered: undefined, via: undefined };
    const findings = [
      plain,
      { ...plain },
      rendered('dev'),
      rendered('dev', { ruleId: 'default-service-account' }),
      rendered('dev', { line: 30, endLine: 30 }),
      rendered('prod', { suppressed: true }),
    ];
    expect(mergeRenderedDuplicates(findings)).toHaveLength(6);
  });

  it('stands for the group with its most severe finding, and offers a fix only when every render asks for it', () => {
    const fix = { edits: [{ start: 1, end: 1, text: 'x' }], startLine: 9, endLine: 9, replacement: 'x' };
    const [severe] = mergeRenderedDuplicates([
      rendered('dev', { fix }),
      rendered('prod', { fix, severity: 'high' }),
    ]);
    expect(severe).toMatchObject({ severity: 'high', fix });
    const [mixed] = mergeRenderedDuplicates([rendered('dev', { fix }), rendered('prod')]);
    expect(mixed!.fix).toBeNull();
  });

  it('never fixes a source that one of its renders runs as an API client', () => {
    const fix = { edits: [{ start: 1, end: 1, text: 'x' }], startLine: 9, endLine: 9, replacement: 'x' };
    const [finding] = mergeRenderedDuplicates([
      rendered('dev', { fix }),
      rendered('prod', {
        fix,
        severity: 'info',
        apiClient: 'ServiceAccount `prod/web` is a subject of RoleBinding',
      }),
    ]);
    // The client's finding stands: the line keeps its token, and says so of the other render.
    expect(finding).toMatchObject({ severity: 'info', fix: null, resource: { name: 'prod-web' } });
    expect(finding!.apiClient).toMatch(/RoleBinding/);
    expect(finding!.message).toContain(
      'The same source also renders Deployment default/dev-web (`overlay dev`), which is not judged an API client: ' +
        'the line keeps the token of every workload it renders, so switching its token off takes a template or ' +
        'value of its own.',
    );
    expect(finding!.also).toEqual([rendered('dev').identity]);
  });

  it('lets no advice to switch the token off stand for a line that also renders a client (one render, a range)', () => {
    // A chart's `range` renders web and controller from one template line; only controller is bound.
    const chart = (name: string, changes: Partial<Finding>) =>
      rendered('chart shop', {
        ...changes,
        message: `Deployment default/${name} mounts the API token.`,
        resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name },
        identity: `automount-token|apps|Deployment|default|${name}|spec.template.spec`,
      });
    for (const order of [
      ['web', 'controller'],
      ['controller', 'web'],
    ]) {
      const group = order.map((name) =>
        name === 'web'
          ? chart(name, { severity: 'medium' })
          : chart(name, {
              severity: 'info',
              apiClient: 'ServiceAccount `default/controller` is a subject of X',
            }),
      );
      const merged = mergeRenderedDuplicates(group);
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatchObject({ severity: 'info', fix: null, resource: { name: 'controller' } });
      expect(merged[0]!.message).toMatch(
        /^Deployment default\/controller mounts the API token\. The same source also renders Deployment default\/web, which is not judged/,
      );
    }
  });

  it('counts a finding as introduced when the pull request adds a render of it', () => {
    const base = mergeRenderedDuplicates([rendered('dev'), rendered('prod')]);
    const same = mergeRenderedDuplicates([rendered('prod'), rendered('dev')]);
    const added = mergeRenderedDuplicates([rendered('dev'), rendered('prod'), rendered('qa')]);
    const changed = new Set(['base/web.yaml']);
    expect(splitFindings(same, base, changed).introduced).toEqual([]);
    expect(splitFindings(added, base, changed).introduced).toHaveLength(1);
  });

  it('counts identities: a second finding of one the base had once is new, and unchanged files count first', () => {
    // Two objects of one randomly named template line share an identity; so do copies of a manifest.
    const one = rendered('dev', { file: 'chart/templates/test.yaml', via: undefined });
    const copy = { ...one, line: 20 };
    const changed = new Set(['chart/templates/test.yaml']);
    expect(splitFindings([one], [one], changed)).toEqual({ introduced: [], existing: [one] });
    expect(splitFindings([one, copy], [one], changed)).toEqual({ introduced: [copy], existing: [one] });
    expect(splitFindings([one, copy], [one, copy], changed).introduced).toEqual([]);
    // The same identity in a file the pull request leaves alone is that file's: it takes the base's one first.
    const elsewhere = { ...one, file: 'other/test.yaml' };
    expect(splitFindings([elsewhere, one], [elsewhere], changed).introduced).toEqual([one]);
    expect(splitFindings([elsewhere, one], [elsewhere, one], changed).introduced).toEqual([]);
  });

  it('counts a finding in a file the pull request leaves alone as introduced when the base did not have it', () => {
    // The pull request took `automountServiceAccountToken: false` off the account an unchanged workload runs as.
    const unchanged = rendered('dev', { file: 'deploy/web.yaml', via: undefined });
    const changed = new Set(['deploy/accounts.yaml']);
    expect(splitFindings([unchanged], [], changed)).toEqual({ introduced: [unchanged], existing: [] });
    // Findings of unchanged files the base had are neither new nor listed as existing: they are not the pull request's.
    expect(splitFindings([unchanged], [unchanged], changed)).toEqual({ introduced: [], existing: [] });
  });

  it('counts a finding whose severity rose as introduced: the base had a lesser one', () => {
    const high = rendered('dev', { file: 'deploy/web.yaml', via: undefined, severity: 'high' });
    const medium = { ...high, severity: 'medium' as const };
    const info = { ...high, severity: 'info' as const };
    for (const changed of [new Set(['deploy/web.yaml']), new Set<string>()]) {
      expect(splitFindings([high], [medium], changed).introduced).toEqual([high]);
      expect(splitFindings([high], [info], changed).introduced).toEqual([high]);
      // Lower or the same: the base had it.
      expect(splitFindings([medium], [high], changed).introduced).toEqual([]);
      expect(splitFindings([high], [high], changed).introduced).toEqual([]);
    }
    // Two of one identity: each head finding takes the base's finding nearest above its severity.
    expect(splitFindings([medium, high], [high, medium], new Set(['deploy/web.yaml'])).introduced).toEqual(
      [],
    );
    expect(splitFindings([high, medium], [medium, info], new Set(['deploy/web.yaml'])).introduced).toEqual([
      high,
    ]);
  });
});

describe('one review comment for one suggestion', () => {
  /** A values line that two templates read, and the fix that sets it: what the probe gives their findings. */
  const values = 'server:\n  automount: true\n';
  const fix = {
    file: 'values.yaml',
    edits: [{ start: 21, end: 25, text: 'false' }],
    startLine: 2,
    endLine: 2,
    replacement: '  automount: false',
  };
  /** The review of findings whose fix is that line, with values.yaml added by the pull request. */
  const reviewOfValues = (findings: Finding[]) =>
    planReview(findings, [], {
      rules: new Map(registry.rules.map((rule) => [rule.meta.id, rule.meta])),
      lines: new Map([['values.yaml', { ...diffContents('', values), inline: true }]]),
      texts: new Map([['values.yaml', values]]),
      maxComments: 25,
    });

  it('posts a values line that fixes two findings once, carrying both', () => {
    const first = rendered('dev', { file: 'templates/a.yaml', fix, via: undefined, identity: 'a' });
    const second = rendered('dev', { file: 'templates/b.yaml', fix, via: undefined, identity: 'b' });
    const plan = reviewOfValues([first, second]);
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]!.findings).toHaveLength(2);
    expect(plan.comments[0]!.body.match(/````suggestion/g)).toHaveLength(1);
  });

  it('describes at most five findings in that comment and lists the rest in the body, under GitHub`s limit', () => {
    const many = Array.from({ length: 12 }, (_, index) =>
      rendered('dev', {
        file: `templates/${index}.yaml`,
        fix,
        identity: `i${index}`,
        message: 'x'.repeat(8_000),
      }),
    );
    const plan = reviewOfValues(many);
    expect(plan.comments).toHaveLength(1);
    expect(plan.comments[0]!.findings).toHaveLength(5);
    expect(plan.comments[0]!.body).toContain('The same change fixes 7 more findings');
    expect(plan.comments[0]!.body.length).toBeLessThan(65_536);
    expect(plan.inBody).toHaveLength(7);
  });
});

describe.skipIf(NO_KUSTOMIZE)(
  because(NO_KUSTOMIZE, 'a base included by several overlays, built with the real kustomize'),
  () => {
    it('reports each finding of the base once, naming the overlays', () => {
      const web = [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: web}',
        'spec:',
        '  selector: {matchLabels: {app: web}}',
        '  template:',
        '    metadata: {labels: {app: web}}',
        '    spec:',
        '      serviceAccountName: web',
        '      containers: [{name: web, image: web}]',
        '---',
        'apiVersion: v1',
        'kind: ServiceAccount',
        'metadata: {name: web}',
        '',
      ].join('\n');
      const overlay = (prefix: string) => `resources: [../../base]\nnamePrefix: ${prefix}-\n`;
      const { repo } = sandbox({
        'base/kustomization.yaml': 'resources: [web.yaml]\n',
        'base/web.yaml': web,
        'overlays/dev/kustomization.yaml': overlay('dev'),
        'overlays/prod/kustomization.yaml': overlay('prod'),
        'overlays/qa/kustomization.yaml': overlay('qa'),
      });
      const report = parseReport(runBundledCli(repo, ['scan', '--format', 'json', '--fail-on', 'none']));
      const findings = report.findings as unknown as (Finding & { via: string[] })[];
      const places = new Set(findings.map((finding) => `${finding.ruleId}@${finding.file}:${finding.line}`));
      expect(findings).toHaveLength(places.size);
      const token = findings.find((finding) => finding.ruleId === 'automount-token')!;
      expect(token).toMatchObject({ file: 'base/web.yaml', line: 8 });
      expect(token.via).toEqual(['overlay overlays/dev', 'overlay overlays/prod', 'overlay overlays/qa']);
    });
  },
);
