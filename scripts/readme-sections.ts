/**
 * The README's generated sections: the Action's inputs and outputs (from action.yml), the configuration reference
 * (from the config JSON Schema) and the rule index (from policies/). Pure functions, so the generator writes them and
 * the tests read the same tables.
 */
import type { RuleMeta } from '../src/rules/types.js';

export const README_SECTIONS = ['action-inputs', 'action-outputs', 'config-reference', 'rule-index'] as const;
export type ReadmeSection = (typeof README_SECTIONS)[number];

const SOURCES: Record<ReadmeSection, string> = {
  'action-inputs': 'action.yml',
  'action-outputs': 'action.yml',
  'config-reference': 'schema/kube-token-guard.schema.json',
  'rule-index': 'policies/*.yml',
};

export interface ActionMetadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
};

function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

function code(value: string): string {
  return `\`${value}\``;
}

export function inputsTable(action: ActionMetadata): string {
  const lines = ['| Input | Default | Description |', '| --- | --- | --- |'];
  for (const [name, input] of Object.entries(action.inputs)) {
    const fallback = input.default === undefined || input.default === '' ? '' : code(String(input.default));
    lines.push(
      `| ${code(name)}${input.required ? ' (required)' : ''} | ${cell(fallback)} | ${cell(input.description)} |`,
    );
  }
  return lines.join('\n');
}

export function outputsTable(action: ActionMetadata): string {
  const lines = ['| Output | Description |', '| --- | --- |'];
  for (const [name, output] of Object.entries(action.outputs)) {
    lines.push(`| ${code(name)} | ${cell(output.description)} |`);
  }
  return lines.join('\n');
}

/** How a schema's values look, for the reference's Type column. */
function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return '`off`, `on`, a severity, or a map of `severity` and options';
  if (schema.enum) {
    return schema.enum.length > 8 ? 'rule id' : schema.enum.map((value) => code(String(value))).join(', ');
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  if (types.length > 1) return `${types.slice(0, -1).join(', ')} or ${types.at(-1)}`;
  switch (types[0]) {
    case 'array':
      if (schema.items?.type === 'object') return 'list of maps';
      return schema.items?.enum ? 'list of rule ids' : `list of ${schema.items?.type ?? 'value'}s`;
    case 'object':
      return typeof schema.additionalProperties === 'object'
        ? `map of ${typeOf(schema.additionalProperties)}`
        : 'map';
    case 'integer':
      return schema.minimum === undefined ? 'integer' : `integer, at least ${schema.minimum}`;
    default:
      return String(types[0]);
  }
}

function defaultOf(schema: JsonSchema): string {
  const value = schema.default;
  if (value === undefined) return '';
  if (Array.isArray(value)) return code(`[${value.map((item) => JSON.stringify(item)).join(', ')}]`);
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

export interface ReferenceRow {
  key: string;
  type: string;
  default: string;
  description: string;
}

/**
 * One row per setting of the config schema: top-level keys, the keys of list items (`charts[].path`), every rule with
 * its on/off default per preset, and every rule option. The `severity` key every rule map takes is one row.
 */
export function referenceRows(schema: JsonSchema, rules: RuleMeta[]): ReferenceRow[] {
  const rows: ReferenceRow[] = [];
  const walk = (properties: Record<string, JsonSchema>, prefix: string, required: string[]) => {
    for (const [name, property] of Object.entries(properties)) {
      const key = `${prefix}${name}`;
      rows.push({
        key,
        type: `${typeOf(property)}${required.includes(name) ? ' (required)' : ''}`,
        default: defaultOf(property),
        description: property.description ?? '',
      });
      if (key === 'rules') {
        walkRules(property, rules, rows);
      } else if (property.items?.properties) {
        walk(property.items.properties, `${key}[].`, property.items.required ?? []);
      } else if (property.properties) {
        walk(property.properties, `${key}.`, property.required ?? []);
      }
    }
  };
  walk(schema.properties ?? {}, '', schema.required ?? []);
  return rows;
}

function walkRules(rulesSchema: JsonSchema, rules: RuleMeta[], rows: ReferenceRow[]): void {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  const ruleSchemas = Object.entries(rulesSchema.properties ?? {});
  const first = ruleSchemas[0]?.[1].anyOf?.[1]?.properties?.severity;
  if (first) {
    rows.push({
      key: 'rules.<rule>.severity',
      type: typeOf(first),
      default: '',
      description: `${first.description ?? ''} Any rule below takes it in its map form.`,
    });
  }
  for (const [id, schema] of ruleSchemas) {
    const rule = byId.get(id);
    const recommended = rule?.presets.includes('recommended') ?? true;
    rows.push({
      key: `rules.${id}`,
      type: typeOf(schema),
      default: recommended ? code('on') : `${code('off')} (${code('on')} in strict)`,
      description: `[${rule?.title ?? id}](docs/rules/${id}.md). Default severity: ${rule?.severity ?? ''}.`,
    });
    const options = schema.anyOf?.[1]?.properties ?? {};
    for (const [name, option] of Object.entries(options)) {
      if (name === 'severity') continue;
      rows.push({
        key: `rules.${id}.${name}`,
        type: typeOf(option),
        default: defaultOf(option),
        description: option.description ?? '',
      });
    }
  }
}

export function referenceTable(schema: JsonSchema, rules: RuleMeta[]): string {
  const lines = ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const row of referenceRows(schema, rules)) {
    lines.push(`| ${code(row.key)} | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.description)} |`);
  }
  return lines.join('\n');
}

export function ruleIndexTable(rules: RuleMeta[]): string {
  const lines = [
    '| Rule | Default severity | Fixable | Presets | What it checks |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    lines.push(
      `| [${code(rule.id)}](docs/rules/${rule.id}.md) | ${rule.severity} | ${rule.fixable ? 'yes' : 'no'} | ${rule.presets.join(', ')} | ${cell(rule.summary)} |`,
    );
  }
  return lines.join('\n');
}

function markers(section: ReadmeSection): { begin: RegExp; end: string } {
  return {
    begin: new RegExp(`<!-- BEGIN GENERATED ${section}\\b[^>]*-->`),
    end: `<!-- END GENERATED ${section} -->`,
  };
}

/**
 * The README with each section's content put between its markers, which must already be there (they say where in the
 * prose the tables go). Prettier is told to leave the tables alone, so formatting the README cannot make them stale.
 */
export function fillReadme(readme: string, contents: Record<ReadmeSection, string>): string {
  let text = readme;
  for (const section of README_SECTIONS) {
    const { begin, end } = markers(section);
    const start = begin.exec(text);
    const stop = text.indexOf(end);
    if (!start || stop < start.index) {
      throw new Error(
        `README.md: the markers of the generated section \`${section}\` are missing; add the lines ` +
          `<!-- BEGIN GENERATED ${section} --> and ${end} where it belongs`,
      );
    }
    const header = `<!-- BEGIN GENERATED ${section}: from ${SOURCES[section]} by \`npm run docs\`; do not edit -->`;
    const body = [
      '<!-- prettier-ignore-start -->',
      '',
      contents[section],
      '',
      '<!-- prettier-ignore-end -->',
    ].join('\n');
    text = `${text.slice(0, start.index)}${header}\n${body}\n${text.slice(stop)}`;
  }
  return text;
}
