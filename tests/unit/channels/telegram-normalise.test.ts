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
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 68, file_size: 1200 },
          { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960, file_size: 98_000 },
        ],
        media_group_id: '13500001',
        reply_to_message: { message_id: 3, forum_topic_created: { name: 'Дороги' }, chat: { id: -1002000000001 } },
      },
    };
    const result = normaliseTelegramUpdate(update, NOW);
    expect(result.ok && result.kind === 'message' && result.message).toMatchObject({
      thread: { chatId: -1002000000001, messageId: 40, topicId: 3 },
      text: 'Яма во дворе',
      attachments: [{ kind: 'photo', fileId: 'large', width: 1280, height: 960, size: 98_000 }],
      mediaGroupId: '13500001',
      isPrivate: false,
      source: { chatType: 'supergroup', title: 'Зареченск' },
    });
    expect(result.ok && result.kind === 'message' && result.message.replyTo).toBeUndefined();
  });

  it('should keep documents, video, voice, stickers and the location as metadata', () => {
    const base = privateUpdate.message;
    const read = (fields: Record<string, unknown>) => {
      const { text: _text, ...rest } = base;
      const result = normaliseTelegramUpdate({ update_id: 1, message: { ...rest, ...fields } }, NOW);
      return result.ok && result.kind === 'message' ? result.message : null;
    };
    expect(read({ caption: 'Акт', document: { file_id: 'doc1', file_name: 'акт.pdf', mime_type: 'application/pdf', file_size: 10_240 } })).toMatchObject({
      text: 'Акт',
      attachments: [{ kind: 'document', fileId: 'doc1', name: 'акт.pdf', mime: 'application/pdf', size: 10_240 }],
    });
    expect(read({ video: { file_id: 'v1', duration: 9, mime_type: 'video/mp4' } })!.attachments).toEqual([
      { kind: 'video', fileId: 'v1', name: null, mime: 'video/mp4', size: null, duration: 9 },
    ]);
    expect(read({ voice: { file_id: 'o1', duration: 3 } })!.attachments).toEqual([{ kind: 'voice', fileId: 'o1', mime: null, size: null, duration: 3 }]);
    expect(read({ sticker: { file_id: 's1', emoji: '👍' } })!.attachments).toEqual([{ kind: 'sticker', emoji: '👍' }]);
    expect(read({ location: { latitude: 55.75, longitude: 37.62 } })).toMatchObject({ text: '', attachments: [], location: { lat: 55.75, lon: 37.62 } });
    expect(read({ venue: { location: { latitude: 55.7, longitude: 37.6 }, title: 'МФЦ', address: 'Ленина 1' } })).toMatchObject({
      location: { lat: 55.7, lon: 37.6 },
    });
    // Hostile or broken parts are left out, the message is kept.
    expect(read({ photo: [{ file_id: '../../etc/passwd' }], document: { file_id: 42 }, location: { latitude: 200, longitude: 0 } })).toMatchObject({
      attachments: [],
    });
    expect(read({ photo: [{ file_id: 'p' }], location: { latitude: 200, longitude: 0 } })!.location).toBeUndefined();
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
      press: {
        platform: 'telegram',
        pressId: '123456abcd',
        chatId: -1002000000099,
        messageRef: '77',
        from: expect.objectContaining({ id: 700 }),
        data: 'accept:1',
        createdAt: NOW,
      },
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
