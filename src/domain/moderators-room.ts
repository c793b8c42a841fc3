import type { ButtonPress, SourceRef } from './inbound-message.js';
import type { Destination } from './outbound.js';

/**
 * The one chat where moderators get incident cards, reminders, alerts and digests and press the
 * cards' buttons: a Telegram group (`telegram.moderatorsChatId`) or a MAX group
 * (`max.moderatorsChatId`), never both (the config refuses it), so every card, press and
 * reminder lives in exactly one place.
 */
export interface ModeratorsRoom {
  platform: 'telegram' | 'max';
  chatId: number;
}

/** The configured room, or null when there is none. */
export function moderatorsRoom(config: { telegram: { moderatorsChatId: number | null }; max: { moderatorsChatId: number | null } }): ModeratorsRoom | null {
  if (config.telegram.moderatorsChatId !== null) return { platform: 'telegram', chatId: config.telegram.moderatorsChatId };
  if (config.max.moderatorsChatId !== null) return { platform: 'max', chatId: config.max.moderatorsChatId };
  return null;
}

/** The Telegram message id a ref names, or undefined when it is none (a ref is the message id as text). */
function telegramMessageId(ref: string | null | undefined): number | undefined {
  if (ref === null || ref === undefined || !/^[1-9]\d{0,15}$/.test(ref)) return undefined;
  return Number(ref);
}

/** A new message in the room; `replyTo` (the platform's ref of a message there, e.g. a card) makes it a reply. */
export function roomMessage(room: ModeratorsRoom, replyTo?: string | null): Destination {
  if (room.platform === 'max')
    return replyTo ? { kind: 'max_message', chatId: room.chatId, replyToMid: replyTo } : { kind: 'max_message', chatId: room.chatId };
  const replyToMessageId = telegramMessageId(replyTo);
  return replyToMessageId === undefined ? { kind: 'telegram', chatId: room.chatId } : { kind: 'telegram', chatId: room.chatId, replyToMessageId };
}

/** An edit of the bot's message `ref` in the room (a card); null when the ref cannot name a message there. */
export function roomEdit(room: ModeratorsRoom, ref: string): Destination | null {
  if (room.platform === 'max') return { kind: 'max_edit', chatId: room.chatId, mid: ref };
  const messageId = telegramMessageId(ref);
  return messageId === undefined ? null : { kind: 'telegram_edit', chatId: room.chatId, messageId };
}

/** The answer to a button press (a toast or notification for the one who pressed), on the press's platform. */
export function pressAnswer(press: Pick<ButtonPress, 'platform' | 'pressId'>): Destination {
  return press.platform === 'max' ? { kind: 'max_callback_answer', callbackId: press.pressId } : { kind: 'telegram_callback_answer', pressId: press.pressId };
}

/** True when a message from `source` was written in the room. */
export function inRoom(room: ModeratorsRoom | null, source: SourceRef): boolean {
  return room !== null && source.platform === room.platform && source.chatId === room.chatId;
}
