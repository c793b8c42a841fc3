import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { ButtonPress, InboundMessage } from '../../domain/inbound-message.js';
import type { CursorUpdate, InboundSink } from '../../domain/inbound-sink.js';
import { normaliseMaxUpdate } from './max-normalise.js';

export interface HandOverOutcome {
  messages: number;
  presses: number;
  /** Updates not read (their type, a broken one, a chat not watched): each logged. */
  skipped: number;
}

/**
 * What both ways of receiving MAX updates (long poll, webhook) do with a batch: normalise each,
 * keep what is watched, and hand it to the sink in update order. The cursor (the long poll's
 * marker, which covers the whole batch) is committed with the batch's last messages, never
 * before: a crash midway gets the whole batch again, whose messages dedupe by mid and whose
 * presses by callback_id (a press seen before does nothing). Watched: every dialog with the bot,
 * the chats in `max.chats` and the moderators' chat, and the comments under posts of `max.channels`.
 */
export class MaxHandOver {
  private readonly chats: Set<number>;
  private readonly channels: Set<number>;

  constructor(private readonly deps: { config: Config; sink: InboundSink; logger: Logger; clock: () => number }) {
    const { max } = deps.config;
    this.chats = new Set([...max.chats.map((c) => c.chatId), ...(max.moderatorsChatId !== null ? [max.moderatorsChatId] : [])]);
    this.channels = new Set(max.channels.map((c) => c.chatId));
  }

  /** Hands `updates` over; throws only what the sink threw (nothing was committed then). */
  deliver(updates: readonly unknown[], cursor?: CursorUpdate): HandOverOutcome {
    const { sink, clock, logger } = this.deps;
    const outcome: HandOverOutcome = { messages: 0, presses: 0, skipped: 0 };
    let messages: InboundMessage[] = [];
    /** Hands over the messages gathered so far; the last call carries the cursor, even with none. */
    const flush = (last: boolean): void => {
      if (messages.length === 0 && !(last && cursor)) return;
      sink.ingestBatch(messages, last && cursor ? [cursor] : []);
      outcome.messages += messages.length;
      messages = [];
    };
    for (const update of updates) {
      const result = normaliseMaxUpdate(update, clock());
      if (!result.ok) {
        logger.warn({ reason: result.reason }, 'MAX update skipped');
        outcome.skipped += 1;
      } else if (result.kind === 'message') {
        if (this.watched(result.message)) messages.push(result.message);
        else {
          logger.debug({ source: result.message.source }, 'MAX message from a chat that is not watched: skipped');
          outcome.skipped += 1;
        }
      } else {
        flush(false);
        this.press(result.press);
        outcome.presses += 1;
      }
    }
    // The cursor moves past skipped updates too.
    flush(true);
    return outcome;
  }

  private watched(message: InboundMessage): boolean {
    if (message.isPrivate) return true;
    if (message.source.platform !== 'max') return false;
    return (message.channel === 'max_comment' ? this.channels : this.chats).has(message.source.chatId);
  }

  private press(press: ButtonPress): void {
    try {
      this.deps.sink.press(press);
    } catch (error) {
      this.deps.logger.error({ err: error, pressId: press.pressId }, 'MAX button press handling failed');
    }
  }
}
