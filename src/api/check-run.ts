import { randomUUID } from 'node:crypto';
import type { Endpoints } from '@octokit/types';
import { withoutBidiControls } from '../core/display-text.js';
import { MAX_OUTPUT_BYTES, fitBytes, fitChars } from '../core/text-limits.js';
import { type GitHub, writeOnce } from './client.js';

type CreateCheckRun = Endpoints['POST /repos/{owner}/{repo}/check-runs']['parameters'];
export type AnnotationInput = NonNullable<NonNullable<CreateCheckRun['output']>['annotations']>[number];

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

/** GitHub takes at most 50 annotations per request; the rest follow in updates of the same run. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** An annotation's message and raw details: 64 KB (bytes, kept one under). */
export const MAX_ANNOTATION_BYTES = 65535;
/** An annotation's title, and the output's: 255 characters. */
export const MAX_TITLE_CHARS = 255;

export async function publishCheckRun(
  github: GitHub,
  owner: string,
  repo: string,
  run: {
    name: string;
    headSha: string;
    conclusion: 'success' | 'failure' | 'neutral';
    output: CheckRunOutput;
    annotations: AnnotationInput[];
    detailsUrl?: string;
  },
): Promise<{ id: number; htmlUrl: string | null }> {
  // What GitHub renders goes without bidirectional controls, whatever a builder let through, so that no text from
  // the pull request can reorder what a reviewer reads. Paths stay as they are: GitHub matches them to the files.
  // GitHub's size limits apply to the text as sent, so they are applied last, after the escapes (which lengthen it).
  const title = (text: string) => fitChars(withoutBidiControls(text), MAX_TITLE_CHARS, '…');
  const output = {
    title: title(run.output.title),
    summary: fitBytes(withoutBidiControls(run.output.summary), MAX_OUTPUT_BYTES),
    ...(run.output.text !== undefined
      ? { text: fitBytes(withoutBidiControls(run.output.text), MAX_OUTPUT_BYTES) }
      : {}),
  };
  const annotations = run.annotations.map((annotation) => ({
    ...annotation,
    message: fitBytes(withoutBidiControls(annotation.message), MAX_ANNOTATION_BYTES, '\n… (truncated)'),
    ...(annotation.title !== undefined ? { title: title(annotation.title) } : {}),
    ...(annotation.raw_details !== undefined
      ? { raw_details: fitBytes(annotation.raw_details, MAX_ANNOTATION_BYTES, '\n… (truncated)') }
      : {}),
  }));
  const batches: AnnotationInput[][] = [];
  for (let index = 0; index < annotations.length; index += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(index, index + ANNOTATIONS_PER_REQUEST));
  }
  // Neither a check run nor a batch of annotations is made twice when an answer is lost (see `writeOnce`): the run
  // is known by an id of its own, a batch by the count of annotations the run holds.
  const externalId = `kube-token-guard-${randomUUID()}`;
  const created = await writeOnce(
    'the check run',
    async () =>
      (
        await github.rest.checks.create({
          owner,
          repo,
          name: run.name,
          head_sha: run.headSha,
          external_id: externalId,
          status: 'completed',
          conclusion: run.conclusion,
          completed_at: new Date().toISOString(),
          ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
          output: { ...output, annotations: batches[0] ?? [] },
        })
      ).data,
    async () => {
      const listed = await github.rest.checks.listForRef({
        owner,
        repo,
        ref: run.headSha,
        check_name: run.name,
        filter: 'all',
        per_page: 100,
      });
      return listed.data.check_runs.find((candidate) => candidate.external_id === externalId);
    },
  );
  let annotated = batches[0]?.length ?? 0;
  for (const batch of batches.slice(1)) {
    annotated += batch.length;
    const expected = annotated;
    await writeOnce(
      'the check run annotations',
      () =>
        github.rest.checks.update({
          owner,
          repo,
          check_run_id: created.id,
          output: { ...output, annotations: batch },
        }),
      async () => {
        const current = await github.rest.checks.get({ owner, repo, check_run_id: created.id });
        return current.data.output.annotations_count >= expected ? current : undefined;
      },
    );
  }
  return { id: created.id, htmlUrl: created.html_url ?? null };
}
