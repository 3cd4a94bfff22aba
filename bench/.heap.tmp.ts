import { writeHeapSnapshot } from 'node:v8';
import { defaultConfig } from '../src/config/config.js';
import { scanWorkspace } from '../src/adapters/workspace.js';
import { SecretFilter } from '../src/core/redact.js';
const root = process.argv[2]!;
const config = defaultConfig();
const { collected, result } = await scanWorkspace(
  root,
  [],
  config as never,
  {} as never,
  () => {},
  new SecretFilter(),
);
console.log(result.findings.length, process.memoryUsage().heapUsed / 1e6, process.memoryUsage().rss / 1e6);
writeHeapSnapshot('/tmp/scan.heapsnapshot');
console.log(collected.files.length);
