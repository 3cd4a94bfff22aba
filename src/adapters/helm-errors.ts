/**
 * Where a failed `helm template` says its error is. helm 3 and 4 name the template (as `<chart name>/templates/...`,
 * the way `# Source:` does) and, for an error in the template's own text, its line:
 *
 * - `execution error at (<source>:<line>:<column>): ...` (`fail`, `required`);
 * - `parse error at (<source>:<line>): ...` (a template that does not parse);
 * - `template: <source>:<line>:<column>: executing ...` (helm 3), `Error: <source>:<line>:<column>` then `executing` on
 *   the next line (helm 4): an error while executing;
 * - `YAML parse error on <source>: ... line <n>: ...`: the line is the rendered output's, not the template's, so only
 *   the template is named.
 */
const PLACES: readonly RegExp[] = [
  /\b(?:execution|parse) error at \(([^\s():]+):(\d+)(?::\d+)?\)/,
  /(?:\btemplate: |^Error: )([^\s():]+):(\d+):\d+(?=[:\s]|$)/m,
  /\bYAML parse error on ([^\s():]+):/,
];

export interface HelmErrorPlace {
  /** The template as helm names it: the chart's name, then its path in the chart. */
  source: string;
  /** The template's line (1-based), or null when helm gave none of the template's own. */
  line: number | null;
}

/** The first place helm's error output names, or null. */
export function helmErrorPlace(stderr: string): HelmErrorPlace | null {
  let first: { at: number; place: HelmErrorPlace } | null = null;
  for (const pattern of PLACES) {
    const match = pattern.exec(stderr);
    if (!match || (first !== null && match.index >= first.at)) continue;
    const line = match[2] === undefined ? null : Number(match[2]);
    first = { at: match.index, place: { source: match[1]!, line: line !== null && line > 0 ? line : null } };
  }
  return first?.place ?? null;
}
