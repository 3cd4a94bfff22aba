import { describe, expect, it } from 'vitest';
import { reviewRefusal } from '../src/api/create-review.js';

/** An Octokit request error as GitHub's 422 makes it. */
function refused(status: number, errors: string[], message = 'Unprocessable Entity'): Error {
  return Object.assign(new Error(`${message}: ${errors.join(', ')}`), {
    status,
    response: { data: { message, errors } },
  });
}

describe('reviewRefusal: what a refused review was refused for', () => {
  it.each([
    [['commit_id is not part of the pull request'], 'commit'],
    [['was submitted too quickly'], 'other'],
    [['Review body is required when the event is COMMENT and the review has no comments'], 'other'],
    [['body is too long (maximum is 65536 characters)'], 'other'],
    [
      [
        "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank",
      ],
      'comments',
    ],
    [['Path could not be resolved'], 'comments'],
  ] as const)('%s: %s', (errors, expected) => {
    expect(reviewRefusal(refused(422, [...errors]))).toBe(expected);
  });

  it('is null for another status and for a pending review', () => {
    expect(reviewRefusal(refused(502, ['x']))).toBeNull();
    expect(
      reviewRefusal(refused(422, ['User can only have one pending review per pull request'])),
    ).toBeNull();
  });
});
