import { describe, expect, it } from 'vitest';
import { maxMedia, normaliseMaxUpdate } from '../../../src/channels/max/max-normalise.js';

const NOW = Date.UTC(2026, 10, 23, 7, 0, 0);
const citizen = { user_id: 700, first_name: 'Ольга', last_name: 'Кузнецова', is_bot: false };
const message = (recipient: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  sender: citizen,
  recipient,
  timestamp: NOW - 1000,
  body: {
    mid: 'mid.00ab',
    seq: 5,
    text: 'Нет горячей воды',
    attachments: [
      { type: 'image', payload: { photo_id: 1, token: 't', url: 'https://i.max.example/1.jpg' } },
      { type: 'location', latitude: 1, longitude: 2 },
    ],
  },
  ...extra,
});

describe('MAX update normalisation', () => {
  it('should turn a dialog message into a private message answered in the dialog', () => {
    expect(
      normaliseMaxUpdate({ update_type: 'message_created', timestamp: NOW, message: message({ chat_id: 700, chat_type: 'dialog', user_id: 9 }) }, NOW),
    ).toEqual({
      ok: true,
      kind: 'message',
      message: {
        channel: 'max_message',
        externalId: 'mid.00ab',
        thread: { channel: 'max_message', chatId: 700, mid: 'mid.00ab' },
        author: { platform: 'max', id: 700, name: 'Ольга Кузнецова', isBot: false },
        text: 'Нет горячей воды',
        attachments: [{ kind: 'photo', url: 'https://i.max.example/1.jpg', width: null, height: null, size: null }],
        location: { lat: 1, lon: 2 },
        source: { platform: 'max', chatId: 700, chatType: 'dialog', title: null },
        isPrivate: true,
        createdAt: NOW - 1000,
      },
    });
  });

  it('should keep a reply link of a house chat message and the post of a comment', () => {
    const link = {
      type: 'reply',
      sender: { user_id: 9, first_name: 'Бот', is_bot: true },
      chat_id: -5,
      message: { mid: 'mid.bot1', seq: 1, text: 'Обращение №3 зарегистрировано' },
    };
    const chat = normaliseMaxUpdate({ update_type: 'message_created', timestamp: NOW, message: message({ chat_id: -5, chat_type: 'chat' }, { link }) }, NOW);
    expect(chat).toMatchObject({
      ok: true,
      message: { isPrivate: false, replyTo: { externalId: 'mid.bot1', authorId: 9, text: 'Обращение №3 зарегистрировано' } },
    });
    const comment = normaliseMaxUpdate(
      { update_type: 'comment_created', timestamp: NOW, message: message({ chat_id: -6, chat_type: 'channel', post_id: 'mid.post' }) },
      NOW,
    );
    expect(comment).toMatchObject({
      ok: true,
      message: {
        channel: 'max_comment',
        externalId: 'mid.00ab',
        thread: { channel: 'max_comment', chatId: -6, postMid: 'mid.post', commentMid: 'mid.00ab' },
        source: { chatType: 'channel' },
      },
    });
  });

  it('should turn a message_callback into a button press under its message', () => {
    const update = {
      update_type: 'message_callback',
      timestamp: NOW,
      callback: { timestamp: NOW, callback_id: 'cb.1', payload: 'a:1:new', user: citizen },
      message: message({ chat_id: -5, chat_type: 'chat' }),
    };
    expect(normaliseMaxUpdate(update, NOW)).toEqual({
      ok: true,
      kind: 'press',
      press: {
        platform: 'max',
        pressId: 'cb.1',
        chatId: -5,
        messageRef: 'mid.00ab',
        from: expect.objectContaining({ id: 700 }),
        data: 'a:1:new',
        createdAt: NOW,
      },
    });
  });

  it.each([
    ['a non-object', 'x'],
    ['an update type that is not read', { update_type: 'dialog_muted', timestamp: NOW }],
    ['no update type', { timestamp: NOW }],
    ['a channel post', { update_type: 'message_created', timestamp: NOW, message: message({ chat_id: -6, chat_type: 'channel' }) }],
    [
      'a message without body.mid',
      { update_type: 'message_created', timestamp: NOW, message: { ...message({ chat_id: 1, chat_type: 'dialog' }), body: { text: 'x' } } },
    ],
    [
      'a message without sender',
      { update_type: 'message_created', timestamp: NOW, message: { ...message({ chat_id: 1, chat_type: 'dialog' }), sender: null } },
    ],
    [
      'a text of the wrong type',
      {
        update_type: 'message_created',
        timestamp: NOW,
        message: { ...message({ chat_id: 1, chat_type: 'dialog' }), body: { mid: 'mid.1', seq: 1, text: ['x'] } },
      },
    ],
    [
      'a huge text',
      {
        update_type: 'message_created',
        timestamp: NOW,
        message: { ...message({ chat_id: 1, chat_type: 'dialog' }), body: { mid: 'mid.1', seq: 1, text: 'x'.repeat(70_000) } },
      },
    ],
    ['a comment without post_id', { update_type: 'comment_created', timestamp: NOW, message: message({ chat_id: -6, chat_type: 'channel' }) }],
    [
      'a press under a deleted message',
      { update_type: 'message_callback', timestamp: NOW, callback: { timestamp: NOW, callback_id: 'cb', payload: 'a', user: citizen }, message: null },
    ],
    [
      'a press without payload',
      {
        update_type: 'message_callback',
        timestamp: NOW,
        callback: { timestamp: NOW, callback_id: 'cb', user: citizen },
        message: message({ chat_id: 1, chat_type: 'dialog' }),
      },
    ],
  ])('should skip %s with a reason, without throwing', (_what, update) => {
    const result = normaliseMaxUpdate(update, NOW);
    expect(result.ok).toBe(false);
    expect(result).toHaveProperty('reason', expect.any(String));
  });

  it('should keep images by their public URL and a location, leaving keyboards out and unsafe links behind', () => {
    const media = maxMedia([
      { type: 'image', payload: { photo_id: 1, url: 'https://i.max.example/p/1.jpg' } },
      { type: 'image', payload: { url: 'javascript:alert(1)' } },
      { type: 'file', payload: { url: 'https://f.max.example/1' }, filename: 'акт.pdf', size: 1024 },
      { type: 'inline_keyboard' },
      { type: 'hologram' },
      null,
      { type: 'location', latitude: 57.1, longitude: 65.5 },
    ]);
    expect(media.attachments).toEqual([
      { kind: 'photo', url: 'https://i.max.example/p/1.jpg', width: null, height: null, size: null },
      { kind: 'document', url: 'https://f.max.example/1', name: 'акт.pdf', mime: null, size: 1024 },
      { kind: 'other', type: 'hologram' },
    ]);
    expect(media.location).toEqual({ lat: 57.1, lon: 65.5 });
    expect(maxMedia('nope')).toEqual({ attachments: [], location: null });
    expect(maxMedia([{ type: 'location', latitude: 91, longitude: 0 }]).location).toBeNull();
  });
});
