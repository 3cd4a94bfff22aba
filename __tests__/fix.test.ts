import { describe, expect, it } from 'vitest';
import { applyFixes } from '../src/core/apply.js';
import { autofix } from '../src/core/autofix.js';
import type { Fix } from '../src/core/types.js';
import { config, findingsOf, scan, yaml } from './helpers.js';

/** The line form must be the same change as the edits: replacing lines start..end of the original by `replacement`. */
function applyLineForm(text: string, fix: Fix): string {
  const lines = text.split('\n');
  const replacement = fix.replacement === '' ? [] : fix.replacement.split('\n');
  lines.splice(fix.startLine - 1, fix.endLine - fix.startLine + 1, ...replacement);
  return lines.join('\n');
}

function onlyFix(text: string, ruleId: string, configText?: string): Fix {
  const findings = findingsOf(scan(text, configText), ruleId);
  expect(findings).toHaveLength(1);
  expect(findings[0]!.fix).not.toBeNull();
  return findings[0]!.fix!;
}

const deployment = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      spec:
        serviceAccountName: web # dedicated
        containers:
          - name: app
            image: nginx
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: web
    namespace: shop
`;

describe('automount-token fix', () => {
  it('inserts after serviceAccountName, keeping its comment, as one suggestion line pair', () => {
    const fix = onlyFix(deployment, 'automount-token');
    expect(fix.startLine).toBe(9);
    expect(fix.endLine).toBe(9);
    expect(fix.replacement).toBe(
      '      serviceAccountName: web # dedicated\n      automountServiceAccountToken: false',
    );
    const fixed = applyFixes(deployment, [fix]).text;
    expect(fixed).toBe(applyLineForm(deployment, fix));
    expect(findingsOf(scan(fixed), 'automount-token')).toEqual([]);
  });

  it('inserts as the first key when there is no serviceAccountName, at the siblings indentation (4 spaces)', () => {
    const text = yaml`
      apiVersion: v1
      kind: Pod
      metadata:
          name: tool
      spec:
          containers:
              - name: app
                image: busybox
    `;
    const fix = onlyFix(text, 'automount-token');
    expect(fix).toMatchObject({ startLine: 6, endLine: 6 });
    expect(fix.replacement).toBe('    automountServiceAccountToken: false\n    containers:');
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toBe(applyLineForm(text, fix));
    expect(findingsOf(scan(fixed), 'automount-token')).toEqual([]);
  });

  it('keeps CRLF line endings', () => {
    const text = deployment.replace(/\n/g, '\r\n');
    const fix = onlyFix(text, 'automount-token');
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toContain(
      'serviceAccountName: web # dedicated\r\n      automountServiceAccountToken: false\r\n',
    );
    expect(fixed.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('inserts into a flow-style pod spec beside its siblings', () => {
    const flow =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n';
    const fix = onlyFix(flow, 'automount-token');
    expect(fix.replacement).toBe(
      'spec: {automountServiceAccountToken: false, containers: [{name: a, image: b}]}',
    );
    expect(findingsOf(scan(applyFixes(flow, [fix]).text), 'automount-token')).toEqual([]);
  });

  it('inserts into a pretty-printed JSON pod spec with a comma, at the siblings indentation', () => {
    const json = `${JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { serviceAccountName: 'p', containers: [] } }, null, 2)}\n`;
    const fix = findingsOf(scan({ 'pod.json': json }), 'automount-token')[0]!.fix!;
    expect(fix.replacement).toBe(
      '    "serviceAccountName": "p",\n    "automountServiceAccountToken": false,',
    );
    const fixed = applyFixes(json, [fix]).text;
    expect(JSON.parse(fixed).spec).toEqual({
      serviceAccountName: 'p',
      automountServiceAccountToken: false,
      containers: [],
    });
  });

  it('does not insert where it would change a block scalar keeping its trailing lines', () => {
    const text =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n  annotations:\n    note: |+\n      kept\n\n';
    const fix = findingsOf(scan(text), 'default-sa-automount')[0]!.fix!;
    expect(fix).toMatchObject({ startLine: 2, endLine: 2 });
    expect(fix.replacement).toBe('kind: ServiceAccount\nautomountServiceAccountToken: false');
  });

  it('checks a pod spec with a key named `__proto__` as data, and offers the fix', () => {
    // The check copies the pod spec to set the field: a copy that took the key for a prototype would differ from
    // the edited document's reading, and the fix would be withheld.
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  __proto__: {a: 1}\n  containers:\n  - name: c\n    image: x\n';
    const fix = onlyFix(text, 'automount-token');
    expect(fix.replacement).toBe('  automountServiceAccountToken: false\n  __proto__: {a: 1}');
  });
});

describe('other fixes', () => {
  it('renames the deprecated serviceAccount key', () => {
    const text = deployment.replace('serviceAccountName: web', 'serviceAccount: web');
    const fix = onlyFix(text, 'deprecated-service-account-field');
    expect(fix.replacement).toBe('      serviceAccountName: web # dedicated');
  });

  it('removes a deprecated serviceAccount that repeats serviceAccountName', () => {
    const text = deployment.replace(
      'serviceAccountName: web # dedicated',
      'serviceAccountName: web\n      serviceAccount: web',
    );
    const fix = onlyFix(text, 'deprecated-service-account-field');
    expect(fix).toMatchObject({ startLine: 10, endLine: 10, replacement: '' });
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toBe(applyLineForm(text, fix));
    expect(fixed).not.toContain('serviceAccount: web');
  });

  it('sets automountServiceAccountToken: false on a default ServiceAccount, replacing true', () => {
    const text =
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nautomountServiceAccountToken: true\n';
    const fix = onlyFix(text, 'default-sa-automount');
    expect(fix).toEqual({
      edits: [{ start: text.indexOf('true'), end: text.indexOf('true') + 4, text: 'false' }],
      startLine: 6,
      endLine: 6,
      replacement: 'automountServiceAccountToken: false',
    });
  });

  it('appends the field as the last key of a ServiceAccount', () => {
    const text = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n';
    const fix = onlyFix(text, 'default-sa-automount');
    expect(fix).toMatchObject({ startLine: 5, endLine: 5 });
    expect(applyFixes(text, [fix]).text).toBe(`${text}automountServiceAccountToken: false\n`);
  });

  it('clamps expirationSeconds to the maximum', () => {
    const text = yaml`
      apiVersion: v1
      kind: Pod
      metadata: {name: p}
      spec:
        automountServiceAccountToken: false
        containers: [{name: a, image: b}]
        volumes:
          - name: token
            projected:
              sources:
                - serviceAccountToken:
                    audience: vault
                    expirationSeconds: 86400
                    path: token
    `;
    const fix = onlyFix(text, 'projected-token-expiration');
    expect(fix.replacement).toBe('              expirationSeconds: 3600');
  });

  it('appends a hardened default ServiceAccount for a Namespace, without a trailing newline change', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
    const fix = onlyFix(text, 'namespace-default-sa');
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toBe(
      `${text}---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nautomountServiceAccountToken: false\n`,
    );
    expect(fix.startLine).toBe(4);
    expect(applyLineForm(text, fix)).toBe(fixed);
    expect(scan(fixed).findings).toEqual([]);
  });
});

describe('appending a document in a file of many', () => {
  it('keeps every other document byte for byte, whatever closes the Namespace`s document', () => {
    // Trailing comments, blank lines and an explicit end marker (`...`) belong to the Namespace's document text.
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: before, namespace: shop}',
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: shop # the shop',
      '# owned by the shop team',
      '',
      '...',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: after, namespace: shop}',
      '',
    ].join('\n');
    const fix = onlyFix(text, 'namespace-default-sa');
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toBe(
      text.replace(
        '# owned by the shop team\n',
        '# owned by the shop team\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nautomountServiceAccountToken: false\n',
      ),
    );
    expect(scan(fixed).errors).toEqual([]);
    expect(findingsOf(scan(fixed), 'namespace-default-sa')).toEqual([]);
  });

  it('fixes each of many Namespaces in one file, each edit checked on its own document', () => {
    const namespaces = Array.from({ length: 40 }, (_, index) =>
      ['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: team-${index}`].join('\n'),
    );
    const text = `${namespaces.join('\n---\n')}\n`;
    const findings = findingsOf(scan(text), 'namespace-default-sa');
    expect(findings).toHaveLength(40);
    const fixed = applyFixes(
      text,
      findings.map((finding) => finding.fix!),
    );
    expect(fixed.applied).toBe(40);
    expect(findingsOf(scan(fixed.text), 'namespace-default-sa')).toEqual([]);
    expect(scan(fixed.text).errors).toEqual([]);
  });
});

