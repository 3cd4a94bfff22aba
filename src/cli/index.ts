#!/usr/bin/env node
import { enableScreenWorker, runScreenWorkerIfAsked } from '../core/screen.js';
import { useEnvironmentCopy } from '../environment.js';
import { runCli } from './main.js';

// The same bundle runs the screening thread of large scans (see core/screen.ts).
if (!runScreenWorkerIfAsked()) {
  useEnvironmentCopy();
  if (process.env.KUBE_TOKEN_GUARD_THREADS !== '1') enableScreenWorker(new URL(import.meta.url));
  process.exitCode = await runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
