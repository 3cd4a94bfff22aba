/**
 * Markdown safety of everything the Action writes for GitHub to render (review comments and body, check run summary
 * and text, job summary): names, namespaces, file paths and messages come from the scanned repository and may hold
 * anything. Each output is parsed as CommonMark with GFM tables and autolinks (see ../markdown.ts), and must make
 * exactly the links, HTML, headings, tables and code blocks the tool writes itself, and nothing a name smuggles in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiClientNote } from '../../src/action/autofix.js';
import { addedApiClientsNote } from '../../src/action/policy.js';
import { mergeRenderedDuplicates } from '../../src/core/duplicates.js';
import type { Finding } from '../../src/core/types.js';
import { diffContents } from '../../src/pr/patch.js';
import {
  type CommentContext,
  codeFence,
  codeSpan,
  escapeMarkdown,
  planReview,
  resolvedBody,
} from '../../src/pr/review.js';
import { findingList, summaryMarkdown } from '../../src/pr/summary.js';
import { registry } from '../../src/rules/index.js';
import { RULE_DOCS_URL } from '../../src/version.js';
import { scan } from '../helpers.js';
import { type MarkdownShape, hostileDeployment, markdownShape, yamlQuoted } from '../markdown.js';

/** Names a hostile pull request could give its resources. */
export const HOSTILE_NAMES = [
  '@org/team',
  '@admin',
  'mail@evil.example',
  '[x](https://evil.example)',
  '![pixel](https://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">here</a>',
  '<!-- hidden -->',
  '<https://evil.example>',
  'https://evil.example/phish',
  'www.evil.example',
  'a|b',
  '| --- | --- |',
  '`<b>bold</b>`',
  'a`b',
  '``<i>x</i>``',
  '`@org/team` then `',
  '\\[x\\](https://evil.example)',
  '\\`<img src=x>',
  '&lt;img src=x&gt;',
  '&#64;org/team',
  'x\n# heading',
  'x\n\n<img src=x>',
  'x\r\n- item',
  'x\u2028<img src=x>',
  '# heading',
  '1. item',
  '---',
  '~~~',
  '    indented',
  '**bold** _em_',
];

/** Removes what a renderer may drop or add without changing what a reader sees as the text. */
function visible(text: string): string {
  return text.replace(/[\s`\u200b]/g, '');
}

/** The expected reading of escaped text: line breaks are spaces. */
function flat(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, ' ');
}

function expectInert(shape: MarkdownShape, context: string): void {
  expect(shape.links, `${context}: links`).toEqual([]);
  expect(shape.images, `${context}: images`).toEqual([]);
  expect(shape.html, `${context}: HTML`).toEqual([]);
  expect(shape.mentions, `${context}: mentions`).toEqual([]);
  expect(shape.headings, `${context}: headings`).toBe(0);
  expect(shape.tables, `${context}: tables`).toEqual([]);
  expect(shape.fences, `${context}: code blocks`).toEqual([]);
}

describe('the evidence of an API client, which the pull request writes (issue 16)', () => {
  it.each(HOSTILE_NAMES)(
    '%j as the api-client annotation and the names: the reviewer notes stay inert',
    (name) => {
      const annotated = hostileDeployment(name).replace(
        /^metadata:\n/m,
        `metadata:\n  annotations:\n    kube-token-guard.io/api-client: ${yamlQuoted(name)}\n`,
      );
      const clients = scan(annotated).findings.filter((finding) => finding.apiClient !== undefined);
      expect(clients.length, 'an API-client finding').toBeGreaterThan(0);
      expectInert(markdownShape(addedApiClientsNote(clients)!), `reviewer note for ${JSON.stringify(name)}`);
      expectInert(markdownShape(apiClientNote(clients)), `autofix note for ${JSON.stringify(name)}`);
    },
  );
});

describe('escapeMarkdown', () => {
  it.each(HOSTILE_NAMES)('makes %j inert and keeps its text', (name) => {
    const message = `Deployment shop/${name} runs as \`${name}\` in ${name}.`;
    const shape = markdownShape(escapeMarkdown(message));
    expectInert(shape, JSON.stringify(name));
    expect(visible(shape.text)).toBe(visible(flat(message)));
  });

  it('keeps the code spans rules write', () => {
    expect(escapeMarkdown('Deployment <b>x</b> @admin [a](b) `<kept>`')).toBe(
      'Deployment &lt;b&gt;x&lt;/b&gt; @\u200badmin \\[a\\](b) `<kept>`',
    );
    const shape = markdownShape(escapeMarkdown('set `automountServiceAccountToken: false` in `web`'));
    expect(shape.text).toBe('set automountServiceAccountToken: false in web');
  });

  it('escapes a backslash, so it cannot undo the escape of a bracket', () => {
    const shape = markdownShape(escapeMarkdown('\\[x\\](https://evil.example)'));
    expect(shape.links).toEqual([]);
    expect(shape.text).toBe('\\[x\\](https://evil.example)');
  });

  it('never lets a stray backtick turn escaped text into raw text', () => {
    // Without a closing backtick, `<img>` is not in a code span, whatever a naive split on backticks assumes.
    expect(markdownShape(escapeMarkdown('`<img src=x>')).html).toEqual([]);
    expect(markdownShape(escapeMarkdown('a`b`<img src=x>`')).html).toEqual([]);
  });

  it('holds for any text over the characters Markdown gives meaning to (property)', () => {
    const alphabet = [...'abc @#/:.<>[]()!`\\|*_~&;=-+1\n\r\t "\'{}', '\u2028', '\u200b', 'www.', 'https://'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        const shape = markdownShape(escapeMarkdown(text));
        expectInert(shape, JSON.stringify(text));
        expect(visible(shape.text)).toBe(visible(flat(text)));
      }),
      { seed: 20240611, numRuns: 400 },
    );
  });
});

