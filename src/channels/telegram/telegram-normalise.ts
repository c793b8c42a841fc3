import type { AuthorRef, ButtonPress, InboundMessage } from '../../domain/inbound-message.js';
import { externalId } from '../../domain/external-id.js';

/**
 * Pure normalisation of Bot API updates into InboundMessage / ButtonPress. Input is `unknown`;
 * a broken update gives `{ ok: false, reason }` for a log line, never an exception.
 */
export type NormalisedUpdate =
  | { ok: true; kind: 'message'; message: InboundMessage }
  | { ok: true; kind: 'press'; press: ButtonPress }
  | { ok: false; reason: string };

/** Longer than any real Telegram text (4 096) or caption: a broken update. */
export const MAX_RAW_TEXT_LENGTH = 65_536;

/** What a message carries besides text, in the order shown to moderators. */
const ATTACHMENT_FIELDS = ['photo', 'video', 'animation', 'document', 'audio', 'voice', 'video_note', 'sticker', 'location', 'venue', 'contact', 'poll'] as const;

const CHAT_TYPES = new Set(['private', 'group', 'supergroup', 'channel']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const optString = (v: unknown): string | null => (typeof v === 'string' && v.length <= 256 ? v.toWellFormed() : null);

function author(from: unknown): AuthorRef | null {
  if (!isObj(from) || !isInt(from.id)) return null;
  const name = [optString(from.first_name), optString(from.last_name)].filter(Boolean).join(' ');
  return { platform: 'telegram', id: from.id, name: name === '' ? null : name, isBot: from.is_bot === true };
}

/** A `message` (or `edited_message`) update's message. `now` stamps nothing: Telegram's date is used. */
export function normaliseTelegramMessage(raw: unknown): NormalisedUpdate {
  if (!isObj(raw)) return { ok: false, reason: 'message is not an object' };
  const { message_id: messageId, chat, date } = raw;
  if (!isInt(messageId) || messageId <= 0) return { ok: false, reason: 'message_id missing' };
  if (!isObj(chat) || !isInt(chat.id) || typeof chat.type !== 'string' || !CHAT_TYPES.has(chat.type)) {
    return { ok: false, reason: `message ${messageId}: chat missing` };
  }
  if (chat.type === 'channel') return { ok: false, reason: `message ${messageId}: channel posts are not read` };
  if (!isInt(date) || date <= 0) return { ok: false, reason: `message ${messageId}: date missing` };
  const from = author(raw.from);
  if (!from) return { ok: false, reason: `message ${messageId}: from missing` };
  const rawText = raw.text ?? raw.caption ?? '';
  if (typeof rawText !== 'string') return { ok: false, reason: `message ${messageId}: text is ${typeof rawText}` };
  if (rawText.length > MAX_RAW_TEXT_LENGTH) return { ok: false, reason: `message ${messageId}: text of ${rawText.length} characters` };
  const chatId = chat.id;
  const inTopic = (chat.is_forum === true || raw.is_topic_message === true) && isInt(raw.message_thread_id);
  const topicId = inTopic ? (raw.message_thread_id as number) : undefined;
  const message: InboundMessage = {
    channel: 'telegram',
    externalId: externalId(chatId, messageId),
    thread: { channel: 'telegram', chatId, messageId, ...(topicId !== undefined ? { topicId } : {}) },
    author: from,
    text: rawText.toWellFormed(),
    attachments: ATTACHMENT_FIELDS.filter((field) => raw[field] !== undefined),
    source: {
      platform: 'telegram',
      chatId,
      chatType: chat.type as 'private' | 'group' | 'supergroup',
      title: optString(chat.title),
      username: optString(chat.username),
    },
    isPrivate: chat.type === 'private',
    createdAt: date * 1000,
  };
  const reply = raw.reply_to_message;
  // In a forum every message of a topic "replies" to the topic's service message: not a real reply.
  if (isObj(reply) && isInt(reply.message_id) && reply.forum_topic_created === undefined && reply.message_id !== topicId) {
    const replyText = reply.text ?? reply.caption;
    message.replyTo = {
      externalId: externalId(chatId, reply.message_id),
      authorId: isObj(reply.from) && isInt(reply.from.id) ? reply.from.id : null,
      text: typeof replyText === 'string' && replyText.length <= MAX_RAW_TEXT_LENGTH ? replyText.toWellFormed() : null,
    };
  }
  return { ok: true, kind: 'message', message };
}

/** A `callback_query`: an inline button pressed under one of the bot's messages. */
export function normaliseTelegramPress(raw: unknown, now: number): NormalisedUpdate {
  if (!isObj(raw)) return { ok: false, reason: 'callback_query is not an object' };
  if (typeof raw.id !== 'string' || raw.id === '') return { ok: false, reason: 'callback_query id missing' };
  const from = author(raw.from);
  if (!from) return { ok: false, reason: `callback_query ${raw.id}: from missing` };
  const message = raw.message;
  if (!isObj(message) || !isInt(message.message_id) || !isObj(message.chat) || !isInt(message.chat.id)) {
    return { ok: false, reason: `callback_query ${raw.id}: not under a chat message` };
  }
  if (typeof raw.data !== 'string' || raw.data === '' || Buffer.byteLength(raw.data) > 64) {
    return { ok: false, reason: `callback_query ${raw.id}: data missing or too long` };
  }
  return {
    ok: true,
    kind: 'press',
    press: { platform: 'telegram', pressId: raw.id, chatId: message.chat.id, messageRef: String(message.message_id), from, data: raw.data, createdAt: now },
  };
}

/** One update of getUpdates; update types we do not read give `{ ok: false }` too. */
export function normaliseTelegramUpdate(update: unknown, now: number): NormalisedUpdate {
  if (!isObj(update)) return { ok: false, reason: 'update is not an object' };
  if (update.message !== undefined) return normaliseTelegramMessage(update.message);
  if (update.callback_query !== undefined) return normaliseTelegramPress(update.callback_query, now);
  return { ok: false, reason: `update type ${Object.keys(update).filter((k) => k !== 'update_id').join(',') || 'unknown'} is not read` };
}
