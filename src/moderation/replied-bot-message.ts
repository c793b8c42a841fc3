/**
 * Which of the bot's own Telegram or MAX messages a moderator's message replies to. Both a reply to a
 * button's prompt under a card and `/incident` in reply to a «Проверить» note need it.
 */

import { parseExternalId } from '../domain/external-id.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import type { OutboxItem, OutboxStore } from '../store/outbox-store.js';

/**
 * The delivered outbox row under `keyPrefix` (`prompt:`, `review:`) that `message` replies to;
 * undefined when it replies to nothing, to someone else, or comes from outside Telegram and MAX.
 * Telegram numbers messages per chat, so the row must have gone to the very chat the reply is
 * written in; a MAX mid names one message anywhere.
 */
export function repliedBotMessage(message: Pick<InboundMessage, 'thread' | 'replyTo'>, outbox: OutboxStore, keyPrefix: string): OutboxItem | undefined {
  if (!message.replyTo) return undefined;
  if (message.thread.channel === 'max_message') {
    const chatId = message.thread.chatId;
    return outbox
      .findSentByExternalId('max', keyPrefix, message.replyTo.externalId)
      .find((sent) => sent.message.destination.kind === 'max_message' && sent.message.destination.chatId === chatId);
  }
  if (message.thread.channel !== 'telegram') return undefined;
  const replied = parseExternalId(message.replyTo.externalId);
  if (!replied) return undefined;
  const chatId = replied.where;
  return outbox.findSentByExternalId('telegram', keyPrefix, String(replied.id)).find((sent) => {
    const destination = sent.message.destination;
    return destination.kind === 'telegram' && destination.chatId === chatId;
  });
}
