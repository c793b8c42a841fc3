import type { Attachment, GeoPoint } from './attachment.js';
import type { ChannelKind, ThreadRef } from './thread-ref.js';

export type Platform = 'vk' | 'telegram' | 'max';

export const PLATFORMS: readonly Platform[] = ['vk', 'telegram', 'max'];

/** Who wrote a message. Ids are per platform: VK user ids and Telegram user ids may collide. */
export interface AuthorRef {
  platform: Platform;
  id: number;
  name: string | null;
  isBot: boolean;
}

/** The short prefix of a platform in author and source keys: `vk`, `tg`, `max`. */
export function platformPrefix(platform: Platform): string {
  switch (platform) {
    case 'vk':
      return 'vk';
    case 'telegram':
      return 'tg';
    case 'max':
      return 'max';
  }
}

/** A stable key for an author across the whole store: `vk:123`, `tg:456`, `max:789`. */
export function authorKey(author: Pick<AuthorRef, 'platform' | 'id'>): string {
  return `${platformPrefix(author.platform)}:${author.id}`;
}

/** The community or chat a message came from; decides its municipality. */
export type SourceRef =
  | { platform: 'vk'; groupId: number }
  | { platform: 'telegram'; chatId: number; chatType: 'private' | 'group' | 'supergroup' | 'channel'; title: string | null; username: string | null }
  /** A MAX dialog with the bot, a group chat (house chats too) or a channel whose comments are read. */
  | { platform: 'max'; chatId: number; chatType: 'dialog' | 'chat' | 'channel'; title: string | null };

/** `vk:<groupId>`, `tg:<chatId>`, `max:<chatId>`. */
export function sourceKey(source: SourceRef): string {
  return source.platform === 'vk' ? `vk:${source.groupId}` : `${platformPrefix(source.platform)}:${source.chatId}`;
}

/** The platform each source key prefix stands for: `platformPrefix` read backwards. */
const SOURCE_KEY_PLATFORMS: Readonly<Record<string, Platform>> = Object.fromEntries(PLATFORMS.map((platform) => [platformPrefix(platform), platform]));

/** A stored source key read back: the platform and the community's or chat's id; null for anything `sourceKey` does not build. */
export function parseSourceKey(key: string): { platform: Platform; id: number } | null {
  const match = /^([a-z]+):(-?\d{1,16})$/.exec(key);
  if (!match || !Object.hasOwn(SOURCE_KEY_PLATFORMS, match[1]!)) return null;
  const id = Number(match[2]);
  return Number.isSafeInteger(id) ? { platform: SOURCE_KEY_PLATFORMS[match[1]!]!, id } : null;
}

/**
 * One message from a citizen (or anyone) in any watched place, normalised by a channel adapter.
 * `externalId` is unique per channel and is the dedupe key: the same message seen twice is recorded once.
 */
export interface InboundMessage {
  channel: ChannelKind;
  /**
   * vk_comment: `<ownerId>_<commentId>`; vk_message: `<groupId>_<messageId>`; telegram: `<chatId>_<messageId>`;
   * max_message and max_comment: the message's `mid` (MAX has no update ids; a mid is unique across chats).
   */
  externalId: string;
  thread: ThreadRef;
  author: AuthorRef;
  text: string;
  /** What came besides the text: photos, documents, video… as metadata (src/domain/attachment.ts); nothing is downloaded. */
  attachments: Attachment[];
  /** A location the citizen sent (Telegram location or venue, VK message geo). */
  location?: GeoPoint;
  /** Telegram: the album (media_group_id) the message is part of; each photo of an album is a message of its own. */
  mediaGroupId?: string;
  source: SourceRef;
  /** A one-to-one dialog with the bot (VK community dialog, Telegram private chat): citizen commands are accepted here. */
  isPrivate: boolean;
  /** The message this one replies to, when the platform says so (Telegram reply, VK reply_to_comment). */
  replyTo?: { externalId: string; authorId: number | null; text: string | null };
  /** Epoch milliseconds, as the platform stamped it. */
  createdAt: number;
}

/** A press of an inline button (Telegram callback_query, MAX message_callback). */
export interface ButtonPress {
  platform: Platform;
  /** The platform's id of the press, answered once (Telegram callback_query id, MAX callback_id). */
  pressId: string;
  chatId: number;
  /** The message the button is under, as the platform names it: Telegram's message_id as text, MAX's mid. */
  messageRef: string;
  from: AuthorRef;
  data: string;
  createdAt: number;
}
