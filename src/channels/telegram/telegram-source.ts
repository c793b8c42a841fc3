import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { ButtonPress, InboundMessage } from '../../domain/inbound-message.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import type { CursorStore } from '../../store/cursor-store.js';
import { backoffDelay, sleep } from '../../retry.js';
import type { ChannelStatus } from '../channel-status.js';
import type { TelegramClient } from './telegram-client.js';
import { MalformedTelegramResponseError, classifyTelegramError, wrapTelegramError } from './telegram-errors.js';
import { normaliseTelegramUpdate } from './telegram-normalise.js';

export interface TelegramSourceDeps {
  config: Config;
  /** Where the source keeps its place (`stores.cursors`). */
  cursors: CursorStore;
  logger: Logger;
  clock: () => number;
  client: TelegramClient;
  sink: InboundSink;
  status?: ChannelStatus;
}

export const TELEGRAM_OFFSET_KEY = 'tg:offset';
export const TELEGRAM_UPDATES_CHANNEL = 'telegram:updates';
/** Edits are not read: an edited message has the same externalId and would be a no-op anyway. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** Backoff after a failed getUpdates: 1 s doubling to 60 s. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export interface PollOutcome {
  updates: number;
  messages: number;
  presses: number;
  skipped: number;
}

/**
 * Telegram updates through our own getUpdates loop (not telegraf's, which stops on the first
 * unhandled error and has no timeout).
 * - The offset is stored under `tg:offset` in the same transaction as the messages it covers; a
 *   crash before that commit redelivers the batch, and messages dedupe by `<chatId>_<messageId>`.
 *   Presses are handed over in update order, each followed by its offset: at least once.
 * - Messages from chats that are not configured are ignored, except private chats and the
 *   moderators' chat; their offset still advances.
 * - Never stops on an error: classify, back off (1 s … 60 s, or exactly `retry_after`), go on;
 *   stops only on a fatal one (the token was refused), with a log line and a `stopped` status.
 */
export class TelegramSource {
  private readonly cursors: CursorStore;
  private readonly chats: Set<number>;
  /** The bot's own user id, known after the first successful `start`/getMe. */
  botId: number | null = null;

  constructor(private readonly deps: TelegramSourceDeps) {
    this.cursors = deps.cursors;
    const { telegram } = deps.config;
    this.chats = new Set([...telegram.chats.map((c) => c.chatId), ...(telegram.moderatorsChatId !== null ? [telegram.moderatorsChatId] : [])]);
  }

  /** Runs until `signal` aborts or a fatal error; resolves then. */
  async run(signal: AbortSignal): Promise<void> {
    const log = this.deps.logger.child({ channel: TELEGRAM_UPDATES_CHANNEL });
    const status = this.deps.status;
    status?.starting(TELEGRAM_UPDATES_CHANNEL);
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (this.botId === null) {
          const me = await this.deps.client.call<{ id?: unknown }>('getMe', {}, { signal });
          if (typeof me.id === 'number') this.botId = me.id;
        }
        await this.pollOnce(signal);
        failures = 0;
        status?.success(TELEGRAM_UPDATES_CHANNEL);
      } catch (error) {
        if (signal.aborted) break;
        const wrapped = wrapTelegramError('getUpdates', error);
        const failure = classifyTelegramError(wrapped);
        if (failure.kind === 'fatal') {
          log.error({ err: wrapped.message }, 'Telegram updates stopped: the bot token was refused; fix TELEGRAM_BOT_TOKEN and restart');
          status?.stopped(TELEGRAM_UPDATES_CHANNEL, wrapped.message);
          return;
        }
        failures += 1;
        status?.failure(TELEGRAM_UPDATES_CHANNEL, wrapped.message);
        const delay = failure.kind === 'retry' && failure.retryAfterMs !== undefined ? failure.retryAfterMs : backoffDelay(failures, RETRY_BASE_MS, RETRY_MAX_MS);
        log.warn({ err: wrapped.message, attempt: failures, delayMs: delay }, 'Telegram getUpdates failed; retrying');
        await sleep(delay, signal);
      }
    }
    status?.stopped(TELEGRAM_UPDATES_CHANNEL);
  }

  /** One getUpdates (held up to `pollTimeoutSeconds`) and the hand-over of what it brought. Throws ApiError / HttpError. */
  async pollOnce(signal?: AbortSignal): Promise<PollOutcome> {
    const { config, client, sink, clock } = this.deps;
    const log = this.deps.logger.child({ channel: TELEGRAM_UPDATES_CHANNEL });
    const stored = this.cursors.get<{ offset: number }>(TELEGRAM_OFFSET_KEY);
    const timeout = config.telegram.pollTimeoutSeconds;
    const updates = await client.call<unknown>(
      'getUpdates',
      { ...(stored ? { offset: stored.offset } : {}), timeout, allowed_updates: [...ALLOWED_UPDATES] },
      { ...(signal ? { signal } : {}), extraTimeoutMs: timeout * 1000 },
    );
    if (!Array.isArray(updates)) throw wrapTelegramError('getUpdates', new MalformedTelegramResponseError('getUpdates answered no array'));
    const outcome: PollOutcome = { updates: updates.length, messages: 0, presses: 0, skipped: 0 };
    let offset = stored?.offset ?? 0;
    let messages: InboundMessage[] = [];
    const flush = (): void => {
      if (offset === (stored?.offset ?? 0) && messages.length === 0) return;
      sink.ingestBatch(messages, [{ key: TELEGRAM_OFFSET_KEY, value: { offset } }]);
      outcome.messages += messages.length;
      messages = [];
    };
    for (const update of updates) {
      const updateId = (update as { update_id?: unknown } | null)?.update_id;
      if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) {
        log.warn('Telegram update without update_id skipped');
        outcome.skipped += 1;
        continue;
      }
      offset = Math.max(offset, updateId + 1);
      const result = normaliseTelegramUpdate(update, clock());
      if (!result.ok) {
        log.warn({ updateId, reason: result.reason }, 'Telegram update skipped');
        outcome.skipped += 1;
      } else if (result.kind === 'message') {
        if (this.watched(result.message)) messages.push(result.message);
        else outcome.skipped += 1;
      } else {
        flush();
        this.press(result.press, log);
        outcome.presses += 1;
        sink.ingestBatch([], [{ key: TELEGRAM_OFFSET_KEY, value: { offset } }]);
      }
    }
    flush();
    return outcome;
  }

  private watched(message: InboundMessage): boolean {
    return message.isPrivate || (message.source.platform === 'telegram' && this.chats.has(message.source.chatId));
  }

  private press(press: ButtonPress, log: Logger): void {
    try {
      this.deps.sink.press(press);
    } catch (error) {
      log.error({ err: error, pressId: press.pressId }, 'button press handling failed');
    }
  }
}
