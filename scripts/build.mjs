// Bundles the Action (dist/index.js) and the CLI (dist/cli/index.js) with @vercel/ncc.
// ncc type-checks src/ (tsconfig.json); tests and scripts are checked by `npm run typecheck`. The bundle is built into
// a fresh folder and swapped in only when every entry built, so a failed build never leaves dist/ half-written or gone.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
const staging = join(root, '.dist-build');
// The CLI's bundle is loaded by a small launcher (scripts/cli-launcher.js, the package's bin) that turns on Node's
// compile cache first: a bundle cannot turn it on for itself, as it is compiled before any of it runs.
const bundles = [
  { entry: 'src/index.ts', out: '', name: 'index.js' },
  { entry: 'src/cli/index.ts', out: 'cli', name: 'kube-token-guard.js', launcher: 'scripts/cli-launcher.js' },
];
rmSync(staging, { recursive: true, force: true });
for (const bundle of bundles) {
  const out = join(staging, bundle.out);
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      bundle.entry,
      '-o',
      out,
      '--no-source-map-register',
      '--license',
      'licenses.txt',
      '--quiet',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  // ncc may name ESM output index.mjs; the package is "type": "module", so a .js file is ESM too.
  const mjs = join(out, 'index.mjs');
  const built = existsSync(mjs) ? mjs : join(out, 'index.js');
  if (built !== join(out, bundle.name)) renameSync(built, join(out, bundle.name));
  if (bundle.launcher) {
    copyFileSync(join(root, bundle.launcher), join(out, 'index.js'));
    chmodSync(join(out, 'index.js'), 0o755);
  }
}
// ncc copies files it takes for assets (a path it can resolve at build time) next to the bundle; ours reads no file of
// its own, so any such copy is a mistake (a `resolve(root, dir, 'Chart.yaml')` once copied every test chart).
const expected = new Set([
  'index.js',
  'licenses.txt',
  'package.json',
  'cli',
  ...['index.js', 'kube-token-guard.js', 'licenses.txt', 'package.json'].map((name) => `cli/${name}`),
]);
const unexpected = readdirSync(staging, { recursive: true }).filter(
  (entry) => !expected.has(String(entry).split(sep).join('/')),
);
if (unexpected.length > 0) {
  console.error(
    `ncc wrote files that are not the bundle: ${unexpected.slice(0, 5).join(', ')}; find the path it took for an asset`,
  );
  rmSync(staging, { recursive: true, force: true });
  process.exit(1);
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(staging, join(root, 'dist'));
console.log(`Built ${bundles.map((bundle) => join('dist', bundle.out, bundle.name)).join(', ')}`);
