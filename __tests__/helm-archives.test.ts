/**
 * Dependencies vendored as archives (`charts/sub-0.1.0.tgz`): helm names their templates as if unpacked
 * (`charts/sub/templates/x.yaml`), a path that does not exist in the repository. Their findings point at the archive,
 * which does, and name the template inside it; nothing is fixed in an archive.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured, yaml } from './helpers.js';
import { HELM, NO_HELM, because } from './tools.js';

function deployment(name: string): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: ${name}
    spec:
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec:
          containers:
            - name: web
              image: nginx
  `;
}

/** A parent chart with `sub` packed into its charts/ folder as `archive`. */
function parentWithArchive(archive: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ktg-archive-'));
  const files: Record<string, string> = {
    '.git/HEAD': 'ref: refs/heads/main\n',
    'parent/Chart.yaml': 'apiVersion: v2\nname: parent\nversion: 0.1.0\n',
    'parent/values.yaml': '{}\n',
    'build/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
    'build/sub/values.yaml': '{}\n',
    'build/sub/templates/two.yaml': `${deployment('one')}---\n${deployment('two')}`,
    'build/sub/templates/three.yaml': deployment('three'),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(join(dir, 'parent/charts'));
  execFileSync(HELM!, ['package', 'build/sub', '-d', 'parent/charts'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir },
  });
  if (archive !== 'sub-0.1.0.tgz')
    renameSync(join(dir, 'parent/charts/sub-0.1.0.tgz'), join(dir, 'parent/charts', archive));
  rmSync(join(dir, 'build'), { recursive: true });
  return dir;
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
  fix: unknown;
  packed?: string;
  resource: { name: string };
}

async function scan(dir: string, format = 'json', extra: string[] = []) {
  return runCliCaptured(['scan', '--format', format, ...extra], dir, false, {
    KUBE_TOKEN_GUARD_HELM: HELM ?? undefined,
  });
}

describe.skipIf(NO_HELM)(because(NO_HELM, 'findings on dependencies packed as archives'), () => {
  it('points at the archive, names the template inside it, one finding per object, no fix', async () => {
    const dir = parentWithArchive('sub-0.1.0.tgz');
    const { code, stdout } = await scan(dir);
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.filter(
      (finding) => finding.ruleId === 'automount-token',
    );
    expect(
      findings.map((finding) => [finding.resource.name, finding.file, finding.line, finding.packed]).sort(),
    ).toEqual([
      ['one', 'parent/charts/sub-0.1.0.tgz', 1, 'charts/sub/templates/two.yaml'],
      ['three', 'parent/charts/sub-0.1.0.tgz', 1, 'charts/sub/templates/three.yaml'],
      ['two', 'parent/charts/sub-0.1.0.tgz', 1, 'charts/sub/templates/two.yaml'],
    ]);
    for (const finding of findings) {
      expect(finding.fix).toBeNull();
      expect(finding.message).toContain(`the template \`${finding.packed}\`, packed in this archive`);
    }
    const sarif = JSON.parse((await scan(dir, 'sarif')).stdout) as {
      runs: Array<{
        results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
      }>;
    };
    const uris = new Set(
      sarif.runs[0]!.results.map((result) => result.locations[0]!.physicalLocation.artifactLocation.uri),
    );
    expect([...uris]).toEqual(['parent/charts/sub-0.1.0.tgz']);
    const archive = readFileSync(join(dir, 'parent/charts/sub-0.1.0.tgz'));
    const values = readFileSync(join(dir, 'parent/values.yaml'), 'utf8');
    const fix = await scan(dir, 'text', ['--fix']);
    expect(fix.stderr).toContain('Nothing to fix automatically.');
    expect(readFileSync(join(dir, 'parent/charts/sub-0.1.0.tgz'))).toEqual(archive);
    expect(readFileSync(join(dir, 'parent/values.yaml'), 'utf8')).toBe(values);
  });

  it('points at the Chart.yaml holding the archive when no archive is named after the dependency', async () => {
    const dir = parentWithArchive('vendored.tgz');
    const { stdout } = await scan(dir);
    const files = new Set((JSON.parse(stdout) as { findings: JsonFinding[] }).findings.map((f) => f.file));
    expect([...files]).toEqual(['parent/Chart.yaml']);
  });
});

