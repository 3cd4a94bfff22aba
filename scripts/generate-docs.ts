/**
 * Generates, from `policies/*.yml`: the rule catalog compiled into the engine (`src/rules/catalog.generated.ts`),
 * the rule docs (`docs/rules/`), and the config JSON Schema for editors (`schema/kube-token-guard.schema.json`);
 * and the README's tables between their markers: the Action's inputs and outputs (from `action.yml`), the
 * configuration reference (from the schema) and the rule index (from the policies).
 * With `--check`, writes nothing and fails when any of them is stale (CI runs this).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { OptionSchema, RuleMeta } from '../src/rules/types.js';
import {
  type ActionMetadata,
  type JsonSchema,
  fillReadme,
  inputsTable,
  outputsTable,
  referenceTable,
  ruleIndexTable,
} from './readme-sections.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const REQUIRED_TEXT = ['id', 'title', 'summary', 'description', 'rationale', 'remediation'] as const;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function readPolicies(): RuleMeta[] {
  const folder = join(root, 'policies');
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.yml'))
    .sort();
  return files.map((name) => {
    const raw = parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
    const where = `policies/${name}`;
    for (const key of REQUIRED_TEXT) {
      if (typeof raw[key] !== 'string' || (raw[key] as string).trim() === '')
        fail(`${where}: \`${key}\` is required`);
    }
    if (`${String(raw.id)}.yml` !== name) fail(`${where}: id must match the file name`);
    if (!SEVERITIES.includes(String(raw.severity)))
      fail(`${where}: severity must be one of ${SEVERITIES.join(', ')}`);
    if (typeof raw.fixable !== 'boolean') fail(`${where}: fixable must be true or false`);
    const presets = raw.presets as unknown;
    if (
      !Array.isArray(presets) ||
      presets.some((preset) => preset !== 'recommended' && preset !== 'strict')
    ) {
      fail(`${where}: presets must list recommended and/or strict`);
    }
    const examples = raw.examples as Record<string, unknown> | undefined;
    if (typeof examples?.insecure !== 'string' || typeof examples.hardened !== 'string') {
      fail(`${where}: examples.insecure and examples.hardened are required`);
    }
    const options = (raw.options ?? {}) as Record<string, OptionSchema>;
    for (const [option, schema] of Object.entries(options)) {
      if (!('default' in schema) || typeof schema.description !== 'string') {
        fail(`${where}: option ${option} needs a default and a description`);
      }
    }
    const references = (raw.references ?? []) as { title: string; url: string }[];
    return {
      id: String(raw.id),
      title: String(raw.title).trim(),
      severity: raw.severity as RuleMeta['severity'],
      fixable: raw.fixable,
      presets: presets as RuleMeta['presets'],
      summary: String(raw.summary).trim(),
      description: String(raw.description).trim(),
      rationale: String(raw.rationale).trim(),
      remediation: String(raw.remediation).trim(),
      options,
      examples: { insecure: examples.insecure as string, hardened: examples.hardened as string },
      references,
    };
  });
}

const HEADER = 'Generated from policies/*.yml by `npm run docs`. Do not edit by hand.';

function catalogSource(rules: RuleMeta[]): string {
  const entries = Object.fromEntries(rules.map((rule) => [rule.id, rule]));
  return [
    `// ${HEADER}`,
    "import type { RuleMeta } from './types.js';",
    '',
    `export const CATALOG: Record<string, RuleMeta> = ${JSON.stringify(entries, null, 2)};`,
    '',
  ].join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');
}

function ruleDoc(rule: RuleMeta): string {
  const lines = [
    `<!-- ${HEADER} -->`,
    `# \`${rule.id}\`: ${rule.title}`,
    '',
    rule.summary,
    '',
    '| Default severity | Presets | Automatic fix |',
    '| --- | --- | --- |',
    `| ${rule.severity} | ${rule.presets.join(', ')} | ${rule.fixable ? 'yes' : 'no'} |`,
    '',
    '## When it fires',
    '',
    rule.description,
    '',
    '## Why it matters',
    '',
    rule.rationale,
    '',
    '## How to fix',
    '',
    rule.remediation,
    '',
  ];
  const options = Object.entries(rule.options);
  if (options.length > 0) {
    lines.push('## Options', '', '| Option | Type | Default | Description |', '| --- | --- | --- | --- |');
    for (const [name, option] of options) {
      lines.push(
        `| \`${name}\` | ${option.type} | \`${JSON.stringify(option.default)}\` | ${cell(option.description)} |`,
      );
    }
    lines.push('', 'Set in `.github/kube-token-guard.yml`:', '', '```yaml', 'rules:', `  ${rule.id}:`);
    for (const [name, option] of options) lines.push(`    ${name}: ${JSON.stringify(option.default)}`);
    lines.push('```', '');
  }
  lines.push(
    '## Examples',
    '',
    'Insecure (the rule fires):',
    '',
    '```yaml',
    rule.examples.insecure.trimEnd(),
    '```',
    '',
    'Hardened (the rule does not fire):',
    '',
    '```yaml',
    rule.examples.hardened.trimEnd(),
    '```',
    '',
    '## Suppressing',
    '',
    'Where the finding is an accepted exception, say why on the resource (or its pod template):',
    '',
    '```yaml',
    'metadata:',
    '  annotations:',
    `    kube-token-guard.io/ignore: "${rule.id}: <reason>"`,
    '```',
    '',
    'or add an `exemptions` entry with a `reason` to `.github/kube-token-guard.yml`.',
    '',
  );
  if (rule.references.length > 0) {
    lines.push('## References', '');
    for (const reference of rule.references) lines.push(`- [${reference.title}](${reference.url})`);
    lines.push('');
  }
  return lines.join('\n');
}

function indexDoc(rules: RuleMeta[]): string {
  const lines = [
    `<!-- ${HEADER} -->`,
    '# Rules',
    '',
    '| Rule | Severity | Fix | Presets | What it checks |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    lines.push(
      `| [\`${rule.id}\`](${rule.id}.md) | ${rule.severity} | ${rule.fixable ? 'yes' : ''} | ${rule.presets.join(', ')} | ${cell(rule.summary)} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const rules = readPolicies();
  const outputs = new Map<string, string>();
  outputs.set('src/rules/catalog.generated.ts', catalogSource(rules));
  outputs.set('docs/rules/README.md', indexDoc(rules));
  for (const rule of rules) outputs.set(`docs/rules/${rule.id}.md`, ruleDoc(rule));

  const catalogPath = join(root, 'src/rules/catalog.generated.ts');
  if (!check) write(catalogPath, outputs.get('src/rules/catalog.generated.ts')!);
  // The schema is built by the engine's own code from the catalog, so editors and the validator agree.
  const { configSchema } = (await import(pathToFileURL(join(root, 'src/config/schema.ts')).href)) as {
    configSchema: () => JsonSchema;
  };
  const schema = configSchema();
  outputs.set('schema/kube-token-guard.schema.json', `${JSON.stringify(schema, null, 2)}\n`);
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionMetadata;
  try {
    outputs.set(
      'README.md',
      fillReadme(readFileSync(join(root, 'README.md'), 'utf8'), {
        'action-inputs': inputsTable(action),
        'action-outputs': outputsTable(action),
        'config-reference': referenceTable(schema, rules),
        'rule-index': ruleIndexTable(rules),
      }),
    );
  } catch (error) {
    fail((error as Error).message);
  }

  const stale: string[] = [];
  for (const [relative, content] of outputs) {
    const path = join(root, relative);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current === content) continue;
    if (check) stale.push(relative);
    else write(path, content);
  }
  const docs = readdirSync(join(root, 'docs/rules')).filter((name) => !outputs.has(`docs/rules/${name}`));
  if (docs.length > 0) stale.push(...docs.map((name) => `docs/rules/${name} (no policy for it)`));
  if (stale.length > 0) {
    fail(
      `Generated files are stale; run \`npm run docs\` and commit:\n${stale.map((file) => `  ${file}`).join('\n')}`,
    );
  }
  console.log(
    check ? `Generated files are fresh (${outputs.size}).` : `Wrote ${outputs.size} generated files.`,
  );
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

await main();
