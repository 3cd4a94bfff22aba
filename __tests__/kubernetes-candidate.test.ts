/**
 * Which files of a walked tree are left unread (core/kubernetes-candidate.ts). A skip must never hide a manifest, so
 * every way of writing `kind` and `apiVersion` a reader accepts keeps a file read; the Go oracle (kubectl's own reader)
 * confirms each hostile spelling is an object to Kubernetes, and that each skipped file holds none. A generated
 * property holds the test to both readers: whenever the scan's loader or kubectl finds an object, the file is read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkedCandidate, mayHoldKubernetesObjects } from '../src/core/kubernetes-candidate.js';
import { isKubernetesObject } from '../src/core/inert.js';
import { loadDocuments } from '../src/core/load.js';
import { ORACLE_MISSING, readAsKubernetes } from './k8s-oracle.js';
import { because } from './tools.js';

const SEED = Number(process.env.KTG_FUZZ_SEED ?? 0x6b7467);

/** Objects written in every way a reader builds `kind` and `apiVersion`: each is a Pod to kubectl. */
const HOSTILE: Record<string, string> = {
  plain: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n',
  'quoted keys': '"apiVersion": v1\n\'kind\': Pod\nmetadata: {name: x}\n',
  'flow mapping': '{apiVersion: v1, kind: Pod, metadata: {name: x}}\n',
  'explicit keys': '? apiVersion\n: v1\n? kind\n: Pod\nmetadata: {name: x}\n',
  'YAML \\x escapes': '"\\x61piVersion": v1\n"\\x6bind": Pod\nmetadata: {name: x}\n',
  'YAML \\x escapes, upper-case hex': '"\\x61piVersion": v1\n"\\x6Bind": Pod\nmetadata: {name: x}\n',
  'YAML \\u and \\U escapes': '"\\u0061piVersion": v1\n"\\U0000006bind": Pod\nmetadata: {name: x}\n',
  'escaped line break in an explicit key': 'apiVersion: v1\n? "ki\\\n  nd"\n: Pod\nmetadata: {name: x}\n',
  'JSON escapes': '{"apiVersion": "v1", "k\\u0069nd": "Pod", "metadata": {"name": "x"}}\n',
  'JSON escapes, all of the word':
    '{"\\u0061\\u0070\\u0069Version": "v1", "kind": "Pod", "metadata": {"name": "x"}}\n',
  'merge key of an anchored map': 'x: &base {apiVersion: v1, kind: Pod}\n<<: *base\nmetadata: {name: x}\n',
  'aliases as keys': 'x: &k kind\ny: &a apiVersion\n*a : v1\n*k : Pod\nmetadata: {name: x}\n',
  'block scalar key': 'apiVersion: v1\n? |-\n  kind\n: Pod\nmetadata: {name: x}\n',
  '!!binary key': '? !!binary a2luZA==\n: Pod\napiVersion: v1\nmetadata: {name: x}\n',
  '!!binary written with a URI escape': '? !!bin%61ry a2luZA==\n: Pod\napiVersion: v1\nmetadata: {name: x}\n',
  'second document': 'name: not this one\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: x}\n',
  'JSON stream of two objects': '{"a": 1} {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}\n',
  'JSON List':
    '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}]}\n',
  'JSON after blank lines': '\n  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}\n',
};

/** Files a home folder holds that cannot be Kubernetes objects, however written. */
const SKIPPED: Record<string, string> = {
  'package-lock.json with kind-of': `${JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { 'node_modules/kind-of': { version: '6.0.3' } } }, null, 2)}\n`,
  'package.json': '{"name": "app", "scripts": {"test": "vitest run", "path": "C:\\\\tmp"}}\n',
  'tsconfig.json with comments': '{\n  // strict\n  "compilerOptions": {"strict": true,},\n}\n',
  'GitHub workflow running kind': 'on: push\njobs:\n  e2e:\n    steps:\n      - uses: helm/kind-action@v1\n',
  'docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
  'CloudFormation with tags':
    'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref Name}\n',
  'JSON Schema of a Kubernetes object':
    '{"type": "object", "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}}}\n',
  'JSON array of objects': '[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}]\n',
  'JSON data naming a kind': '[{"id": 1, "kind": "event"}, {"id": 2, "kind": "sample"}]\n',
  'broken package-lock.json': '{"name": "app", "packages": {"node_modules/kind-of": {"version": \n',
  'broken YAML without the keys': 'services: [web\n  db: {\n',
  'escapes that spell other words': '{"k\\u0069ndly": 1, "note": "api\\u0020version"}\n',
};

