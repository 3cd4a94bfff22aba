/**
 * What a piece of GitHub Markdown turns into, read with a CommonMark parser (markdown-it, with GFM tables and
 * autolinks of URLs): the links, images, raw HTML, mentions, headings and table rows it makes. Tests compare that with
 * what the tool meant to write, so a name from a manifest that smuggles in any of these shows up as a difference.
 */
import MarkdownIt from 'markdown-it';
import { expect } from 'vitest';
import { RULE_DOCS_URL } from '../src/version.js';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

const parser = new MarkdownIt({ html: true, linkify: true });
// GitHub links URLs with a scheme and `www.` names, not bare domains. Its e-mail autolinks need an ASCII domain right
// after the `@`, which the zero-width space of escaped text breaks; linkify-it takes any Unicode there, so e-mail
// autolinks are left to the mention check.
parser.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

export interface MarkdownShape {
  links: string[];
  images: string[];
  /** Raw HTML, inline or block, comments included. */
  html: string[];
  /** `@name` or `@org/team` in text GitHub would notify (outside code). */
  mentions: string[];
  headings: number;
  /** Cells of each table row, per table. */
  tables: number[][];
  /** Fenced and indented code blocks, with their info string. */
  fences: string[];
  /** The text a reader sees, code included, without markup. */
  text: string;
}

const MENTION = /(?:^|[^\w`])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w.-]*)?)/g;

export function markdownShape(markdown: string): MarkdownShape {
  const shape: MarkdownShape = {
    links: [],
    images: [],
    html: [],
    mentions: [],
    headings: 0,
    tables: [],
    fences: [],
    text: '',
  };
  let row: number | null = null;
  const visit = (tokens: Token[]) => {
    for (const token of tokens) {
      switch (token.type) {
        case 'link_open':
          shape.links.push(String(token.attrGet('href') ?? ''));
          break;
        case 'image':
          shape.images.push(String(token.attrGet('src') ?? ''));
          break;
        case 'html_inline':
        case 'html_block':
          shape.html.push(token.content.trim());
          break;
        case 'heading_open':
          shape.headings++;
          break;
        case 'table_open':
          shape.tables.push([]);
          break;
        case 'tr_open':
          row = 0;
          break;
        case 'th_open':
        case 'td_open':
          if (row !== null) row++;
          break;
        case 'tr_close':
          shape.tables[shape.tables.length - 1]!.push(row ?? 0);
          row = null;
          break;
        case 'fence':
        case 'code_block':
          shape.fences.push(token.info);
          shape.text += token.content;
          break;
        case 'text':
          shape.text += token.content;
          for (const match of token.content.matchAll(MENTION)) shape.mentions.push(match[1]!);
          break;
        case 'code_inline':
          shape.text += token.content;
          break;
        case 'softbreak':
        case 'hardbreak':
          shape.text += '\n';
          break;
        default:
          break;
      }
      if (token.children) visit(token.children);
    }
  };
  visit(parser.parse(markdown, {}));
  return shape;
}

/** What the tool may write as raw HTML: its own tags and markers; anything left holding `<` was injected. */
export function foreignHtml(shape: MarkdownShape): string[] {
  return shape.html
    .map((html) =>
      html
        .replace(/<\/?(details|summary|sub|code|h2)>/g, '')
        .replace(/<!-- kube-token-guard:[\w=,]+ -->/g, ''),
    )
    .filter((rest) => rest.includes('<'));
}

/**
 * Expects `markdown` (a review, a check run's output, a job summary) to hold only the tool's own markup: no images,
 * mentions or foreign HTML, links only to the rules' pages, and exactly `headings` headings.
 */
export function expectOwnMarkup(markdown: string, where: string, headings: number): MarkdownShape {
  const shape = markdownShape(markdown);
  expect(shape.images, `${where}: images`).toEqual([]);
  expect(shape.mentions, `${where}: mentions`).toEqual([]);
  expect(foreignHtml(shape), `${where}: HTML`).toEqual([]);
  expect(shape.headings, `${where}: headings`).toBe(headings);
  for (const link of shape.links)
    expect(link.startsWith(`${RULE_DOCS_URL}/`), `${where}: ${link}`).toBe(true);
  return shape;
}

/**
 * A name as a double-quoted YAML scalar. JSON leaves DEL, the C1 controls (U+0080 to U+009F) and U+2028 and U+2029
 * raw: Kubernetes' reader refuses the first as control characters and takes U+0085 and the last two for line breaks,
 * and the scan refuses such files. Escaped, the name still holds them.
 */
export function yamlQuoted(name: string): string {
  return JSON.stringify(name).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A Deployment whose name, namespace and account are `name` (quoted as JSON): it runs under the deprecated field and
 * mounts its token, so it gets findings with fixes. `podSpec` lines are added to its pod spec.
 */
export function hostileDeployment(name: string, podSpec: string[] = []): string {
  const q = yamlQuoted(name);
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${q}`,
    `  namespace: ${q}`,
    'spec:',
    '  template:',
    '    spec:',
    `      serviceAccount: ${q}`,
    '      containers:',
    '        - name: app',
    '          image: app:1',
    ...podSpec.map((line) => `      ${line}`),
    '',
  ].join('\n');
}
