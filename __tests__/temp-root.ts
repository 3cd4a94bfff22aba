/**
 * Vitest's global set-up: every temporary folder the tests make (theirs, and those of the tools and Actions they
 * start, which inherit TMPDIR) goes in one folder of this run, removed when the run ends. A test run leaves nothing in
 * the machine's temporary folder, whether or not a test cleans up after itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'ktg-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
