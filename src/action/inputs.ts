import * as core from '@actions/core';
import { ConfigurationError } from '../config/errors.js';
import { type Severity, SEVERITIES, isSeverity } from '../core/types.js';

export const COMMENT_MODES = ['review', 'summary', 'off'] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

export const MODES = ['auto', 'scan', 'publish'] as const;
export type Mode = (typeof MODES)[number];

export interface ActionInputs {
  /**
   * `auto`: scan and publish in one job. The fork-safe pair: `scan` (a `pull_request` job with a read-only token
   * writes `results-file`) and `publish` (a `workflow_run` job posts the review and check run from that file).
   */
  mode: Mode;
  resultsFile: string;
  token: string;
  config: string | undefined;
  failOn: Severity | 'none' | undefined;
  commentMode: CommentMode;
  checkName: string;
  maxComments: number;
  paths: string[];
  /** Push one commit with every safe fix to the pull request's branch. */
  autofix: boolean;
  autofixMessage: string;
  sarifFile: string;
  workingDirectory: string;
}

/** Reads every input once, when the run starts (never at import time). */
export function readInputs(): ActionInputs {
  const failOn = core.getInput('fail-on') || undefined;
  if (failOn !== undefined && failOn !== 'none' && !isSeverity(failOn)) {
    throw new ConfigurationError(
      `input fail-on must be one of ${SEVERITIES.join(', ')}, none; not \`${failOn}\``,
    );
  }
  const commentMode = core.getInput('comment-mode') || 'review';
  if (!(COMMENT_MODES as readonly string[]).includes(commentMode)) {
    throw new ConfigurationError(
      `input comment-mode must be one of ${COMMENT_MODES.join(', ')}; not \`${commentMode}\``,
    );
  }
  const maxComments = Number(core.getInput('max-comments') || '25');
  if (!Number.isInteger(maxComments) || maxComments < 0) {
    throw new ConfigurationError(
      `input max-comments must be a whole number, not \`${core.getInput('max-comments')}\``,
    );
  }
  const mode = core.getInput('mode') || 'auto';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new ConfigurationError(`input mode must be one of ${MODES.join(', ')}; not \`${mode}\``);
  }
  return {
    mode: mode as Mode,
    resultsFile: core.getInput('results-file') || 'kube-token-guard-results.json',
    token: core.getInput('token'),
    config: core.getInput('config') || undefined,
    failOn: failOn as ActionInputs['failOn'],
    commentMode: commentMode as CommentMode,
    checkName: core.getInput('check-name') || 'kube-token-guard',
    maxComments,
    paths: core.getMultilineInput('paths').filter((line) => line.trim() !== ''),
    autofix: booleanInput('autofix', false),
    autofixMessage: core.getInput('autofix-message') || 'Harden ServiceAccount tokens (kube-token-guard)',
    sarifFile: core.getInput('sarif-file') || 'kube-token-guard.sarif',
    workingDirectory: core.getInput('working-directory') || process.env.GITHUB_WORKSPACE || process.cwd(),
  };
}

function booleanInput(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigurationError(`input ${name} must be true or false, not \`${core.getInput(name)}\``);
}
