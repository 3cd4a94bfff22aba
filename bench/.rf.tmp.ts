import { readFileSync, readdirSync } from 'node:fs';
import { load } from 'js-yaml';
import { documentChunks } from '../src/core/chunks.js';
import { KUBERNETES_SCHEMA } from '../src/core/kubernetes-scalars.js';
import { readFast } from '../src/core/tree.js';
import { inertCandidate } from '../src/core/inert.js';
const dir = process.argv[2]!;
const texts = readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
const chunks = texts.flatMap((t) =>
  documentChunks(t)!
    .filter(([a, b]) => !inertCandidate(t, a, b))
    .map(([a, b]) => [t, a, b] as const),
);
console.log('chunks', chunks.length);
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (const [text, a, b] of chunks) load(text.slice(a, b), { schema: KUBERNETES_SCHEMA });
  const plain = performance.now() - t;
  t = performance.now();
  const listener = () => {};
  for (const [text, a, b] of chunks) load(text.slice(a, b), { schema: KUBERNETES_SCHEMA, listener });
  const empty = performance.now() - t;
  t = performance.now();
  for (const [text, a, b] of chunks) readFast(text, a, b);
  const fast = performance.now() - t;
  console.log('plain', plain.toFixed(0), 'empty listener', empty.toFixed(0), 'readFast', fast.toFixed(0));
}