describe('mayHoldKubernetesObjects', () => {
  it.each(Object.entries(HOSTILE))('reads a file with an object written by %s', (_, text) => {
    expect(mayHoldKubernetesObjects(text)).toBe(true);
  });

  it.each(Object.entries(SKIPPED))('skips %s', (_, text) => {
    expect(mayHoldKubernetesObjects(text)).toBe(false);
  });

  it('reads a JSON mapping with both keys in any case, and JSON it cannot parse that spells both', () => {
    expect(mayHoldKubernetesObjects('{"Kind": "Pod", "APIVERSION": "v1"}')).toBe(true);
    expect(mayHoldKubernetesObjects('{"apiVersion": "v1", "kind": "Pod",}')).toBe(true);
  });

  it('reads a file with a tag when it also holds `binary` or a `%`, whatever else it holds', () => {
    expect(mayHoldKubernetesObjects('a: !!binary aGVsbG8=\n')).toBe(true);
    expect(mayHoldKubernetesObjects('a: !x 100%\n')).toBe(true);
    expect(mayHoldKubernetesObjects('a: !x b\nformat: text\n')).toBe(false);
  });

  it('finds a tag wherever one may start, and not a `!` inside other text', () => {
    // At the start of the text, after a blank (any \\s), a flow indicator or a colon.
    for (const tagged of [
      '!!binary x',
      'a:\t!!binary x',
      '["a",!!binary x]',
      '{"a":!!binary x}',
      'a:\u00a0!!binary x',
    ]) {
      expect(mayHoldKubernetesObjects(`${tagged}\n`), tagged).toBe(true);
    }
    // Inside a word or after a quote: no tag, so `binary` in the text does not matter.
    for (const untagged of ['a: wow!!binary', 'a: "!!binary"', "a: '!x' binary", 'note: 100%!binary']) {
      expect(mayHoldKubernetesObjects(`${untagged}\n`), untagged).toBe(false);
    }
  });
});

describe('ChunkedCandidate (files over the size limit)', () => {
  const judge = (chunks: string[]) => {
    const candidate = new ChunkedCandidate();
    for (const chunk of chunks) candidate.add(chunk);
    return candidate.mayHoldObjects();
  };

  it('finds both keys across chunk boundaries, and any backslash or binary tag keeps the file', () => {
    expect(judge(['{"api', 'Version": "v1", "ki', 'nd": "Pod"}'])).toBe(true);
    expect(judge(['[{"kind": "event"}', ', {"kind": "sample"}]'])).toBe(false);
    expect(judge(['[{"kind": "event", "note": "a\\u0020b"}]'])).toBe(true);
    expect(judge(['? !!bin', 'ary a2luZA==\n: Pod\n'])).toBe(true);
  });
});

/** A Pod whose keys are spelled at random in the ways HOSTILE lists, in YAML or JSON. */
const spelledObject = fc
  .record({
    json: fc.boolean(),
    apiVersion: fc.array(fc.constantFrom('plain', 'x', 'u', 'U'), { minLength: 10, maxLength: 10 }),
    kind: fc.array(fc.constantFrom('plain', 'x', 'u', 'U', 'join'), { minLength: 4, maxLength: 4 }),
    before: fc.constantFrom('', 'name: other\n---\n', '# comment\n'),
  })
  .map(({ json, apiVersion, kind, before }) => {
    const spell = (word: string, ways: readonly string[]) =>
      [...word]
        .map((char, index) => {
          const code = char.charCodeAt(0).toString(16).padStart(2, '0');
          const way = json && ways[index] !== 'plain' ? 'u' : ways[index];
          if (way === 'x') return `\\x${code}`;
          if (way === 'u') return `\\u00${code}`;
          if (way === 'U') return `\\U000000${code}`;
          return `${index > 0 && way === 'join' ? '\\\n    ' : ''}${char}`;
        })
        .join('');
    const a = spell('apiVersion', apiVersion);
    const k = spell('kind', kind);
    return json
      ? `{"${a}": "v1", "${k}": "Pod", "metadata": {"name": "x"}}\n`
      : `${before}? "${a}"\n: v1\n? "${k}"\n: Pod\nmetadata: {name: x}\n`;
  });

describe('every spelling the readers accept is read', () => {
  it('whenever the scan’s loader finds an object, the file is not skipped', () => {
    fc.assert(
      fc.property(spelledObject, (text) => {
        const loaded = loadDocuments({ path: 'x.yaml', text });
        expect(loaded.errors).toEqual([]);
        expect(loaded.objects.map((object) => object.value.kind)).toEqual(['Pod']);
        expect(mayHoldKubernetesObjects(text)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  describe.skipIf(ORACLE_MISSING)(because(ORACLE_MISSING, 'and kubectl agrees'), () => {
    const objectsOf = (documents: ReturnType<typeof readAsKubernetes>[number]) =>
      documents.filter((document) => 'json' in document && isKubernetesObject(document.json));

    it('kubectl reads an object from every hostile spelling, and none from the skipped files', () => {
      const hostile = readAsKubernetes(Object.values(HOSTILE));
      Object.keys(HOSTILE).forEach((name, index) =>
        expect(objectsOf(hostile[index]!), name).not.toHaveLength(0),
      );
      const skipped = readAsKubernetes(Object.values(SKIPPED));
      Object.keys(SKIPPED).forEach((name, index) => expect(objectsOf(skipped[index]!), name).toEqual([]));
    });

    it('kubectl reads an object from every generated spelling, which is never skipped', () => {
      const texts = fc.sample(spelledObject, { seed: SEED, numRuns: 300 });
      readAsKubernetes(texts).forEach((documents, index) => {
        expect(objectsOf(documents), texts[index]).not.toHaveLength(0);
        expect(mayHoldKubernetesObjects(texts[index]!)).toBe(true);
      });
    });
  });
});
