import type { Logger } from 'pino';
import type { ChannelId } from '../domain/channel-id.js';
import type { ApiError, FailureClass, HttpError } from '../errors.js';
import { backoffDelay, sleep } from '../retry.js';
import type { ChannelStatus } from './channel-status.js';

/**
 * A long-running source as the runner sees it: one round at a time. Everything the platform is
 * about (its requests, its cursor, its error classes) stays in the source; the loop around the
 * rounds (try → classify → back off → report status) is the runner's and the same for all.
 *
 * Contract for a source:
 * - `round` makes one (long-)poll request and hands what it brought to the sink, cursor in the
 *   same transaction, and resolves; it throws whatever failed. It must return (resolve or throw)
 *   soon after `signal` aborts, and ingest nothing once it has aborted.
 * - `classify` wraps a thrown error into our taxonomy with the platform's edge functions, once.
 * - `afterFailure` (optional) drops state the failure made useless (a long-poll key after a
 *   rejected request), before the runner waits to try again.
 */
export interface PolledSource {
  readonly channel: ChannelId;
  /** Names the source in log lines: 'Telegram getUpdates', 'VK long poll'. */
  readonly label: string;
  /** What a person must fix when the token is refused, for the log line of the stop. */
  readonly fatalHint: string;
  round(signal: AbortSignal): Promise<void>;
  classify(error: unknown): { error: ApiError | HttpError; failure: FailureClass };
  afterFailure?(failure: FailureClass): void;
}

export interface SourceRunnerDeps {
  logger: Logger;
  status?: ChannelStatus;
  /** First wait after a failure, doubling (with jitter) up to `retryMaxMs`; default 1 000. */
  retryBaseMs?: number;
  /** Longest wait between failed rounds; default 60 000. */
  retryMaxMs?: number;
}

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/**
 * Runs `source` round after round until `signal` aborts or a fatal error; resolves then.
 * - A round that resolves marks the channel `running` (last success now, last error cleared).
 * - A round that fails is classified once: fatal (the token was refused) logs an error and
 *   stops the channel with that error (ChannelStatus alerts a person); anything else marks it
 *   `degraded` and waits — exactly the platform's `retryAfterMs` when it said one (Telegram's
 *   429 `retry_after`, VK's quota and captcha waits), otherwise a backoff of 1 s doubling to
 *   60 s — then tries again. Failures never end the loop.
 * - On abort the channel is `stopped` with no error.
 */
export async function runSource(source: PolledSource, signal: AbortSignal, deps: SourceRunnerDeps): Promise<void> {
  const { channel, label } = source;
  const log = deps.logger.child({ channel });
  const status = deps.status;
  status?.starting(channel);
  let failures = 0;
  while (!signal.aborted) {
    try {
      await source.round(signal);
      // A round that resolved succeeded, even when the signal aborted while it handed over.
      failures = 0;
      status?.success(channel);
    } catch (thrown) {
      if (signal.aborted) break;
      const { error, failure } = source.classify(thrown);
      if (failure.kind === 'fatal') {
        log.error({ err: error.message }, `${label} stopped: ${source.fatalHint}`);
        status?.stopped(channel, error.message);
        return;
      }
      failures += 1;
      status?.failure(channel, error.message);
      source.afterFailure?.(failure);
      const delay =
        failure.kind === 'retry' && failure.retryAfterMs !== undefined
          ? failure.retryAfterMs
          : backoffDelay(failures, deps.retryBaseMs ?? RETRY_BASE_MS, deps.retryMaxMs ?? RETRY_MAX_MS);
      log.warn({ err: error.message, attempt: failures, delayMs: delay }, `${label} failed; retrying`);
      await sleep(delay, signal);
    }
  }
  status?.stopped(channel);
}
