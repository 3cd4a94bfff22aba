import { CATALOG } from '../rules/catalog.generated.js';
import { PRESETS, type RuleMeta } from '../rules/types.js';
import { SEVERITIES } from '../core/types.js';

/** Helm's rule for release names; `helm template` refuses any other. */
export const RELEASE_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** A namespace is a DNS label (RFC 1123), at most 63 characters. */
export const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** `1.31`, `1.31.0` or `v1.31.0`. */
export const KUBE_VERSION_PATTERN = '^v?\\d+\\.\\d+(\\.\\d+)?$';

const stringList = (description: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1 },
  description,
});

function ruleSchema(meta: RuleMeta): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(meta.options)) options[name] = option;
  return {
    description: `${meta.title}. Default severity: ${meta.severity}. \`off\` disables it; a severity replaces the rule's own.`,
    anyOf: [
      { enum: ['off', 'on', ...SEVERITIES] },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          severity: {
            enum: ['off', 'on', ...SEVERITIES],
            description: 'Severity of every finding of the rule, or off.',
          },
          ...options,
        },
      },
    ],
  };
}

/** The JSON Schema of `.github/kube-token-guard.yml`, written to `schema/` for editors by `npm run docs`. */
export function configSchema(): Record<string, unknown> {
  const rules: Record<string, unknown> = {};
  for (const meta of Object.values(CATALOG as Record<string, RuleMeta>)) rules[meta.id] = ruleSchema(meta);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'kube-token-guard configuration',
    description: 'Configuration of kube-token-guard, read from .github/kube-token-guard.yml.',
    type: 'object',
    additionalProperties: false,
    properties: {
      extends: {
        enum: [...PRESETS],
        default: 'recommended',
        description:
          'Preset to start from: `recommended` (default) or `strict` (adds missing-service-account, fails on medium).',
      },
      'fail-on': {
        enum: [...SEVERITIES, 'none'],
        description:
          'Lowest severity that fails the check (new findings only in a pull request, unless `report: all`). Default: high (medium with strict). `none` never fails.',
      },
      report: {
        enum: ['new', 'all'],
        default: 'new',
        description:
          'In a pull request, whether `fail-on` applies to the findings the pull request introduces (`new`) or to every finding in the changed files (`all`).',
      },
      'default-namespace': {
        type: 'string',
        pattern: NAMESPACE_PATTERN,
        maxLength: 63,
        default: 'default',
        description: 'Namespace of resources that set none and are not rendered into one.',
      },
      'kube-version': {
        type: 'string',
        pattern: KUBE_VERSION_PATTERN,
        default: '1.31.0',
        description: 'Kubernetes version Helm charts are rendered for (`helm template --kube-version`).',
      },
      charts: {
        type: 'array',
        description:
          'How to render Helm charts. A chart listed here is rendered once per entry with its settings; charts found but not listed are rendered with their own values, the chart name as release and `default-namespace`.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['path'],
          properties: {
            path: {
              type: 'string',
              minLength: 1,
              description: 'Folder of the chart (holding Chart.yaml), relative to the repository root.',
            },
            release: {
              type: 'string',
              pattern: RELEASE_NAME_PATTERN,
              maxLength: 53,
              description:
                'Release name, as Helm allows it (lower-case letters, digits, `-` and `.`, at most 53). Default: the chart name.',
            },
            namespace: {
              type: 'string',
              pattern: NAMESPACE_PATTERN,
              maxLength: 63,
              description: 'Namespace to render into. Default: `default-namespace`.',
            },
            values: stringList('Values files, relative to the repository root, in order.'),
            set: {
              type: 'object',
              propertyNames: { pattern: '^[^=,\\r\\n]+$' },
              additionalProperties: { type: ['string', 'number', 'boolean'] },
              description: 'Values set on the command line (`--set key=value`).',
            },
            'kube-version': {
              type: 'string',
              pattern: KUBE_VERSION_PATTERN,
              description: 'Overrides the top-level `kube-version`.',
            },
          },
        },
      },
      render: {
        type: 'boolean',
        default: true,
        description:
          'Render Helm charts and build kustomize overlays (with helm and kustomize, which must be installed). `false` leaves them unchecked, knowingly: each is named in a notice.',
      },
      installs: {
        enum: ['separate', 'together'],
        default: 'separate',
        description:
          'What is one cluster. `separate`: each chart render and each overlay build is an install of its own, applied with the plain manifests, so ServiceAccounts, bindings and shared accounts are resolved within it, never across alternatives (`dev` and `prod` overlays, an HA install beside a plain one). `together`: everything scanned is one cluster.',
      },
      'install-files': {
        ...stringList(
          'Globs of plain files that are each a whole install on their own (a generated `install.yaml` beside `ha/install.yaml`): with `installs: separate`, each is one install with the other plain manifests, never with another of them.',
        ),
        default: [],
      },
      overlays: {
        ...stringList(
          'Kustomize overlays to build, relative to the repository root. Default: every folder with a kustomization that no other kustomization includes.',
        ),
      },
      include: {
        ...stringList('Globs of files to scan, relative to the repository root.'),
        default: ['**/*.yaml', '**/*.yml', '**/*.json'],
      },
      exclude: {
        ...stringList('Globs of files never to scan, relative to the repository root.'),
        default: ['**/node_modules/**'],
      },
      rules: {
        type: 'object',
        additionalProperties: false,
        description: 'Per-rule settings: `off`, a severity, or a map with `severity` and the rule options.',
        properties: rules,
      },
      'api-clients': {
        ...stringList(
          'Workloads that call the Kubernetes API, as globs over `namespace/name` (e.g. `monitoring/prometheus-*`): for RBAC kept outside the scanned files. No fix removes their token; see the automount-token rule.',
        ),
        default: [],
      },
      exemptions: {
        type: 'array',
        description:
          'Findings not to report (counted as suppressed). Every filter given must match; globs except for rule ids.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: {
            rule: { type: 'string', enum: Object.keys(CATALOG), description: 'A rule id.' },
            rules: {
              type: 'array',
              items: { type: 'string', enum: Object.keys(CATALOG) },
              description: 'Rule ids.',
            },
            kinds: stringList('Resource kinds (globs).'),
            namespaces: stringList('Namespaces (globs).'),
            names: stringList('Resource names (globs).'),
            paths: stringList('File paths relative to the repository root (globs).'),
            reason: {
              type: 'string',
              minLength: 1,
              pattern: '\\S',
              description: 'Why the finding is accepted. Required.',
            },
          },
        },
      },
    },
  };
}
