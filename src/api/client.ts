import { setTimeout as sleep } from 'node:timers/promises';
import * as core from '@actions/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

/** How often a request that failed for a server error or a dropped connection is tried again, with backoff. */
const RETRIES = 3;
/** Statuses that repeating the same request cannot change (403 rate limits are the throttling plugin's). */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];

type OctokitPlugin = Parameters<typeof Octokit.plugin>[0];

/**
 * Says in the log why a run pauses: each failed attempt that the retry plugin (an outer hook) will repeat. Rate limits
 * are left to the throttling plugin's own handlers, which log them.
 */
const logRetries: OctokitPlugin = (octokit) => {
  octokit.hook.wrap('request', async (request, options) => {
    try {
      return await request(options);
    } catch (error) {
      const status = statusOf(error);
      const own = options.request as { retryCount?: number; retries?: number } | undefined;
      const attempt = Number(own?.retryCount ?? 0) + 1;
      if (
        own?.retries !== 0 &&
        status !== undefined &&
        status >= 400 &&
        !DO_NOT_RETRY.includes(status) &&
        !isThrottled(error) &&
        attempt <= RETRIES
      ) {
        const { method, url } = octokit.request.endpoint.parse(options);
        core.info(
          `${failureOf(error)} on ${method} ${new URL(url).pathname}; trying again (attempt ${attempt + 1} of ${RETRIES + 1}).`,
        );
      }
      throw error;
    }
  });
};

export const GitHubClient = Octokit.plugin(logRetries, throttling, retry);
export type GitHub = InstanceType<typeof GitHubClient>;

/**
 * The longest a request waits for a rate limit to lift. The primary limit of a workflow token resets hourly: waiting
 * that out would hold the runner for nothing, while giving up still leaves the annotations, summary and SARIF.
 */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 120;

/**
 * An Octokit that waits out rate limits (a few times, when they lift soon enough) and retries server errors and
 * dropped connections with backoff, for github.com or a GitHub Enterprise Server given by `GITHUB_API_URL`.
 */
export function createGitHub(token: string, baseUrl: string): GitHub {
  const waitOrGiveUp = (kind: string, retryAfter: number, request: string, again: boolean): boolean => {
    if (!again) {
      core.warning(`GitHub ${kind} on ${request} persists; giving up on this request.`);
      return false;
    }
    if (retryAfter > MAX_RATE_LIMIT_WAIT_SECONDS) {
      core.warning(
        `GitHub ${kind} on ${request} lifts in ${retryAfter} s, later than this run waits (${MAX_RATE_LIMIT_WAIT_SECONDS} s); giving up on this request.`,
      );
      return false;
    }
    core.warning(`GitHub ${kind} on ${request}; retrying in ${retryAfter} s`);
    return true;
  };
  const github = new GitHubClient({
    auth: token,
    baseUrl,
    userAgent: 'kube-token-guard',
    // Octokit logs every failed attempt to stderr; what matters is said by `logRetries` and by the callers.
    log: {
      debug: () => undefined,
      info: (message: string) => core.debug(message),
      warn: (message: string) => core.warning(message),
      error: (message: string) => core.debug(message),
    },
    throttle: {
      onRateLimit: (retryAfter, options, _octokit, retryCount) =>
        waitOrGiveUp('rate limit hit', retryAfter, `${options.method} ${options.url}`, retryCount < 2),
      onSecondaryRateLimit: (retryAfter, options, _octokit, retryCount) =>
        waitOrGiveUp('secondary rate limit', retryAfter, `${options.method} ${options.url}`, retryCount < 1),
    },
    // Retried: 5xx, 429 without rate limit headers, and network failures (which Octokit reports as 500).
    retry: { doNotRetry: DO_NOT_RETRY, retries: RETRIES },
  });
  // Octokit gives every request the same `request` options object, in which the retry plugin counts attempts: shared,
  // one retried request would make each later one start at a longer backoff. The hooks of one request share its
  // options object, so this outermost hook gives that object a `request` of its own.
  github.hook.wrap('request', (request, options) => {
    const own = { ...options.request } as NonNullable<typeof options.request> & {
      retryCount?: number;
      retries?: number;
    };
    delete own.retryCount;
    // A write GitHub may have done although its answer was lost is not repeated blindly (see `writeOnce`).
    if (!isRepeatable(options)) own.retries = 0;
    options.request = own;
    return request(options);
  });
  return github;
}

/**
 * Whether repeating a request cannot do its work twice: reads, GraphQL queries, and writes that set a state (a ref,
 * a comment's body) or make objects named by their content (trees, commits). A review, a check run, a batch of
 * annotations or a GraphQL mutation done twice is two.
 */
