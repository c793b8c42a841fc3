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
 * keep what is watched, and hand it to the sink, `cursor` committed in the same transaction.
 * Presses go over in update order, each followed by the cursor (at least once; a press seen
 * before does nothing). Watched: every dialog with the bot, the chats in `max.chats` and the
 * moderators' chat, and the comments under posts of `max.channels`.
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
    const cursors = cursor ? [cursor] : [];
    let messages: InboundMessage[] = [];
    let flushed = false;
    const flush = (): void => {
      if (messages.length === 0) return;
      sink.ingestBatch(messages, cursors);
      flushed = true;
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
        flush();
        this.press(result.press);
        outcome.presses += 1;
        if (cursor) sink.ingestBatch([], cursors);
        flushed = true;
      }
    }
    flush();
    // The cursor moves past skipped updates too.
    if (!flushed && cursor) sink.ingestBatch([], cursors);
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
