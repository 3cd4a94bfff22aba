import { CATALOG } from './catalog.generated.js';
import type { RuleMeta } from './types.js';

/** The catalog entry of a rule; a rule module without one is a build error caught by the registry test. */
export function metaOf(id: string): RuleMeta {
  const meta = (CATALOG as Record<string, RuleMeta>)[id];
  if (!meta) throw new Error(`policies/${id}.yml is missing: every rule needs its catalog entry`);
  return meta;
}