export function isRepeatable(options: { method?: string; url?: string; query?: unknown }): boolean {
  const method = (options.method ?? 'GET').toUpperCase();
  const url = options.url ?? '';
  if (['GET', 'HEAD', 'PUT', 'DELETE'].includes(method)) return true;
  if (url === '/graphql' || url.endsWith('/graphql')) {
    return typeof options.query === 'string' && !/^\s*mutation\b/.test(options.query);
  }
  if (method === 'POST') return /\/git\/(?:blobs|trees|commits)$/.test(url);
  if (method === 'PATCH') return /\/pulls\/comments\/[^/]+$|\/git\/refs\/.+$/.test(url);
  return false;
}

/**
 * Whether a failed request may have been done all the same: GitHub's server error (a 502 from a proxy in front of
 * it) or a dropped connection (which Octokit reports as 500) says nothing of what happened behind it.
 */
export function isAmbiguousFailure(error: unknown): boolean {
  const status = statusOf(error);
  return status !== undefined && status >= 500;
}

/**
 * Makes a write that is not repeatable (a review, a check run) at most once. When its answer is lost (`isAmbiguousFailure`),
 * `find` looks for what it would have made; when that is not there, the write is made once more. What `find` cannot
 * tell (it failed too) is left undone rather than risked twice: the first error is thrown.
 */
export async function writeOnce<T>(
  what: string,
  write: () => Promise<T>,
  find: () => Promise<T | undefined>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isAmbiguousFailure(error)) throw error;
    core.info(
      `${failureOf(error)} on ${requestOf(error)}; looking whether GitHub made ${what} before trying again.`,
    );
    let found: T | undefined;
    try {
      found = await find();
    } catch (lookup) {
      core.info(`Could not tell whether GitHub made ${what} (${apiErrorDetail(lookup)}); not trying again.`);
      throw error;
    }
    if (found !== undefined) {
      core.info(`GitHub had made ${what} although its answer was lost: not making it again.`);
      return found;
    }
    core.info(`GitHub had not made ${what}; trying again.`);
    await sleep(WRITE_AGAIN_AFTER_MS);
    return await write();
  }
}

/** `POST /repos/o/r/check-runs`: the request a failure answered, as the log names it. */
function requestOf(error: unknown): string {
  const request = (error as { request?: { method?: string; url?: string } }).request;
  if (!request?.url) return 'the request';
  try {
    return `${request.method ?? ''} ${new URL(request.url).pathname}`.trim();
  } catch {
    return 'the request';
  }
}

/** The wait before a write that failed is made again. */
const WRITE_AGAIN_AFTER_MS = 1000;

/** The HTTP status of an Octokit request error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
    ? error.status
    : undefined;
}

interface ErrorResponse {
  headers?: Record<string, string | number | undefined>;
  data?: unknown;
}

function responseOf(error: unknown): ErrorResponse | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response = error.response;
  return typeof response === 'object' && response !== null ? (response as ErrorResponse) : undefined;
}

/** A failed attempt in a few words: GitHub's status, or what broke the connection (Octokit calls that a 500). */
export function failureOf(error: unknown): string {
  if (responseOf(error) === undefined && error instanceof Error && error.cause instanceof Error) {
    const cause = error.cause.cause instanceof Error ? error.cause.cause : error.cause;
    return `The connection to GitHub failed (${cause.message})`;
  }
  return `GitHub answered HTTP ${statusOf(error)}`;
}

/** Whether the throttling plugin takes an error for a rate limit, which it waits out or gives up on (and says so). */
function isThrottled(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return false;
  const remaining = responseOf(error)?.headers?.['x-ratelimit-remaining'];
  return String(remaining) === '0' || /\bsecondary rate\b/i.test(apiErrorDetail(error));
}

/** Whether an error is GitHub refusing for a rate limit (primary or secondary), rather than for a permission. */
export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  return (
    status === 429 || isThrottled(error) || (status === 403 && /rate limit/i.test(apiErrorDetail(error)))
  );
}

/**
 * What GitHub said about a failed request, in one line: the `errors` it listed (it names no field or comment for a
 * review it cannot place), else its message.
 */
export function apiErrorDetail(error: unknown): string {
  const data = responseOf(error)?.data;
  if (typeof data === 'object' && data !== null) {
    const { message, errors } = data as { message?: unknown; errors?: unknown };
    const listed = Array.isArray(errors)
      ? errors
          .map((entry: unknown) =>
            typeof entry === 'string'
              ? entry
              : typeof entry === 'object' && entry !== null && 'message' in entry
                ? String(entry.message)
                : '',
          )
          .filter((text) => text !== '')
      : [];
    if (listed.length > 0) return listed.join('; ');
    if (typeof message === 'string' && message !== '') return message;
  }
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
