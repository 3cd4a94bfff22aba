import * as core from '@actions/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

export const GitHubClient = Octokit.plugin(throttling, retry);
export type GitHub = InstanceType<typeof GitHubClient>;

/**
 * An Octokit that waits out rate limits (a few times) and retries server errors with backoff, for github.com or a
 * GitHub Enterprise Server given by `GITHUB_API_URL`.
 */
export function createGitHub(token: string, baseUrl: string): GitHub {
  return new GitHubClient({
    auth: token,
    baseUrl,
    userAgent: 'kube-token-guard',
    throttle: {
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        core.warning(
          `GitHub rate limit hit on ${options.method} ${options.url}; retrying in ${retryAfter} s`,
        );
        return retryCount < 2;
      },
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) => {
        core.warning(
          `GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter} s`,
        );
        return retryCount < 1;
      },
    },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 422, 451] },
  });
}

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;
}
