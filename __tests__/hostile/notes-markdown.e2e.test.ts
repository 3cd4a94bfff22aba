/**
 * Issue 14, item 5: every path, branch name and message a note quotes is escaped Markdown. The notes (what could not
 * be done, and why) reach the check run, the job summary and the log; a file name is the pull request author's to
 * choose, and may hold a link, an image, HTML, a mention or line breaks that start a heading.
 */
import { describe, expect, it } from 'vitest';
import { githubFaults } from '../e2e/fake-github.js';
import { insecureWorker } from '../e2e/manifests.js';
import { expectOwnMarkup } from '../markdown.js';
import { pullRequestRunner } from '../e2e/pull-request-run.js';

// No `//`: git reads it as a folder separator.
const HOSTILE_PATH = 'deploy/[x](https:evil.example) <img src=x>\n# heading\n@org/team ``c``.yaml';

const runOnPullRequest = pullRequestRunner();

describe('file paths in notes', () => {
  it('"GitHub refused N inline comments (path:line)" quotes them as code in the check run and job summary', async () => {
    const { run, fake } = await runOnPullRequest({
      head: { [HOSTILE_PATH]: insecureWorker('a') },
      fake: {
        faults: [
          {
            // GitHub cannot place any comment on the file, and does not say which it refused.
            operationId: 'pulls/create-review',
            when: (request) =>
              ((request.body as { comments?: { path: string }[] }).comments ?? []).some(
                (comment) => comment.path === HOSTILE_PATH,
              ),
            respond: githubFaults.unplaceableReviewComment(),
          },
        ],
      },
    });
    expect(fake.violations).toEqual([]);
    expect(run.status, run.stdout).toBe(1);

    const summary = fake.checkRuns[0]!.output.summary ?? '';
    expect(summary).toContain('GitHub refused 2 inline comments');
    const check = expectOwnMarkup(summary, 'check run summary', 0);
    const job = expectOwnMarkup(run.summary, 'job summary', 1);
    // The paths are there to read, as the text they are (line breaks read as spaces).
    const place = /\(deploy\/\[x\]\(https:evil\.example\) <img src=x> # heading @org\/team ``c``\.yaml:\d+, /;
    expect(check.text).toMatch(place);
    expect(job.text).toMatch(place);
  });
});
