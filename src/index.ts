import { enableScreenWorker, runScreenWorkerIfAsked } from './core/screen.js';
import { useEnvironmentCopy } from './environment.js';
import { run } from './main.js';

// The same bundle runs the screening thread of large scans (see core/screen.ts).
if (!runScreenWorkerIfAsked()) {
  useEnvironmentCopy();
  if (process.env.KUBE_TOKEN_GUARD_THREADS !== '1') enableScreenWorker(new URL(import.meta.url));
  await run();
}
