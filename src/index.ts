import { useEnvironmentCopy } from './environment.js';
import { run } from './main.js';

useEnvironmentCopy();
await run();
