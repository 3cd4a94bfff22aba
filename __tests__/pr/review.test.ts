import { describe, expect, it } from 'vitest';
import { diffContents } from '../../src/pr/patch.js';
import {
  type CommentContext,
  escapeMarkdown,
  planReview,
  resolvedBody,
  supersededBody,
} from '../../src/pr/review.js';
import { registry } from '../../src/rules/index.js';
import { scan, yaml } from '../helpers.js';

const DEPLOYMENT = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      spec:
        serviceAccount: web
        containers:
          - name: app
            image: nginx
  ---
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: web
    namespace: shop
`;

function context(text: string, changedFrom: string, maxComments = 25): CommentContext {
  return {
    rules: new Map(registry.rules.map((rule) => [rule.meta.id, rule.meta])),
    lines: new Map([['deploy.yaml', { ...diffContents(changedFrom, text), inline: true }]]),
    texts: new Map([['deploy.yaml', text]]),
    maxComments,
  };
}

const findings = () => scan({ 'deploy.yaml': DEPLOYMENT }).findings;

describe('planReview', () => {
  it('merges fixes on the same line into one suggestion comment with both findings', () => {
    const plan = planReview(findings(), [], context(DEPLOYMENT, ''));
    expect(plan.comments).toHaveLength(1);
    const [comment] = plan.comments;
    expect(comment!.line).toBe(9);
    expect(comment!.startLine).toBeUndefined();
    expect(comment!.findings.map((finding) => finding.ruleId).sort()).toEqual([
      'automount-token',
      'deprecated-service-account-field',
    ]);
    expect(comment!.body).toContain(
      '````suggestion\n      serviceAccountName: web\n      automountServiceAccountToken: false\n````',
    );
    expect(comment!.body).toMatch(/<!-- kube-token-guard:fingerprints=[0-9a-f]{32},[0-9a-f]{32} -->/);
  });

  it('puts findings outside the diff in the body', () => {
    // Only the last line changed: its hunk (with three lines of context) does not reach the pod spec.
    const before = DEPLOYMENT.replace(/namespace: shop\n$/, 'namespace: old\n');
    const plan = planReview(findings(), [], context(DEPLOYMENT, before));
    expect(plan.comments).toEqual([]);
    expect(plan.inBody.map((finding) => finding.ruleId).sort()).toEqual([
      'automount-token',
      'deprecated-service-account-field',
    ]);
  });

  it('does not comment again what an earlier run commented, and resolves comments whose finding is gone', () => {
    const first = planReview(findings(), [], context(DEPLOYMENT, ''));
    const posted = [
      { id: 1, body: first.comments[0]!.body, outdated: false },
      {
        id: 2,
        body: 'x <!-- kube-token-guard:fingerprints=00000000000000000000000000000000 -->',
        outdated: false,
      },
      { id: 3, body: 'a human comment', outdated: false },
    ];
    const again = planReview(findings(), posted, context(DEPLOYMENT, ''));
    expect(again.comments).toEqual([]);
    expect(again.alreadyCommented).toHaveLength(2);
    expect(again.resolved.map((comment) => comment.id)).toEqual([2]);
    const resolved = resolvedBody(posted[1]!.body, 'abcdef1234567');
    expect(resolved).toContain('Resolved');
    expect(
      planReview(findings(), [{ id: 2, body: resolved, outdated: false }], context(DEPLOYMENT, '')).resolved,
    ).toEqual([]);
  });

  it('comments again a finding whose only comment is outdated, and supersedes that comment', () => {
    const first = planReview(findings(), [], context(DEPLOYMENT, ''));
    const outdated = { id: 1, body: first.comments[0]!.body, outdated: true };
    const again = planReview(findings(), [outdated], context(DEPLOYMENT, ''));
    expect(again.comments).toHaveLength(1);
    expect(again.comments[0]!.body).toContain('````suggestion');
    expect(again.alreadyCommented).toEqual([]);
    expect(again.superseded).toEqual([outdated]);
    expect(again.resolved).toEqual([]);
    // Beside a current comment for the same findings, an outdated one is left alone.
    const current = { id: 2, body: first.comments[0]!.body, outdated: false };
    const both = planReview(findings(), [outdated, current], context(DEPLOYMENT, ''));
    expect(both.comments).toEqual([]);
    expect(both.superseded).toEqual([]);
    // Once superseded, it counts no more: the newer comment does.
    const retired = { ...outdated, body: supersededBody(outdated.body, 'abcdef1234567') };
    expect(retired.body).not.toContain('````suggestion');
    const later = planReview(findings(), [retired, current], context(DEPLOYMENT, ''));
    expect(later).toMatchObject({ comments: [], superseded: [], resolved: [] });
    expect(later.alreadyCommented).toHaveLength(2);
  });

  it('writes the suggestion of a CRLF file with CRLF line breaks', () => {
    const crlf = DEPLOYMENT.replace(/\n/g, '\r\n');
    const [comment] = planReview(scan({ 'deploy.yaml': crlf }).findings, [], context(crlf, '')).comments;
    expect(comment!.body).toContain(
      '````suggestion\r\n      serviceAccountName: web\r\n      automountServiceAccountToken: false\r\n````',
    );
    expect(comment!.body).not.toMatch(/[^\r]\n/);
    expect(resolvedBody(comment!.body, 'abcdef1234567')).not.toContain('````suggestion');
  });

  it('caps the inline comments, by severity, and lists the rest in the body', () => {
    const plan = planReview(findings(), [], context(DEPLOYMENT, '', 0));
    expect(plan.comments).toEqual([]);
    expect(plan.inBody).toHaveLength(2);
  });
});

describe('files GitHub shows no diff for', () => {
  it('get no inline comments: their findings go to the body', () => {
    const noPatch = {
      ...context(DEPLOYMENT, ''),
      lines: new Map([['deploy.yaml', diffContents('', DEPLOYMENT)]]),
    };
    const plan = planReview(findings(), [], noPatch);
    expect(plan.comments).toEqual([]);
    expect(plan.inBody).toHaveLength(2);
  });
});

describe('escapeMarkdown', () => {
  it('neutralises HTML, mentions and links outside code spans only', () => {
    expect(escapeMarkdown('Deployment <b>x</b> @admin [a](b) `<kept>`')).toBe(
      'Deployment &lt;b&gt;x&lt;/b&gt; @\u200badmin \\[a\\](b) `<kept>`',
    );
  });
});
