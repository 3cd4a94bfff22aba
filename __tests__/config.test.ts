import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../src/config/config.js';
import { ConfigurationError } from '../src/config/errors.js';
import { RULE_DOCS_URL } from '../src/version.js';
import { yaml } from './helpers.js';

const FILE = '.github/kube-token-guard.yml';

function configError(text: string): ConfigurationError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('defaults', () => {
  it('enables the recommended rules, fails on high, and defaults the namespace', () => {
    const config = defaultConfig();
    expect(config.file).toBeNull();
    expect(config.preset).toBe('recommended');
    expect(config.failOn).toBe('high');
    expect(config.defaultNamespace).toBe('default');
    expect(config.rules['automount-token']).toEqual({
      enabled: true,
      severity: null,
      options: { 'assume-unresolved-mounts': true },
    });
    expect(config.rules['missing-service-account']!.enabled).toBe(false);
    expect(config.rules['projected-token-expiration']!.options['max-expiration-seconds']).toBe(3600);
  });

  it('an empty file is the defaults', () => {
    expect(parseConfig('', FILE).rules).toEqual(defaultConfig().rules);
    expect(parseConfig('# only a comment\n', FILE).failOn).toBe('high');
  });
});

describe('settings', () => {
  it('strict enables missing-service-account and fails on medium', () => {
    const config = parseConfig('extends: strict\n', FILE);
    expect(config.rules['missing-service-account']!.enabled).toBe(true);
    expect(config.failOn).toBe('medium');
  });

  it('turns rules off, sets severities and options', () => {
    const config = parseConfig(
      yaml`
        fail-on: medium
        default-namespace: shop
        rules:
          shared-service-account: off
          default-sa-rbac: critical
          projected-token-expiration:
            severity: high
            max-expiration-seconds: 1800
          projected-token-audience:
            allowed-audiences: [vault, sts.amazonaws.com]
          missing-service-account: on
      `,
      FILE,
    );
    expect(config.failOn).toBe('medium');
    expect(config.defaultNamespace).toBe('shop');
    expect(config.rules['shared-service-account']!.enabled).toBe(false);
    expect(config.rules['default-sa-rbac']).toMatchObject({ enabled: true, severity: 'critical' });
    expect(config.rules['projected-token-expiration']).toEqual({
      enabled: true,
      severity: 'high',
      options: { 'max-expiration-seconds': 1800 },
    });
    expect(config.rules['projected-token-audience']!.options['allowed-audiences']).toEqual([
      'vault',
      'sts.amazonaws.com',
    ]);
    expect(config.rules['missing-service-account']!.enabled).toBe(true);
  });

  it('reads exemptions', () => {
    const config = parseConfig(
      yaml`
        exemptions:
          - rule: automount-token
            namespaces: [kube-system]
            names: ["argocd-*"]
            reason: operators call the API
      `,
      FILE,
    );
    expect(config.exemptions).toEqual([
      {
        rules: ['automount-token'],
        kinds: null,
        namespaces: ['kube-system'],
        names: ['argocd-*'],
        paths: null,
        reason: 'operators call the API',
      },
    ]);
  });
});

