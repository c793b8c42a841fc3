import { count, fileUrl, geoPoint, MAX_ATTACHMENTS, type MessageMedia, shortText } from '../../domain/attachment.js';
import type { AuthorRef, ButtonPress, InboundMessage } from '../../domain/inbound-message.js';

/**
 * Pure normalisation of MAX Bot API updates into InboundMessage / ButtonPress. Input is
 * `unknown`; a broken update, or one of a type not read, gives `{ ok: false, reason }` for a log
 * line, never an exception. Read: `message_created` in dialogs with the bot and group chats,
 * `comment_created` under channel posts, `message_callback` (button presses).
 */
export type NormalisedMaxUpdate =
  | { ok: true; kind: 'message'; message: InboundMessage }
  | { ok: true; kind: 'press'; press: ButtonPress }
  | { ok: false; reason: string };

/** The update types the bot asks for (GET /updates `types`, the webhook subscription's `update_types`). */
export const MAX_UPDATE_TYPES = ['message_created', 'comment_created', 'message_callback'] as const;

/** Longer than any real MAX text (4 000): a broken update. */
export const MAX_RAW_TEXT_LENGTH = 65_536;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isMid = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;
const optString = (v: unknown): string | null => (typeof v === 'string' && v.length <= 256 ? v.toWellFormed() : null);

/**
 * The attachments and location of a MAX message body, as the store keeps them: an image's public
 * URL (a photo moderators open by link, as VK's), a file's, video's or audio's name and URL, a
 * sticker, a location; keyboards are left out, anything else kept as its type for the summary.
 * Nothing that fails to validate is kept (see src/domain/attachment.ts).
 */
/** The message's `attachments` and, when there is one, its `location`. */
function mediaFields(media: MessageMedia): Pick<InboundMessage, 'attachments' | 'location'> {
  return media.location ? { attachments: media.attachments, location: media.location } : { attachments: media.attachments };
}

export function maxMedia(raw: unknown): MessageMedia {
  const media: MessageMedia = { attachments: [], location: null };
  if (!Array.isArray(raw)) return media;
  for (const a of raw.slice(0, MAX_ATTACHMENTS)) {
    if (!isObj(a) || typeof a.type !== 'string') continue;
    const payload = isObj(a.payload) ? a.payload : {};
    const url = fileUrl(payload.url);
    const ref = url !== undefined ? { url } : {};
    switch (a.type) {
      case 'image':
        if (url !== undefined) media.attachments.push({ kind: 'photo', url, width: null, height: null, size: null });
        break;
      case 'file':
        if (url !== undefined) media.attachments.push({ kind: 'document', ...ref, name: shortText(a.filename), mime: null, size: count(a.size) });
        break;
      case 'video':
        media.attachments.push({ kind: 'video', ...ref, name: null, mime: null, size: null, duration: null });
        break;
      case 'audio':
        media.attachments.push({ kind: 'audio', ...ref, mime: null, size: null, duration: null });
        break;
      case 'sticker':
        media.attachments.push({ kind: 'sticker', emoji: null });
        break;
      case 'location':
        media.location = geoPoint(a.latitude, a.longitude) ?? media.location;
        break;
      case 'inline_keyboard':
        break;
      default:
        media.attachments.push({ kind: 'other', type: a.type.slice(0, 32) });
    }
  }
  return media;
}

function author(user: unknown): AuthorRef | null {
  if (!isObj(user) || !isInt(user.user_id)) return null;
  // v0.0.33 has first_name / last_name; older answers carried one `name`.
  const name = [optString(user.first_name), optString(user.last_name)].filter(Boolean).join(' ') || optString(user.name) || '';
  return { platform: 'max', id: user.user_id, name: name === '' ? null : name, isBot: user.is_bot === true };
}

/** A Message's parts every kind needs: who, where, the body's mid and text. */
function parts(
  raw: unknown,
  what: string,
):
  | { ok: true; from: AuthorRef; chatId: number; chatType: string; postId: unknown; mid: string; text: string; body: Obj; raw: Obj }
  | { ok: false; reason: string } {
  if (!isObj(raw)) return { ok: false, reason: `${what}: message is not an object` };
  const { recipient, body, timestamp } = raw;
  if (!isObj(body) || !isMid(body.mid)) return { ok: false, reason: `${what}: body.mid missing` };
  const mid = body.mid;
  if (!isObj(recipient) || !isInt(recipient.chat_id) || typeof recipient.chat_type !== 'string')
    return { ok: false, reason: `${what} ${mid}: recipient.chat_id missing` };
  if (!isInt(timestamp) || timestamp <= 0) return { ok: false, reason: `${what} ${mid}: timestamp missing` };
  const from = author(raw.sender);
  if (!from) return { ok: false, reason: `${what} ${mid}: sender missing` };
  const text = body.text ?? '';
  if (typeof text !== 'string') return { ok: false, reason: `${what} ${mid}: text is ${typeof text}` };
  if (text.length > MAX_RAW_TEXT_LENGTH) return { ok: false, reason: `${what} ${mid}: text of ${text.length} characters` };
  return { ok: true, from, chatId: recipient.chat_id, chatType: recipient.chat_type, postId: recipient.post_id, mid, text: text.toWellFormed(), body, raw };
}

