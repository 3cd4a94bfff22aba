import type { PathSegment } from '../core/load.js';
import type { Model, Resource, Workload } from '../core/model.js';
import type { ApiClientJudge } from '../core/api-clients.js';
import type { RbacIndex } from '../core/rbac.js';
import type { Subjects } from '../core/subjects.js';
import type { Fix, Severity } from '../core/types.js';

export const PRESETS = ['recommended', 'strict'] as const;
export type Preset = (typeof PRESETS)[number];

export interface OptionSchema {
  type: 'boolean' | 'integer' | 'number' | 'string' | 'array';
  description: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  items?: { type: string };
  enum?: unknown[];
}

/** What `policies/<id>.yml` says of a rule; generated into `catalog.generated.ts`. */
export interface RuleMeta {
  id: string;
  title: string;
  severity: Severity;
  fixable: boolean;
  presets: Preset[];
  summary: string;
  description: string;
  rationale: string;
  remediation: string;
  options: Record<string, OptionSchema>;
  examples: { insecure: string; hardened: string };
  references: { title: string; url: string }[];
}

/** What a rule reports; the engine adds file, lines, identity, suppression and the configured severity. */
export interface Report {
  resource: Resource;
  /** The field the finding is about, below the resource's object; its line is the finding's line. */
  path: PathSegment[];
  /** What, inside the resource, the finding is about (a container, a subject), for identity across revisions. */
  key?: string;
  /** A severity decided by the rule (escalation); the rule's default severity otherwise. */
  severity?: Severity;
  message: string;
  fix?: Fix | null;
  /**
   * Set when the finding is about a workload judged an API client (the evidence, see `core/api-clients.ts`): its fix
   * removes no token, and the finding is `info`, never blocking by itself.
   */
  apiClient?: string;
}

export interface RuleContext {
  /** Every object of the install, to look things up in (its indexes). */
  model: Model;
  /**
   * The objects to report on, in the model's order: all of them, or those an install can judge differently from the
   * plain manifests alone (`core/installs.ts`). A report on any other object is dropped.
   */
  subjects: Subjects;
  rbac: RbacIndex;
  /** The rule's options: config values over the defaults of `meta.options`. */
  options: Record<string, unknown>;
  /** Options of other rules that shape shared judgements (e.g. which roles are privileged). */
  settings: EngineSettings;
  /** Which workloads call the API: every fix that can remove a token asks it first. */
  apiClients: ApiClientJudge;
  workloadOf(resource: Resource): Workload | undefined;
  report(report: Report): void;
}

export interface EngineSettings {
  privilegedRoles: string[];
  assumeUnresolvedMounts: boolean;
  knownRules: ReadonlySet<string>;
  /** The config's `api-clients` globs over `namespace/name`. */
  apiClientPatterns: string[];
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}
