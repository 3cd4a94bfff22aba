/**
 * The parse floor of `npm run bench`: read every `.yaml` file of a corpus folder and parse it with js-yaml's `loadAll`
 * (its default schema), nothing else. No scanner that reads YAML can be faster than this in Node, so
 * kube-token-guard's time is reported as a ratio to it. Plain JavaScript, so that the process starts like the CLI's.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';

const folder = process.argv[2];
let documents = 0;
for (const name of readdirSync(folder).sort()) {
  if (name.endsWith('.yaml')) loadAll(readFileSync(join(folder, name), 'utf8'), () => documents++);
}
process.stdout.write(`${documents}\n`);