describe.skipIf(NO_HELM)(because(NO_HELM, '--fix and dependencies unpacked into charts/'), () => {
  /** A git repository with `parent` whose dependency `sub` is unpacked into charts/, ignored by `ignore`. */
  function unpacked(ignore: string | null): string {
    const dir = mkdtempSync(join(tmpdir(), 'ktg-unpacked-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const files: Record<string, string> = {
      'parent/Chart.yaml':
        'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    repository: https://charts.example.com\n',
      'parent/values.yaml': '{}\n',
      'parent/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'parent/charts/sub/templates/deploy.yaml': deployment('web'),
      ...(ignore === null ? {} : { 'parent/.gitignore': ignore }),
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it('writes no fix into a dependency the repository ignores, and says why', async () => {
    const dir = unpacked('charts/*\n');
    const template = join(dir, 'parent/charts/sub/templates/deploy.yaml');
    const before = readFileSync(template, 'utf8');
    const { stdout, stderr } = await scan(dir, 'text', ['--fix', '--no-color']);
    expect(readFileSync(template, 'utf8')).toBe(before);
    expect(stderr).toContain('Nothing to fix automatically.');
    expect(stdout).toContain(
      'No fix is offered: `parent/charts/sub/templates/deploy.yaml` is in a dependency unpacked into `parent/charts/`, which the repository ignores',
    );
  });

  it('still fixes a dependency the repository keeps', async () => {
    const dir = unpacked(null);
    const { stderr } = await scan(dir, 'text', ['--fix', '--no-color']);
    expect(stderr).toContain('Fixed 1 finding in 1 file: parent/charts/sub/templates/deploy.yaml (1)');
  });
});

describe.skipIf(NO_HELM)(
  because(NO_HELM, 'dependencies printed under an alias or a name of their own'),
  () => {
    /** `parent` with the chart `worker` kept in `charts/worker-src/`, used under `aliases` (none: by its name). */
    function parentWithFolder(aliases: string[]): string {
      const dir = mkdtempSync(join(tmpdir(), 'ktg-alias-'));
      const dependencies = (aliases.length > 0 ? aliases : [null])
        .map((alias) => `  - name: worker\n    version: 0.1.0\n${alias ? `    alias: ${alias}\n` : ''}`)
        .join('');
      const files: Record<string, string> = {
        'parent/Chart.yaml': `apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n${dependencies}`,
        'parent/values.yaml': '{}\n',
        'parent/charts/worker-src/Chart.yaml': 'apiVersion: v2\nname: worker\nversion: 0.1.0\n',
        'parent/charts/worker-src/templates/deploy.yaml': deployment('{{ .Chart.Name }}-{{ .Values.role }}'),
        'parent/charts/worker-src/values.yaml': 'role: main\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      return dir;
    }

    const findingsOf = async (dir: string) =>
      (JSON.parse((await scan(dir)).stdout) as { findings: JsonFinding[] }).findings.filter(
        (finding) => finding.ruleId === 'automount-token',
      );

    it('points at the template in the folder holding the chart of that name', async () => {
      const findings = await findingsOf(parentWithFolder([]));
      expect(findings.map((finding) => [finding.file, finding.line, finding.packed])).toEqual([
        ['parent/charts/worker-src/templates/deploy.yaml', 9, undefined],
      ]);
    });

    it('points the findings of two aliases of one chart at its template, where one line renders both', async () => {
      const findings = await findingsOf(parentWithFolder(['ctl', 'web']));
      expect(findings.map((finding) => [finding.file, finding.line])).toEqual([
        ['parent/charts/worker-src/templates/deploy.yaml', 9],
      ]);
      expect(findings[0]!.message).not.toContain('packed in this archive');
    });
  },
);
