/** What a command of the CLI reads and writes: its folder, environment and streams (tests pass their own). */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * `write` returns false, and `once('drain')` tells when to go on, where written text waits in memory: a pipe, which
   * Node writes asynchronously. A long report waits there between its batches.
   */
  stdout: {
    write(text: string): unknown;
    isTTY?: boolean;
    once?(event: 'drain', listener: () => void): unknown;
  };
  /** `isTTY`: a terminal, where a long scan shows a progress line. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}
