/**
 * Which review comments are this Action's own. Its comments end in a fingerprint marker, which decides what a later
 * run leaves alone (a finding already commented) and what it edits (a comment whose finding is gone, marked resolved).
 * Anyone can copy that marker into a comment of their own, so a marker counts only in a comment the token's user wrote:
 * otherwise another user could silence the review of a finding, or have the Action edit their comment.
 */
import * as core from '@actions/core';
import { type GitHub, apiErrorDetail } from '../api/client.js';
import type { ReviewComment } from '../api/review-comments.js';
import { viewerLogin } from '../api/viewer.js';
import { hasFingerprintMarker } from '../pr/review.js';
import { logText } from './annotations.js';

/**
 * The comments carrying a marker that the token's user wrote. Who that is comes from GraphQL; when GraphQL cannot say
 * (an old GitHub Enterprise Server), the comments of bots count: a person cannot write as a bot, and the Action runs
 * with a workflow or GitHub App token, whose user is one. Asks GitHub only when some comment carries a marker.
 */
export async function ownMarkedComments(github: GitHub, comments: ReviewComment[]): Promise<ReviewComment[]> {
  const marked = comments.filter((comment) => hasFingerprintMarker(comment.body));
  if (marked.length === 0) return [];
  let own: ReviewComment[];
  let author: string;
  try {
    const login = (await viewerLogin(github)).toLowerCase();
    own = marked.filter((comment) => comment.user?.login.toLowerCase() === login);
    author = logText(login);
  } catch (error) {
    core.info(
      `Cannot tell which user the token is (GraphQL viewer: ${logText(apiErrorDetail(error))}); ` +
        "only comments of bots count as this Action's own.",
    );
    own = marked.filter((comment) => comment.user?.type === 'Bot');
    author = 'a bot';
  }
  if (own.length < marked.length) {
    core.info(
      `${marked.length - own.length} review comment(s) carry this Action's markers but were not written by ${author}: ignored.`,
    );
  }
  return own;
}
