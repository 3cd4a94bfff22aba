import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type ParsedNode } from 'yaml';
import { type Exemption } from '../core/suppress.js';
import { type Severity, isSeverity } from '../core/types.js';
import { nearest } from '../core/words.js';
import { CATALOG } from '../rules/catalog.generated.js';
import type { Preset, RuleMeta } from '../rules/types.js';
import { RULE_DOCS_URL } from '../version.js';
import { ConfigurationError } from './errors.js';
import { KUBE_VERSION_PATTERN, NAMESPACE_PATTERN, RELEASE_NAME_PATTERN, configSchema } from './schema.js';

export const DEFAULT_CONFIG_PATHS = ['.github/kube-token-guard.yml', '.github/kube-token-guard.yaml'];

export interface RuleSetting {
  enabled: boolean;
  /** Configured severity; null keeps the rule's own (including its escalations). */
  severity: Severity | null;
  options: Record<string, unknown>;
}

export interface ChartSetting {
  path: string;
  release: string | null;
  namespace: string | null;
  values: string[];
  set: Record<string, string>;
  kubeVersion: string | null;
}

export interface ResolvedConfig {
  /** The file the config came from, or null for the embedded defaults. */
  file: string | null;
  preset: Preset;
  failOn: Severity | 'none';
  report: 'new' | 'all';
  defaultNamespace: string;
  kubeVersion: string;
  /** Charts with render settings; charts found and not listed render with defaults. */
  charts: ChartSetting[];
  /** Whether charts are rendered and overlays built; off, each is named in a notice instead. */
  render: boolean;
  /** Whether each render is an install of its own with the plain manifests, or everything is one cluster. */
  installs: 'separate' | 'together';
  /** Globs of plain files that are each an install of their own. */
  installFiles: string[];
  /** Overlays to build, or null to build every overlay found. */
  overlays: string[] | null;
  include: string[];
  exclude: string[];
  rules: Record<string, RuleSetting>;
  exemptions: Exemption[];
  /** Globs over `namespace/name` of workloads that call the API (RBAC kept elsewhere). */
  apiClients: string[];
}

const PRESET_FAIL_ON: Record<Preset, Severity> = { recommended: 'high', strict: 'medium' };
const MAX_REPORTED_ERRORS = 10;

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(configSchema());
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

function catalog(): RuleMeta[] {
  return Object.values(CATALOG as Record<string, RuleMeta>);
}

/** The configuration used when the repository has no config file. */
export function defaultConfig(): ResolvedConfig {
  return resolveConfig({}, null);
}

