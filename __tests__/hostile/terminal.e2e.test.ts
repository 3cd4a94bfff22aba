/**
 * Issue 14, item 5: names, paths and tools' messages cannot drive a terminal or the Actions log. A resource named
 * `\u001b[2K\r✔ No findings`, a file name holding ESC, or a chart whose template fails with escape sequences would
 * otherwise erase lines, move the cursor or recolour the report: the CLI prints them as visible escapes, in colour
 * or not, so that the only escape sequences reaching the terminal are its own colour codes.
 */
import { describe, expect, it } from 'vitest';
import { hostileDeployment } from '../markdown.js';
import { runCliOn } from './sandbox.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';
import { HELM, NO_HELM, because } from '../tools.js';

const ERASE_AND_FAKE = '\u001b[2K\r\u001b[1A\u001b[32m✔ No findings\u001b[0m';
const FILES = {
  [`deploy/web\u001b[8m.yaml`]: hostileDeployment(`web${ERASE_AND_FAKE}`),
  'deploy/c1.yaml': hostileDeployment('csi-\u009b2K-\u0085-\u0007-\u0008'),
};
/** The report's own colour codes (see src/report/text.ts): select graphic rendition, nothing else. */
// eslint-disable-next-line no-control-regex -- the escape character is what is looked for
const OWN_COLOUR = /\u001b\[(?:1|2|4|22|24|31|33|35|36|39)m/g;
/** Controls left once the report's own colour codes and line feeds are taken out. */
const FOREIGN_CONTROL = /(?!\n)\p{Cc}/u;

function expectOnlyOwnControls(output: string, where: string): void {
  expect(output.replace(OWN_COLOUR, ''), where).not.toMatch(FOREIGN_CONTROL);
}

/** Lines that read as a report's last line (a check mark or a cross, after colour codes): only the last may. */
function summaryLines(output: string): string[] {
  return output
    .replace(OWN_COLOUR, '')
    .split('\n')
    .filter((line) => /^\s*[✔✖]/.test(line));
}

const runOnPullRequest = pullRequestRunner();

describe('control characters in names, paths and tool messages', () => {
  it('reach the CLI output as escapes: only its own colour codes drive the terminal', () => {
    for (const args of [['scan'], ['scan', '--color'], ['scan', '--format', 'json']]) {
      const cli = runCliOn(FILES, args);
      expect(cli.status, cli.stderr).toBe(0);
      expectOnlyOwnControls(cli.stdout, `stdout of ${args.join(' ')}`);
      expectOnlyOwnControls(cli.stderr, `stderr of ${args.join(' ')}`);
    }
    const coloured = runCliOn(FILES, ['scan', '--color']);
    expect(coloured.stdout).toContain('\u001b[4mdeploy/web\\u001b[8m.yaml\u001b[24m');
    expect(coloured.stdout).toContain('web\\u001b[2K\\u000d\\u001b[1A\\u001b[32m✔ No findings\\u001b[0m');
    expect(coloured.stdout).toContain('csi-\\u009b2K-\\u0085-\\u0007-\\u0008');
    expect(summaryLines(coloured.stdout)).toEqual([
      '✔ 4 findings (2 medium, 2 low) in 2 files · 4 fixable with --fix',
    ]);
    const json = JSON.parse(runCliOn(FILES, ['scan', '--format', 'json']).stdout) as {
      findings: { message: string }[];
    };
    expect(json.findings.some((finding) => finding.message.includes(ERASE_AND_FAKE))).toBe(true);
  });

  it.skipIf(NO_HELM)(because(NO_HELM, "reach the CLI output as escapes from helm's error output too"), () => {
    const cli = runCliOn(
      {
        'chart/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
        'chart/templates/a.yaml': '{{ fail (printf "%c[2K%c%c[1A✔ No findings" 27 13 27) }}\n',
      },
      ['scan', '--color'],
      { KUBE_TOKEN_GUARD_HELM: HELM! },
    );
    expect(cli.status).toBe(2);
    expectOnlyOwnControls(cli.stdout, 'stdout');
    expect(cli.stdout).toContain('\\u001b[2K\\u000d\\u001b[1A✔ No findings');
    expect(summaryLines(cli.stdout)).toEqual(['✖ No findings · 1 error']);
  });

  it('reach the Actions log as escapes in the annotations of a workspace scan', async () => {
    const { run, fake } = await runOnPullRequest({ head: FILES, env: { GITHUB_EVENT_NAME: 'push' } });
    expect(fake.violations).toEqual([]);
    expect(run.stdout).toMatch(
      /^::warning title=automount-token,file=deploy\/web.*::Deployment web\\u001b\[2K/m,
    );
    // The file property names the file as it is, for GitHub to place the annotation; anything else is escaped.
    const withoutFileProperties = run.stdout.replace(/^(::\w+ [^\n]*?)file=[^,:]*/gm, '$1');
    expect(withoutFileProperties).not.toMatch(FOREIGN_CONTROL);
  });

  it('reach the autofix commit message as escapes (git log prints it raw)', async () => {
    const { run, fake } = await runOnPullRequest({ head: FILES, inputs: { autofix: 'true' } });
    expect(fake.violations).toEqual([]);
    expect(run.outputs['autofix-commit']).toBeTruthy();
    const message = fake.branchCommits[0]!.message;
    expect(message).toContain('deploy/web\\u001b[8m.yaml');
    expect(message).not.toMatch(FOREIGN_CONTROL);
  });
});
