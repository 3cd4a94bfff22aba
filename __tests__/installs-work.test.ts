/**
 * Issue 20, "no term that grows with a product": with R renders beside P plain objects, the rules visit each plain object
 * once and each render's objects once, plus the plain objects a render can judge differently; before, they visited
 * the P plain objects once per install, (R + 1) × P. Counted, not timed: a rule that counts what it is given to judge.
 */
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../src/config/config.js';
import { scanFiles } from '../src/core/scan.js';
import type { SourceFile } from '../src/core/types.js';
import { RuleRegistry, registry } from '../src/rules/index.js';
import { metaOf } from '../src/rules/meta.js';
import type { Rule } from '../src/rules/types.js';
import { config } from './helpers.js';
import { referenceScan } from './installs-reference.js';

/** The default rules and one more that counts the objects each judgement reports on. */
function countingScan(scan: (config: ResolvedConfig, rules: RuleRegistry) => void): number {
  let visits = 0;
  const counting: Rule = {
    meta: { ...metaOf('invalid-suppression'), id: 'count-visits' },
    check(context) {
      visits += context.subjects.resources.length;
    },
  };
  const settings = config();
  settings.rules['count-visits'] = { enabled: true, severity: null, options: {} };
  scan(settings, new RuleRegistry([...registry.rules, counting]));
  return visits;
}

/** `count` plain objects: an account and a workload running as it, a namespace of their own for every ten. */
function plainFiles(count: number): SourceFile[] {
  const documents: string[] = [];
  for (let index = 0; index < count / 2; index++) {
    const namespace = `team-${Math.floor(index / 5)}`;
    documents.push(
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app-${index}, namespace: ${namespace}}\n`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${index}, namespace: ${namespace}}\n` +
        `spec:\n  template:\n    spec:\n      serviceAccountName: app-${index}\n      containers: [{name: c, image: i}]\n`,
    );
  }
  return [{ path: 'plain/all.yaml', text: documents.join('---\n') }];
}

const OWN = 4;

/** A render with OWN objects in `namespace`: two accounts and two workloads. */
function render(index: number, namespace: string): SourceFile {
  const documents = [0, 1].flatMap((app) => [
    `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: r${index}-${app}, namespace: ${namespace}}\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: r${index}-${app}, namespace: ${namespace}}\n` +
      `spec:\n  template:\n    spec:\n      serviceAccountName: r${index}-${app}\n      containers: [{name: c, image: i}]\n`,
  ]);
  return {
    path: `overlays/o${index}/all.yaml`,
    text: documents.join('---\n'),
    rendered: true,
    renderedBy: `overlay overlays/o${index}`,
  };
}

function files(plain: number, renders: number, namespace: (index: number) => string): SourceFile[] {
  return [
    ...plainFiles(plain),
    ...Array.from({ length: renders }, (_, index) => render(index, namespace(index))),
  ];
}

describe('the work of judging alternative installs', () => {
  const sizes = [
    [200, 5],
    [200, 20],
    [800, 5],
    [800, 20],
  ] as const;

  it('grows with the plain objects plus the renders, when the renders meet no plain object', () => {
    for (const [plain, renders] of sizes) {
      const scan = files(plain, renders, (index) => `render-${index}`);
      const visits = countingScan((settings, rules) => scanFiles(scan, settings, rules, {}));
      expect(visits, `${plain} plain objects, ${renders} renders`).toBe(plain + renders * OWN);
    }
  });

  it('judged every plain object again in every install before', () => {
    const [plain, renders] = sizes[1];
    const scan = files(plain, renders, (index) => `render-${index}`);
    const visits = countingScan((settings, rules) => referenceScan(scan, settings, rules));
    expect(visits).toBe((renders + 1) * plain + renders * OWN);
  });

  it('judges again what a render meets, and only that', () => {
    // Renders in the plain namespaces, with accounts of their own: no plain object reads what they declare.
    const apart = files(200, 10, (index) => `team-${index}`);
    expect(countingScan((settings, rules) => scanFiles(apart, settings, rules, {}))).toBe(200 + 10 * OWN);
    // A render that declares an account a plain workload runs as meets that workload and the plain account.
    const meeting = [
      ...files(200, 10, (index) => `render-${index}`),
      {
        path: 'overlays/meet/sa.yaml',
        text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app-0, namespace: team-0}\n',
        rendered: true,
        renderedBy: 'overlay overlays/meet',
      },
    ];
    expect(countingScan((settings, rules) => scanFiles(meeting, settings, rules, {}))).toBe(
      200 + 10 * OWN + 1 + 2,
    );
  });
});
