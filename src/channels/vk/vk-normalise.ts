import type { GeoPoint } from '../../domain/attachment.js';
import { type Attachment, count, fileUrl, geoPoint, MAX_ATTACHMENTS, shortText } from '../../domain/attachment.js';
import { externalId, vkChatExternalId } from '../../domain/external-id.js';
import type { InboundMessage } from '../../domain/inbound-message.js';
import type { VkAuthorNames } from './vk-author-names.js';

/**
 * Pure normalisation of VK API objects (5.199) into InboundMessage. Input is `unknown`:
 * whatever VK (or a broken proxy) sent. A usable item gives `{ ok: true, message }`,
 * anything else `{ ok: false, reason }` for a log line; nothing here throws.
 */
export type Normalised = { ok: true; message: InboundMessage } | { ok: false; reason: string };

/** Longer than any real VK text (comments ≤ 16 384, messages ≤ 4 096 characters): a broken answer, skip it. */
export const MAX_RAW_TEXT_LENGTH = 65_536;

/** Peer ids from 2e9 are group chats; below are one-to-one dialogs with a person. */
export const VK_CHAT_PEER_OFFSET = 2_000_000_000;

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const isPositiveId = (value: unknown): value is number => isId(value) && value > 0;

/** Text as VK sent it, with lone surrogates repaired (a cut emoji must not lose the citizen's message). */
export function cleanText(value: unknown): { ok: true; text: string } | { ok: false; reason: string } {
  if (value === undefined || value === null) return { ok: true, text: '' };
  if (typeof value !== 'string') return { ok: false, reason: `text is ${typeof value}` };
  if (value.length > MAX_RAW_TEXT_LENGTH) return { ok: false, reason: `text of ${value.length} characters` };
  return { ok: true, text: value.toWellFormed() };
}

/** VK's size letters from the largest to the smallest: the order when a size gives no pixels (old photos). */
const SIZE_RANK = ['w', 'z', 'y', 'r', 'q', 'p', 'o', 'x', 'm', 's'];

/** The largest size of a VK photo (photos_photo.sizes, or orig_photo): its URL and pixels. */
function largestPhotoSize(photo: Obj): { url: string; width: number | null; height: number | null } | null {
  const candidates = [...(Array.isArray(photo.sizes) ? photo.sizes : []), photo.orig_photo].flatMap((size) => {
    if (!isObj(size)) return [];
    const url = fileUrl(size.url ?? size.src);
    if (!url) return [];
    const width = count(size.width);
    const height = count(size.height);
    const rank = typeof size.type === 'string' ? SIZE_RANK.indexOf(size.type) : -1;
    return [{ url, width, height, area: (width ?? 0) * (height ?? 0), rank: rank < 0 ? SIZE_RANK.length : rank }];
  });
  const best = candidates.sort((a, b) => b.area - a.area || a.rank - b.rank)[0];
  return best ? { url: best.url, width: best.width || null, height: best.height || null } : null;
}

/** MIME types of the document extensions citizens send; VK gives only the extension. */
const MIME_BY_EXT: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  heic: 'image/heic',
  gif: 'image/gif',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
  mp4: 'video/mp4',
  zip: 'application/zip',
};

/** One VK attachment (wall_wallpost_attachment or messages_message_attachment) as ours; null for a malformed one. */
function vkAttachment(raw: Obj): Attachment | null {
  const type = typeof raw.type === 'string' && raw.type.length <= 40 ? raw.type : null;
  if (type === null) return null;
  const body = isObj(raw[type]) ? (raw[type] as Obj) : null;
  switch (type) {
    case 'photo': {
      const size = body ? largestPhotoSize(body) : null;
      return size ? { kind: 'photo', url: size.url, width: size.width, height: size.height, size: null } : null;
    }
    case 'doc': {
      const url = fileUrl(body?.url);
      if (!body || !url) return null;
      const ext = typeof body.ext === 'string' ? body.ext.toLowerCase() : '';
      return { kind: 'document', url, name: shortText(body.title), mime: MIME_BY_EXT[ext] ?? null, size: count(body.size) };
    }
    case 'video': {
      // A VK video has no file address, only its page.
      const page = body && isId(body.owner_id) && isPositiveId(body.id) ? `https://vk.com/video${body.owner_id}_${body.id}` : undefined;
      return { kind: 'video', ...(page ? { url: page } : {}), name: shortText(body?.title), mime: null, size: null, duration: count(body?.duration) };
    }
    case 'audio': {
      const url = fileUrl(body?.url);
      return { kind: 'audio', ...(url ? { url } : {}), mime: 'audio/mpeg', size: null, duration: count(body?.duration) };
    }
    case 'audio_message': {
      const url = fileUrl(body?.link_mp3) ?? fileUrl(body?.link_ogg);
      return { kind: 'voice', ...(url ? { url } : {}), mime: url?.endsWith('.ogg') ? 'audio/ogg' : 'audio/mpeg', size: null, duration: count(body?.duration) };
    }
    case 'sticker':
      return { kind: 'sticker', emoji: null };
    default:
      return { kind: 'other', type };
  }
}

/** Our attachments from VK's attachments array; malformed entries are left out, never thrown. */
export function vkAttachments(value: unknown): Attachment[] {
  if (!Array.isArray(value)) return [];
  return value.slice(0, MAX_ATTACHMENTS).flatMap((a) => (isObj(a) ? (vkAttachment(a) ?? []) : []));
}