describe('errors name file, line and property', () => {
  it('reports an unknown top-level setting', () => {
    const error = configError('extends: recommended\nfail_on: high\n');
    expect(error.details).toEqual([`${FILE}:2: fail_on: unknown setting; did you mean \`fail-on\`?`]);
  });

  it('reports an unknown rule and a bad severity', () => {
    const error = configError(
      yaml`
        rules:
          automount-token: hgih
          no-such-rule: off
      `,
    );
    expect(error.details).toContain(
      `${FILE}:2: rules.automount-token: must be \`off\`, \`on\`, a severity (info, low, medium, high, critical), or a map with \`severity\` and the rule options`,
    );
    expect(error.details).toContain(
      `${FILE}:3: rules.no-such-rule: unknown rule (the rules: ${RULE_DOCS_URL})`,
    );
  });

  it('names the rule an unknown rule id is closest to', () => {
    const error = configError('rules:\n  automount-tokens: off\n');
    expect(error.details).toEqual([
      `${FILE}:2: rules.automount-tokens: unknown rule; did you mean \`automount-token\`? (the rules: ${RULE_DOCS_URL})`,
    ]);
  });

  it('refuses a config of several YAML documents, at the line the second starts', () => {
    const error = configError('fail-on: high\n---\nfail-on: low\n');
    expect(error.message).toBe(
      `${FILE}:2: a second YAML document starts here; the config is one map of settings, without \`---\` between them`,
    );
    expect(error.message).not.toMatch(/parseAllDocuments/);
  });

  it('reports a bad option inside a rule map', () => {
    const error = configError(
      yaml`
        rules:
          projected-token-expiration:
            max-expiration-seconds: 60
            max-expiry: 10
      `,
    );
    expect(error.details).toEqual([
      `${FILE}:3: rules.projected-token-expiration.max-expiration-seconds: must be >= 600`,
      `${FILE}:4: rules.projected-token-expiration.max-expiry: unknown setting`,
    ]);
  });

  it('requires a reason for every exemption', () => {
    const error = configError(
      yaml`
        exemptions:
          - rule: automount-token
            names: [web]
          - rule: automount-token
            reason: "  "
      `,
    );
    expect(error.details).toEqual([
      `${FILE}:2: exemptions.0: \`reason\` is required`,
      `${FILE}:5: exemptions.1.reason: must not be empty`,
    ]);
  });

  it('lists at most 10 problems', () => {
    const lines = Array.from({ length: 14 }, (_, index) => `unknown-${index}: 1`).join('\n');
    const error = configError(lines);
    expect(error.details).toHaveLength(11);
    expect(error.details[10]).toBe('… and 4 more');
    expect(error.details[0]).toBe(`${FILE}:1: unknown-0: unknown setting`);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = configError('rules:\n  automount-token: [off\n');
    expect(error.message).toContain(`${FILE}: invalid YAML`);
    expect(error.details[0]).toMatch(new RegExp(`^${FILE.replace(/\./g, '\\.')}:\\d+: `));
  });

  it('rejects a config that is not a map', () => {
    expect(configError('- a\n- b\n').message).toBe(`${FILE}:1: the configuration must be a map of settings`);
  });

  it('rejects a bad fail-on and namespace', () => {
    const error = configError('fail-on: severe\ndefault-namespace: Not_Valid\n');
    expect(error.details).toEqual([
      `${FILE}:1: fail-on: must be one of info, low, medium, high, critical, none`,
      `${FILE}:2: default-namespace: must be a namespace name: lower-case letters, digits and \`-\`, starting and ending with a letter or digit`,
    ]);
  });
});

describe('render settings', () => {
  it('reads charts, overlays and the kube version, normalising paths', () => {
    const config = parseConfig(
      yaml`
        kube-version: v1.30
        charts:
          - path: ./charts/web/
            release: web
            values: [charts/web/values-prod.yaml]
            set: {replicaCount: 2, serviceAccount.create: false}
        overlays: [deploy/prod]
      `,
      FILE,
    );
    expect(config.kubeVersion).toBe('1.30');
    expect(config.charts).toEqual([
      {
        path: 'charts/web',
        release: 'web',
        namespace: null,
        values: ['charts/web/values-prod.yaml'],
        set: { replicaCount: '2', 'serviceAccount.create': 'false' },
        kubeVersion: null,
      },
    ]);
    expect(config.overlays).toEqual(['deploy/prod']);
    expect(defaultConfig().overlays).toBeNull();
  });

  it('names a bad chart entry by file, line and property', () => {
    const error = configError('charts:\n  - path: web\n    valuesFiles: [a.yaml]\n  - release: x\n');
    expect(error.details).toEqual([
      `${FILE}:3: charts.0.valuesFiles: unknown setting`,
      `${FILE}:4: charts.1: \`path\` is required`,
    ]);
  });
});
