/**
 * The repository stands on its own: a clone anywhere, with nothing beside it, has every test input, every document
 * it links to, and finds its tools in `.tools/` or on PATH.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, findTool } from './tools.js';

function filesBelow(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter(
      (entry) => entry.isFile() && pattern.test(entry.name) && !entry.parentPath.includes('node_modules'),
    )
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

describe('a clone with nothing beside it', () => {
  it('has no test, script or document reading a folder beside the clone', () => {
    const files = [
      ...['__tests__', 'src', 'scripts', 'bench'].flatMap((dir) => filesBelow(dir, /\.(ts|mjs|js)$/)),
      ...['docs', 'examples'].flatMap((dir) => filesBelow(dir, /\.md$/)),
      'README.md',
      '.ci/run',
    ].filter((file) => file !== '__tests__/standalone.test.ts');
    const outside = files.filter((file) =>
      /\.\.\/shared|\/work\/shared/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(outside).toEqual([]);
  });

  it('links only to files in the repository from its Markdown', () => {
    const broken: string[] = [];
    for (const file of ['README.md', ...filesBelow('docs', /\.md$/), ...filesBelow('examples', /\.md$/)]) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const path = resolve(ROOT, dirname(file), decodeURIComponent(target!));
        const inside = !relative(ROOT, path).startsWith('..');
        if (!inside || !existsSync(path)) broken.push(`${file}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keeps the real charts and manifests the tests read, with their sources and licence', () => {
    const corpus = join(ROOT, '__tests__/fixtures/corpus');
    const sources = readFileSync(join(corpus, 'SOURCES.md'), 'utf8');
    const entries = readdirSync(corpus).filter((name) => !/^(SOURCES\.md|LICENSE-.*)$/.test(name));
    expect(entries.filter((name) => !sources.includes(`\`${name}`))).toEqual([]);
    expect(readFileSync(join(corpus, 'LICENSE-Apache-2.0.txt'), 'utf8')).toContain('Apache License');
  });
});

describe('findTool', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('takes a tool from PATH when .tools/ lacks it, and says null when neither has it', () => {
    const bin = mkdtempSync(join(tmpdir(), 'ktg-path-'));
    writeFileSync(join(bin, 'ktg-fake-tool'), '#!/bin/sh\n');
    chmodSync(join(bin, 'ktg-fake-tool'), 0o755);
    writeFileSync(join(bin, 'ktg-not-executable'), '');
    process.env.PATH = `${bin}:${path}`;
    expect(findTool('ktg-fake-tool')).toBe(join(bin, 'ktg-fake-tool'));
    expect(findTool('ktg-not-executable')).toBeNull();
    expect(findTool('ktg-nowhere')).toBeNull();
  });
});
