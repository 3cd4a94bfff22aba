// Bundles the Action (dist/index.js) and the CLI (dist/cli/index.js) with @vercel/ncc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const bundles = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/cli/index.ts', out: 'dist/cli' },
];
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const bundle of bundles) {
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      bundle.entry,
      '-o',
      bundle.out,
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  // ncc names ESM output index.mjs; the package is "type": "module", so index.js is ESM too and is the stable name.
  const mjs = join(root, bundle.out, 'index.mjs');
  if (existsSync(mjs)) renameSync(mjs, join(root, bundle.out, 'index.js'));
}
console.log(`Built ${bundles.map((bundle) => `${bundle.out}/index.js`).join(', ')}`);
for (const name of readdirSync(join(root, 'dist')))
  if (name.endsWith('.d.ts')) rmSync(join(root, 'dist', name));
