/**
 * Replaces `process.env` with a plain copy of itself.
 *
 * The `yaml` parser reads `process.env.LOG_TOKENS` for every token it sees, and `process.env` is backed by the
 * operating system's environment, so each read costs far more than a property look-up: on a 20,000-document scan
 * that is about a quarter of the parse time. The copy holds the same values; child processes inherit it as before
 * (they are given `process.env` when they start), and writes to it are seen by everything in this process.
 */
export function useEnvironmentCopy(): void {
  process.env = { ...process.env };
}
