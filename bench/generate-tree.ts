/**
 * Writes a deterministic mixed tree like the root of a developer's home folder, for `npm run bench -- --corpora tree`:
 * `node --import tsx bench/generate-tree.ts [folder]`. About 20,000 YAML and JSON files and 400 MB, a tenth of them
 * Kubernetes manifests (bench/generate-corpus.ts, 25 documents a file, some as JSON Lists); the rest what such a folder
 * holds: projects with package.json, package-lock.json (with `kind-of` in it), tsconfig.json with comments, editor
 * settings, GitHub workflows (one running `kind`), docker-compose files, composer.lock (backslashes), pnpm-lock.yaml,
 * Chart.lock, OpenAPI specs (some describing objects with `apiVersion` and `kind` properties), JSON Schemas of
 * Kubernetes objects, large JSON data files (two over the 20 MiB limit), node_modules and .git folders.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateCorpus, random } from './generate-corpus.js';

export interface TreeSummary {
  files: number;
  bytes: number;
  manifests: number;
}

const PROJECTS = 200;
/** Manifest folders: 100 folders of 20 files of 25 documents, 2,000 files. */
const MANIFEST_FOLDERS = 100;
const SMALL_CONFIGS = [
  '.eslintrc.json',
  '.prettierrc.json',
  'renovate.json',
  'app.config.yaml',
  'jest.config.json',
];

export function generateTree(folder: string, seed = 20): TreeSummary {
  const next = random(seed);
  const between = (low: number, high: number) => Math.floor(low + next() * (high - low));
  rmSync(folder, { recursive: true, force: true });
  const summary: TreeSummary = { files: 0, bytes: 0, manifests: 0 };
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
    summary.files++;
    summary.bytes += Buffer.byteLength(text);
  };

  for (let index = 0; index < MANIFEST_FOLDERS; index++) {
    const deploy = join(folder, 'work', `service-${index}`, 'deploy');
    summary.files += generateCorpus(500, deploy, seed + index);
    summary.manifests += 20;
  }
  for (let index = 0; index < 200; index++) {
    // kubectl get -o json: a List, the way cached cluster state lands in a home folder.
    write(`.kube/cache/list-${index}.json`, kubernetesList(index, between(20, 60)));
    summary.manifests++;
  }

  for (let project = 0; project < PROJECTS; project++) {
    const base = `src/project-${project}`;
    const dependencies = between(100, 2500);
    write(`${base}/package.json`, packageJson(project, next));
    write(`${base}/package-lock.json`, packageLock(project, dependencies));
    write(`${base}/tsconfig.json`, TSCONFIG);
    write(`${base}/.vscode/settings.json`, VSCODE_SETTINGS);
    write(`${base}/.github/workflows/ci.yml`, workflow(project));
    write(`${base}/docker-compose.yml`, compose(project));
    write(`${base}/.git/info/sparse.json`, '{"cone": true}\n');
    for (let module = 0; module < 20; module++)
      write(`${base}/node_modules/dep-${module}/package.json`, packageJson(module, next));
    if (project % 4 === 0) write(`${base}/composer.lock`, composerLock(project, between(200, 900)));
    if (project % 4 === 1) write(`${base}/pnpm-lock.yaml`, pnpmLock(between(500, 2500)));
    if (project % 7 === 0) write(`${base}/charts/app/Chart.lock`, CHART_LOCK);
    if (project % 2 === 0)
      write(`${base}/api/openapi.yaml`, openApi(project, between(150, 400), project % 10 === 0));
    for (const name of SMALL_CONFIGS) write(`${base}/${name}`, smallConfig(name, project));
  }
  for (let index = 0; index < 40; index++)
    write(`data/records-${index}.json`, dataFile(index, between(2, 5) << 20));
  for (let index = 0; index < 2; index++) write(`data/huge-${index}.json`, dataFile(100 + index, 25 << 20));
  for (let index = 0; index < 5; index++) write(`schemas/k8s-${index}.json`, kubernetesSchema(index));
  // Translations and small settings fill the tree up to 20,000 files.
  for (let index = 0; summary.files < 20_000; index++)
    write(
      `src/project-${index % PROJECTS}/i18n/messages-${index}.json`,
      translations(index, between(20, 120)),
    );
  summary.bytes = sizeOf(folder);
  return summary;
}

