import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a data tool's `main`: a {@link UsageError} prints its message and the usage and exits 2;
 * any other error (a broken config or model file, say) prints its message and cause, without a
 * stack, and exits 1.
 */
export function runTool(usage: string, main: () => void): void {
  try {
    main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${usage}`);
      process.exitCode = 2;
      return;
    }
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`${error instanceof Error ? error.message : String(error)}${cause}`);
    process.exitCode = 1;
  }
}

/** Options as node:util parseArgs takes them. */
type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A tool's command line: exactly one existing FILE and the given options. Anything else (an
 * unknown option, a second file, a missing one) is a {@link UsageError}.
 */
export function parseToolArgs<const O extends Options>(argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const [file, ...extra] = parsed.positionals;
  if (!file) throw new UsageError('a labelled JSONL file is needed');
  if (extra.length > 0) throw new UsageError(`one file only; also given: ${extra.join(' ')}`);
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  return { file, values: parsed.values };
}
