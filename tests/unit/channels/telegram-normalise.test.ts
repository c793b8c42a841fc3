import { describe, expect, it } from 'vitest';
import { normaliseTelegramUpdate } from '../../../src/channels/telegram/telegram-normalise.js';

const NOW = 1_763_880_500_000;
const citizen = { id: 700, is_bot: false, first_name: 'Ольга', last_name: 'Петрова', username: 'olga' };

const privateUpdate = {
  update_id: 1001,
  message: { message_id: 15, from: citizen, chat: { id: 700, type: 'private', first_name: 'Ольга' }, date: 1_763_880_400, text: 'Нет воды' },
};

describe('normaliseTelegramUpdate', () => {
  it('should turn a private message into a private telegram message', () => {
    expect(normaliseTelegramUpdate(privateUpdate, NOW)).toEqual({
      ok: true,
      kind: 'message',
      message: {
        channel: 'telegram',
        externalId: '700_15',
        thread: { channel: 'telegram', chatId: 700, messageId: 15 },
        author: { platform: 'telegram', id: 700, name: 'Ольга Петрова', isBot: false },
        text: 'Нет воды',
        attachments: [],
        source: { platform: 'telegram', chatId: 700, chatType: 'private', title: null, username: null },
        isPrivate: true,
        createdAt: 1_763_880_400_000,
      },
    });
  });

  it('should keep the forum topic and ignore the topic service message as a reply', () => {
    const update = {
      update_id: 1002,
      message: {
        message_id: 40,
        message_thread_id: 3,
        is_topic_message: true,
        from: citizen,
        chat: { id: -1002000000001, type: 'supergroup', title: 'Зареченск', is_forum: true },
        date: 1_763_880_400,
        caption: 'Яма во дворе',
        photo: [{ file_id: 'a' }],
        reply_to_message: { message_id: 3, forum_topic_created: { name: 'Дороги' }, chat: { id: -1002000000001 } },
      },
    };
    const result = normaliseTelegramUpdate(update, NOW);
    expect(result.ok && result.kind === 'message' && result.message).toMatchObject({
      thread: { chatId: -1002000000001, messageId: 40, topicId: 3 },
      text: 'Яма во дворе',
      attachments: ['photo'],
      isPrivate: false,
      source: { chatType: 'supergroup', title: 'Зареченск' },
    });
    expect(result.ok && result.kind === 'message' && result.message.replyTo).toBeUndefined();
  });

  it('should name the message a reply answers and mark bots', () => {
    const update = {
      update_id: 1003,
      message: {
        ...privateUpdate.message,
        chat: { id: -100, type: 'group', title: 'Чат' },
        from: { id: 5, is_bot: true, first_name: 'Бот' },
        reply_to_message: { message_id: 14, from: citizen, text: 'Исходное' },
      },
    };
    const result = normaliseTelegramUpdate(update, NOW);
    expect(result.ok && result.kind === 'message' && result.message).toMatchObject({
      author: { id: 5, isBot: true },
      replyTo: { externalId: '-100_14', authorId: 700, text: 'Исходное' },
    });
  });

  it('should turn a callback_query into a button press', () => {
    const update = {
      update_id: 1004,
      callback_query: { id: '123456abcd', from: citizen, message: { message_id: 77, chat: { id: -1002000000099, type: 'supergroup' } }, data: 'accept:1' },
    };
    expect(normaliseTelegramUpdate(update, NOW)).toEqual({
      ok: true,
      kind: 'press',
      press: { platform: 'telegram', pressId: '123456abcd', chatId: -1002000000099, messageRef: '77', from: expect.objectContaining({ id: 700 }), data: 'accept:1', createdAt: NOW },
    });
  });

  it.each([
    ['a non-object', 42],
    ['an update type that is not read', { update_id: 1, my_chat_member: {} }],
    ['a message without chat', { update_id: 1, message: { ...privateUpdate.message, chat: undefined } }],
    ['a message without from', { update_id: 1, message: { ...privateUpdate.message, from: undefined } }],
    ['a channel post in a message', { update_id: 1, message: { ...privateUpdate.message, chat: { id: -1, type: 'channel' } } }],
    ['a text of the wrong type', { update_id: 1, message: { ...privateUpdate.message, text: ['x'] } }],
    ['a huge text', { update_id: 1, message: { ...privateUpdate.message, text: 'x'.repeat(70_000) } }],
    ['a press without data', { update_id: 1, callback_query: { id: '1', from: citizen, message: { message_id: 1, chat: { id: 1 } } } }],
    ['a press on an inline message', { update_id: 1, callback_query: { id: '1', from: citizen, inline_message_id: 'x', data: 'a' } }],
  ])('should skip %s with a reason', (_, update) => {
    const result = normaliseTelegramUpdate(update, NOW);
    expect(result.ok).toBe(false);
  });

  it('should repair broken UTF-16 in a text', () => {
    const result = normaliseTelegramUpdate({ update_id: 1, message: { ...privateUpdate.message, text: 'a\udc00b' } }, NOW);
    expect(result.ok && result.kind === 'message' && result.message.text).toBe('a\ufffdb');
  });
});
