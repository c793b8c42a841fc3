import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level: string;
  /** Human-readable lines (pino-pretty) instead of JSON: for a person at a terminal, not for log shipping. */
  pretty: boolean;
  /** Token values to scrub from every line, whatever field they end up in. */
  secrets: readonly string[];
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: NodeJS.WritableStream;
}

/**
 * Fields that carry citizens' personal data (texts, names) or credentials, wherever a module puts
 * them in a log object: top level or one level down (`message.text`, `inbound.author.name`).
 * Ids (incident, outbox, chat) stay: they are what an operator searches by.
 */
export const REDACTED_PATHS = [
  'text',
  '*.text',
  'caption',
  '*.caption',
  'authorName',
  '*.authorName',
  'author_name',
  '*.author_name',
  'author.name',
  '*.author.name',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'headers.authorization',
  '*.headers.authorization',
];

/** Remove every known token, and token-shaped parts of URLs (VK access_token=…, Telegram /bot<id>:<secret>), from a line. */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  return out.replace(/access_token=[^&\s"']+/g, 'access_token=[redacted]').replace(/\/bot\d+:[A-Za-z0-9_-]+/g, '/bot[redacted]');
}

/**
 * Structured JSON logs (pino), one object per line with `level`, `time`, `msg` and the context
 * fields (`job`, `outboxId`, `channel`, …). Personal fields are redacted by path
 * (REDACTED_PATHS → "[personal]"), and the known secret values are scrubbed from the finished
 * line, so a token that slips into an error message never reaches the log either. With `pretty`,
 * pino-pretty formats the line first and the scrub runs on what it prints.
 */
export function createLogger(options: LoggerOptions): Logger {
  const target = options.destination ?? process.stdout;
  const scrubbed = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      target.write(scrubSecrets(String(chunk), options.secrets));
      done();
    },
  });
  const stream = options.pretty
    ? PinoPretty({ destination: scrubbed, sync: true, colorize: false, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss', ignore: 'pid,hostname,app' })
    : scrubbed;
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[personal]' },
      base: { app: 'otklik' },
    },
    stream,
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
