/** What a command of the CLI reads and writes: its folder, environment and streams (tests pass their own). */
export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  /** `isTTY`: a terminal, where a long scan shows a progress line. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}
