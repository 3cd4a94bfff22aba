import type { SecretFilter } from '../core/redact.js';

/**
 * Puts the process's standard output and error behind the secret filter, for the rest of the run. Every log line and
 * workflow command of @actions/core (`core.info`, `core.error`, `setFailed`, …) and any stray message of a library
 * is one write to these streams: filtering there covers them all, where filtering at each call would miss the next
 * one written. The filter keeps learning during the run; a line is filtered with what it knows when it is written.
 */
export function filterProcessOutput(secrets: SecretFilter): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk).toString('utf8')
            : null;
      // An encoding argument applies to the string chunk it came with; the filtered text is always UTF-8.
      if (text === null) return write(chunk, ...rest);
      const callback = rest.find((argument) => typeof argument === 'function');
      return callback ? write(secrets.redact(text), 'utf8', callback) : write(secrets.redact(text), 'utf8');
    }) as typeof stream.write;
  }
}
