import { apiErrorDetail, isRateLimited, statusOf } from '../api/client.js';

/** Milliseconds since `start`, for the log. */
export function since(start: number): string {
  return `${Math.round(performance.now() - start)} ms`;
}

/** Why a request failed, for a message the user can act on: the permission a 403 or 404 points to, say. */
export function permissionHint(error: unknown, permission: string): string {
  const status = statusOf(error);
  if (isRateLimited(error)) {
    return `GitHub's rate limit did not lift in time (HTTP ${status}: ${apiErrorDetail(error)})`;
  }
  if (status === 403 || status === 404) {
    return `the token cannot do this (HTTP ${status}: ${apiErrorDetail(error)}); grant it \`${permission}\` in the workflow's \`permissions:\` block`;
  }
  return status !== undefined ? `HTTP ${status}: ${apiErrorDetail(error)}` : apiErrorDetail(error);
}
