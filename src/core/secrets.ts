import type { ResolvedConfig } from '../config/config.js';
import { credentialPairs, isCredentialKey } from './credentials.js';
import { type LoadedObject, type PathSegment, loadDocuments } from './load.js';
import { nodeSpanAt } from './locate.js';
import { type Model, buildModel, isRecord } from './model.js';
import { containersOf } from './pod-spec.js';
import type { Finding, SourceFile } from './types.js';

/**
 * Secret material in manifests: what it is, and where it sits in a file's text.
 *
 * Findings name keys and variables, never values. What remains to guard is text the tool quotes from a user's file:
 * the whole lines a fix touches (review suggestions, `fix.replacement`) and the lines around them (patches). Any
 * line that holds a Secret or a literal static cloud credential is treated as secret, and is never quoted.
 */

/** Environment variables the cloud SDKs read static credentials from, with what each holds. */
export const CREDENTIAL_ENV: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'an AWS access key',
  AWS_SECRET_ACCESS_KEY: 'an AWS secret access key',
  AWS_SESSION_TOKEN: 'an AWS session token',
  GOOGLE_APPLICATION_CREDENTIALS: 'a GCP service-account key file',
  AWS_SHARED_CREDENTIALS_FILE: 'an AWS credentials file',
  AZURE_CLIENT_SECRET: 'an Azure client secret',
  AZURE_CLIENT_CERTIFICATE_PASSWORD: 'an Azure client certificate password',
};

/** The shape of an AWS access key id (long-lived `AKIA`, temporary `ASIA`). */
export const AWS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

/** What a text holds when it is a credential document: a GCP key JSON or an AWS credentials file. Never returned. */
export function credentialInContent(content: string): string | null {
  if (/"type"\s*:\s*"service_account"/.test(content) && content.includes('private_key')) {
    return 'a GCP service-account key';
  }
  if (/aws_secret_access_key\s*=/i.test(content)) return 'an AWS credentials file';
  return null;
}

/** The option of `static-cloud-credentials` naming more variables; they are secret whether the rule runs or not. */
export function extraCredentialEnvNames(config: ResolvedConfig): string[] {
  const names = config.rules['static-cloud-credentials']?.options['extra-env-names'];
  return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string') : [];
}

/**
 * Whether a container's literal `env[].value` is secret material: the variable has a credential's name, or the value
 * has the shape of an AWS key id or of a credential document.
 */
function isSecretEnvValue(variable: Record<string, unknown>, extraNames: ReadonlySet<string>): boolean {
  if (typeof variable.value !== 'string' || variable.value === '') return false;
  const name = typeof variable.name === 'string' ? variable.name : '';
  return (
    Object.hasOwn(CREDENTIAL_ENV, name) ||
    extraNames.has(name) ||
    AWS_KEY_ID.test(variable.value.trim()) ||
    credentialInContent(variable.value) !== null
  );
}

/** Adds the lines (1-based) a node spans, from its first character to its last non-blank one. */
function addNodeLines(lines: Set<number>, object: LoadedObject, path: readonly PathSegment[]): void {
  const node = nodeSpanAt(object, path);
  if (node) addRangeLines(lines, object, node.start, node.end);
}

/** Adds the lines (1-based) of [start, end), from its first character to its last non-blank one. */
function addRangeLines(lines: Set<number>, object: LoadedObject, start: number, end: number): void {
  const text = object.file.text;
  let last = Math.max(start, end - 1);
  while (last > start && /\s/.test(text[last] ?? '')) last--;
  const first = object.lines.linePos(start).line;
  const final = object.lines.linePos(last).line;
  for (let line = first; line <= final; line++) lines.add(line);
}

/**
 * The lines of each file that hold secret material: every line of a Secret object (its data, and annotations such
 * as `last-applied-configuration` that copy it), and the lines of literal credential values of container variables.
 */
