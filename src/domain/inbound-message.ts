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

/** The platform each source key prefix stands for. */
const SOURCE_KEY_PLATFORMS: Readonly<Record<string, Platform>> = { vk: 'vk', tg: 'telegram' };

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
  /** vk_comment: `<ownerId>_<commentId>`; vk_message: `<groupId>_<messageId>`; telegram: `<chatId>_<messageId>`. */
  externalId: string;
  thread: ThreadRef;
  author: AuthorRef;
  text: string;
  /** A short summary of attachments, e.g. ['photo', 'photo', 'video']. */
  attachments: string[];
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
