import type { InboundMessage } from '../domain/inbound-message.js';

/**
 * A VK wall comment as the wall poller would hand it over, for feeding the pipeline in-process
 * (memory run, SQLite baseline). Comment `seq` is unique, by a unique author, so every complaint
 * opens its own incident rather than attaching as a follow-up.
 */
export function syntheticComment(seq: number, text: string, groupId: number, postId: number, createdAt: number): InboundMessage {
  const commentId = 1_000_000 + seq;
  return {
    channel: 'vk_comment',
    externalId: `-${groupId}_${commentId}`,
    thread: { channel: 'vk_comment', groupId, postId, commentId, threadCommentId: commentId },
    author: { platform: 'vk', id: 10_000_000 + seq, name: null, isBot: false },
    text,
    attachments: [],
    source: { platform: 'vk', groupId },
    isPrivate: false,
    createdAt,
  };
}
