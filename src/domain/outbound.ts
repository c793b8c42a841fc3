import type { Platform } from './inbound-message.js';
import type { ThreadRef } from './thread-ref.js';

/**
 * Where an outgoing message goes. A reply in a citizen's thread is derived from its ThreadRef;
 * moderators' chats and announcements name a chat, a dialog or a wall.
 */
export type Destination =
  /** A comment under a community post, replying to a comment, posted as the community. */
  | { kind: 'vk_comment'; groupId: number; postId: number; replyToCommentId: number }
  /** A message in the community dialog with peerId, optionally replying to a message. */
  | { kind: 'vk_message'; groupId: number; peerId: number; replyToMessageId?: number }
  /** A new post on a community wall (announcements). */
  | { kind: 'vk_wall_post'; groupId: number }
  /** A Telegram message, optionally replying to a message, in a forum topic. */
  | { kind: 'telegram'; chatId: number; replyToMessageId?: number; topicId?: number }
  /**
   * An edit of a Telegram message the bot sent earlier (incident cards). `caption`: the message is
   * a photo, its caption is edited (editMessageCaption); the sender falls back to the other kind
   * of edit when Telegram says the message is not what the flag claims.
   */
  | { kind: 'telegram_edit'; chatId: number; messageId: number; caption?: boolean }
  /** An answer to a Telegram button press (a toast for the moderator who pressed). */
  | { kind: 'telegram_callback_answer'; pressId: string }
  /** A MAX message in a dialog or a group chat (chat_id), optionally replying to a message by its mid. */
  | { kind: 'max_message'; chatId: number; replyToMid?: string }
  /** A comment under a post of a MAX channel, optionally replying to a comment by its mid. */
  | { kind: 'max_comment'; chatId: number; postMid: string; replyToCommentMid?: string }
  /** An edit of a MAX message the bot sent earlier (incident cards); `chatId` only keys the delivery lane. */
  | { kind: 'max_edit'; chatId: number; mid: string }
  /** An answer to a MAX button press (POST /answers: a notification for the moderator who pressed). */
  | { kind: 'max_callback_answer'; callbackId: string };

/** An inline button: a label and the data the press carries back (≤ 64 bytes on Telegram). */
export interface Button {
  text: string;
  data: string;
}

/**
 * An image sent with the message's text as its caption (Telegram sendPhoto, uploaded as
 * multipart/form-data, the caption at most 1024 characters; MAX: uploaded through POST /uploads
 * and attached to the message). Only a 'telegram' or 'max_message' destination can carry one.
 * The file must still exist when the outbox delivers the row.
 */
export interface OutboundPhoto {
  /** A local PNG or JPEG file. */
  path: string;
}

/**
 * A photo already on Telegram (a citizen's, by its file_id) sent to a Telegram destination: one
 * goes with sendPhoto, 2–10 as an album (sendMediaGroup) with the text as the first item's caption
 * (≤ 1024 characters; an album carries no buttons).
 */
export interface OutboundMedia {
  kind: 'photo';
  fileId: string;
}

/** Telegram's limits: a caption's characters, an album's items. */
export const CAPTION_MAX = 1024;
export const ALBUM_MAX = 10;

export interface OutboundMessage {
  destination: Destination;
  /** The message, or the photo's caption when `photo` is set. */
  text: string;
  /** 'html' for Telegram HTML parse mode; 'plain' everywhere else. Text must already be escaped for the format. */
  format: 'plain' | 'html';
  /** Rows of inline buttons (Telegram and MAX). */
  buttons?: Button[][];
  /** Show the callback answer as an alert rather than a toast. */
  alert?: boolean;
  /** Send a photo with `text` as its caption (Telegram and MAX messages). */
  photo?: OutboundPhoto;
  /** Send Telegram photos by file_id with `text` as the caption (Telegram only; 1–10). */
  media?: OutboundMedia[];
}

/** Reply in the same thread as the message `ref` names. */
export function replyDestination(ref: ThreadRef): Destination {
  switch (ref.channel) {
    case 'vk_comment':
      // VK threads are one level deep: replying to a reply keeps the answer in the same thread
      // and still addresses the person, because reply_to_comment names their comment.
      return { kind: 'vk_comment', groupId: ref.groupId, postId: ref.postId, replyToCommentId: ref.commentId };
    case 'vk_message':
      return ref.messageId > 0
        ? { kind: 'vk_message', groupId: ref.groupId, peerId: ref.peerId, replyToMessageId: ref.messageId }
        : { kind: 'vk_message', groupId: ref.groupId, peerId: ref.peerId };
    case 'telegram':
      return ref.topicId === undefined
        ? { kind: 'telegram', chatId: ref.chatId, replyToMessageId: ref.messageId }
        : { kind: 'telegram', chatId: ref.chatId, replyToMessageId: ref.messageId, topicId: ref.topicId };
    case 'max_message':
      return { kind: 'max_message', chatId: ref.chatId, replyToMid: ref.mid };
    case 'max_comment':
      return { kind: 'max_comment', chatId: ref.chatId, postMid: ref.postMid, replyToCommentMid: ref.commentMid };
  }
}

/** Which platform client delivers a destination. */
export function destinationPlatform(destination: Destination): Platform {
  if (destination.kind.startsWith('vk_')) return 'vk';
  return destination.kind.startsWith('max_') ? 'max' : 'telegram';
}
