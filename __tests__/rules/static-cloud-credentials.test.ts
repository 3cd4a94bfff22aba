import { describe, expect, it } from 'vitest';
import { findingsOf, scan, yaml } from '../helpers.js';
import { type InvalidCase, type ValidCase, ruleTester } from './tester.js';

const RULE = 'static-cloud-credentials';

// Fake credentials: they must never come back out of the scanner.
const AWS_KEY_ID = 'AKIAZZZTESTKEY123456';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzTESTKEY';
const AZURE_SECRET = 'Q~zzTestAzureClientSecretValue0123456789';
const PRIVATE_KEY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCzzTESTKEY';
const GCP_KEY_JSON = JSON.stringify({
  type: 'service_account',
  project_id: 'shop-prod',
  private_key_id: 'abc123def456zzzTEST',
  private_key: `-----BEGIN PRIVATE KEY-----\n${PRIVATE_KEY}\n-----END PRIVATE KEY-----\n`,
  client_email: 'exporter@shop-prod.iam.gserviceaccount.com',
});
const SECRET_VALUES = [AWS_KEY_ID, AWS_SECRET, AZURE_SECRET, PRIVATE_KEY, 'abc123def456zzzTEST'];
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A Deployment whose single container has one env var; the `- name:` of the variable is on line 13. */
function withEnv(name: string, value: string, kind: 'value' | 'secret' | 'configMap' = 'value'): string {
  const source =
    kind === 'value'
      ? [`              value: ${JSON.stringify(value)}`]
      : [
          '              valueFrom:',
          `                ${kind === 'secret' ? 'secretKeyRef' : 'configMapKeyRef'}: {name: cloud, key: ${value}}`,
        ];
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: exporter',
    '  namespace: shop',
    'spec:',
    '  template:',
    '    spec:',
    '      automountServiceAccountToken: false',
    '      containers:',
    '        - name: export',
    '          env:',
    `            - name: ${name}`,
    ...source,
    '',
  ].join('\n');
}

/** A Secret in `shop`; its first key is on line 7. */
function secret(field: 'data' | 'stringData', entries: Record<string, string>): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: cloud',
    '  namespace: shop',
    `${field}:`,
    ...Object.entries(entries).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`),
    '',
  ].join('\n');
}

const envFires = (
  name: string,
  what: string,
  kind: 'value' | 'secret' | 'configMap' = 'value',
): InvalidCase => ({
  name: `env ${name} (${kind})`,
  files: withEnv(name, kind === 'value' ? AWS_SECRET : 'k', kind),
  line: 13,
  severity: 'medium',
  resource: { kind: 'Deployment', namespace: 'shop', name: 'exporter' },
  message: [`container \`export\` gets ${what} in \`${name}\``, 'workload identity'],
  notMessage: AWS_SECRET,
  fix: null,
});

const envValid = (name: string, value: string): ValidCase => ({
  name: `env ${name}=${value}`,
  files: withEnv(name, value),
});

