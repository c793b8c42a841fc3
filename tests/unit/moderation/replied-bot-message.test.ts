import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import { repliedBotMessage } from '../../../src/moderation/replied-bot-message.js';
import type { Db } from '../../../src/store/db.js';
import type { OutboxStore } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb } from '../../helpers/index.js';

const NOW = Date.UTC(2026, 10, 23, 7, 0, 0);
const MODERATORS = -1001;
let db: Db;
let outbox: OutboxStore;

/** A bot message under `key`, delivered to `chatId` as Telegram message `messageId`. */
function sent(key: string, chatId: number, messageId: number): void {
  outbox.enqueue({ idempotencyKey: key, purpose: 'review', message: { destination: { kind: 'telegram', chatId }, text: key, format: 'plain' } }, NOW);
  const [claim] = outbox.claimDue(NOW, 1, 60_000, 'telegram');
  outbox.complete(claim!, String(messageId), NOW);
}

function replyIn(chatId: number, externalId: string, channel: 'telegram' | 'vk_comment' = 'telegram'): Pick<InboundMessage, 'thread' | 'replyTo'> {
  const thread = channel === 'telegram' ? { channel, chatId, messageId: 900 } : { channel, groupId: 5, postId: 1, commentId: 900, threadCommentId: 900 };
  return { thread, replyTo: { externalId, authorId: null, text: null } };
}

beforeEach(() => {
  db = freshDb();
  outbox = createStores(db).outbox;
  sent('review:7', MODERATORS, 42);
});

afterEach(() => db.close());

describe('repliedBotMessage', () => {
  it('should find the bot message a Telegram reply answers, under the given key prefix', () => {
    expect(repliedBotMessage(replyIn(MODERATORS, `${MODERATORS}_42`), outbox, 'review:')?.idempotencyKey).toBe('review:7');
    expect(repliedBotMessage(replyIn(MODERATORS, `${MODERATORS}_42`), outbox, 'prompt:')).toBeUndefined();
  });

  it('should not take a message with the same number in another chat, or a VK reply, for the bot message', () => {
    expect(repliedBotMessage(replyIn(-2002, '-2002_42'), outbox, 'review:')).toBeUndefined();
    expect(repliedBotMessage(replyIn(MODERATORS, '-5_42', 'vk_comment'), outbox, 'review:')).toBeUndefined();
  });

  it('should find the message in the chat of the reply when another chat has a bot message with the same number', () => {
    // The moderators' chat moved (or became a supergroup): both chats have a message 42 of the bot.
    sent('review:8', -3003, 42);
    expect(repliedBotMessage(replyIn(-3003, '-3003_42'), outbox, 'review:')?.idempotencyKey).toBe('review:8');
    expect(repliedBotMessage(replyIn(MODERATORS, `${MODERATORS}_42`), outbox, 'review:')?.idempotencyKey).toBe('review:7');
  });

  it('should give nothing for no reply or a malformed reply id', () => {
    expect(repliedBotMessage({ thread: replyIn(MODERATORS, '').thread }, outbox, 'review:')).toBeUndefined();
    expect(repliedBotMessage(replyIn(MODERATORS, 'not-an-id'), outbox, 'review:')).toBeUndefined();
  });
});
