/**
 * Where a message lives, precisely enough to answer in the same place.
 * Stored as JSON on messages, incidents and outbox rows.
 */
export type ChannelKind = 'vk_comment' | 'vk_message' | 'telegram' | 'max_message' | 'max_comment';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['vk_comment', 'vk_message', 'telegram', 'max_message', 'max_comment'];

/** A comment under a community wall post (owner_id = -groupId). */
export interface VkCommentThread {
  channel: 'vk_comment';
  groupId: number;
  postId: number;
  commentId: number;
  /** The top-level comment of the VK comment thread this comment sits in; equals commentId for a top-level comment. */
  threadCommentId: number;
}

/** A message in the community's dialog with a person (the community chat-bot). */
export interface VkMessageThread {
  channel: 'vk_message';
  groupId: number;
  peerId: number;
  /** The message's id in the community's messages; 0 when unknown. */
  messageId: number;
}

/** A message in a Telegram chat (private, group, supergroup, forum topic). */
export interface TelegramThread {
  channel: 'telegram';
  chatId: number;
  messageId: number;
  /** Forum topic (message_thread_id), when the chat has topics. */
  topicId?: number;
}

/** A message in a MAX dialog with the bot or in a group chat (a house chat). */
export interface MaxMessageThread {
  channel: 'max_message';
  chatId: number;
  /** The message's id (`body.mid`); a reply links to it. */
  mid: string;
}

/** A comment under a post of a MAX channel the bot administers. */
export interface MaxCommentThread {
  channel: 'max_comment';
  /** The channel. */
  chatId: number;
  /** The post's mid: comments are read and written under it. */
  postMid: string;
  /** The comment's own mid; a reply links to it. */
  commentMid: string;
}

export type ThreadRef = VkCommentThread | VkMessageThread | TelegramThread | MaxMessageThread | MaxCommentThread;

/**
 * A key naming the conversation a message belongs to, for "same author in the same thread":
 * a VK post, a VK dialog, a Telegram chat (or forum topic).
 */
export function threadKey(ref: ThreadRef): string {
  switch (ref.channel) {
    case 'vk_comment':
      return `vk:-${ref.groupId}_${ref.postId}`;
    case 'vk_message':
      return `vkdm:${ref.groupId}:${ref.peerId}`;
    case 'telegram':
      return ref.topicId === undefined ? `tg:${ref.chatId}` : `tg:${ref.chatId}:${ref.topicId}`;
    case 'max_message':
      return `max:${ref.chatId}`;
    case 'max_comment':
      return `max:${ref.chatId}:${ref.postMid}`;
  }
}

/** A public link a moderator can open to see the original message, when the platform has one. */
export function threadLink(ref: ThreadRef, chatUsername?: string): string | null {
  switch (ref.channel) {
    case 'vk_comment':
      return (
        `https://vk.com/wall-${ref.groupId}_${ref.postId}?reply=${ref.commentId}` +
        (ref.threadCommentId !== ref.commentId ? `&thread=${ref.threadCommentId}` : '')
      );
    case 'vk_message':
      return `https://vk.com/gim${ref.groupId}?sel=${ref.peerId}`;
    case 'telegram': {
      if (chatUsername) return `https://t.me/${chatUsername}/${ref.messageId}`;
      // Private supergroup links use the chat id without its -100 prefix.
      const id = String(ref.chatId);
      return id.startsWith('-100') ? `https://t.me/c/${id.slice(4)}/${ref.messageId}` : null;
    }
    // MAX gives public links only to messages of public chats and channels, in the update itself; none is built from ids.
    case 'max_message':
    case 'max_comment':
      return null;
  }
}