/** A community message's `geo` (base_geo: coordinates.latitude / longitude), when valid. */
export function vkGeo(value: unknown): GeoPoint | null {
  if (!isObj(value) || !isObj(value.coordinates)) return null;
  return geoPoint(value.coordinates.latitude, value.coordinates.longitude);
}

export interface CommentContext {
  groupId: number;
  postId: number;
  /** The thread's top-level comment when the item came from a thread (`comment_id` request or `thread.items`). */
  threadRootId?: number;
  /** Names from the same answer's `profiles` / `groups` (vkExtendedNames); an author not in it gets name null. */
  authorNames?: VkAuthorNames;
}

/** A comment of `wall.getComments` (or a thread item) under a post of community `groupId`. */
export function normaliseVkComment(raw: unknown, ctx: CommentContext): Normalised {
  if (!isObj(raw)) return { ok: false, reason: 'comment is not an object' };
  if (raw.deleted === true || raw.deleted === 1) return { ok: false, reason: 'comment deleted' };
  const { id, from_id: fromId, date } = raw;
  if (!isPositiveId(id)) return { ok: false, reason: 'comment id missing or not a number' };
  if (!isId(fromId) || fromId === 0) return { ok: false, reason: `comment ${id}: from_id missing` };
  if (!isPositiveId(date)) return { ok: false, reason: `comment ${id}: date missing` };
  const text = cleanText(raw.text);
  if (!text.ok) return { ok: false, reason: `comment ${id}: ${text.reason}` };
  const ownerId = -ctx.groupId;
  const parents = Array.isArray(raw.parents_stack) ? raw.parents_stack.filter(isPositiveId) : [];
  const threadCommentId = ctx.threadRootId ?? parents[0] ?? id;
  const message: InboundMessage = {
    channel: 'vk_comment',
    externalId: externalId(ownerId, id),
    thread: { channel: 'vk_comment', groupId: ctx.groupId, postId: ctx.postId, commentId: id, threadCommentId },
    author: { platform: 'vk', id: fromId, name: ctx.authorNames?.get(fromId) ?? null, isBot: fromId < 0 },
    text: text.text,
    attachments: vkAttachments(raw.attachments),
    source: { platform: 'vk', groupId: ctx.groupId },
    isPrivate: false,
    createdAt: date * 1000,
  };
  if (isPositiveId(raw.reply_to_comment)) {
    message.replyTo = {
      externalId: externalId(ownerId, raw.reply_to_comment),
      authorId: isId(raw.reply_to_user) ? raw.reply_to_user : null,
      text: null,
    };
  }
  return { ok: true, message };
}

/** A `wall_reply_new` event of Bots Long Poll: the same externalId as the wall poller gives, so the two dedupe. */
export function normaliseVkWallReply(object: unknown, groupId: number): Normalised {
  if (!isObj(object)) return { ok: false, reason: 'wall_reply_new object missing' };
  const ownerId = isId(object.post_owner_id) ? object.post_owner_id : object.owner_id;
  if (ownerId !== -groupId) return { ok: false, reason: `wall_reply_new for owner ${String(ownerId)}, not -${groupId}` };
  if (!isPositiveId(object.post_id)) return { ok: false, reason: 'wall_reply_new without post_id' };
  return normaliseVkComment(object, { groupId, postId: object.post_id });
}

/**
 * A `message_new` event of Bots Long Poll (`object.message`, API 5.103+). In a group chat a
 * community bot gets `id: 0`, so the conversation message id makes the key there.
 */
export function normaliseVkMessage(object: unknown, groupId: number): Normalised {
  if (!isObj(object)) return { ok: false, reason: 'message_new object missing' };
  const raw = isObj(object.message) ? object.message : object;
  const { id, peer_id: peerId, from_id: fromId, date } = raw;
  if (!isId(id) || id < 0) return { ok: false, reason: 'message id missing' };
  if (!isPositiveId(peerId)) return { ok: false, reason: `message ${id}: peer_id missing` };
  if (!isId(fromId) || fromId === 0) return { ok: false, reason: `message ${id}: from_id missing` };
  if (!isPositiveId(date)) return { ok: false, reason: `message ${id}: date missing` };
  if (raw.out === 1) return { ok: false, reason: `message ${id}: outgoing` };
  const text = cleanText(raw.text);
  if (!text.ok) return { ok: false, reason: `message ${id}: ${text.reason}` };
  const cmid = raw.conversation_message_id;
  let messageKey: string;
  if (id > 0) messageKey = externalId(groupId, id);
  else if (isPositiveId(cmid)) messageKey = vkChatExternalId(groupId, peerId, cmid);
  else return { ok: false, reason: 'message without id or conversation_message_id' };
  const message: InboundMessage = {
    channel: 'vk_message',
    externalId: messageKey,
    thread: { channel: 'vk_message', groupId, peerId, messageId: id },
    author: { platform: 'vk', id: fromId, name: null, isBot: fromId < 0 },
    text: text.text,
    attachments: vkAttachments(raw.attachments),
    source: { platform: 'vk', groupId },
    isPrivate: peerId < VK_CHAT_PEER_OFFSET,
    createdAt: date * 1000,
  };
  const location = vkGeo(raw.geo);
  if (location) message.location = location;
  const reply = raw.reply_message;
  if (isObj(reply) && isPositiveId(reply.id)) {
    const replyText = cleanText(reply.text);
    message.replyTo = {
      externalId: externalId(groupId, reply.id),
      authorId: isId(reply.from_id) ? reply.from_id : null,
      text: replyText.ok ? replyText.text : null,
    };
  }
  return { ok: true, message };
}
