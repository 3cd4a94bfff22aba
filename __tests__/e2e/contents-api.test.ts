/**
 * Reading a commit's files through the contents API, against the fake GitHub: files over 1 MB (which the JSON answer
 * leaves empty), and chart folders copied into a scratch folder with the workspace's files reused by blob id.
 */
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFolderWhole, copyFoldersAt } from '../../src/action/units-through-api.js';
import { type GitHub, createGitHub } from '../../src/api/client.js';
import { getFileContent, listFolder } from '../../src/api/contents.js';
import { FakeGitHub } from './fake-github.js';

const OWNER = 'octo-org';
const REPO = 'manifests';
const HEAD = 'a'.repeat(40);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function serving(files: Record<string, string>) {
  const fake = await FakeGitHub.start({
    owner: OWNER,
    repo: REPO,
    validateResponses: true,
    contents: { [HEAD]: files },
    pull: { number: 1, headSha: HEAD, baseSha: 'b'.repeat(40), mergeBaseSha: 'b'.repeat(40), files: [] },
  });
  cleanups.push(() => fake.stop());
  return { fake, github: createGitHub('ghs_test', fake.url) };
}

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-contents-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** What `copyFoldersAt` reads from: the commit `HEAD` of the fake, the workspace, a budget of requests. */
function sourceOf(github: GitHub, workspace: string, requests: number) {
  return { github, owner: OWNER, repo: REPO, ref: HEAD, workspace, budget: { requests } };
}

function filesIn(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      result[path.slice(dir.length + 1)] = readFileSync(path, 'utf8');
    }
  return result;
}

const CHART = {
  'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
  'charts/app/values.yaml': 'replicas: 2\n',
  'charts/app/templates/worker.yaml': 'kind: Deployment\n',
  'charts/app/templates/partials/_helpers.tpl': '{{- define "x" }}{{ end }}\n',
};

describe('getFileContent', () => {
  it('reads a file over 1 MB, whose JSON answer carries no content, through the raw media type', async () => {
    const big = `# ${'x'.repeat(1_100_000)}\nkind: ConfigMap\n`;
    const { github, fake } = await serving({ 'deploy/big.yaml': big });
    const bytes = await getFileContent(github, OWNER, REPO, 'deploy/big.yaml', HEAD);
    expect(bytes?.toString('utf8')).toBe(big);
    expect(fake.violations).toEqual([]);
  });

  it('is null for a file the commit does not have', async () => {
    const { github } = await serving({ 'deploy/app.yaml': 'kind: Pod\n' });
    expect(await getFileContent(github, OWNER, REPO, 'deploy/other.yaml', HEAD)).toBeNull();
  });
});

describe('copyFoldersAt', () => {
  it('writes a folder as the commit has it, reading through the API only what the workspace lacks', async () => {
    const { github, fake } = await serving({ ...CHART, 'README.md': '# outside\n' });
    const workspace = folder({
      ...CHART,
      'charts/app/values.yaml': 'replicas: 3\n', // another version
      'charts/app/templates/stale.yaml': 'kind: Job\n', // gone at the commit
    });
    const dest = folder({});
    const source = sourceOf(github, workspace, 50);
    const copy = await copyFoldersAt(source, ['charts/app'], dest);
    expect(filesIn(dest)).toEqual(CHART);
    expect(copy).toEqual({ files: 4, fetched: 1 });
    // Three folders listed and one file read.
    expect(source.budget.requests).toBe(46);
    expect(fake.violations).toEqual([]);
  });

  it('writes nothing for a folder the commit does not have', async () => {
    const { github } = await serving({ 'README.md': '# none\n' });
    const dest = folder({});
    const source = sourceOf(github, folder({}), 5);
    expect(await copyFoldersAt(source, ['charts/app'], dest)).toEqual({ files: 0, fetched: 0 });
    expect(filesIn(dest)).toEqual({});
  });

  it('throws when the folder would take more requests than are left', async () => {
    const { github } = await serving(CHART);
    const source = sourceOf(github, folder({}), 3);
    await expect(copyFoldersAt(source, ['charts/app'], folder({}))).rejects.toThrow(/more than 150 requests/);
  });
});

describe('listFolder', () => {
  it('refuses a folder of 1,000 entries or more, of which the contents API would list only some', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 1000; index++) files[`charts/app/templates/t${index}.yaml`] = `# ${index}\n`;
    const { github } = await serving(files);
    await expect(listFolder(github, OWNER, REPO, 'charts/app/templates', HEAD)).rejects.toThrow(
      /1000 or more entries/,
    );
    expect(await listFolder(github, OWNER, REPO, 'charts/app', HEAD)).toHaveLength(1);
  });
});

describe('copyFolderWhole', () => {
  it('copies a link to a file of the workspace as that file', async () => {
    const workspace = folder({ ...CHART, 'common/settings.yaml': 'kind: ConfigMap\n' });
    symlinkSync('../../../common/settings.yaml', join(workspace, 'charts/app/templates/common.yaml'));
    const dest = folder({});
    expect(await copyFolderWhole(workspace, 'charts/app', dest)).toBeNull();
    expect(filesIn(dest)).toEqual({ ...CHART, 'charts/app/templates/common.yaml': 'kind: ConfigMap\n' });
  });

  it('leaves out, whole, a folder holding a link out of the workspace', async () => {
    const workspace = folder(CHART);
    symlinkSync('/etc/hostname', join(workspace, 'charts/app/templates/host.yaml'));
    const dest = folder({ 'charts/other/Chart.yaml': 'name: other\n' });
    expect(await copyFolderWhole(workspace, 'charts/app', dest)).toMatch(/host\.yaml is a link out/);
    expect(filesIn(dest)).toEqual({ 'charts/other/Chart.yaml': 'name: other\n' });
  });
});
