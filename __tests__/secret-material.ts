/**
 * Manifests holding planted secret material, for the secret-hygiene tests of the CLI and of the Action: every value
 * here is distinctive, and none of them, in any encoding, may come back out of the tool.
 *
 * The files put secrets where a careless output would quote them: right next to the lines fixes change (a Namespace
 * followed by a one-line token Secret, a default ServiceAccount followed by a Secret, a container whose credential
 * sits within three lines of the automount insertion), on the same line as a fix (a one-line JSON List, a flow-style
 * Pod), in annotations that copy a Secret (`last-applied-configuration`), in env values of containers, and in a
 * Secret mounted by a pod.
 */

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The planted values, by what they stand for. Fake, and each unique to these tests. */
export const PLANTED = {
  legacyToken: 'eyJhbGciOiJSUzI1NiJ9.ktgPlantedLegacyTokenBody.ktgPlantedSignature',
  awsKeyId: 'AKIAKTGPLANTED00001Z',
  awsSecretKey: 'ktgPlantedAwsSecret/9f8e7d6c5b4a3210+XyZwv',
  awsSessionToken: 'ktgPlantedSessionToken//FwoGZXIvYXdzEJr',
  azureClientSecret: 'ktgPlantedAzure~Secret.Q8w7e6r5t4y3',
  gcpPrivateKey: 'MIIEvktgPlantedGcpPrivateKeyBodyAAAAQQ',
  gcpKeyId: 'ktgplantedgcpkeyid0123456789abcdef',
  opaquePassword: 'ktgPlantedOpaquePassword#42!',
  envOnlyKeyId: 'AKIAKTGPLANTEDENV99Q',
  chartDbPassword: 'ktgPlantedChartDbPassword#1',
  chartApiToken: 'ktgPlantedChartApiToken-2b',
  kustomizeLiteral: 'ktgPlantedKustomizeLiteral3c',
} as const;

const GCP_KEY_JSON = JSON.stringify({
  type: 'service_account',
  project_id: 'ktg-test',
  private_key_id: PLANTED.gcpKeyId,
  private_key: `-----BEGIN PRIVATE KEY-----\n${PLANTED.gcpPrivateKey}\n-----END PRIVATE KEY-----\n`,
  client_email: 'exporter@ktg-test.iam.gserviceaccount.com',
});

/** Every text that must not appear: each value as written, base64-encoded, and the GCP key document in both forms. */
export function forbiddenForms(): { name: string; text: string }[] {
  const forms: { name: string; text: string }[] = [];
  for (const [name, value] of Object.entries(PLANTED)) {
    forms.push({ name, text: value }, { name: `${name} (base64)`, text: b64(value) });
  }
  forms.push({ name: 'GCP key JSON (base64)', text: b64(GCP_KEY_JSON) });
  // Fragments catch partial quoting (a truncated line, a value split across a wrapped line).
  forms.push({ name: 'fragment ktgPlanted', text: 'ktgPlanted' });
  return forms;
}

/** The planted forms found in a text (compared without case), named, so a failure says what leaked and where. */
export function leaksIn(text: string): string[] {
  const lower = text.toLowerCase();
  return forbiddenForms()
    .filter((form) => lower.includes(form.text.toLowerCase()))
    .map((form) => form.name);
}

