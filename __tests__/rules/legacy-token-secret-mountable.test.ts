import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';

const account = (annotated: boolean, secrets: string[]) =>
  [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: builder',
    '  namespace: ci',
    '  annotations:',
    annotated ? '    kubernetes.io/enforce-mountable-secrets: "true"' : '    team: platform',
    'automountServiceAccountToken: false',
    'secrets:',
    ...secrets.map((name) => `  - name: ${name}`),
    '',
  ].join('\n');

const tokenSecret = yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: builder-token
    namespace: ci
    annotations:
      kubernetes.io/service-account.name: builder
  type: kubernetes.io/service-account-token
`;

describe('legacy-token-secret and enforce-mountable-secrets', () => {
  // This test used to expect "lists token `secrets`" for any entry. An entry the scan does not declare is of unknown
  // type (see legacy-token-secret-entries.test.ts): reported, and called unknown, not a token.
  it('without the annotation, an entry the scan does not declare is reported as of unknown type', () => {
    const findings = findingsOf(
      scan({ 'sa.yaml': account(false, ['registry-cert']) }),
      'legacy-token-secret',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('lists `registry-cert` in `secrets`, of unknown type');
  });

  it('with the annotation, ordinary mountable Secrets are not reported', () => {
    expect(
      findingsOf(scan({ 'sa.yaml': account(true, ['registry-cert', 'tls']) }), 'legacy-token-secret'),
    ).toEqual([]);
  });

  it('with the annotation, a listed token Secret is reported at its entry', () => {
    const result = scan({ 'sa.yaml': account(true, ['tls', 'builder-token']), 'token.yaml': tokenSecret });
    const onAccount = findingsOf(result, 'legacy-token-secret').filter(
      (finding) => finding.file === 'sa.yaml',
    );
    expect(onAccount).toHaveLength(1);
    expect(onAccount[0]!.line).toBe(11);
    expect(onAccount[0]!.message).toContain('`builder-token`');
  });
});
