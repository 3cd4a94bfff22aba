#!/usr/bin/env node
import { enableSecondThread } from '../core/second-thread.js';
import { runSecondThreadIfAsked } from '../core/second-thread-worker.js';
import { enableYoungGenerationHold } from '../core/young-generation.js';
import { useEnvironmentCopy } from '../environment.js';
import { runCli } from './main.js';

// The same bundle runs the second thread of large scans (see core/second-thread.ts).
if (!runSecondThreadIfAsked()) {
  useEnvironmentCopy();
  enableYoungGenerationHold();
  enableSecondThread(new URL(import.meta.url), process.env.KUBE_TOKEN_GUARD_THREADS);
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
