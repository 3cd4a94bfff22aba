import type { Endpoints } from '@octokit/types';
import { withoutBidiControls } from '../core/display-text.js';
import type { GitHub } from './client.js';

type CreateCheckRun = Endpoints['POST /repos/{owner}/{repo}/check-runs']['parameters'];
export type AnnotationInput = NonNullable<NonNullable<CreateCheckRun['output']>['annotations']>[number];

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

/** GitHub takes at most 50 annotations per request; the rest follow in updates of the same run. */
export const ANNOTATIONS_PER_REQUEST = 50;

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
  const output = {
    title: withoutBidiControls(run.output.title),
    summary: withoutBidiControls(run.output.summary),
    ...(run.output.text !== undefined ? { text: withoutBidiControls(run.output.text) } : {}),
  };
  const annotations = run.annotations.map((annotation) => ({
    ...annotation,
    message: withoutBidiControls(annotation.message),
    ...(annotation.title !== undefined ? { title: withoutBidiControls(annotation.title) } : {}),
  }));
  const batches: AnnotationInput[][] = [];
  for (let index = 0; index < annotations.length; index += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(index, index + ANNOTATIONS_PER_REQUEST));
  }
  const created = await github.rest.checks.create({
    owner,
    repo,
    name: run.name,
    head_sha: run.headSha,
    status: 'completed',
    conclusion: run.conclusion,
    completed_at: new Date().toISOString(),
    ...(run.detailsUrl ? { details_url: run.detailsUrl } : {}),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await github.rest.checks.update({
      owner,
      repo,
      check_run_id: created.data.id,
      output: { ...output, annotations: batch },
    });
  }
  return { id: created.data.id, htmlUrl: created.data.html_url ?? null };
}
