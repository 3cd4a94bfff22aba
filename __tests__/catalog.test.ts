import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuleRegistry, registry } from '../src/rules/index.js';
import { findingsOf, scan } from './helpers.js';

const ROOT = join(import.meta.dirname, '..');

describe('rule registry and catalog', () => {
  it('has exactly one rule module per policy file', () => {
    const policies = readdirSync(join(ROOT, 'policies'))
      .filter((name) => name.endsWith('.yml'))
      .map((name) => name.replace(/\.yml$/, ''))
      .sort();
    expect([...registry.ids].sort()).toEqual(policies);
  });

  it('rejects duplicate rule ids', () => {
    const rule = registry.rules[0]!;
    expect(() => new RuleRegistry([rule, rule])).toThrow(`duplicate rule id: ${rule.meta.id}`);
  });

  it('has a generated doc page for every rule', () => {
    for (const id of registry.ids) {
      const doc = readFileSync(join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
      expect(doc).toContain(`# \`${id}\``);
    }
  });

  it('marks as fixable exactly the rules whose findings can carry a fix', () => {
    const fixable = registry.rules
      .filter((rule) => rule.meta.fixable)
      .map((rule) => rule.meta.id)
      .sort();
    expect(fixable).toEqual([
      'automount-token',
      'default-sa-automount',
      'deprecated-service-account-field',
      'namespace-default-sa',
      'projected-token-expiration',
      'workload-identity-automount',
    ]);
  });
});

describe.each(registry.rules.map((rule) => [rule.meta.id, rule.meta] as const))(
  'documented examples of %s',
  (id, meta) => {
    const configText = meta.presets.includes('recommended') ? undefined : `extends: ${meta.presets[0]}\n`;

    it('the insecure example makes the rule fire', () => {
      const result = scan({ 'example.yaml': meta.examples.insecure }, configText);
      expect(result.errors).toEqual([]);
      expect(findingsOf(result, id).length).toBeGreaterThan(0);
    });

    it('the hardened example does not', () => {
      const result = scan({ 'example.yaml': meta.examples.hardened }, configText);
      expect(result.errors).toEqual([]);
      expect(findingsOf(result, id)).toEqual([]);
    });
  },
);
