/**
 * Reports written in pieces (src/report/json-pieces.ts, the pieces of each format, src/core/redact-pieces.ts): the CLI
 * writes a report a batch at a time, each batch escaped and redacted on its own, and what it writes must be the bytes
 * the whole report made at once, escaped and redacted at once, gave.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportBatches, type ReportInput } from '../src/cli/report.js';
import { jsonDisplayText, terminalLines, terminalText } from '../src/core/display-text.js';
import { batchesToRedact } from '../src/core/redact-pieces.js';
import { SecretFilter } from '../src/core/redact.js';
import {
  SEVERITIES,
  type Finding,
  type ScanError,
  type ScanNotice,
  type Severity,
} from '../src/core/types.js';
import { maxOf } from '../src/core/arrays.js';
import { formatJson, jsonReportPieces } from '../src/report/json.js';
import { sarifPieces, toSarif } from '../src/report/sarif.js';
import { appliedByFix, countFindings, severityBreakdown } from '../src/report/summary.js';
import { type TextOptions, formatText, textPieces } from '../src/report/text.js';
import { registry } from '../src/rules/index.js';

/** A value the filter knows, written into findings here and there. */
const KNOWN = 'ktgPiecesKnownSecret-41';

/** Text that formats, escaping and redaction treat specially. */
const ODD = [
  'plain words',
  'é and 日本 and 😀',
  '\u0000\u0007\u0008',
  '\u001b[2K\r✔ No findings',
  '\u007f\u0085\u009b',
  '\u2028\u2029',
  '\u202e\u2066\u061c',
  '\ud800 lone \udc00',
  '"quoted" and \'single\'',
  'back\\slash \\n \\u0041',
  'line\nbreak',
  'crlf\r\nbreak',
  'tab\there',
  'token: |',
  'password: hunter2hunter2',
  "apiKey='abc def ghi'",
  'secret=plainvalue99',
  'AKIAIOSFODNN7EXAMPLE',
  `ghp_${'a'.repeat(36)}`,
  'eyJhbGciOi.eyJzdWIiOi.sig',
  '"results": []',
  '"findings": []',
  '[redacted]',
  KNOWN,
  `${KNOWN}-longer`,
];

const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----';

/** A seeded random source, so that a failure can be run again. */
function randomSource(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (count: number) => Math.floor(next() * count);
  const pick = <T>(list: readonly T[]) => list[below(list.length)]!;
  return { next, below, pick };
}

