/** A problem in what the user gave us (config, arguments, inputs), as opposed to a bug: exit 2, no stack trace. */
export class ConfigurationError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(
      details.length > 0 ? `${message}\n${details.map((detail) => `  - ${detail}`).join('\n')}` : message,
    );
    this.name = 'ConfigurationError';
  }
}
