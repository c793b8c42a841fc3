import { existsSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';

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
 * A tool's command line: existing labelled FILEs (at least `minFiles`, default 1) and the given
 * options. Anything else (an unknown option, a missing file) is a {@link UsageError}.
 */
export function parseToolArgs<const O extends Options>(argv: string[], options: O, minFiles = 1) {
  const parsed = asUsage(() => parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
  const files = parsed.positionals;
  if (files.length < minFiles) throw new UsageError('a labelled JSONL file is needed');
  const missing = files.find((file) => !existsSync(file));
  if (missing !== undefined) throw new UsageError(`no such file: ${missing}`);
  if (new Set(files).size !== files.length) throw new UsageError('a file is given twice');
  return { files, values: parsed.values };
}

/** What `parse` returns; what it throws becomes a {@link UsageError} with the same message. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole number ≥ 0 given to `option`, or a {@link UsageError} naming the option and the value. */
export function wholeNumber(option: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`${option} takes a whole number ≥ 0, got "${value}"`);
  return n;
}
