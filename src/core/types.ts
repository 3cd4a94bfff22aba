/** Severities, lowest to highest. The order of this array is the order of severity. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** A text file handed to the core. `path` is relative to the scanned root, with forward slashes. */
export interface SourceFile {
  path: string;
  text: string;
  /** Namespace given to the render (helm --namespace, kustomize namespace), used when a document has none. */
  renderNamespace?: string;
  /** The file is the output of a renderer: findings point at `# Source:` templates and carry no fixes. */
  rendered?: boolean;
  /**
   * The file's bytes are UTF-16 (with a byte order mark, as kubectl reads it); `text` is decoded. Its findings carry
   * no fixes: edits are made to UTF-8 text, and a suggestion would change the file's encoding.
   */
  encoding?: 'utf-16le' | 'utf-16be';
  /** For rendered output: the file users edit, where findings and errors are pointed. */
  origin?: RenderOrigin;
  /** For rendered output: the render it came from, as a person names it (`overlay deploy/prod`). */
  renderedBy?: string;
  /**
   * For output of a chart's dependency packed as an archive: `path` is the archive (or the Chart.yaml of the chart
   * holding it), and each entry the template that wrote the documents from that line of `text` on. Its findings
   * point at the archive's first line, name the template, and carry no fix.
   */
  archived?: Array<{ line: number; template: string }>;
}

/** The file rendered output came from: a Helm template, or a plain file a kustomization took in. */
export interface RenderOrigin {
  text: string;
  /**
   * Helm only: each rendered document in order, with the rendered line it starts on and the template document
   * (0-based lines [start, end)) that wrote it, or null when none can be told.
   */
  documents?: { line: number; section: { start: number; end: number } | null }[];
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/** One text replacement against the original file text: characters [start, end) become `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /**
   * The file the edits apply to, when it is not the finding's own: for output rendered from a Helm chart, the
   * chart's values file whose setting controls the finding.
   */
  file?: string;
  edits: TextEdit[];
  /** First and last 1-based line the change touches, and the full text of those lines after the change. */
  startLine: number;
  endLine: number;
  replacement: string;
}

export interface Suppression {
  kind: 'annotation' | 'config';
  reason: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  endLine: number;
  resource: ResourceRef;
  suppressed: boolean;
  suppression?: Suppression;
  fix: Fix | null;
  /** The evidence that the workload calls the API, when it is judged a client: no fix removes its token. */
  apiClient?: string;
  rendered?: boolean;
  /** The renders (overlays, charts) the finding was seen through, when it is rendered. */
  via?: string[];
  /** For output of a dependency packed as an archive (`file`): the template inside it that wrote the object. */
  packed?: string;
  /** Identities of the same finding seen through other renders, merged into this one (`duplicates.ts`). */
  also?: string[];
  /** The field the finding is about, below the resource's object (for mapping rendered output back to templates). */
  path: (string | number)[];
  /**
   * Identity of the finding independent of line numbers: rule, resource and the part of the resource it is
   * about. Base and head findings with the same identity are the same finding.
   */
  identity: string;
}

export interface ScanError {
  file: string;
  line: number | null;
  message: string;
  /**
   * The kustomization folder whose build failed, when the error comes from one and `file` may be another's (a base
   * at fault, perhaps in a folder no scan walks): a pull request touching the overlay answers for its build.
   */
  build?: string;
}

export interface ScanNotice {
  file: string;
  message: string;
}
