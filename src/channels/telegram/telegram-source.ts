import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import { TELEGRAM_UPDATES_CHANNEL } from '../../domain/channel-id.js';
import type { ButtonPress, InboundMessage } from '../../domain/inbound-message.js';
import type { InboundSink } from '../../domain/inbound-sink.js';
import type { ApiError, FailureClass, HttpError } from '../../errors.js';
import type { CursorStore } from '../../store/cursor-store.js';
import type { ChannelStatus } from '../channel-status.js';
import { type PolledSource, runSource } from '../source-runner.js';
import type { TelegramClient } from './telegram-client.js';
import { classifyTelegramError, MalformedTelegramResponseError, wrapTelegramError } from './telegram-errors.js';
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
  /** Told who the bot is once getMe answers (its id and username), so ingest skips its own messages and commands know their name. */
  onBotIdentity?: (bot: TelegramBotIdentity) => void;
}

export interface TelegramBotIdentity {
  id: number;
  /** Null when getMe answered without one. */
  username: string | null;
}

export const TELEGRAM_OFFSET_KEY = 'tg:offset';
/** Edits are not read: an edited message has the same externalId and would be a no-op anyway. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollOutcome {
  updates: number;
  messages: number;
  presses: number;
  skipped: number;
}

/**
 * Telegram updates through our own getUpdates loop (not telegraf's, which stops on the first
 * unhandled error and has no timeout), run by the shared source runner.
 * - The bot's identity comes from the one getMe of the bot, asked before the first getUpdates and
 *   again each round until it answers, so a getMe that fails at start only delays it.
 * - The offset is stored under `tg:offset` in the same transaction as the messages it covers; a
 *   crash before that commit redelivers the batch, and messages dedupe by `<chatId>_<messageId>`.
 *   Presses are handed over in update order, each followed by its offset: at least once.
 * - Messages from chats that are not configured are ignored, except private chats and the
 *   moderators' chat; their offset still advances.
 * - Never stops on an error: classify, back off (1 s … 60 s, or exactly `retry_after`), go on;
 *   stops only on a fatal one (the token was refused), with a log line and a `stopped` status.
 */
export class TelegramSource implements PolledSource {
  readonly channel = TELEGRAM_UPDATES_CHANNEL;
  readonly label = 'Telegram getUpdates';
  readonly fatalHint = 'the bot token was refused; fix TELEGRAM_BOT_TOKEN and restart';
  private readonly cursors: CursorStore;
  private readonly chats: Set<number>;
  /** The bot's own user id, known after the first getMe that answered one. */
  botId: number | null = null;

  constructor(private readonly deps: TelegramSourceDeps) {
    this.cursors = deps.cursors;
    const { telegram } = deps.config;
    this.chats = new Set([...telegram.chats.map((c) => c.chatId), ...(telegram.moderatorsChatId !== null ? [telegram.moderatorsChatId] : [])]);
  }

  /** Runs until `signal` aborts or a fatal error; resolves then. */
  run(signal: AbortSignal): Promise<void> {
    return runSource(this, signal, { logger: this.deps.logger, ...(this.deps.status ? { status: this.deps.status } : {}) });
  }

  /** One round for the runner: getMe until it has answered, then one getUpdates. */
  async round(signal: AbortSignal): Promise<void> {
    if (this.botId === null) await this.learnIdentity(signal);
    await this.pollOnce(signal);
  }

  classify(error: unknown): { error: ApiError | HttpError; failure: FailureClass } {
    const wrapped = wrapTelegramError('getUpdates', error);
    return { error: wrapped, failure: classifyTelegramError(wrapped) };
  }

  private async learnIdentity(signal: AbortSignal): Promise<void> {
    const me = await this.deps.client.call<{ id?: unknown; username?: unknown } | undefined>('getMe', {}, { signal });
    if (typeof me?.id !== 'number') return;
    this.botId = me.id;
    this.deps.onBotIdentity?.({ id: me.id, username: typeof me.username === 'string' ? me.username : null });
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
    this.checkGap(stored?.offset, updates[0], log);
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

  /**
   * Update ids run on one by one, so a first update past the stored offset means Telegram dropped
   * the ones between: it keeps undelivered updates for 24 hours only, and the Bot API has no way
   * to read a chat's history back. Those messages are lost for good; say so, with how many.
   */
  private checkGap(offset: number | undefined, first: unknown, log: Logger): void {
    const firstId = (first as { update_id?: unknown } | null)?.update_id;
    if (offset === undefined || typeof firstId !== 'number' || firstId <= offset) return;
    log.warn(
      { offset, firstUpdateId: firstId, lost: firstId - offset },
      'Telegram dropped updates the bot had not read (it keeps them for 24 hours): the messages and presses in them cannot be recovered',
    );
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