/** The manifests, by path, all scanned together. */
export const SECRET_MANIFESTS: Record<string, string> = {
  // The namespace-default-sa fix appends right after the Namespace: the token Secret's data is on the next line but one.
  'deploy/namespace.yaml': [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    '  name: ledger',
    '---',
    `{apiVersion: v1, kind: Secret, type: kubernetes.io/service-account-token, metadata: {name: legacy-token, namespace: payments, annotations: {kubernetes.io/service-account.name: api}}, data: {token: ${b64(PLANTED.legacyToken)}}}`,
    '',
  ].join('\n'),
  // default-sa-automount adds a last key to the ServiceAccount, the line before a Secret with cloud keys.
  'deploy/cloud-secrets.yaml': [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: default',
    '  namespace: payments',
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: cloud',
    '  namespace: payments',
    '  annotations:',
    `    kubectl.kubernetes.io/last-applied-configuration: '${JSON.stringify({ apiVersion: 'v1', kind: 'Secret', stringData: { aws_secret_access_key: PLANTED.awsSecretKey } })}'`,
    'type: Opaque',
    'stringData:',
    `  aws_access_key_id: ${PLANTED.awsKeyId}`,
    `  aws_secret_access_key: "${PLANTED.awsSecretKey}"`,
    `  AZURE_CLIENT_SECRET: '${PLANTED.azureClientSecret}'`,
    `  password: "${PLANTED.opaquePassword}"`,
    'data:',
    `  gcp-key.json: ${b64(GCP_KEY_JSON)}`,
    `  aws_session_token: ${b64(PLANTED.awsSessionToken)}`,
    '',
  ].join('\n'),
  // Literal credentials in env; the first container is one line, right below where automount is inserted.
  'deploy/billing.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: billing',
    '  namespace: payments',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - {name: app, image: billing:1, env: [{name: AWS_SECRET_ACCESS_KEY, value: "${PLANTED.awsSecretKey}"}]}`,
    '        - name: sidecar',
    '          image: proxy:1',
    '          env:',
    `            - {name: AWS_ACCESS_KEY_ID, value: ${PLANTED.awsKeyId}}`,
    '            - name: AZURE_CLIENT_SECRET',
    `              value: ${PLANTED.azureClientSecret}`,
    '            - name: UPSTREAM_KEY',
    `              value: ${PLANTED.envOnlyKeyId}`,
    '            - name: AWS_SESSION_TOKEN',
    '              value: |',
    `                ${PLANTED.awsSessionToken}`,
    '            - name: TOKEN',
    '              valueFrom: {secretKeyRef: {name: legacy-token, key: token}}',
    '      volumes:',
    '        - name: token',
    '          secret: {secretName: legacy-token}',
    '',
  ].join('\n'),
  // One line holds a workload and a Secret: a fix on that line would quote the Secret.
  'deploy/bundle.json': `${JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'exporter', namespace: 'payments' },
        spec: { template: { spec: { containers: [{ name: 'exporter', image: 'exporter:1' }] } } },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'exporter-gcp', namespace: 'payments' },
        data: { 'key.json': b64(GCP_KEY_JSON), password: b64(PLANTED.opaquePassword) },
      },
    ],
  })}\n`,
  // A flow-style Pod on one line: its credential shares the line with the automount insertion.
  'deploy/flow-pod.yaml': `{apiVersion: v1, kind: Pod, metadata: {name: tool, namespace: payments}, spec: {containers: [{name: tool, image: busybox, env: [{name: AWS_SECRET_ACCESS_KEY, value: "${PLANTED.awsSecretKey}"}]}]}}\r\n`,
  // A suppression on a Secret: its reason is printed, its data is not.
  'deploy/suppressed.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: vendor',
    '  namespace: payments',
    '  annotations:',
    '    kube-token-guard.io/ignore: "static-cloud-credentials: vendor has no federation yet"',
    'stringData:',
    `  AWS_SECRET_ACCESS_KEY: ${PLANTED.awsSecretKey}`,
    '',
  ].join('\n'),
};

/** The rules the manifests must trigger, so a test that finds no leak is not a test that found nothing at all. */
export const EXPECTED_RULES = [
  'automount-token',
  'default-sa-automount',
  'legacy-token-mount',
  'legacy-token-secret',
  'namespace-default-sa',
  'static-cloud-credentials',
];

/** A chart whose ServiceAccount automounting is a value, so its fix is made in values.yaml, next to a credential. */
function chartWithCredentialValues(name: string, values: string): Record<string, string> {
  return {
    [`charts/${name}/Chart.yaml`]: `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
    [`charts/${name}/values.yaml`]: values,
    [`charts/${name}/templates/workload.yaml`]: [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  annotations:',
      `    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/${name}`,
      'automountServiceAccountToken: {{ .Values.serviceAccount.automount }}',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  selector:',
      `    matchLabels: {app: ${name}}`,
      '  template:',
      '    metadata:',
      `      labels: {app: ${name}}`,
      '    spec:',
      '      serviceAccountName: {{ .Release.Name }}',
      '      containers:',
      `        - name: ${name}`,
      '          image: {{ .Values.image }}',
      '',
    ].join('\n'),
  };
}

/**
 * Secret material the tool reads outside plain manifests, where it once slipped past the secret filter (automounting
 * left empty: `true` would be explicit consent, which no fix touches): a chart whose values fix (`serviceAccount.automount: false`) lands on the very line of a database password, a chart whose fix sits
 * one line above an API token (a patch's context line), and a kustomize overlay whose secretGenerator literal makes
 * the build fail with an error that quotes every literal. Rendering them needs helm and kustomize.
 */
export const SECRET_SOURCES: Record<string, string> = {
  ...chartWithCredentialValues(
    'web',
    `image: nginx:1.27\nserviceAccount: {automount: null, dbPassword: "${PLANTED.chartDbPassword}"}\n`,
  ),
  ...chartWithCredentialValues(
    'api',
    `image: nginx:1.27\nserviceAccount:\n  automount: null\n  apiToken: "${PLANTED.chartApiToken}"\n`,
  ),
  'deploy/db/kustomization.yaml': [
    'secretGenerator:',
    '  - name: db',
    '    literals:',
    `      - url=postgres://app:${PLANTED.kustomizeLiteral}@db:5432/app`,
    '      - not-a-pair',
    '',
  ].join('\n'),
};