ruleTester(RULE, {
  valid: [
    envValid('AWS_REGION', 'eu-west-1'),
    envValid('AWS_ROLE_ARN', 'arn:aws:iam::111122223333:role/exporter'),
    envValid('AZURE_CLIENT_ID', '00000000-0000-0000-0000-000000000000'),
    envValid('AZURE_TENANT_ID', '00000000-0000-0000-0000-000000000000'),
    envValid('BUCKET', 'AKIA-not-a-key'),
    envValid('NOTE', 'AKIAZZZTESTKEY12345'), // 19 characters: not a key id
    {
      name: 'a Secret with ordinary keys',
      files: secret('stringData', { username: 'app', password: 'hunter2' }),
    },
    {
      name: 'a Secret holding JSON that is not a service-account key',
      files: secret('stringData', {
        'config.json': JSON.stringify({ type: 'authorized_user', refresh_token: 'x' }),
      }),
    },
    {
      name: 'a Secret with base64 data that is not a key',
      files: secret('data', { 'app.conf': b64('mode = fast\n') }),
    },
    { name: 'extra-env-names is empty by default', files: withEnv('S3_SECRET_KEY', 'value') },
  ],
  invalid: [
    envFires('AWS_ACCESS_KEY_ID', 'an AWS access key'),
    envFires('AWS_SECRET_ACCESS_KEY', 'an AWS secret access key'),
    envFires('AWS_SESSION_TOKEN', 'an AWS session token'),
    envFires('GOOGLE_APPLICATION_CREDENTIALS', 'a GCP service-account key file'),
    envFires('AWS_SHARED_CREDENTIALS_FILE', 'an AWS credentials file'),
    envFires('AZURE_CLIENT_SECRET', 'an Azure client secret'),
    envFires('AZURE_CLIENT_CERTIFICATE_PASSWORD', 'an Azure client certificate password'),
    {
      ...envFires('AWS_SECRET_ACCESS_KEY', 'an AWS secret access key', 'secret'),
      message: ['`AWS_SECRET_ACCESS_KEY`', 'read from a Secret'],
    },
    {
      ...envFires('AZURE_CLIENT_SECRET', 'an Azure client secret', 'configMap'),
      message: '`AZURE_CLIENT_SECRET`',
    },
    {
      name: 'an AWS key id literal in a variable of another name',
      files: withEnv('UPLOADER_KEY', AWS_KEY_ID),
      line: 13,
      message: ['an AWS access key', '`UPLOADER_KEY`', 'written in the manifest'],
      notMessage: AWS_KEY_ID,
    },
    {
      name: 'extra-env-names',
      files: withEnv('S3_SECRET_KEY', 'value'),
      config: 'rules:\n  static-cloud-credentials:\n    extra-env-names: [S3_SECRET_KEY]\n',
      line: 13,
      message: 'a static cloud credential in `S3_SECRET_KEY`',
    },
    {
      name: 'init containers are checked',
      files: yaml`
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          initContainers:
            - name: fetch
              env: [{name: AWS_ACCESS_KEY_ID, value: "${AWS_KEY_ID}"}]
          containers: [{name: c, image: nginx}]
      `,
      line: 8,
      message: 'container `fetch`',
    },
    {
      name: 'Secret stringData keys, any spelling',
      files: secret('stringData', {
        aws_access_key_id: AWS_KEY_ID,
        'aws-secret-access-key': AWS_SECRET,
        AZURE_CLIENT_SECRET: AZURE_SECRET,
        region: 'eu-west-1',
      }),
      severity: 'medium',
      resource: { kind: 'Secret', namespace: 'shop', name: 'cloud' },
      findings: [
        { line: 7, message: 'Secret shop/cloud holds an AWS access key in key `aws_access_key_id`' },
        { line: 8, message: 'an AWS secret access key in key `aws-secret-access-key`' },
        { line: 9, message: 'an Azure client secret in key `AZURE_CLIENT_SECRET`' },
      ],
    },
    {
      name: 'Secret data keys (base64 values)',
      files: secret('data', { AWS_SECRET_ACCESS_KEY: b64(AWS_SECRET), 'aws.session.token': b64('token') }),
      findings: [
        { line: 7, message: 'key `AWS_SECRET_ACCESS_KEY`' },
        { line: 8, message: 'an AWS session token in key `aws.session.token`' },
      ],
    },
    {
      name: 'a GCP key JSON in stringData',
      files: secret('stringData', { 'key.json': GCP_KEY_JSON }),
      line: 7,
      message: 'holds a GCP service-account key in key `key.json`',
      notMessage: [PRIVATE_KEY, 'shop-prod'],
    },
    {
      name: 'a GCP key JSON in base64 data',
      files: secret('data', { 'credentials.json': b64(GCP_KEY_JSON) }),
      line: 7,
      message: 'holds a GCP service-account key in key `credentials.json`',
    },
    {
      name: 'an AWS credentials file in stringData',
      files: secret('stringData', {
        credentials: `[default]\naws_access_key_id = ${AWS_KEY_ID}\naws_secret_access_key = ${AWS_SECRET}\n`,
      }),
      line: 7,
      message: 'an AWS credentials file in key `credentials`',
    },
  ],
});

describe('static-cloud-credentials never prints secret values', () => {
  const files = {
    'secret.yaml': secret('stringData', {
      aws_access_key_id: AWS_KEY_ID,
      aws_secret_access_key: AWS_SECRET,
      azure_client_secret: AZURE_SECRET,
      'key.json': GCP_KEY_JSON,
    }),
    'secret-b64.yaml': secret('data', {
      'sa.json': b64(GCP_KEY_JSON),
      AWS_SECRET_ACCESS_KEY: b64(AWS_SECRET),
    }),
    'deploy.yaml': withEnv('AWS_SECRET_ACCESS_KEY', AWS_SECRET),
    'pod.yaml': withEnv('UPLOADER', AWS_KEY_ID).replace('name: exporter', 'name: uploader'),
  };

  it('reports every credential', () => {
    expect(findingsOf(scan(files), RULE)).toHaveLength(8);
  });

  it('no finding message contains a secret value', () => {
    const result = scan(files);
    for (const finding of result.findings) {
      for (const value of SECRET_VALUES) expect(finding.message).not.toContain(value);
    }
  });

  it('the serialised result (fixes, identities, everything) contains no secret value', () => {
    const serialised = JSON.stringify(scan(files));
    for (const value of SECRET_VALUES) {
      expect(serialised).not.toContain(value);
      expect(serialised).not.toContain(b64(value).slice(0, 16));
    }
  });
});

describe('static-cloud-credentials: where the value comes from', () => {
  it.each([
    ['value', 'written in the manifest'],
    ['secret', 'read from a Secret'],
    ['configMap', 'read from a ConfigMap'],
  ] as const)('says a %s variable is %s', (kind, words) => {
    const [finding] = findingsOf(scan(withEnv('AWS_SECRET_ACCESS_KEY', 'aws-secret', kind)), RULE);
    expect(finding!.message).toContain(`(${words})`);
  });
});

it('static-cloud-credentials says when the Secret reference is optional', () => {
  const text = withEnv('AWS_SECRET_ACCESS_KEY', 'aws-secret', 'secret').replace(
    'key: aws-secret}',
    'key: aws-secret, optional: true}',
  );
  const [finding] = findingsOf(scan(text), RULE);
  expect(finding!.message).toContain('(read from a Secret when it holds the key: `optional: true`)');
});
