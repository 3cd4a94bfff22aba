/**
 * Makes docs/images/review-comment.png, the picture in the README: the bundled Action (dist/index.js) runs on a pull
 * request against the fake GitHub of the e2e tests, and the review and first inline comment it posted are rendered
 * to HTML (markdown-it, plain styling, not GitHub's own page) and photographed with headless Chromium.
 *
 *   node --import tsx scripts/review-picture.ts [path/to/chromium]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { writePullRequestEvent } from '../__tests__/e2e/event.js';
import { FakeGitHub } from '../__tests__/e2e/fake-github.js';
import { makeRepo } from '../__tests__/e2e/git-fixture.js';
import { runAction } from '../__tests__/e2e/run-action.js';
import { yaml } from '../__tests__/helpers.js';

const ROOT = join(import.meta.dirname, '..');
const OUTPUT = join(ROOT, 'docs', 'images', 'review-comment.png');
const chromium = process.argv[2] ?? '/usr/bin/chromium';

const WORKER = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: report-worker
    namespace: billing
  spec:
    selector:
      matchLabels: {app: report-worker}
    template:
      metadata:
        labels: {app: report-worker}
      spec:
        serviceAccountName: report-worker
        containers:
          - name: worker
            image: registry.example.com/report-worker:2.4.1
`;
const ACCOUNT = yaml`
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: report-worker
    namespace: billing
`;

const repo = makeRepo({
  base: { 'deploy/billing/serviceaccount.yaml': ACCOUNT },
  head: { 'deploy/billing/serviceaccount.yaml': ACCOUNT, 'deploy/billing/worker.yaml': WORKER },
  owner: 'acme',
  repo: 'platform',
});
const fake = await FakeGitHub.start({
  owner: 'acme',
  repo: 'platform',
  pull: {
    number: 42,
    headSha: repo.headSha,
    baseSha: repo.baseSha,
    mergeBaseSha: repo.mergeBaseSha,
    files: repo.files,
  },
});
try {
  const eventPath = writePullRequestEvent({
    owner: 'acme',
    repo: 'platform',
    number: 42,
    headSha: repo.headSha,
    baseSha: repo.baseSha,
  });
  await runAction({ workspace: repo.dir, eventPath, apiUrl: fake.url, inputs: {} });
  const comment = fake.reviewComments[0];
  if (!comment) throw new Error('the run posted no review comment');
  const markdown = new MarkdownIt({ html: true });
  // GitHub shows a suggestion block as a proposed change; here it is a code block under a plain heading.
  const body = markdown
    .render(comment.body)
    .replace(
      /<pre><code class="language-suggestion">/g,
      '<div class="suggestion">Suggested change</div><pre><code>',
    );
  const page = `<!doctype html><meta charset="utf-8"><style>
    body { font: 14px/1.5 "DejaVu Sans", sans-serif; margin: 16px; color: #1f2328; background: #fff; width: 820px; }
    .file { font: 12px "DejaVu Sans Mono", monospace; background: #f6f8fa; border: 1px solid #d1d9e0; border-bottom: 0;
      border-radius: 6px 6px 0 0; padding: 8px 12px; }
    .comment { border: 1px solid #d1d9e0; border-radius: 0 0 6px 6px; padding: 4px 16px; }
    .who { font-weight: 600; margin: 8px 0; } code, pre { font: 12px "DejaVu Sans Mono", monospace; }
    pre { background: #f6f8fa; padding: 8px 12px; border-radius: 0 0 6px 6px; margin-top: 0; overflow: hidden; }
    :not(pre) > code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; }
    .suggestion { background: #dafbe1; border: 1px solid #aceebb; border-radius: 6px 6px 0 0; padding: 4px 12px;
      font-size: 12px; margin-top: 8px; } a { color: #0969da; text-decoration: none; }
    details { margin: 8px 0; } summary { color: #59636e; }
  </style>
  <div class="file">${comment.path} · line ${comment.line}</div>
  <div class="comment"><div class="who">github-actions (kube-token-guard)</div>${body}</div>`;
  const html = join(tmpdir(), `ktg-review-${process.pid}.html`);
  writeFileSync(html, page);
  mkdirSync(join(ROOT, 'docs', 'images'), { recursive: true });
  const shot = spawnSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(tmpdir(), `ktg-chromium-${process.pid}`)}`,
      '--hide-scrollbars',
      '--window-size=860,410',
      `--screenshot=${OUTPUT}`,
      `file://${html}`,
    ],
    { encoding: 'utf8' },
  );
  if (shot.status !== 0) throw new Error(`chromium failed: ${shot.stderr}`);
  console.log(`Wrote ${OUTPUT}`);
} finally {
  await fake.stop();
  repo.remove();
}
