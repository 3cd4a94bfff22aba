/**
 * Issue 14, item 5: bidirectional controls ("Trojan Source") in a name or a path cannot reorder what a reviewer
 * reads. Every Markdown output (review, comments, check run, job summary), every log line and the CLI's output show
 * them as visible escapes (`\u202e`), never as the characters themselves; a suggestion whose lines hold one is shown
 * as a plain block instead, since accepting it would commit characters the reviewer cannot see.
 */
import { describe, expect, it } from 'vitest';
import { hostileDeployment, markdownShape } from '../markdown.js';
import { runCliOn } from './sandbox.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';

/** Every bidirectional formatting control: embeddings, overrides, isolates, marks and the Arabic letter mark. */
const BIDI_CONTROLS = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
];
const ANY_BIDI = new RegExp(`[${BIDI_CONTROLS.join('')}]`, 'u');

/** Reads "admin" where it says "nimda", and the rest of the line runs backwards. */
const NAME = `web-${BIDI_CONTROLS.join('')}nimda`;
const PATH = 'deploy/app\u202e\u2066lmay.yaml';
const HEAD = { [PATH]: hostileDeployment(NAME) };

const runOnPullRequest = pullRequestRunner();

describe('bidirectional controls in names and paths', () => {
  it('appear nowhere the Action publishes or logs, and read as escapes', async () => {
    const { run, fake } = await runOnPullRequest({ head: HEAD });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(0);
    const check = fake.checkRuns[0]!;
    const published: Record<string, string> = {
      'review body': fake.reviews[0]!.body,
      'check run title': check.output.title ?? '',
      'check run summary': check.output.summary ?? '',
      'check run text': check.output.text ?? '',
      'job summary': run.summary,
      log: run.stdout,
    };
    fake.reviewComments.forEach((comment, index) => (published[`comment ${index}`] = comment.body));
    check.annotations.forEach((annotation, index) => {
      published[`annotation ${index}`] = `${annotation.title ?? ''} ${annotation.message}`;
    });
    expect(fake.reviewComments.length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(published)) expect(text, where).not.toMatch(ANY_BIDI);
    expect(check.output.summary).toContain('deploy/app\\u202e\\u2066lmay.yaml');
    expect(check.output.text).toContain(`web-${BIDI_CONTROLS.map(escapeOf).join('')}nimda`);

    // The deprecated field's fix rewrites the line naming the account: no one-click suggestion of invisible text.
    const renamed = fake.reviewComments.find((comment) => comment.body.includes('serviceAccountName'))!;
    expect(markdownShape(renamed.body).fences).toEqual(['yaml']);
    expect(renamed.body).toContain('bidirectional');
  });

  it('appear nowhere in the CLI output, coloured or not; JSON keeps them as \\u escapes', () => {
    for (const args of [['scan'], ['scan', '--color'], ['scan', '--format', 'sarif']]) {
      const cli = runCliOn(HEAD, args);
      expect(cli.status, cli.stderr).toBe(0);
      expect(cli.stdout, args.join(' ')).not.toMatch(ANY_BIDI);
      expect(cli.stderr, args.join(' ')).not.toMatch(ANY_BIDI);
    }
    const json = runCliOn(HEAD, ['scan', '--format', 'json']);
    expect(json.stdout).not.toMatch(ANY_BIDI);
    // Written as JSON escapes, the same string once parsed.
    const report = JSON.parse(json.stdout) as { findings: { file: string; message: string }[] };
    expect(report.findings[0]!.file).toBe(PATH);
    expect(report.findings.some((finding) => finding.message.includes(NAME))).toBe(true);
  });
});

function escapeOf(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