describe('codeSpan and codeFence', () => {
  it.each(HOSTILE_NAMES)('codeSpan(%j) is one code span of exactly that text', (name) => {
    const shape = markdownShape(`see ${codeSpan(name)} here`);
    expectInert(shape, JSON.stringify(name));
    expect(shape.text).toBe(`see ${flat(name)} here`);
  });

  it('codeSpan holds for any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'a`< >@\n[]|\\') }), (text) => {
        const shape = markdownShape(`x ${codeSpan(text)} y`);
        expectInert(shape, JSON.stringify(text));
        // An empty span cannot be written: it shows as one space.
        expect(shape.text).toBe(`x ${text === '' ? ' ' : flat(text)} y`);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('codeFence outlasts any run of backticks in the block', () => {
    const content = 'a\n```\n````\n<img src=x>';
    const fence = codeFence(content, 4);
    expect(fence).toBe('`````');
    const shape = markdownShape(`${fence}yaml\n${content}\n${fence}\n\nafter`);
    expect(shape.fences).toEqual(['yaml']);
    expect(shape.html).toEqual([]);
  });
});

/** Manifests whose names, namespaces, accounts and volumes are hostile, one file per name, in hostile paths too. */
function hostileManifests(): Record<string, string> {
  const files: Record<string, string> = {};
  HOSTILE_NAMES.forEach((name, index) => {
    const q = yamlQuoted(name);
    const path =
      index % 3 === 0 ? `deploy/${name.replace(/[/\r\n\u2028]/g, '_')}.yaml` : `deploy/app-${index}.yaml`;
    files[path] = [
      hostileDeployment(name, [
        'volumes:',
        `  - name: ${q}`,
        '    projected:',
        '      sources:',
        '        - serviceAccountToken: {path: token, expirationSeconds: 86400}',
      ]).trimEnd(),
      '---',
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      `  name: ${q}`,
      `  namespace: ${q}`,
      `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${q}}`,
      'subjects:',
      `  - {kind: ServiceAccount, name: default, namespace: ${q}}`,
      `  - {kind: Group, name: ${yamlQuoted(`system:serviceaccounts:${name}`)}}`,
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      `  name: ${q}`,
      '',
    ].join('\n');
  });
  return files;
}

/** Raw HTML the tool writes itself; anything else is injected. */
function foreignHtml(shape: MarkdownShape): string[] {
  return shape.html
    .map((html) =>
      html.replace(/<\/?(details|summary|sub)>/g, '').replace(/<!-- kube-token-guard:[\w=,]+ -->/g, ''),
    )
    .filter((rest) => rest.includes('<'));
}

function ownLinksOnly(shape: MarkdownShape, context: string): void {
  for (const link of shape.links)
    expect(link.startsWith(`${RULE_DOCS_URL}/`), `${context}: ${link}`).toBe(true);
}

