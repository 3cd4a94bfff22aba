/**
 * The secret filter (src/core/redact.ts): what it learns from a scan and from any text, what it leaves alone, and that
 * redacting keeps JSON valid. The end-to-end guarantees (nothing planted comes out of the CLI or the Action) are in
 * hostile/secrets.test.ts, hostile/secrets.e2e.test.ts and the secret-hygiene tests.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_SHAPES, credentialPairs, isCredentialKey } from '../src/core/credentials.js';
import { MIN_SECRET_LENGTH, REDACTED, SecretFilter } from '../src/core/redact.js';
import { defaultConfig } from '../src/config/config.js';
import { scanFiles } from '../src/core/scan.js';
import { registry } from '../src/rules/index.js';
import { scan, yaml } from './helpers.js';
import { PLANTED, SECRET_MANIFESTS, forbiddenForms, leaksIn } from './secret-material.js';

/** A filter that learned what a scan of `files` read, as the CLI and the Action teach it. */
function learned(files: Record<string, string>): SecretFilter {
  const secrets = new SecretFilter();
  const list = Object.entries(files).map(([path, text]) => ({ path, text }));
  secrets.addAll(scanFiles(list, defaultConfig(), undefined, { credentials: true }).secretValues);
  return secrets;
}

describe('SecretFilter', () => {
  it('learns from a scan what learning its texts and its objects teaches, when the scan is asked for credentials', () => {
    const list = Object.entries(SECRET_MANIFESTS).map(([path, text]) => ({ path, text }));
    // A credential in no Secret and no variable: only the text says it is one.
    list.push({
      path: 'settings.yaml',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata:\n  db_password: text-only-credential-1\n',
    });
    const fromTexts = new SecretFilter();
    fromTexts.learnScan(list, scan(list));
    const found = scanFiles(list, defaultConfig(), undefined, { credentials: true }).secretValues;
    const fromScan = new SecretFilter();
    fromScan.addAll(found);
    const texts = list.flatMap((file) => credentialPairs(file.text).map((pair) => pair.value));
    expect(texts.length).toBeGreaterThan(3);
    for (const value of texts) expect(found, value).toContain(value);
    // Without `credentials` (a fix's or a probe's scan), the objects' values alone.
    expect(scan(list).secretValues).not.toContain('text-only-credential-1');
    expect(found).toContain('text-only-credential-1');
    const probe = list.map((file) => file.text).join('\n');
    expect(fromScan.redact(probe)).toBe(fromTexts.redact(probe));
  });

  it('learns every value planted in Secrets, their copies and credential variables, in every form', () => {
    const secrets = learned(SECRET_MANIFESTS);
    const manifests = Object.values(SECRET_MANIFESTS).join('\n');
    const planted = forbiddenForms().filter(
      (form) => !form.name.startsWith('fragment') && manifests.includes(form.text),
    );
    expect(planted.length).toBeGreaterThan(8);
    for (const form of planted) {
      expect(leaksIn(secrets.redact(`before ${form.text} after`)), form.name).toEqual([]);
    }
    // Found only decoded, in the GCP key file: its private key, line by line as a tool could quote it.
    expect(secrets.redact(`key ${PLANTED.gcpPrivateKey}`)).toBe(`key ${REDACTED}`);
  });

  it('learns credential keys in any YAML, JSON or env text, and not the keys that name a reference', () => {
    const secrets = new SecretFilter();
    secrets.learnText(yaml`
      db: {host: db, dbPassword: "long-password-1"}
      api:
        apiKey: long-api-key-2
        clientSecret: 'long-client-secret''3'
        privateKey: |
          long-private-key-4
          second-line-of-it
      secretName: long-secret-name-5
      existingSecret: long-existing-secret-6
      tokenPath: /var/run/long-token-path-7
      passwordFile: /etc/long-password-file-8
      env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: long-ref-name-9, key: password}}}]
      automountServiceAccountToken: true
      templated: {password: "{{ .Values.longTemplated10 }}", token: \${LONG_VARIABLE_11}}
    `);
    secrets.learnText('{"aws_secret_access_key": "long-json-secret-12"}\nAPI_TOKEN=long-env-token-13\n');
    const redacted = (value: string) => secrets.redact(value) === REDACTED;
    for (const value of [
      'long-password-1',
      'long-api-key-2',
      "long-client-secret'3",
      'long-private-key-4\nsecond-line-of-it',
      'long-json-secret-12',
      'long-env-token-13',
    ])
      expect(redacted(value), value).toBe(true);
    for (const value of [
      'long-secret-name-5',
      'long-existing-secret-6',
      '/var/run/long-token-path-7',
      '/etc/long-password-file-8',
      'long-ref-name-9',
      '{{ .Values.longTemplated10 }}',
      '${LONG_VARIABLE_11}',
    ])
      expect(redacted(value), value).toBe(false);
  });

  it('does not learn short values, which would blot out common words everywhere', () => {
    const secrets = new SecretFilter();
    secrets.add('admin');
    secrets.learnText('password: default\n');
    expect(secrets.redact('cluster-admin binds the default ServiceAccount')).toBe(
      'cluster-admin binds the default ServiceAccount',
    );
  });

  it('redacts credential shapes and the values of credential keys it never learned', () => {
    const secrets = new SecretFilter();
    const texts = [
      'key AKIAIOSFODNN7EXAMPLE in use',
      'helm: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- read',
      'token ghp_0123456789abcdefghijABCDEFGHIJ0123456789 expired',
      'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      'literal sources [password=hunter2 user=app]',
    ];
    for (const text of texts) expect(secrets.redact(text), text).toContain(REDACTED);
    expect(secrets.redact(texts[0]!)).toBe(`key ${REDACTED} in use`);
    expect(secrets.redact(texts[5]!)).toBe(`literal sources [password=${REDACTED} user=app]`);
  });

  it("leaves the tool's own texts alone: rule documentation, finding messages and ignore annotations", () => {
    const secrets = learned(SECRET_MANIFESTS);
    for (const { meta } of registry.rules) {
      // What outputs quote of a rule (review comments, SARIF); the examples (docs only) hold a fake AWS key id.
      const texts = [meta.summary, meta.description, meta.rationale, meta.remediation];
      for (const text of texts) expect(secrets.redact(text), meta.id).toBe(text);
    }
    // Messages name keys and resources, never values: nothing in them reads as a credential (`token: it never expires`).
    const fresh = new SecretFilter();
    const unowned =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/service-account-token\n';
    const files = Object.entries({ ...SECRET_MANIFESTS, 'unowned.yaml': unowned });
    const messages = scan(files.map(([path, text]) => ({ path, text }))).findings.map(
      (finding) => finding.message,
    );
    expect(messages.some((message) => message.includes('token: it never expires'))).toBe(true);
    for (const message of messages) expect(fresh.redact(message)).toBe(message);
    const annotation = 'kube-token-guard.io/ignore: "legacy-token-secret: vendor rotates it monthly"';
    expect(secrets.redact(annotation)).toBe(annotation);
    expect(secrets.contains('  automountServiceAccountToken: false')).toBe(false);
  });

  it('keeps JSON valid, whatever a value holds', () => {
    const secrets = new SecretFilter();
    const values = ['quote"and\\backslash', 'n0123456789', 'line\nbreak-value'];
    secrets.addAll(values);
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----';
    const json = JSON.stringify({
      message: values.map((value) => `a \\${value} b ${value}`),
      keys: [key, key.slice(0, 35), 'after'],
      tail: '\\',
    });
    const redacted = secrets.redact(json);
    const parsed = JSON.parse(redacted) as { message: string[]; keys: string[] };
    for (const value of values) expect(parsed.message.join(' ')).not.toContain(value);
    expect(JSON.stringify(parsed)).not.toContain('0123456789');
    expect(parsed.keys).toEqual([REDACTED, REDACTED, 'after']);
  });

  it('contains: a text to quote verbatim that holds a secret, known or next to a credential key', () => {
    const secrets = new SecretFilter();
    secrets.add('known-secret-value');
    expect(secrets.contains('serviceAccount: {automount: false, dbPassword: "x1"}')).toBe(true);
    expect(secrets.contains('  - {name: app, args: [known-secret-value]}')).toBe(true);
    expect(secrets.contains('serviceAccount: {automount: false, create: true}')).toBe(false);
    expect(secrets.linesContaining('a: 1\npassword: |\n  one\n  two\nb: 2\n')).toEqual(new Set([3, 4]));
  });

  it('cleans findings: messages and reasons redacted, fixes that would quote a secret withheld', () => {
    const secrets = new SecretFilter();
    secrets.add('known-secret-value');
    const [finding] = scan(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n',
    ).findings;
    const fix = finding!.fix!;
    const quoting = {
      ...finding!,
      message: 'about known-secret-value',
      fix: { ...fix, replacement: 'known-secret-value' },
    };
    const plain = { ...finding!, fix };
    // Texts repeat across findings (each distinct one is searched once): each finding is cleaned all the same.
    const again = { ...quoting, fix: { ...fix, edits: [{ ...fix.edits[0]!, text: 'known-secret-value' }] } };
    secrets.cleanFindings([quoting, plain, again, { ...plain }]);
    expect(quoting.message).toBe(`about ${REDACTED}`);
    expect(quoting.fix).toBeNull();
    expect(plain.fix).toBe(fix);
    expect(again.message).toBe(`about ${REDACTED}`);
    expect(again.fix).toBeNull();
  });

  it('redacts every occurrence of every value: sharing prefixes, overlapping, at either end, and learned late', () => {
    const secrets = new SecretFilter();
    const values = Array.from({ length: 2000 }, (_, index) => `shared-prefix-value-${index}`);
    secrets.addAll(values);
    expect(secrets.redact('shared-prefix-value-1999')).toBe(REDACTED);
    expect(secrets.redact(`${values[7]} and ${values[70]} and ${values[700]}.`)).toBe(
      `${REDACTED} and ${REDACTED} and ${REDACTED}.`,
    );
    // `shared-prefix-value-` begins every value and is none; `shared-prefix-value-2000` is none but holds `…-200`.
    expect(secrets.redact('shared-prefix-value- shared-prefix-value-2000')).toBe(
      `shared-prefix-value- ${REDACTED}0`,
    );
    // A value starting inside another and reaching past it is redacted whole.
    secrets.addAll(['first-secret-value', 'value-and-second-secret']);
    expect(secrets.redact('(first-secret-value-and-second-secret)')).toBe(`(${REDACTED})`);
    // A value that ends inside a credential's shape does not hide the rest of it.
    secrets.add('aws-key-id=AKIA');
    expect(secrets.redact('aws-key-id=AKIAIOSFODNN7EXAMPLE;')).toBe(`${REDACTED};`);
    // A value learned after the filter's first search is found by the next one.
    expect(secrets.redact('late-learned-value')).toBe('late-learned-value');
    secrets.add('late-learned-value');
    expect(secrets.redact('late-learned-value')).toBe(REDACTED);
  });

  it('reads values literally, whatever characters they hold', () => {
    const secrets = new SecretFilter();
    secrets.addAll(['a.b*c+d?(e)|[f]{2}^$\\g', '秘密の値-ひみつ', 'key-😀😀-end']);
    expect(secrets.redact('a.b*c+d?(e)|[f]{2}^$\\g')).toBe(REDACTED);
    expect(secrets.redact('aXb*c+d?(e)|[f]{2}^$\\g abbbcd e|ff')).toBe('aXb*c+d?(e)|[f]{2}^$\\g abbbcd e|ff');
    expect(secrets.redact('「秘密の値-ひみつ」 key-😀😀-end')).toBe(`「${REDACTED}」 ${REDACTED}`);
  });

  it('redacts what a reference does: each form of each value wherever it is, shapes and credential pairs', () => {
    // Few distinct units, so that values share prefixes and overlap, and texts hold near misses; escapes, quotes and
    // blanks, so that the forms differ; shapes, and values cut from them (a value that begins a shape, ends inside one
    // or starts inside one), and credential keys, so that every kind of span meets the others.
    const shapes = ['AKIAABCDEFGHIJ012345', 'eyJabcd.eyJabcd.sig', 'eyJabcd.eyJabcd.eyJabcd.eyJabcd'];
    const unit = fc.constantFrom(
      'a',
      'b',
      'A',
      '-',
      '.',
      ' ',
      '\\',
      '"',
      '\n',
      'é',
      '😀',
      'AKIA',
      'eyJabcd',
      'ghp_',
    );
    const word = (min: number, max: number) =>
      fc.array(unit, { minLength: min, maxLength: max }).map((units) => units.join(''));
    const cut = (whole: string) =>
      fc.tuple(fc.nat(whole.length), fc.nat(whole.length)).map(([from, to]) => whole.slice(from, to));
    const value = fc.oneof(
      fc.tuple(fc.constantFrom('', 'value-', 'value-value-'), word(2, 10)).map(([stem, tail]) => stem + tail),
      fc.tuple(fc.constantFrom(...shapes).chain(cut), word(0, 2)).map(([part, tail]) => part + tail),
    );
    const setting = fc.array(value, { minLength: 1, maxLength: 12 }).chain((values) => {
      const forms = values.flatMap(formsOf);
      const piece = fc.oneof(
        fc.constantFrom(...values, ...forms),
        fc.constantFrom(...values).chain((whole) => fc.nat(whole.length).map((end) => whole.slice(0, end))),
        fc.constantFrom(...shapes, '\npassword: ', ' token=', '{apiKey: '),
        word(0, 4),
      );
      const text = fc.array(piece, { maxLength: 16 }).map((pieces) => pieces.join(''));
      return fc.record({
        values: fc.constant(values),
        texts: fc.array(text, { minLength: 1, maxLength: 4 }),
      });
    });
    fc.assert(
      fc.property(setting, ({ values, texts }) => {
        const secrets = new SecretFilter();
        secrets.addAll(values);
        for (const text of texts) expect(secrets.redact(text)).toBe(referenceRedact(values, text));
      }),
      { seed: 0x6b7467, numRuns: 300 },
    );
  });

  it('names credentials by the last words of the key', () => {
    for (const key of ['AWS_SECRET_ACCESS_KEY', 'aws_session_token', 'x-api-key', 'ssh-privatekey', 'passwd'])
      expect(isCredentialKey(key), key).toBe(true);
    for (const key of [
      'private_key_id',
      'tls.crt',
      'secretKeyRef',
      'automount-token',
      'tokenExpirationSeconds',
    ])
      expect(isCredentialKey(key), key).toBe(false);
  });
});

