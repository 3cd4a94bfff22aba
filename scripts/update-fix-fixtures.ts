/**
 * Writes the golden copies of __tests__/fixtures/fix-styles/ (what `scan --fix` makes of each style) into
 * __tests__/fixtures/fix-styles.fixed/. Review every diff it makes before committing: the goldens are the spec.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../src/config/config.js';
import { autofix } from '../src/core/autofix.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = join(root, '__tests__/fixtures/fix-styles');
const output = join(root, '__tests__/fixtures/fix-styles.fixed');
mkdirSync(output, { recursive: true });
for (const name of readdirSync(input).sort()) {
  const text = readFileSync(join(input, name), 'utf8');
  const result = autofix([{ path: name, text }], defaultConfig());
  writeFileSync(join(output, name), result.files[0]!.text);
  console.log(`${name}: ${result.changed.get(name) ?? 0} fixes`);
}
