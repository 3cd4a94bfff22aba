import type { ResolvedConfig } from '../config/config.js';
import { registry as defaultRegistry, type RuleRegistry } from '../rules/index.js';
import type { EngineSettings, Report, RuleContext } from '../rules/types.js';
import { spanOf } from './locate.js';
import { type InstallScope, privilegedRoles, wholeScope } from './install-scope.js';
import { type Model, type Resource } from './model.js';
import { withholdSecretFixes } from './secrets.js';
import { IGNORE_ANNOTATION, exemptionFor, ignoreCovers, parseIgnoreAnnotation } from './suppress.js';
import { originSpan, renderedName } from './source-map.js';
import type { Finding } from './types.js';

/**
 * The rules run over one model judged whole: findings with their places, identities, suppressions and fixes. No I/O.
 */
export function evaluate(
  model: Model,
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
): Finding[] {
  return evaluateScope(wholeScope(model, config), config, registry);
}

/** The rules run over the subjects of one install's scope. */
export function evaluateScope(
  scope: InstallScope,
  config: ResolvedConfig,
  registry: RuleRegistry = defaultRegistry,
): Finding[] {
  const { model, subjects } = scope;
  const settings: EngineSettings = {
    privilegedRoles: privilegedRoles(config),
    assumeUnresolvedMounts: config.rules['automount-token']?.options['assume-unresolved-mounts'] !== false,
    knownRules: new Set(registry.ids),
    apiClientPatterns: config.apiClients,
  };
  const findings: Finding[] = [];
  for (const rule of registry.rules) {
    const setting = config.rules[rule.meta.id];
    if (!setting?.enabled) continue;
    const context: RuleContext = {
      model,
      subjects,
      rbac: scope.rbac,
      options: setting.options,
      settings,
      apiClients: scope.apiClients,
      workloadOf: (resource) => model.workloadOf(resource),
      report: (report) => {
        if (subjects.has(report.resource)) {
          findings.push(toFinding(rule.meta.id, rule.meta.severity, setting.severity, report));
        }
      },
    };
    rule.check(context);
  }
  for (const finding of findings) suppress(finding, config, model, settings.knownRules);
  // A fix is shown as the whole lines it touches: none may quote a Secret or a literal credential.
  withholdSecretFixes(findings, scope.secretLines);
  // Fixes are UTF-8 edits; a UTF-16 file keeps its findings and gets none.
  for (const finding of findings) if (scope.utf16(finding.file)) finding.fix = null;
  return sortFindings(findings);
}

const findingResource = new WeakMap<Finding, Resource>();

/** The object a finding is about. */
export function resourceOfFinding(finding: Finding): Resource | undefined {
  return findingResource.get(finding);
}

function toFinding(
  ruleId: string,
  defaultSeverity: Finding['severity'],
  configured: Finding['severity'] | null,
  report: Report,
): Finding {
  const { object, ref } = report.resource;
  const rendered = object.file.rendered === true;
  const own = spanOf(object, report.path);
  const span = (rendered && originSpan(object.file, own.line, ref, report.path, object.value)) || own;
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const finding: Finding = {
    ruleId,
    // A finding about an API client is for a person to read, never a gate by itself: its RBAC findings carry the risk.
    severity: report.apiClient !== undefined ? 'info' : (configured ?? report.severity ?? defaultSeverity),
    message: report.message,
    file: object.file.path,
    line: span.line,
    endLine: span.endLine,
    resource: { ...ref },
    suppressed: false,
    fix: rendered ? null : (report.fix ?? null),
    path: report.path,
    identity: [
      ruleId,
      group,
      ref.kind,
      ref.namespace ?? '',
      rendered ? renderedName(object.file, own.line, ref.name) : ref.name,
      report.key ?? report.path.join('.'),
    ].join('|'),
  };
  const archived = object.file.archived?.findLast((entry) => entry.line <= own.line);
  if (archived) {
    finding.line = 1;
    finding.endLine = 1;
    finding.packed = archived.template;
    finding.message += ` It is written by the template \`${archived.template}\`, packed in this archive: change it through the chart's values, or in the dependency's own source.`;
  }
  if (report.apiClient !== undefined) finding.apiClient = report.apiClient;
  if (rendered) finding.rendered = true;
  if (object.file.renderedBy !== undefined) finding.via = [object.file.renderedBy];
  findingResource.set(finding, report.resource);
  return finding;
}

function suppress(
  finding: Finding,
  config: ResolvedConfig,
  model: Model,
  knownRules: ReadonlySet<string>,
): void {
  // A broken suppression cannot suppress the report that says it is broken.
  if (finding.ruleId === 'invalid-suppression') return;
  const resource = findingResource.get(finding);
  if (resource) {
    const sources = [
      resource.annotations[IGNORE_ANNOTATION],
      model.workloadOf(resource)?.templateAnnotations[IGNORE_ANNOTATION],
    ];
    for (const value of sources) {
      if (value === undefined) continue;
      const entry = ignoreCovers(parseIgnoreAnnotation(value, knownRules).entries, finding.ruleId);
      if (entry) {
        finding.suppressed = true;
        finding.suppression = { kind: 'annotation', reason: entry.reason };
        return;
      }
    }
  }
  const exemption = exemptionFor(finding, config.exemptions);
  if (exemption) {
    finding.suppressed = true;
    finding.suppression = { kind: 'config', reason: exemption.reason };
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : 0),
  );
}
