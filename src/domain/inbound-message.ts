import type { Attachment, GeoPoint } from './attachment.js';
import type { ChannelKind, ThreadRef } from './thread-ref.js';

export type Platform = 'vk' | 'telegram';

/** Who wrote a message. Ids are per platform: VK user ids and Telegram user ids may collide. */
export interface AuthorRef {
  platform: Platform;
  id: number;
  name: string | null;
  isBot: boolean;
}

/** A stable key for an author across the whole store: `vk:123`, `tg:456`. */
export function authorKey(author: Pick<AuthorRef, 'platform' | 'id'>): string {
  return `${author.platform === 'vk' ? 'vk' : 'tg'}:${author.id}`;
}

/** The community or chat a message came from; decides its municipality. */
export type SourceRef =
  | { platform: 'vk'; groupId: number }
  | { platform: 'telegram'; chatId: number; chatType: 'private' | 'group' | 'supergroup' | 'channel'; title: string | null; username: string | null };

export function sourceKey(source: SourceRef): string {
  return source.platform === 'vk' ? `vk:${source.groupId}` : `tg:${source.chatId}`;
}

/**
 * One message from a citizen (or anyone) in any watched place, normalised by a channel adapter.
 * `externalId` is unique per channel and is the dedupe key: the same message seen twice is recorded once.
 */
export interface InboundMessage {
  channel: ChannelKind;
  /** vk_comment: `<ownerId>_<commentId>`; vk_message: `<groupId>_<messageId>`; telegram: `<chatId>_<messageId>`. */
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

/** A press of an inline button (Telegram callback_query). */
export interface ButtonPress {
  platform: Platform;
  /** The platform's id of the press, answered once. */
  pressId: string;
  chatId: number;
  messageId: number;
  from: AuthorRef;
  data: string;
  createdAt: number;
}