/** The forms `SecretFilter.add` learns of a value, but a private key's lines (no value here holds a private key). */
function formsOf(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.length < MIN_SECRET_LENGTH) return [];
  const forms = [
    value,
    trimmed,
    JSON.stringify(trimmed).slice(1, -1),
    Buffer.from(trimmed).toString('base64'),
    Buffer.from(trimmed).toString('base64').replace(/=+$/, ''),
  ];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * A text redacted by the obvious means: every occurrence of every form, found with `indexOf`; what the filter's one
 * RegExp of values and shapes matched before values were searched on their own; the shapes searched on their own;
 * and credential pairs.
 */
function referenceRedact(values: readonly string[], text: string): string {
  const forms = [...new Set(values.flatMap(formsOf))].sort((a, b) => b.length - a.length);
  const spans: [number, number][] = [];
  const found = (start: number, end: number) => {
    let backslashes = 0;
    while (text[start - 1 - backslashes] === '\\') backslashes++;
    spans.push([start - (backslashes % 2), end]);
  };
  for (const form of forms) {
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) found(at, at + form.length);
  }
  const literals = forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const shapes = CREDENTIAL_SHAPES.map((shape) => shape.source);
  for (const sources of [[...literals, ...shapes], shapes]) {
    for (const match of text.matchAll(new RegExp(sources.join('|'), 'g')))
      found(match.index, match.index + match[0].length);
  }
  for (const pair of credentialPairs(text)) spans.push([pair.start, pair.end]);
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let redacted = '';
  let at = 0;
  for (const [start, end] of merged) {
    redacted += text.slice(at, start) + REDACTED;
    at = end;
  }
  return redacted + text.slice(at);
}

