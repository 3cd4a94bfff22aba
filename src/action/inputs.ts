import * as core from '@actions/core';
import { ConfigurationError } from '../config/errors.js';
import { type Severity, SEVERITIES, isSeverity } from '../core/types.js';

export interface ActionInputs {
  config: string | undefined;
  failOn: Severity | 'none' | undefined;
  paths: string[];
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
  return {
    config: core.getInput('config') || undefined,
    failOn: failOn as ActionInputs['failOn'],
    paths: core.getMultilineInput('paths').filter((line) => line.trim() !== ''),
    sarifFile: core.getInput('sarif-file') || 'kube-token-guard.sarif',
    workingDirectory: core.getInput('working-directory') || process.env.GITHUB_WORKSPACE || process.cwd(),
  };
}
