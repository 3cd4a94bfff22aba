import { readFileSync, readdirSync } from 'node:fs';
import { documentChunks } from '../src/core/chunks.js';
import { readFast } from '../src/core/tree.js';
import { inertCandidate } from '../src/core/inert.js';
const dir = process.argv[2]!;
const texts = readdirSync(dir).map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
const chunks = texts.flatMap((t) =>
  documentChunks(t)!
    .filter(([a, b]) => !inertCandidate(t, a, b))
    .map(([a, b]) => [t, a, b] as const),
);
for (let round = 0; round < 3; round++) for (const [text, a, b] of chunks) readFast(text, a, b);