describe('review comments, review body, check run and job summary with hostile names', () => {
  const files = hostileManifests();
  const result = scan(files);
  const findings = result.findings;

  it('scans them: every hostile name is in some finding', () => {
    expect(result.errors).toEqual([]);
    for (const name of HOSTILE_NAMES) {
      expect(
        findings.some((finding) => finding.message.includes(name)),
        JSON.stringify(name),
      ).toBe(true);
    }
  });

  it('inline comments make only their own links, HTML and suggestion blocks', () => {
    const context: CommentContext = {
      rules: new Map(registry.rules.map((rule) => [rule.meta.id, rule.meta])),
      lines: new Map(
        Object.entries(files).map(([path, text]) => [path, { ...diffContents('', text), inline: true }]),
      ),
      texts: new Map(Object.entries(files)),
      maxComments: 1000,
    };
    const plan = planReview(findings, [], context);
    expect(plan.comments.length).toBeGreaterThan(HOSTILE_NAMES.length);
    for (const comment of plan.comments) {
      const shape = markdownShape(comment.body);
      const where = `${comment.path}:${comment.line}`;
      expect(shape.images, where).toEqual([]);
      expect(shape.mentions, where).toEqual([]);
      expect(shape.headings, where).toBe(0);
      expect(shape.tables, where).toEqual([]);
      expect(foreignHtml(shape), where).toEqual([]);
      ownLinksOnly(shape, where);
      // One link per finding (its rule's page), and a suggestion block only when there is a fix.
      expect(shape.links, where).toHaveLength(comment.findings.length);
      expect(shape.fences, where).toEqual(comment.body.includes('suggestion\n') ? ['suggestion'] : []);
      const resolved = markdownShape(resolvedBody(comment.body, 'abcdef1234567'));
      expect(foreignHtml(resolved), where).toEqual([]);
      expect(
        resolved.fences.every((info) => info === 'yaml'),
        where,
      ).toBe(true);
    }
  });

  it('the renders a merged finding names (folder names of overlays and charts) stay inert in its comment', () => {
    // A base seen through overlays whose folders the pull request named: `Seen through … renders` quotes each.
    const seen = (overlay: string, index: number): Finding => ({
      ...findings[0]!,
      rendered: true,
      via: [`overlay ${overlay}`],
      identity: `${findings[0]!.identity}|${index}`,
    });
    const [merged] = mergeRenderedDuplicates(HOSTILE_NAMES.slice(0, 3).map(seen));
    expect(merged!.message).toContain('Seen through 3 renders');
    for (const names of [HOSTILE_NAMES.slice(0, 3), HOSTILE_NAMES.slice(3, 6), HOSTILE_NAMES.slice(6, 9)]) {
      const [finding] = mergeRenderedDuplicates(names.map(seen));
      const plan = planReview([finding!], [], {
        rules: new Map(registry.rules.map((rule) => [rule.meta.id, rule.meta])),
        lines: new Map([[finding!.file, { ...diffContents('', files[finding!.file]!), inline: true }]]),
        texts: new Map(Object.entries(files)),
        maxComments: 10,
      });
      const body = plan.comments[0]?.body ?? findingList(plan.inBody);
      const shape = markdownShape(body);
      expect(shape.images).toEqual([]);
      expect(shape.mentions).toEqual([]);
      expect(shape.headings).toBe(0);
      expect(foreignHtml(shape)).toEqual([]);
      ownLinksOnly(shape, names.join(' '));
    }
  });

  it('the finding list (review body, check run text, job summary) is one list item per finding', () => {
    const markdown = findingList(findings, Number.MAX_SAFE_INTEGER);
    const shape = markdownShape(markdown);
    expect(shape.images).toEqual([]);
    expect(shape.links).toEqual([]);
    expect(shape.html).toEqual([]);
    expect(shape.mentions).toEqual([]);
    expect(shape.headings).toBe(0);
    expect(shape.tables).toEqual([]);
    expect(shape.fences).toEqual([]);
    expect(markdown.split('\n')).toHaveLength(findings.length);
  });

  it('the summary table keeps its rows and columns, and file names stay code', () => {
    const introduced = findings.slice(0, Math.ceil(findings.length / 2));
    const existing = findings.slice(introduced.length);
    const markdown = summaryMarkdown({
      introduced,
      existing,
      failOn: 'high',
      blocking: introduced.filter((finding) => finding.severity === 'high'),
      changedManifests: Object.keys(files).length,
      notes: [`Pushed to ${codeSpan('feature`<img src=x>`@org/team')}.`],
    });
    const shape = markdownShape(markdown);
    const rules = new Set(findings.map((finding) => finding.ruleId));
    expect(shape.tables).toEqual([Array<number>(rules.size + 1).fill(5)]);
    expect(shape.images).toEqual([]);
    expect(shape.html).toEqual([]);
    expect(shape.mentions).toEqual([]);
    expect(shape.headings).toBe(0);
    expect(shape.links).toHaveLength(rules.size);
    ownLinksOnly(shape, 'summary');
  });

  it('a suggestion whose lines hold a fence of four backticks cannot end its block early', () => {
    const finding = findings.find((candidate) => candidate.fix)!;
    const replacement = '      automountServiceAccountToken: false\n````\n<img src=x>\n@org/team';
    const hostile: Finding = { ...finding, fix: { ...finding.fix!, replacement } };
    const plan = planReview([hostile], [], {
      rules: new Map(),
      lines: new Map([[hostile.file, { ...diffContents('', files[hostile.file]!), inline: true }]]),
      texts: new Map(),
      maxComments: 10,
    });
    const shape = markdownShape(plan.comments[0]!.body);
    expect(shape.fences).toEqual(['suggestion']);
    expect(foreignHtml(shape)).toEqual([]);
    expect(shape.mentions).toEqual([]);
    expect(shape.text).toContain(replacement);
  });
});
