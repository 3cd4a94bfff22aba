import { enableSecondThread } from './core/second-thread.js';
import { runSecondThreadIfAsked } from './core/second-thread-worker.js';
import { enableYoungGenerationHold } from './core/young-generation.js';
import { useEnvironmentCopy, useRunnerTemp } from './environment.js';
import { run } from './main.js';

// The same bundle runs the second thread of large scans (see core/second-thread.ts).
if (!runSecondThreadIfAsked()) {
  useRunnerTemp();
  useEnvironmentCopy();
  enableYoungGenerationHold();
  enableSecondThread(new URL(import.meta.url), process.env.KUBE_TOKEN_GUARD_THREADS);
  await run();
}