describe('secret hygiene of suggestions', () => {
  it('anchors the appended ServiceAccount on the Namespace, never on a following Secret', () => {
    const text = yaml`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: db, namespace: shop}
      data:
        password: c3VwZXItc2VjcmV0LXZhbHVl
    `;
    const fix = onlyFix(text, 'namespace-default-sa');
    expect(fix.startLine).toBe(4);
    expect(fix.replacement).not.toContain('c3VwZXItc2VjcmV0LXZhbHVl');
    const fixed = applyFixes(text, [fix]).text;
    expect(fixed).toContain('  name: shop\n---\napiVersion: v1\nkind: ServiceAccount');
    expect(fixed.endsWith('password: c3VwZXItc2VjcmV0LXZhbHVl\n')).toBe(true);
    expect(scan(fixed).errors).toEqual([]);
  });
});

describe('applyFixes', () => {
  it('skips a fix that overlaps one already taken', () => {
    const one: Fix = {
      edits: [{ start: 0, end: 3, text: 'one' }],
      startLine: 1,
      endLine: 1,
      replacement: '',
    };
    const two: Fix = {
      edits: [{ start: 2, end: 5, text: 'two' }],
      startLine: 1,
      endLine: 1,
      replacement: '',
    };
    const three: Fix = {
      edits: [{ start: 6, end: 6, text: '!' }],
      startLine: 1,
      endLine: 1,
      replacement: '',
    };
    expect(applyFixes('abcdefgh', [two, one, three])).toEqual({ text: 'onedef!gh', applied: 2, skipped: 1 });
  });

  it('treats two inserts at one offset as overlapping', () => {
    const a: Fix = { edits: [{ start: 1, end: 1, text: 'A' }], startLine: 1, endLine: 1, replacement: '' };
    const b: Fix = { edits: [{ start: 1, end: 1, text: 'B' }], startLine: 1, endLine: 1, replacement: '' };
    expect(applyFixes('xy', [a, b])).toEqual({ text: 'xAy', applied: 1, skipped: 1 });
  });
});

describe('autofix', () => {
  it('fixes overlapping findings over several passes until stable', () => {
    const text = yaml`
      apiVersion: v1
      kind: Namespace
      metadata:
        name: a
      ---
      apiVersion: v1
      kind: Namespace
      metadata:
        name: b
    `;
    const result = autofix([{ path: 'ns.yaml', text }], config());
    expect(result.changed.get('ns.yaml')).toBe(2);
    expect(result.result.findings).toEqual([]);
    expect(result.files[0]!.text.match(/kind: ServiceAccount/g)).toHaveLength(2);
  });
});
