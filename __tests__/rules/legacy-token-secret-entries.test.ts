// A ServiceAccount's `secrets` list judged entry by entry, by the type of the Secret each names (issue 18.5).
//
// Kubernetes API reference, ServiceAccount v1: `secrets` is "a list of the secrets in the same namespace that pods
// running using this ServiceAccount are allowed to use"; it holds references of any Secret type. Secret v1: `type` is
// used to facilitate programmatic handling of secret data, and a Secret created without one is `Opaque` (docs,
// "Secrets", Types of Secret). Only a `kubernetes.io/service-account-token` Secret is a long-lived token.
import { yaml } from '../helpers.js';
import { ruleTester } from './tester.js';

/** ServiceAccount `shop/redis-ha` listing `names` in `secrets` (the list's key on line 6). */
const account = (...names: string[]) =>
  [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: redis-ha',
    '  namespace: shop',
    'secrets:',
    ...names.map((name) => `  - name: ${name}`),
    '',
  ].join('\n');

const secret = (name: string, type?: string, namespace = 'shop') => yaml`
  apiVersion: v1
  kind: Secret
  metadata:
    name: ${name}
    namespace: ${namespace}
  ${type ? `type: ${type}` : 'stringData: {note: plain}'}
`;
const TOKEN = 'kubernetes.io/service-account-token';

ruleTester('legacy-token-secret', {
  valid: [
    {
      // Argo CD's redis-ha ServiceAccount lists `argocd-redis`, the Opaque Secret holding the Redis password.
      name: 'an entry naming an Opaque Secret the scan declares (Argo CD redis-ha)',
      files: { 'sa.yaml': account('argocd-redis'), 'secret.yaml': secret('argocd-redis', 'Opaque') },
    },
    {
      name: 'an entry naming a Secret declared without a type, which the API server makes Opaque',
      files: { 'sa.yaml': account('settings'), 'secret.yaml': secret('settings') },
    },
    {
      name: 'entries naming a TLS and a docker config Secret',
      files: {
        'sa.yaml': account('tls', 'registry'),
        'secrets.yaml': `${secret('tls', 'kubernetes.io/tls')}---\n${secret('registry', 'kubernetes.io/dockerconfigjson')}`,
      },
    },
  ],
  invalid: [
    {
      name: 'an entry naming a token Secret the scan declares: a legacy token, named',
      files: { 'sa.yaml': account('redis-ha-token'), 'secret.yaml': secret('redis-ha-token', TOKEN) },
      count: 2,
      findings: [
        {
          file: 'sa.yaml',
          line: 6,
          message: 'lists the long-lived token Secret `redis-ha-token` in `secrets`',
        },
        { file: 'secret.yaml' },
      ],
    },
    {
      name: 'an entry the scan does not declare: said to be of unknown type, never called a token',
      files: { 'sa.yaml': account('redis-ha-token-x7k2q') },
      line: 6,
      severity: 'high',
      message: [
        'lists `redis-ha-token-x7k2q` in `secrets`, of unknown type',
        'do not declare it in its namespace',
        'if it is one, remove it',
      ],
      notMessage: 'lists the long-lived token Secret',
    },
    {
      name: 'two entries the scan does not declare: spoken of as several',
      files: { 'sa.yaml': account('a-token', 'b-token') },
      message: ['do not declare them in its namespace', 'if one is, remove it', 'declare them in the scan'],
    },
    {
      name: 'a Secret of that name in another namespace is not the one listed: unknown',
      files: { 'sa.yaml': account('argocd-redis'), 'secret.yaml': secret('argocd-redis', 'Opaque', 'other') },
      message: 'of unknown type',
    },
    {
      name: 'mixed: the token and the unknown entry are named, the Opaque one is not',
      files: {
        'sa.yaml': account('argocd-redis', 'old-token', 'elsewhere'),
        'secrets.yaml': `${secret('argocd-redis', 'Opaque')}---\n${secret('old-token', TOKEN)}`,
      },
      count: 2,
      findings: [
        {
          file: 'sa.yaml',
          message: [
            'lists the long-lived token Secret `old-token`',
            'It also lists `elsewhere` in `secrets`, of unknown type',
          ],
          notMessage: 'argocd-redis',
        },
        { file: 'secrets.yaml' },
      ],
    },
  ],
});
