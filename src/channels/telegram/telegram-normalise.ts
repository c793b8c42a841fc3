import { type Attachment, count, fileId, type GeoPoint, geoPoint, shortText } from '../../domain/attachment.js';
import { externalId } from '../../domain/external-id.js';
import type { AuthorRef, ButtonPress, InboundMessage } from '../../domain/inbound-message.js';

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

/** Fields of a message that carry something besides text and are kept only as their kind. */
const OTHER_FIELDS = ['contact', 'poll', 'dice', 'game', 'story'] as const;

const CHAT_TYPES = new Set(['private', 'group', 'supergroup', 'channel']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const optString = (v: unknown): string | null => (typeof v === 'string' && v.length <= 256 ? v.toWellFormed() : null);

/** The largest PhotoSize of a photo (Telegram sends several sizes of the one photo). */
function largestPhoto(sizes: unknown): Attachment | null {
  if (!Array.isArray(sizes)) return null;
  const usable = sizes.flatMap((size) => {
    const id = isObj(size) ? fileId(size.file_id) : undefined;
    return isObj(size) && id ? [{ id, width: count(size.width), height: count(size.height), size: count(size.file_size) }] : [];
  });
  const best = usable.sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0) || (b.size ?? 0) - (a.size ?? 0))[0];
  return best ? { kind: 'photo', fileId: best.id, width: best.width, height: best.height, size: best.size } : null;
}

/** A Telegram file object (Document, Video, Audio, Voice, VideoNote, Animation) as one of ours. */
function fileAttachment(kind: 'document' | 'video' | 'audio' | 'voice', raw: unknown): Attachment | null {
  const id = isObj(raw) ? fileId(raw.file_id) : undefined;
  if (!isObj(raw) || !id) return null;
  const common = { fileId: id, mime: shortText(raw.mime_type, 128), size: count(raw.file_size) };
  if (kind === 'document') return { kind, ...common, name: shortText(raw.file_name) };
  if (kind === 'video') return { kind, ...common, name: shortText(raw.file_name), duration: count(raw.duration) };
  return { kind, ...common, duration: count(raw.duration) };
}

/** What the message carries besides its text, as metadata; malformed parts are left out. */
export function telegramAttachments(raw: Obj): Attachment[] {
  const found: (Attachment | null)[] = [
    raw.photo !== undefined ? largestPhoto(raw.photo) : null,
    raw.document !== undefined && raw.animation === undefined ? fileAttachment('document', raw.document) : null,
    raw.animation !== undefined ? fileAttachment('video', raw.animation) : null,
    raw.video !== undefined ? fileAttachment('video', raw.video) : null,
    raw.video_note !== undefined ? fileAttachment('video', raw.video_note) : null,
    raw.audio !== undefined ? fileAttachment('audio', raw.audio) : null,
    raw.voice !== undefined ? fileAttachment('voice', raw.voice) : null,
    raw.sticker !== undefined ? { kind: 'sticker', emoji: isObj(raw.sticker) ? shortText(raw.sticker.emoji, 16) : null } : null,
    ...OTHER_FIELDS.map((field): Attachment | null => (raw[field] !== undefined ? { kind: 'other', type: field } : null)),
  ];
  return found.filter((a): a is Attachment => a !== null);
}

/** A location or a venue's location, when valid. */
export function telegramLocation(raw: Obj): GeoPoint | null {
  const location = isObj(raw.location) ? raw.location : isObj(raw.venue) && isObj(raw.venue.location) ? raw.venue.location : null;
  return location ? geoPoint(location.latitude, location.longitude) : null;
}

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
    attachments: telegramAttachments(raw),
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
  const location = telegramLocation(raw);
  if (location) message.location = location;
  const album = shortText(raw.media_group_id, 64);
  if (album) message.mediaGroupId = album;
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
  return {
    ok: false,
    reason: `update type ${
      Object.keys(update)
        .filter((k) => k !== 'update_id')
        .join(',') || 'unknown'
    } is not read`,
  };
}
