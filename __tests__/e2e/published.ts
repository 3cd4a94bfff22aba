/**
 * Everything an Action run published or left behind, by where it went, for the tests that search it for planted
 * secret material: the log, the job summary, the step outputs, the SARIF file, every request the fake GitHub received
 * and what it holds, the patch file and the results file when there are.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { leaksIn } from '../secret-material.js';
import type { FakeGitHub, RecordedRequest } from './fake-github.js';
import type { ActionRun } from './run-action.js';

/** A request as text to search: method, path, query and body; the file contents of a commit are left out. */
function requestText(request: RecordedRequest): string {
  const body = structuredClone(request.body) as Record<string, unknown> | undefined;
  const input = (body?.variables as { input?: { fileChanges?: unknown } } | undefined)?.input;
  if (input?.fileChanges) input.fileChanges = '(the fixed files, checked separately)';
  return `${request.method} ${request.path} ${JSON.stringify(request.query)} ${JSON.stringify(body ?? null)}`;
}

/** Everything the run published or left behind in `workspace`, by where it went. */
export function publishedPlaces(workspace: string, fake: FakeGitHub, run: ActionRun): Record<string, string> {
  const places: Record<string, string> = {
    stdout: run.stdout,
    stderr: run.stderr,
    'job summary': run.summary,
    'step outputs': JSON.stringify(run.outputs),
    // Every run writes SARIF.
    'SARIF file': readFileSync(join(workspace, 'kube-token-guard.sarif'), 'utf8'),
  };
  const files: Record<string, string> = { 'results file': join(workspace, 'kube-token-guard-results.json') };
  if (run.outputs['patch-file']) files['patch file'] = run.outputs['patch-file'];
  for (const [place, path] of Object.entries(files)) {
    if (existsSync(path)) places[place] = readFileSync(path, 'utf8');
  }
  fake.requests.forEach((request, index) => {
    places[`request ${index} ${request.operationId ?? request.path}`] = requestText(request);
  });
  // What the fake holds, in case it was built from more than the request bodies (not `diff_hunk`: GitHub's own view of
  // the diff, which quotes the file).
  places['reviews'] = JSON.stringify(fake.reviews.map((entry) => entry.body));
  places['review comments'] = JSON.stringify(fake.reviewComments.map((entry) => [entry.path, entry.history]));
  places['check runs'] = JSON.stringify(fake.checkRuns.map((entry) => [entry.output, entry.annotations]));
  places['commit messages'] = JSON.stringify(fake.branchCommits.map((commit) => commit.message));
  return places;
}

/** Fails naming each place that holds planted material, and which. */
export function expectNoLeaks(places: Record<string, string>): void {
  const leaks = Object.entries(places)
    .map(([place, text]) => [place, leaksIn(text)] as const)
    .filter(([, found]) => found.length > 0)
    .map(([place, found]) => `${place}: ${found.join(', ')}`);
  expect(leaks).toEqual([]);
}
