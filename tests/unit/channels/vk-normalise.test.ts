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
  attachments: [
    {
      type: 'photo',
      photo: {
        id: 1,
        sizes: [
          { type: 's', width: 75, height: 56, url: 'https://sun9-1.userapi.com/s.jpg' },
          { type: 'w', width: 2560, height: 1920, url: 'https://sun9-1.userapi.com/w.jpg' },
          { type: 'x', width: 604, height: 453, url: 'https://sun9-1.userapi.com/x.jpg' },
        ],
      },
    },
    // An old photo whose sizes carry no pixels: the size letter decides.
    {
      type: 'photo',
      photo: {
        id: 2,
        sizes: [
          { type: 'm', width: 0, height: 0, url: 'https://sun9-2.userapi.com/m.jpg' },
          { type: 'z', width: 0, height: 0, url: 'https://sun9-2.userapi.com/z.jpg' },
        ],
      },
    },
  ],
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
        attachments: [
          { kind: 'photo', url: 'https://sun9-1.userapi.com/w.jpg', width: 2560, height: 1920, size: null },
          { kind: 'photo', url: 'https://sun9-2.userapi.com/z.jpg', width: null, height: null, size: null },
        ],
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

  it('should keep every kind of attachment as metadata and drop malformed or unsafe ones', () => {
    const raw = {
      ...comment,
      attachments: [
        { type: 'video', video: { id: 5, owner_id: -GROUP, title: 'Яма', duration: 12 } },
        {
          type: 'audio_message',
          audio_message: { id: 6, owner_id: 1, duration: 4, link_ogg: 'https://psv4.vkuseraudio.net/a.ogg', link_mp3: 'https://psv4.vkuseraudio.net/a.mp3' },
        },
        { type: 'sticker', sticker: { sticker_id: 1 } },
        { type: 'poll', poll: { id: 1 } },
        { type: 'photo', photo: { id: 7, sizes: [{ type: 'x', width: 10, height: 10, url: 'javascript:alert(1)' }] } },
        { type: 'photo' },
        { type: 'doc', doc: { title: 'без адреса' } },
        { type: 'x'.repeat(41) },
        'photo',
        null,
      ],
    };
    const result = normaliseVkComment(raw, { groupId: GROUP, postId: 4900 });
    expect(result.ok && result.message.attachments).toEqual([
      { kind: 'video', url: `https://vk.com/video-${GROUP}_5`, name: 'Яма', mime: null, size: null, duration: 12 },
      { kind: 'voice', url: 'https://psv4.vkuseraudio.net/a.mp3', mime: 'audio/mpeg', size: null, duration: 4 },
      { kind: 'sticker', emoji: null },
      { kind: 'other', type: 'poll' },
    ]);
  });

  it('should keep at most 20 attachments and refuse an invalid location', () => {
    const photo = { type: 'photo', photo: { id: 1, sizes: [{ type: 'x', width: 1, height: 1, url: 'https://sun9-1.userapi.com/x.jpg' }] } };
    const many = normaliseVkComment({ ...comment, attachments: Array.from({ length: 50 }, () => photo) }, { groupId: GROUP, postId: 4900 });
    expect(many.ok && many.message.attachments).toHaveLength(20);
    for (const geo of [{ coordinates: { latitude: 91, longitude: 0 } }, { coordinates: { latitude: 'x', longitude: 0 } }, { coordinates: null }, 'here']) {
      const result = normaliseVkMessage({ message: { id: 1, date: 1, peer_id: 5, from_id: 5, text: 'тут', geo } }, GROUP);
      expect(result.ok && result.message.location, JSON.stringify(geo)).toBeUndefined();
    }
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
      attachments: [
        { type: 'doc', doc: { id: 3, owner_id: 1234567, title: 'Акт.PDF', ext: 'pdf', size: 5120, url: 'https://vk.com/doc1234567_3', date: 1, type: 1 } },
      ],
      geo: { type: 'point', coordinates: { latitude: 55.751, longitude: 37.618 } },
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
      attachments: [{ kind: 'document', url: 'https://vk.com/doc1234567_3', name: 'Акт.PDF', mime: 'application/pdf', size: 5120 }],
      location: { lat: 55.751, lon: 37.618 },
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
