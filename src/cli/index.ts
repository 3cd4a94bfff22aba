#!/usr/bin/env node
import { useEnvironmentCopy } from '../environment.js';
import { runCli } from './main.js';

useEnvironmentCopy();
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
