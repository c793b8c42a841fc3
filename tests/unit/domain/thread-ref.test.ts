import { describe, expect, it } from 'vitest';
import { destinationPlatform, replyDestination } from '../../../src/domain/outbound.js';
import { type ThreadRef, threadKey, threadLink } from '../../../src/domain/thread-ref.js';

const comment: ThreadRef = { channel: 'vk_comment', groupId: 210002, postId: 5, commentId: 77, threadCommentId: 70 };
const dialog: ThreadRef = { channel: 'vk_message', groupId: 210002, peerId: 100101, messageId: 12 };
const tgGroup: ThreadRef = { channel: 'telegram', chatId: -1001000000001, messageId: 42 };
const tgTopic: ThreadRef = { channel: 'telegram', chatId: -1001000000001, messageId: 43, topicId: 7 };

describe('threadKey', () => {
  it('should name the post for every comment under it, so follow-ups in replies find the incident', () => {
    expect(threadKey(comment)).toBe('vk:-210002_5');
    expect(threadKey({ ...comment, commentId: 80, threadCommentId: 80 })).toBe('vk:-210002_5');
  });

  it('should name a MAX chat for its messages and a MAX post for the comments under it', () => {
    expect(threadKey({ channel: 'max_message', chatId: -70, mid: 'mid.1' })).toBe('max:-70');
    expect(threadKey({ channel: 'max_comment', chatId: -71, postMid: 'mid.p', commentMid: 'mid.c' })).toBe('max:-71:mid.p');
    expect(threadLink({ channel: 'max_comment', chatId: -71, postMid: 'mid.p', commentMid: 'mid.c' })).toBeNull();
  });

  it('should separate VK dialogs, Telegram chats and forum topics', () => {
    expect(threadKey(dialog)).toBe('vkdm:210002:100101');
    expect(threadKey(tgGroup)).toBe('tg:-1001000000001');
    expect(threadKey(tgTopic)).toBe('tg:-1001000000001:7');
  });
});

describe('replyDestination', () => {
  it('should answer a VK comment as a reply to that comment under the same post', () => {
    expect(replyDestination(comment)).toEqual({ kind: 'vk_comment', groupId: 210002, postId: 5, replyToCommentId: 77 });
  });

  it('should answer in the same Telegram topic, replying to the message', () => {
    expect(replyDestination(tgTopic)).toEqual({ kind: 'telegram', chatId: -1001000000001, replyToMessageId: 43, topicId: 7 });
    expect(destinationPlatform(replyDestination(tgTopic))).toBe('telegram');
    expect(destinationPlatform(replyDestination(dialog))).toBe('vk');
  });
});

describe('threadLink', () => {
  it('should link to the VK comment and to a private supergroup message', () => {
    expect(threadLink(comment)).toBe('https://vk.com/wall-210002_5?reply=77&thread=70');
    expect(threadLink(tgGroup)).toBe('https://t.me/c/1000000001/42');
    expect(threadLink({ channel: 'telegram', chatId: 100101, messageId: 1 })).toBeNull();
  });
});
