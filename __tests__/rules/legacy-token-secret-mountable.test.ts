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
  it('without the annotation, any secrets list is the legacy token mechanism', () => {
    const findings = findingsOf(
      scan({ 'sa.yaml': account(false, ['registry-cert']) }),
      'legacy-token-secret',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('lists token `secrets`');
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