/** Bytes of every file below `folder`. */
function sizeOf(folder: string): number {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function packageJson(index: number, next: () => number): string {
  const dependencies = Object.fromEntries(
    Array.from({ length: 12 }, (_, dep) => [
      `dep-${Math.floor(next() * 500)}-${dep}`,
      `^${dep}.${index % 9}.0`,
    ]),
  );
  return `${JSON.stringify({ name: `project-${index}`, version: '1.0.0', scripts: { test: 'vitest run', build: 'tsc -p .' }, dependencies }, null, 2)}\n`;
}

function packageLock(project: number, dependencies: number): string {
  const packages: Record<string, unknown> = { '': { name: `project-${project}`, version: '1.0.0' } };
  for (let dep = 0; dep < dependencies; dep++) {
    const name = dep % 50 === 0 ? 'kind-of' : `package-${dep}`;
    packages[
      `node_modules/${dep % 3 === 0 ? `@scope-${dep % 17}/` : ''}${name}${dep % 50 === 0 ? `-${dep}` : ''}`
    ] = {
      version: `${dep % 7}.${dep % 13}.${dep % 5}`,
      resolved: `https://registry.npmjs.org/${name}/-/${name}-${dep % 7}.${dep % 13}.${dep % 5}.tgz`,
      integrity: `sha512-${Buffer.from(`${project}:${dep}`.repeat(6)).toString('base64')}`,
      dev: dep % 2 === 0,
      license: 'MIT',
      dependencies: { [`package-${(dep * 7) % dependencies}`]: '^1.0.0' },
      engines: { node: '>=18' },
    };
  }
  return `${JSON.stringify({ name: `project-${project}`, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

const TSCONFIG = `{
  // Comments make this JSONC: not JSON, and not YAML either.
  "compilerOptions": { "target": "ES2022", "module": "NodeNext", "strict": true, /* no emit */ "noEmit": true },
  "include": ["src"],
}
`;

const VSCODE_SETTINGS = `{
  "editor.formatOnSave": true,
  "yaml.schemas": { "kubernetes": ["deploy/*.yaml"] },
  "files.exclude": { "**/.git": true, "C:\\\\Users\\\\dev\\\\tmp": true }
}
`;

function workflow(project: number): string {
  const kind = project % 5 === 0 ? '      - uses: helm/kind-action@v1\n' : '';
  return `name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n${kind}      - run: npm ci && npm test\n        env:\n          PROJECT: project-${project}\n`;
}

function compose(project: number): string {
  return `services:\n  web:\n    image: registry.example.com/project-${project}:latest\n    ports: ["8080:8080"]\n    environment:\n      - LOG_LEVEL=info\n  db:\n    image: postgres:16\n    volumes: [db:/var/lib/postgresql/data]\nvolumes:\n  db: {}\n`;
}

function composerLock(project: number, packages: number): string {
  const list = Array.from({ length: packages }, (_, index) => ({
    name: `vendor-${index % 40}/package-${index}`,
    version: `v${index % 9}.${index % 4}.0`,
    autoload: { 'psr-4': { [`Vendor${index % 40}\\Package${index}\\`]: 'src/' } },
    description: `Package ${index} of project ${project}.`,
  }));
  return `${JSON.stringify({ 'content-hash': `${project}`.padStart(32, '0'), packages: list }, null, 4)}\n`;
}

function pnpmLock(packages: number): string {
  const lines = ["lockfileVersion: '9.0'", 'packages:'];
  for (let index = 0; index < packages; index++) {
    const name = index % 40 === 0 ? `kind-of@6.0.${index}` : `package-${index}@1.${index % 9}.0`;
    lines.push(
      `  ${name}:`,
      `    resolution: {integrity: sha512-${'A'.repeat(60)}${index}}`,
      '    engines: {node: ">=18"}',
    );
  }
  return `${lines.join('\n')}\n`;
}

const CHART_LOCK = `dependencies:\n- name: postgresql\n  repository: https://charts.bitnami.com/bitnami\n  version: 12.1.0\ndigest: sha256:${'0'.repeat(64)}\ngenerated: "2024-01-01T00:00:00Z"\n`;

function openApi(project: number, paths: number, kubernetesLike: boolean): string {
  const lines = ['openapi: 3.0.3', 'info:', `  title: Project ${project} API`, '  version: 1.0.0', 'paths:'];
  for (let index = 0; index < paths; index++) {
    lines.push(
      `  /items/${index}/{id}:`,
      '    get:',
      `      operationId: getItem${index}`,
      '      parameters: [{name: id, in: path, required: true, schema: {type: string}}]',
      '      responses:',
      "        '200':",
      '          description: The item.',
      '          content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}',
    );
  }
  lines.push('components:', '  schemas:', '    Item:', '      type: object', '      properties:');
  if (kubernetesLike) lines.push('        apiVersion: {type: string}', '        kind: {type: string}');
  lines.push('        name: {type: string}', '        blob: {type: string, format: binary}');
  return `${lines.join('\n')}\n`;
}

function smallConfig(name: string, project: number): string {
  if (name.endsWith('.yaml'))
    return `server:\n  port: ${8000 + project}\n  host: 0.0.0.0\nfeatures: [search, export]\n`;
  return `${JSON.stringify({ root: true, project, rules: { semi: ['error', 'always'] } }, null, 2)}\n`;
}

function dataFile(index: number, bytes: number): string {
  const records: string[] = [];
  let size = 0;
  for (let record = 0; size < bytes; record++) {
    const line = JSON.stringify({
      id: record,
      series: index,
      kind: record % 3 === 0 ? 'sample' : 'event',
      value: (record * 7919) % 10007,
      label: `record ${record} of series ${index}`,
    });
    records.push(line);
    size += line.length + 2;
  }
  return `[\n${records.join(',\n')}\n]\n`;
}

function kubernetesSchema(index: number): string {
  const properties: Record<string, unknown> = {
    apiVersion: {
      type: 'string',
      description: 'APIVersion defines the versioned schema of this representation.',
    },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource.' },
  };
  for (let field = 0; field < 20_000; field++)
    properties[`field${field}`] = { type: 'string', description: `Field ${field} of schema ${index}.` };
  return `${JSON.stringify({ $schema: 'http://json-schema.org/schema#', type: 'object', properties }, null, 2)}\n`;
}

function kubernetesList(index: number, items: number): string {
  const list = Array.from({ length: items }, (_, item) => ({
    apiVersion: 'v1',
    kind: item % 4 === 0 ? 'ServiceAccount' : 'ConfigMap',
    metadata: { name: `cached-${index}-${item}`, namespace: `cache-${index % 10}` },
    ...(item % 4 === 0 ? {} : { data: { 'settings.json': JSON.stringify({ item, index }) } }),
  }));
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list }, null, 2)}\n`;
}

function translations(index: number, keys: number): string {
  const messages = Object.fromEntries(
    Array.from({ length: keys }, (_, key) => [`message.${key}`, `Message ${key} of bundle ${index}`]),
  );
  return `${JSON.stringify(messages, null, 2)}\n`;
}

if (process.argv[1]?.endsWith('generate-tree.ts')) {
  const folder = process.argv[2] ?? '.bench/tree';
  const summary = generateTree(folder);
  console.log(
    `Wrote ${summary.files} files (${Math.round(summary.bytes / 1e6)} MB, ${summary.manifests} manifests) to ${folder}`,
  );
}