/** A few hundred findings over some dozens of files, their texts drawn from ODD (and a private key's line, if asked). */
function material(seed: number, count: number, privateKey: boolean) {
  const random = randomSource(seed);
  const odd = privateKey ? [...ODD, PRIVATE_KEY] : ODD;
  const text = () =>
    Array.from({ length: 1 + random.below(3) }, () => random.pick(odd)).join(random.pick([' ', '', ': ']));
  const files = [
    ...Array.from({ length: 30 }, (_, index) => `deploy/app-${index}.yaml`),
    ' starts with a space.yaml',
    'token: |',
    'a pi#1 ü.yaml',
    'bidi\u202e.yaml',
    `${KNOWN}.yaml`,
  ];
  const rules = registry.rules.map((rule) => rule.meta.id);
  const findings: Finding[] = Array.from({ length: count }, (_, index) => {
    const line = 1 + random.below(random.next() < 0.2 ? 20_000 : 60);
    const suppressed = random.next() < 0.2;
    const finding: Finding = {
      ruleId: random.pick(rules),
      severity: random.pick(SEVERITIES) as Severity,
      message: text(),
      file: random.pick(files),
      line,
      endLine: line + random.below(4),
      resource: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: random.next() < 0.3 ? null : text(),
        name: text(),
      },
      suppressed,
      fix:
        random.next() < 0.5
          ? {
              edits: [{ start: index, end: index + random.below(3), text: text() }],
              startLine: line,
              endLine: line + 1,
              replacement: text(),
              ...(random.next() < 0.2 ? { file: random.pick(files) } : {}),
            }
          : null,
      path: ['spec', 'template', 'spec', index],
      identity: `${index}|${text()}`,
    };
    if (suppressed || random.next() < 0.1)
      finding.suppression = { kind: random.pick(['annotation', 'config'] as const), reason: text() };
    if (random.next() < 0.1) finding.apiClient = text();
    if (random.next() < 0.2) {
      finding.rendered = true;
      finding.via = [text(), text()];
    }
    return finding;
  });
  const errors: ScanError[] = Array.from({ length: 6 }, (_, index) => ({
    file: random.pick(files),
    line: index % 2 === 0 ? null : 1 + random.below(100),
    message: `${text()}\n${text()}`,
  }));
  const notices: ScanNotice[] = Array.from({ length: 3 }, () => ({
    file: random.pick(files),
    message: text(),
  }));
  return { findings, errors, notices };
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'path', [number, number]> = {
  critical: [35, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  info: [2, 22],
  dim: [2, 22],
  bold: [1, 22],
  path: [4, 24],
};

/** The text report as it was made before it was written in pieces: the whole at once. */
function textAtOnce(
  findings: readonly Finding[],
  errors: readonly ScanError[],
  notices: readonly ScanNotice[],
  options: TextOptions,
): string {
  const paint = (style: keyof typeof COLORS, text: string) =>
    options.color ? `\u001b[${COLORS[style][0]}m${text}\u001b[${COLORS[style][1]}m` : text;
  const out: string[] = [];
  const shown = findings.filter((finding) => options.showSuppressed || !finding.suppressed);
  const byFile = new Map<string, Finding[]>();
  for (const finding of shown) {
    const list = byFile.get(finding.file);
    if (list) list.push(finding);
    else byFile.set(finding.file, [finding]);
  }
  for (const [file, list] of byFile) {
    out.push(paint('path', terminalText(file)));
    const width = maxOf(
      list.map((finding) => String(finding.line).length),
      1,
    );
    for (const finding of list) {
      const tags = [
        appliedByFix(finding) ? 'fixable' : finding.fix ? 'suggestion' : '',
        finding.suppressed ? `suppressed: ${terminalText(finding.suppression?.reason ?? '')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `  ${paint('dim', String(finding.line).padStart(width))}  ${paint(finding.severity, finding.severity.padEnd(8))} ` +
          `${paint('bold', finding.ruleId)}  ${terminalText(finding.message)}${tags ? paint('dim', ` [${tags}]`) : ''}`,
      );
    }
    out.push('');
  }
  for (const error of errors) {
    out.push(
      `${paint('high', 'error')} ${terminalText(error.file)}${error.line ? `:${error.line}` : ''}: ${terminalLines(error.message, '    ')}`,
    );
  }
  for (const notice of notices)
    out.push(
      `${paint('dim', 'notice')} ${terminalText(notice.file)}: ${terminalLines(notice.message, '    ')}`,
    );
  if (errors.length > 0 || notices.length > 0) out.push('');
  const counts = countFindings(findings, options.failOn);
  const parts: string[] = [];
  if (counts.total === 0) parts.push('No findings');
  else {
    parts.push(
      `${counts.total} finding${counts.total === 1 ? '' : 's'} (${severityBreakdown(counts)}) in ${counts.files} file${counts.files === 1 ? '' : 's'}`,
    );
  }
  if (counts.blocking > 0) parts.push(`${counts.blocking} at or above ${options.failOn}`);
  if (counts.fixable > 0) parts.push(`${counts.fixable} fixable with --fix`);
  if (counts.suppressed > 0) parts.push(`${counts.suppressed} suppressed`);
  if (errors.length > 0) parts.push(`${errors.length} error${errors.length === 1 ? '' : 's'}`);
  const mark = counts.blocking > 0 || errors.length > 0 ? paint('high', '✖') : paint('low', '✔');
  out.push(`${mark} ${parts.join(' · ')}`);
  return `${out.join('\n')}\n`;
}

const RULES = registry.rules.map((rule) => rule.meta);

/** The report the CLI wrote before, whole: escaped (JSON) and redacted at once. */
function reportAtOnce(input: ReportInput, secrets: SecretFilter): string {
  const { findings, errors } = input;
  if (input.format === 'text') return secrets.redact(textAtOnce(findings, errors, input.notices, input.text));
  if (input.format === 'json') return secrets.redact(jsonDisplayText(formatJson(findings, errors)));
  return secrets.redact(jsonDisplayText(`${JSON.stringify(toSarif(findings, errors, RULES), null, 2)}\n`));
}

function filterKnowing(values: readonly string[]): SecretFilter {
  const secrets = new SecretFilter();
  secrets.addAll(values);
  return secrets;
}

describe('each format in pieces is the whole report', () => {
  const cases = [
    { name: 'odd texts', ...material(1, 400, false), cut: true },
    // A private key's line ends the cutting: what follows is one batch.
    { name: 'odd texts and a private key', ...material(2, 300, true), cut: false },
    { name: 'no errors or notices', ...material(3, 200, false), errors: [], notices: [], cut: true },
    { name: 'nothing at all', findings: [], errors: [], notices: [], cut: false },
  ];

  it.each(cases)('text: $name', ({ findings, errors, notices }) => {
    for (const color of [false, true]) {
      for (const showSuppressed of [false, true]) {
        for (const failOn of ['high', 'none'] as const) {
          const options = { color, failOn, showSuppressed };
          const whole = textAtOnce(findings, errors, notices, options);
          expect([...textPieces(findings, errors, notices, options)].join('')).toBe(whole);
          expect(formatText(findings, errors, notices, options)).toBe(whole);
        }
      }
    }
  });

  it.each(cases)('json: $name', ({ findings, errors }) => {
    expect([...jsonReportPieces(findings, errors)].join('')).toBe(formatJson(findings, errors));
    expect([...jsonReportPieces(findings, [])].join('')).toBe(formatJson(findings, []));
  });

  it.each(cases)('sarif: $name', ({ findings, errors }) => {
    for (const rules of [RULES, []]) {
      expect([...sarifPieces(findings, errors, rules)].join('')).toBe(
        JSON.stringify(toSarif(findings, errors, rules), null, 2),
      );
    }
  });

  it.each(cases)(
    'as the CLI writes it, batch by batch, escaped and redacted: $name',
    ({ cut, ...material }) => {
      const secrets = filterKnowing([KNOWN, 'hunter2hunter2', 'plainvalue99']);
      for (const format of ['text', 'json', 'sarif'] as const) {
        const input: ReportInput = {
          format,
          ...material,
          notices: format === 'text' ? material.notices : [],
          rules: RULES,
          text: { color: false, failOn: 'high', showSuppressed: true },
        };
        const whole = reportAtOnce(input, secrets);
        for (const size of [1, 700, 64 * 1024, undefined]) {
          const batches = [...reportBatches(input, size)];
          expect(
            batches.map((batch) => secrets.redact(batch)).join(''),
            `${format}, batches of ${size}`,
          ).toBe(whole);
          if (size === 1 && cut) expect(batches.length).toBeGreaterThan(100);
        }
      }
    },
  );
});

describe('batches to redact', () => {
  /** Lines that start and end what the filter finds: block scalars, quoted and plain values, shapes, known values. */
  const LINES = [
    'token: |',
    'password: >-',
    '- secret: |',
    '"apiKey": |',
    '  indented line',
    '    deeper line',
    '\tafter a tab',
    ' one blank',
    '',
    'plain words',
    'password: hunter2hunter2',
    "clientSecret: 'quoted value'",
    'key=value token=abcdefgh1',
    'AKIAIOSFODNN7EXAMPLE here',
    PRIVATE_KEY,
    'MIIEpAIBAAKCAQEA',
    '-----END RSA PRIVATE KEY-----',
    '"',
    'ends in a backslash \\',
    KNOWN,
    `${KNOWN}${KNOWN}`,
    'knownvalue2 next to knownvalue3',
    'x: [a, {b: c}]',
  ];
  const secrets = filterKnowing([KNOWN, 'knownvalue2 next', 'next to knownvalue3', 'hunter2hunter2']);

  it('give the text redacting the whole gives, wherever the pieces meet and whatever the size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...LINES), fc.boolean(), fc.nat(40)), { maxLength: 60 }),
        fc.integer({ min: 1, max: 300 }),
        (lines, size) => {
          // Each line is a piece, or two when it is cut inside (pieces need not end at a line break).
          const pieces: string[] = [];
          for (const [line, cut, at] of lines) {
            const text = `${line}\n`;
            const where = Math.min(at, text.length - 1);
            if (cut && where > 0) pieces.push(text.slice(0, where), text.slice(where));
            else pieces.push(text);
          }
          const whole = pieces.join('');
          const batches = [...batchesToRedact(pieces, size)];
          expect(batches.join('')).toBe(whole);
          expect(batches.map((batch) => secrets.redact(batch)).join('')).toBe(secrets.redact(whole));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('end only after a line break, not after a private key, not before an indented line below a block start', () => {
    const cuts = (pieces: string[]) => [...batchesToRedact(pieces, 1)].map((batch) => batch.length);
    expect(cuts(['a\n', 'b', 'c\n', 'd\n'])).toEqual([2, 3, 2]);
    expect(cuts(['a\n', `${PRIVATE_KEY}\n`, 'b\n', 'c\n'])).toEqual([2, PRIVATE_KEY.length + 5]);
    expect(cuts(['token: |\n', '  a\n', 'b\n', '  c\n'])).toEqual([13, 2, 4]);
  });
});