describe('plain secret values: Secret data that may be configuration', () => {
  it('are the data of an Opaque Secret under keys that name no credential, and nothing learned another way', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const files = {
      'secrets.yaml': yaml`
        apiVersion: v1
        kind: Secret
        metadata: {name: config, namespace: shop}
        stringData:
          EVENT_SOURCE: payments-api
          DB_PASSWORD: hunter2-hunter2
          SHARED: also-a-token-1
          AWS_FILE: "[default]\\naws_secret_access_key = wJalrXUtnFEMIK7MDENG"
        data:
          REGION: ${b64('eu-central-1x')}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: tls, namespace: shop}
        type: kubernetes.io/tls
        stringData: {tls.crt: certificate-body-1, tls.key: private-key-body-1}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: shop}
        data:
          api_token: also-a-token-1
      `,
    };
    const list = Object.entries(files).map(([path, text]) => ({ path, text }));
    const result = scanFiles(list, defaultConfig(), undefined, { credentials: true });
    expect([...result.plainSecretValues].sort()).toEqual(
      ['payments-api', 'eu-central-1x', b64('eu-central-1x')].sort(),
    );
    for (const value of ['hunter2-hunter2', 'also-a-token-1', 'certificate-body-1', 'private-key-body-1'])
      expect(result.secretValues, value).toContain(value);
  });
});