export function secretLines(model: Model, extraEnvNames: readonly string[] = []): Map<string, Set<number>> {
  const result = new Map<string, Set<number>>();
  const linesOf = (object: LoadedObject) => {
    let lines = result.get(object.file.path);
    if (!lines) {
      lines = new Set();
      result.set(object.file.path, lines);
    }
    return lines;
  };
  for (const { object } of model.secrets) {
    // A Secret document's every line, comments included (an old value may be commented out below the data).
    if (object.basePath.length === 0)
      addRangeLines(linesOf(object), object, object.doc.start, object.doc.end);
    else addNodeLines(linesOf(object), object, []);
  }
  const extra = new Set(extraEnvNames);
  for (const workload of model.workloads) {
    for (const { container, path } of containersOf(workload)) {
      if (!Array.isArray(container.env)) continue;
      container.env.forEach((variable, index) => {
        if (!isRecord(variable) || !isSecretEnvValue(variable, extra)) return;
        const object = workload.resource.object;
        addNodeLines(linesOf(object), object, [...path, 'env', index, 'value']);
      });
    }
  }
  return result;
}

/** The secret lines of files given as text: for callers outside a scan (the patch of a fork pull request). */
export function secretLinesOfFiles(
  files: readonly SourceFile[],
  config: ResolvedConfig,
): Map<string, Set<number>> {
  const objects = files.flatMap((file) => loadDocuments(file).objects);
  return secretLines(buildModel(objects, config.defaultNamespace), extraCredentialEnvNames(config));
}

/** The annotation `kubectl apply` keeps a copy of the object in, Secret data included. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The secret values of a model, for the filter that keeps them out of every output: each value of a Secret's `data`
 * (as written and decoded) and `stringData`, the same in the copies `last-applied-configuration` keeps, credential
 * keys inside those values and annotations, and literal credential values of container variables.
 */
export function secretValues(
  model: Model,
  extraEnvNames: readonly string[] = [],
  plain?: Set<string>,
): Set<string> {
  const values = new Set<string>();
  const found: SecretData = { values, plain: new Set() };
  for (const resource of model.resources) {
    const copy = resource.annotations[LAST_APPLIED];
    if (copy === undefined) continue;
    for (const pair of credentialPairs(copy)) values.add(pair.value);
    let parsed: unknown;
    try {
      parsed = JSON.parse(copy);
    } catch {
      continue;
    }
    if (isRecord(parsed) && parsed.kind === 'Secret') addSecretData(found, parsed);
  }
  for (const { object } of model.secrets) addSecretData(found, object.value);
  const extra = new Set(extraEnvNames);
  for (const workload of model.workloads) {
    for (const { container } of containersOf(workload)) {
      if (!Array.isArray(container.env)) continue;
      for (const variable of container.env) {
        if (isRecord(variable) && isSecretEnvValue(variable, extra)) values.add(variable.value as string);
      }
    }
  }
  if (plain) for (const value of found.plain) if (!values.has(value)) plain.add(value);
  for (const value of found.plain) values.add(value);
  return values;
}

/**
 * What Secret data gives: `values`, secret by what they are or where they are (a credential-named key, a typed
 * Secret's data, a credential document); and `plain`, the data of an Opaque Secret under a key that names no
 * credential (`EVENT_SOURCE: payments-api`), which is often configuration kept in a Secret. Both are kept out of every
 * output, but a plain value yields to a name the outputs place things by, or to a word of the tool's own texts
 * (`SecretFilter.addScan`).
 */
interface SecretData {
  values: Set<string>;
  plain: Set<string>;
}

/**
 * Data keys of a service-account-token Secret that are not secret: its namespace (a word messages print) and the
 * cluster's CA certificate.
 */
const PUBLIC_TOKEN_KEYS = new Set(['namespace', 'ca.crt']);

function addSecretData(found: SecretData, secret: Record<string, unknown>): void {
  const isToken = secret.type === 'kubernetes.io/service-account-token';
  const typed = secret.type !== undefined && secret.type !== 'Opaque';
  for (const field of ['data', 'stringData']) {
    const entries = secret[field];
    if (!isRecord(entries)) continue;
    for (const [key, value] of Object.entries(entries)) {
      if (typeof value !== 'string' || (isToken && PUBLIC_TOKEN_KEYS.has(key))) continue;
      const text = field === 'data' ? decodedText(value) : value;
      const plain = !typed && !isCredentialKey(key) && (text === null || credentialInContent(text) === null);
      const into = plain ? found.plain : found.values;
      into.add(value);
      if (text === null) continue;
      into.add(text);
      // A credentials file or key document stored whole: its credentials are secret on their own.
      for (const pair of credentialPairs(text)) found.values.add(pair.value);
    }
  }
}

