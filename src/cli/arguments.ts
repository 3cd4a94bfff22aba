import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigurationError } from '../config/errors.js';
import { nearest } from '../core/words.js';
import { TOOL_NAME } from '../version.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` for a command of the CLI, with its errors in the words of this tool (Node's own name the option in
 * unbalanced quotes and talk about positionals): an unknown option, with the nearest known one, and an option
 * missing its value or given one it does not take. Every error is a `ConfigurationError` (exit 2) ending in `usage`.
 */
export function parseCommandLine<T extends Options>(
  args: string[],
  options: T,
  positionals: boolean,
  usage: string,
) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new ConfigurationError(
      `${argumentError(error as NodeJS.ErrnoException, options, positionals)}\n\n${usage}`,
    );
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === '') throw new ConfigurationError(`option \`--${name}\` needs a value\n\n${usage}`);
  }
  return parsed;
}

function argumentError(error: NodeJS.ErrnoException, options: Options, positionals: boolean): string {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = nearestOption(option, options);
      return (
        `unknown option \`${option}\`` +
        (near
          ? `; did you mean \`${near}\`?`
          : positionals
            ? ` (a path that starts with \`-\` goes after \`--\`: ${TOOL_NAME} scan -- ${option})`
            : '')
      );
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return quoted.includes('<value>')
        ? `option \`${option}\` needs a value`
        : `option \`${option}\` takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument \`${quoted}\`: this command takes no paths`;
    default:
      return error.message;
  }
}

/** The known option closest to a mistyped one, or null. */
function nearestOption(given: string, options: Options): string | null {
  const near = nearest(given.replace(/^-+/, '').split('=')[0] ?? '', Object.keys(options));
  return near === null ? null : `--${near}`;
}