/** Parses and validates a config file; every problem (up to 10) is reported with its line and property. */
export function parseConfig(text: string, file: string): ResolvedConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const several = doc.errors.find((error) => error.code === 'MULTIPLE_DOCS');
  if (several) {
    const line = several.pos ? lines.linePos(several.pos[0]).line : 1;
    throw new ConfigurationError(
      `${file}:${line}: a second YAML document starts here; the config is one map of settings, without \`---\` between them`,
    );
  }
  if (doc.errors.length > 0) {
    throw new ConfigurationError(
      `${file}: invalid YAML`,
      doc.errors.slice(0, MAX_REPORTED_ERRORS).map((error) => {
        const line = error.pos ? lines.linePos(error.pos[0]).line : 1;
        return `${file}:${line}: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch {
    throw new ConfigurationError(`${file}: invalid YAML`, [
      `${file}: more aliases than a configuration needs`,
    ]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`${file}:1: the configuration must be a map of settings`);
  }
  const errors = relevantErrors(validate(value));
  if (errors.length > 0) {
    const located = errors.map((error) => {
      const path = pathOf(error);
      const line = lineOf(doc.contents as ParsedNode | null, path, lines);
      const property = path.length > 0 ? path.join('.') : '(top level)';
      return { line, text: `${file}:${line}: ${property}: ${describe(error, path)}` };
    });
    located.sort((a, b) => a.line - b.line);
    const details = located.slice(0, MAX_REPORTED_ERRORS).map((entry) => entry.text);
    if (errors.length > MAX_REPORTED_ERRORS)
      details.push(`… and ${errors.length - MAX_REPORTED_ERRORS} more`);
    throw new ConfigurationError(`${file}: invalid configuration`, details);
  }
  return resolveConfig(value as RawConfig, file);
}

interface RawConfig {
  extends?: Preset;
  'fail-on'?: Severity | 'none';
  report?: 'new' | 'all';
  'default-namespace'?: string;
  'kube-version'?: string;
  charts?: {
    path: string;
    release?: string;
    namespace?: string;
    values?: string[];
    set?: Record<string, string | number | boolean>;
    'kube-version'?: string;
  }[];
  render?: boolean;
  installs?: 'separate' | 'together';
  'install-files'?: string[];
  overlays?: string[];
  include?: string[];
  exclude?: string[];
  'api-clients'?: string[];
  rules?: Record<string, string | Record<string, unknown>>;
  exemptions?: {
    rule?: string;
    rules?: string[];
    kinds?: string[];
    namespaces?: string[];
    names?: string[];
    paths?: string[];
    reason: string;
  }[];
}

function resolveConfig(raw: RawConfig, file: string | null): ResolvedConfig {
  const preset = raw.extends ?? 'recommended';
  const rules: Record<string, RuleSetting> = {};
  for (const meta of catalog()) {
    const options: Record<string, unknown> = {};
    for (const [name, option] of Object.entries(meta.options)) options[name] = option.default;
    rules[meta.id] = { enabled: meta.presets.includes(preset), severity: null, options };
  }
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    const rule = rules[id]!;
    const { severity, ...options } = typeof setting === 'string' ? { severity: setting } : setting;
    if (severity === 'off') rule.enabled = false;
    else if (severity === 'on') rule.enabled = true;
    else if (isSeverity(severity)) {
      rule.enabled = true;
      rule.severity = severity;
    } else if (typeof setting === 'object') {
      rule.enabled = true;
    }
    Object.assign(rule.options, options);
  }
  return {
    file,
    preset,
    failOn: raw['fail-on'] ?? PRESET_FAIL_ON[preset],
    report: raw.report ?? 'new',
    defaultNamespace: raw['default-namespace'] ?? 'default',
    kubeVersion: (raw['kube-version'] ?? '1.31.0').replace(/^v/, ''),
    charts: (raw.charts ?? []).map((chart) => ({
      path: normalisePath(chart.path),
      release: chart.release ?? null,
      namespace: chart.namespace ?? null,
      values: (chart.values ?? []).map(normalisePath),
      set: Object.fromEntries(Object.entries(chart.set ?? {}).map(([key, value]) => [key, String(value)])),
      kubeVersion: chart['kube-version']?.replace(/^v/, '') ?? null,
    })),
    render: raw.render ?? true,
    installs: raw.installs ?? 'separate',
    installFiles: (raw['install-files'] ?? []).map(normalisePath),
    overlays: raw.overlays ? raw.overlays.map(normalisePath) : null,
    include: raw.include ?? ['**/*.yaml', '**/*.yml', '**/*.json'],
    exclude: raw.exclude ?? ['**/node_modules/**'],
    apiClients: raw['api-clients'] ?? [],
    rules,
    exemptions: (raw.exemptions ?? []).map((exemption) => ({
      rules: exemption.rules ?? (exemption.rule ? [exemption.rule] : null),
      kinds: exemption.kinds ?? null,
      namespaces: exemption.namespaces ?? null,
      names: exemption.names ?? null,
      paths: exemption.paths ?? null,
      reason: exemption.reason.trim(),
    })),
  };
}

/** Repository paths as the scanner writes them: forward slashes, no `./` or trailing slash, `` for the root. */
function normalisePath(path: string): string {
  const normalised = path
    .replace(/\\/g, '/')
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  return normalised === '.' ? '' : normalised;
}

/** `anyOf` failures come with one error per branch; keep the most specific ones. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(
    errors.filter((error) => error.keyword === 'anyOf').map((error) => error.instancePath),
  );
  // A branch's own type/enum error at the anyOf's path says less than the anyOf summary or the other branch's errors.
  // A key that fails `propertyNames` is reported by its own pattern error, which names the key.
  errors = errors.filter((error) => error.keyword !== 'propertyNames');
  const kept = errors.filter(
    (error) =>
      !(anyOfPaths.has(error.instancePath) && (error.keyword === 'type' || error.keyword === 'enum')),
  );
  return kept.filter(
    (error) =>
      error.keyword !== 'anyOf' ||
      !kept.some(
        (other) =>
          other.keyword !== 'anyOf' &&
          (other.instancePath === error.instancePath ||
            other.instancePath.startsWith(`${error.instancePath}/`)),
      ),
  );
}

function pathOf(error: ErrorObject): string[] {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return path;
}

/** What a pattern of the schema asks for, in words. */
const PATTERN_TEXT: Record<string, string> = {
  [RELEASE_NAME_PATTERN]:
    'must be a Helm release name: lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit',
  [NAMESPACE_PATTERN]:
    'must be a namespace name: lower-case letters, digits and `-`, starting and ending with a letter or digit',
  [KUBE_VERSION_PATTERN]: 'must be a Kubernetes version such as 1.31.0',
};

function describe(error: ErrorObject, path: string[]): string {
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(error.params.additionalProperty);
      if (path.length === 2 && path[0] === 'rules') {
        const near = nearest(name, Object.keys(CATALOG));
        return `unknown rule${near ? `; did you mean \`${near}\`?` : ''} (the rules: ${RULE_DOCS_URL})`;
      }
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const near = nearest(name, known);
      return `unknown setting${near ? `; did you mean \`${near}\`?` : ''}`;
    }
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((value) => String(value)).join(', ')}`;
    case 'anyOf':
      return 'must be `off`, `on`, a severity (info, low, medium, high, critical), or a map with `severity` and the rule options';
    case 'required':
      return `\`${String(error.params.missingProperty)}\` is required`;
    case 'pattern':
      if (error.propertyName !== undefined)
        return `key ${JSON.stringify(error.propertyName)} must be a values path without \`=\`, \`,\` or line breaks`;
      return error.instancePath.endsWith('/reason')
        ? 'must not be empty'
        : (PATTERN_TEXT[String(error.params.pattern)] ?? `must match ${String(error.params.pattern)}`);
    default:
      return error.message ?? 'is invalid';
  }
}

/** Line of the deepest node along `path` that exists in the config document. */
function lineOf(root: ParsedNode | null, path: string[], lines: LineCounter): number {
  let node: ParsedNode | null | undefined = root;
  let offset = root?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
      if (!pair) break;
      const key = pair.key as ParsedNode;
      if (key.range) offset = key.range[0];
      node = pair.value as ParsedNode | null;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as ParsedNode | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else {
      break;
    }
  }
  return lines.linePos(offset).line;
}