/** Base64 data decoded, when it is text (binary data is not quoted as such by any output). */
function decodedText(data: string): string | null {
  const text = Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters tell binary data apart
  return text === '' || text.includes('\uFFFD') || /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
}

/**
 * The names outputs place things by and print (`SecretFilter.allowIdentifiers`): the segments of the files' paths, and
 * the names and namespaces of the objects read from them.
 */
export function identifiersOf(
  files: readonly { path: string }[],
  objects: readonly LoadedObject[] = [],
): string[] {
  const names: string[] = [];
  for (const file of files) names.push(...file.path.split('/'));
  for (const { value } of objects) {
    const metadata = value.metadata;
    if (!isRecord(metadata)) continue;
    if (typeof metadata.name === 'string') names.push(metadata.name);
    if (typeof metadata.namespace === 'string') names.push(metadata.namespace);
  }
  return names;
}

/**
 * The files read from the repository and the chart and kustomization folders, whose paths outputs write whole
 * (`allowPaths`). A rendered file counts only when its path is a file that was read (a template, a resource file, an
 * archive): kustomize names a resource's file in an annotation the build's `replacements` may write, and a password
 * written there made a path that exempted it from redaction.
 */
export function placesOf(collected: {
  files: readonly SourceFile[];
  charts: readonly string[];
  kustomizations: readonly string[];
}): { path: string }[] {
  return [
    ...collected.files.filter(
      (file) => !file.rendered || file.origin !== undefined || file.archived !== undefined,
    ),
    ...[...collected.charts, ...collected.kustomizations].map((path) => ({ path })),
  ];
}

/**
 * The secret values of the models (`secretValues`), and those of them that are plain in all: a value secret by what
 * or where it is in one model is no plain value in another.
 */
export function secretsOf(
  models: readonly Model[],
  extraEnvNames: readonly string[],
): { secretValues: Set<string>; plainSecretValues: Set<string> } {
  const all = new Set<string>();
  const plain = new Set<string>();
  const strong = new Set<string>();
  for (const model of models) {
    const own = new Set<string>();
    for (const value of secretValues(model, extraEnvNames, own)) {
      all.add(value);
      if (!own.has(value)) strong.add(value);
    }
    for (const value of own) plain.add(value);
  }
  for (const value of strong) plain.delete(value);
  return { secretValues: all, plainSecretValues: plain };
}

/**
 * The secret values of files given as text, and the names they place things by: for callers outside a scan (the
 * fork-safe publisher).
 */
export function secretsOfFiles(
  files: readonly SourceFile[],
  config: ResolvedConfig,
): { secretValues: Set<string>; plainSecretValues: Set<string>; identifiers: string[] } {
  const objects = files.flatMap((file) => loadDocuments(file).objects);
  return {
    ...secretsOf([buildModel(objects, config.defaultNamespace)], extraCredentialEnvNames(config)),
    identifiers: identifiersOf(files, objects),
  };
}

/**
 * Withholds the fixes whose whole lines would quote secret material: a fix is shown as those lines (a review
 * suggestion, `fix.replacement`), so one that touches a line shared with a Secret or a credential (a one-line JSON
 * List, a flow-style pod spec) is not offered, as when no safe edit can be made.
 */
export function withholdSecretFixes(
  findings: Finding[],
  secret: { get(file: string): ReadonlySet<number> | undefined },
): void {
  for (const finding of findings) {
    const fix = finding.fix;
    // A fix in another file (a chart's values) is not in the scanned text; its lines were read from that file.
    if (!fix || fix.file !== undefined) continue;
    const lines = secret.get(finding.file);
    if (!lines) continue;
    for (let line = fix.startLine; line <= fix.endLine; line++) {
      if (lines.has(line)) {
        finding.fix = null;
        break;
      }
    }
  }
}