/** The message a reply links to (`link.type: reply`), when it names one. */
function replyOf(raw: Obj): InboundMessage['replyTo'] | undefined {
  const link = raw.link;
  if (!isObj(link) || link.type !== 'reply' || !isObj(link.message) || !isMid(link.message.mid)) return undefined;
  const text = link.message.text;
  return {
    externalId: link.message.mid,
    authorId: isObj(link.sender) && isInt(link.sender.user_id) ? link.sender.user_id : null,
    text: typeof text === 'string' && text.length <= MAX_RAW_TEXT_LENGTH ? text.toWellFormed() : null,
  };
}

/** `message_created`: a message in a dialog with the bot or in a group chat; channel posts are not read. */
export function normaliseMaxMessage(raw: unknown): NormalisedMaxUpdate {
  const p = parts(raw, 'message');
  if (!p.ok) return p;
  if (p.chatType === 'channel') return { ok: false, reason: `message ${p.mid}: channel posts are not read` };
  if (p.chatType !== 'dialog' && p.chatType !== 'chat') return { ok: false, reason: `message ${p.mid}: unknown chat_type ${p.chatType.slice(0, 20)}` };
  const message: InboundMessage = {
    channel: 'max_message',
    externalId: p.mid,
    thread: { channel: 'max_message', chatId: p.chatId, mid: p.mid },
    author: p.from,
    text: p.text,
    ...mediaFields(maxMedia(p.body.attachments)),
    source: { platform: 'max', chatId: p.chatId, chatType: p.chatType, title: null },
    isPrivate: p.chatType === 'dialog',
    createdAt: p.raw.timestamp as number,
  };
  const replyTo = replyOf(p.raw);
  if (replyTo) message.replyTo = replyTo;
  return { ok: true, kind: 'message', message };
}

/** `comment_created`: a comment under a channel's post (`recipient.post_id`). */
export function normaliseMaxComment(raw: unknown): NormalisedMaxUpdate {
  const p = parts(raw, 'comment');
  if (!p.ok) return p;
  if (!isMid(p.postId)) return { ok: false, reason: `comment ${p.mid}: recipient.post_id missing` };
  const message: InboundMessage = {
    channel: 'max_comment',
    externalId: p.mid,
    thread: { channel: 'max_comment', chatId: p.chatId, postMid: p.postId, commentMid: p.mid },
    author: p.from,
    text: p.text,
    ...mediaFields(maxMedia(p.body.attachments)),
    source: { platform: 'max', chatId: p.chatId, chatType: 'channel', title: null },
    isPrivate: false,
    createdAt: p.raw.timestamp as number,
  };
  const replyTo = replyOf(p.raw);
  if (replyTo) message.replyTo = replyTo;
  return { ok: true, kind: 'message', message };
}

/** `message_callback`: a button pressed under one of the bot's messages. */
export function normaliseMaxPress(update: Obj, now: number): NormalisedMaxUpdate {
  const callback = update.callback;
  if (!isObj(callback) || typeof callback.callback_id !== 'string' || callback.callback_id === '' || callback.callback_id.length > 256) {
    return { ok: false, reason: 'message_callback: callback_id missing' };
  }
  const id = callback.callback_id;
  const from = author(callback.user);
  if (!from) return { ok: false, reason: `message_callback ${id}: user missing` };
  if (typeof callback.payload !== 'string' || callback.payload === '' || callback.payload.length > 1024)
    return { ok: false, reason: `message_callback ${id}: payload missing or too long` };
  const message = update.message;
  if (!isObj(message) || !isObj(message.body) || !isMid(message.body.mid) || !isObj(message.recipient) || !isInt(message.recipient.chat_id)) {
    return { ok: false, reason: `message_callback ${id}: not under a message (deleted?)` };
  }
  const createdAt = isInt(callback.timestamp) && callback.timestamp > 0 ? callback.timestamp : now;
  return {
    ok: true,
    kind: 'press',
    press: { platform: 'max', pressId: id, chatId: message.recipient.chat_id, messageRef: message.body.mid, from, data: callback.payload, createdAt },
  };
}

/** One update (a webhook body, an item of GET /updates); update types not read give `{ ok: false }` too. */
export function normaliseMaxUpdate(update: unknown, now: number): NormalisedMaxUpdate {
  if (!isObj(update)) return { ok: false, reason: 'update is not an object' };
  switch (update.update_type) {
    case 'message_created':
      return normaliseMaxMessage(update.message);
    case 'comment_created':
      return normaliseMaxComment(update.message);
    case 'message_callback':
      return normaliseMaxPress(update, now);
    default:
      return { ok: false, reason: `update type ${typeof update.update_type === 'string' ? update.update_type.slice(0, 40) : 'missing'} is not read` };
  }
}
