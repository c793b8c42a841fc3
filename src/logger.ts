import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  /** Token values to scrub from every line, whatever field they end up in. */
  secrets: readonly string[];
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * Structured JSON logs (pino). Tokens never reach a log line: the known secret values are scrubbed
 * from the serialized line, and personal fields are redacted by path.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets.filter((s) => s.length >= 6);
  const scrub = (line: string) => {
    let out = line;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out.replace(/access_token=[^&\s"']+/g, 'access_token=[redacted]').replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[redacted]');
  };
  const target = options.destination ?? process.stdout;
  const stream = {
    write(line: string) {
      target.write(scrub(line));
    },
  };
  const base = pino(
    {
      level: options.level,
      redact: { paths: ['token', '*.token', 'authorName', '*.authorName', 'text', '*.text'], censor: '[personal]' },
      base: { app: 'otklik' },
    },
    options.pretty ? pinoPretty(target, scrub) : stream,
  );
  return base;
}

function pinoPretty(target: NodeJS.WritableStream, scrub: (line: string) => string): NodeJS.WritableStream {
  // pino-pretty is a transform stream; scrub after formatting so nothing bypasses redaction.
  return {
    write(line: string) {
      target.write(scrub(line));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
