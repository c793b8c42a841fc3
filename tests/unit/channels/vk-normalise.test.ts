import { describe, expect, it } from 'vitest';
import { normaliseVkComment, normaliseVkMessage, normaliseVkWallReply } from '../../../src/channels/vk/vk-normalise.js';

const GROUP = 210002;

/** A wall.getComments item as VK 5.199 sends it. */
const comment = {
  id: 5012,
  from_id: 1234567,
  date: 1_763_880_000,
  text: 'Третий день нет горячей воды на Ленина, 7',
  post_id: 4900,
  owner_id: -GROUP,
  parents_stack: [],
  attachments: [{ type: 'photo', photo: { id: 1 } }, { type: 'photo', photo: { id: 2 } }],
  likes: { count: 0 },
};

describe('normaliseVkComment', () => {
  it('should turn a top-level comment into a vk_comment message', () => {
    const result = normaliseVkComment(comment, { groupId: GROUP, postId: 4900 });
    expect(result).toEqual({
      ok: true,
      message: {
        channel: 'vk_comment',
        externalId: `-${GROUP}_5012`,
        thread: { channel: 'vk_comment', groupId: GROUP, postId: 4900, commentId: 5012, threadCommentId: 5012 },
        author: { platform: 'vk', id: 1234567, name: null, isBot: false },
        text: comment.text,
        attachments: ['photo', 'photo'],
        source: { platform: 'vk', groupId: GROUP },
        isPrivate: false,
        createdAt: 1_763_880_000_000,
      },
    });
  });

  it('should place a thread reply in its thread and name the comment it answers', () => {
    const reply = { ...comment, id: 5020, from_id: -777, parents_stack: [5012], reply_to_comment: 5015, reply_to_user: 99 };
    const result = normaliseVkComment(reply, { groupId: GROUP, postId: 4900 });
    expect(result.ok && result.message).toMatchObject({
      thread: { commentId: 5020, threadCommentId: 5012 },
      author: { id: -777, isBot: true },
      replyTo: { externalId: `-${GROUP}_5015`, authorId: 99, text: null },
    });
  });

  it.each([
    ['not an object', 'garbage'],
    ['a deleted comment', { ...comment, deleted: true, text: '' }],
    ['a missing id', { ...comment, id: undefined }],
    ['an id of the wrong type', { ...comment, id: '5012' }],
    ['a missing from_id', { ...comment, from_id: undefined }],
    ['a missing date', { ...comment, date: null }],
    ['text that is not a string', { ...comment, text: { html: 'x' } }],
    ['a huge text', { ...comment, text: 'я'.repeat(70_000) }],
  ])('should skip %s with a reason', (_, raw) => {
    const result = normaliseVkComment(raw, { groupId: GROUP, postId: 4900 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason.length).toBeGreaterThan(0);
  });

  it('should repair broken UTF-16 rather than lose the comment', () => {
    const result = normaliseVkComment({ ...comment, text: 'Нет света \ud83d' }, { groupId: GROUP, postId: 4900 });
    expect(result.ok && result.message.text).toBe('Нет света \ufffd');
  });

  it('should read missing text and attachments as empty', () => {
    const result = normaliseVkComment({ ...comment, text: undefined, attachments: 'nope' }, { groupId: GROUP, postId: 4900 });
    expect(result.ok && result.message).toMatchObject({ text: '', attachments: [] });
  });
});

describe('normaliseVkWallReply', () => {
  it('should give the same externalId as the wall poller', () => {
    const event = { ...comment, post_owner_id: -GROUP };
    const fromLongPoll = normaliseVkWallReply(event, GROUP);
    const fromPoller = normaliseVkComment(comment, { groupId: GROUP, postId: 4900 });
    expect(fromLongPoll.ok && fromLongPoll.message.externalId).toBe(fromPoller.ok && fromPoller.message.externalId);
  });

  it('should skip a comment on another wall or without a post id', () => {
    expect(normaliseVkWallReply({ ...comment, post_owner_id: -1 }, GROUP).ok).toBe(false);
    expect(normaliseVkWallReply({ ...comment, post_id: undefined, post_owner_id: -GROUP }, GROUP).ok).toBe(false);
  });
});

describe('normaliseVkMessage', () => {
  const event = {
    message: {
      id: 88,
      date: 1_763_880_100,
      peer_id: 1234567,
      from_id: 1234567,
      text: 'Когда включат отопление?',
      conversation_message_id: 12,
      out: 0,
      attachments: [{ type: 'doc' }],
      reply_message: { id: 80, from_id: -GROUP, text: 'Здравствуйте!' },
    },
    client_info: { keyboard: true },
  };

  it('should turn message_new into a private vk_message', () => {
    const result = normaliseVkMessage(event, GROUP);
    expect(result.ok && result.message).toEqual({
      channel: 'vk_message',
      externalId: `${GROUP}_88`,
      thread: { channel: 'vk_message', groupId: GROUP, peerId: 1234567, messageId: 88 },
      author: { platform: 'vk', id: 1234567, name: null, isBot: false },
      text: 'Когда включат отопление?',
      attachments: ['doc'],
      source: { platform: 'vk', groupId: GROUP },
      isPrivate: true,
      replyTo: { externalId: `${GROUP}_80`, authorId: -GROUP, text: 'Здравствуйте!' },
      createdAt: 1_763_880_100_000,
    });
  });

  it('should key a group-chat message by its conversation message id', () => {
    const inChat = { message: { ...event.message, id: 0, peer_id: 2_000_000_005, reply_message: undefined } };
    const result = normaliseVkMessage(inChat, GROUP);
    expect(result.ok && result.message).toMatchObject({ externalId: `${GROUP}_2000000005_c12`, isPrivate: false });
  });

  it.each([
    ['no object', undefined],
    ['no peer', { message: { ...event.message, peer_id: undefined } }],
    ['an outgoing message', { message: { ...event.message, out: 1 } }],
    ['a text of the wrong type', { message: { ...event.message, text: 42 } }],
  ])('should skip %s', (_, raw) => {
    expect(normaliseVkMessage(raw, GROUP).ok).toBe(false);
  });
});
