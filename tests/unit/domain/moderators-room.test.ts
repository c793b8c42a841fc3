import { describe, expect, it } from 'vitest';
import { inRoom, moderatorsRoom, pressAnswer, roomEdit, roomMessage } from '../../../src/domain/moderators-room.js';

describe("the moderators' room", () => {
  const telegram = moderatorsRoom({ telegram: { moderatorsChatId: -100 }, max: { moderatorsChatId: null } })!;
  const max = moderatorsRoom({ telegram: { moderatorsChatId: null }, max: { moderatorsChatId: -70 } })!;

  it('should be the Telegram chat or the MAX chat, or none', () => {
    expect(telegram).toEqual({ platform: 'telegram', chatId: -100 });
    expect(max).toEqual({ platform: 'max', chatId: -70 });
    expect(moderatorsRoom({ telegram: { moderatorsChatId: null }, max: { moderatorsChatId: null } })).toBeNull();
  });

  it("should address messages, replies to a card and edits in the room's platform", () => {
    expect(roomMessage(telegram)).toEqual({ kind: 'telegram', chatId: -100 });
    expect(roomMessage(telegram, '42')).toEqual({ kind: 'telegram', chatId: -100, replyToMessageId: 42 });
    expect(roomMessage(telegram, 'mid.x')).toEqual({ kind: 'telegram', chatId: -100 });
    expect(roomMessage(max, 'mid.x')).toEqual({ kind: 'max_message', chatId: -70, replyToMid: 'mid.x' });
    expect(roomEdit(telegram, '42')).toEqual({ kind: 'telegram_edit', chatId: -100, messageId: 42 });
    expect(roomEdit(telegram, 'mid.x')).toBeNull();
    expect(roomEdit(max, 'mid.x')).toEqual({ kind: 'max_edit', chatId: -70, mid: 'mid.x' });
  });

  it('should answer a press on its own platform and know its own chat', () => {
    expect(pressAnswer({ platform: 'max', pressId: 'cb.1' })).toEqual({ kind: 'max_callback_answer', callbackId: 'cb.1' });
    expect(pressAnswer({ platform: 'telegram', pressId: '9' })).toEqual({ kind: 'telegram_callback_answer', pressId: '9' });
    expect(inRoom(max, { platform: 'max', chatId: -70, chatType: 'chat', title: null })).toBe(true);
    expect(inRoom(max, { platform: 'telegram', chatId: -70, chatType: 'supergroup', title: null, username: null })).toBe(false);
    expect(inRoom(null, { platform: 'max', chatId: -70, chatType: 'chat', title: null })).toBe(false);
  });
});