describe('paths: where findings are placed', () => {
  it('keep a credential that is also a folder or file name, where the path is written whole, and nowhere else', () => {
    const filter = new SecretFilter();
    filter.add('postgres');
    filter.allowPaths([{ path: 'postgres/postgres.yaml' }, { path: 'overlays/postgres' }]);
    expect(
      filter.redact('postgres/postgres.yaml:3: Deployment shop/catalog-postgres, password postgres'),
    ).toBe('postgres/postgres.yaml:3: Deployment shop/catalog-[redacted], password [redacted]');
    expect(filter.redact('via overlay overlays/postgres; overlays/postgresql')).toBe(
      'via overlay overlays/postgres; overlays/[redacted]ql',
    );
    // A folder of a known file is a known path too.
    filter.allowPaths([{ path: 'apps/postgres-db/deploy.yaml' }]);
    expect(filter.redact('in apps/postgres-db (postgres)')).toBe('in apps/postgres-db ([redacted])');
    expect(filter.contains('postgres/postgres.yaml')).toBe(false);
    expect(filter.contains('user: postgres')).toBe(true);
  });
});

describe('base64 forms', () => {
  it('include the base64 of a value without its padding, which a cut at `=` leaves', () => {
    const filter = new SecretFilter();
    filter.add('Tr0ub4dor-and-3-horses');
    const unpadded = Buffer.from('Tr0ub4dor-and-3-horses').toString('base64').replace(/=+$/, '');
    expect(filter.redact(`Pod shop/${unpadded.toLowerCase()} and Pod shop/${unpadded}`)).toBe(
      `Pod shop/${unpadded.toLowerCase()} and Pod shop/[redacted]`,
    );
  });
});
