import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { createVkCommunityApis } from '../../../src/channels/vk/vk-client.js';
import { VkLongPollSource, vkLongPollChannel, vkLongPollCursorKey } from '../../../src/channels/vk/vk-long-poll-source.js';
import type { Config } from '../../../src/config.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { CursorStore } from '../../../src/store/cursor-store.js';
import type { Db } from '../../../src/store/db.js';
import { freshDb } from '../../helpers/index.js';
import { RecordingSink } from './recording-sink.js';
import { USER_TOKEN, addCommunities, emulatorConfig, silentLogger } from './vk-fixtures.js';

let emu: Emulator;
let db: Db;
let sink: RecordingSink;
let group: number;
let config: Config;

function source(status?: ChannelStatus): VkLongPollSource {
  return new VkLongPollSource({ config, db, logger: silentLogger, clock: Date.now, apis: createVkCommunityApis(config), sink, ...(status ? { status } : {}) });
}

/** Runs a source until `until` resolves, then stops it and waits for its loop to end. */
async function runUntil(src: VkLongPollSource, until: () => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const running = src.run(stop.signal);
  try {
    await until();
  } finally {
    stop.abort();
    await running;
  }
}

beforeEach(async () => {
  emu = await Emulator.start();
  emu.addUserToken({ token: USER_TOKEN });
  [group] = addCommunities(emu, 1) as [number];
  config = emulatorConfig(emu, [group]);
  db = freshDb();
  sink = new RecordingSink(db);
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('VkLongPollSource', () => {
  it('should deliver message_new as a private vk_message and wall_reply_new as a vk_comment the poller would dedupe', async () => {
    const post = emu.addPost(group, { text: 'Пост' });
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll('vk_lp');
      const messageId = emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Когда дадут воду?' });
      const commentId = emu.addComment({ groupId: group, postId: post, fromId: 78, text: 'Яма на дороге' });
      emu.addComment({ groupId: group, postId: post, fromId: -group, text: 'Ответ сообщества' });
      await sink.waitFor(2);
      expect(sink.recorded[0]).toMatchObject({
        channel: 'vk_message',
        externalId: `${group}_${messageId}`,
        thread: { channel: 'vk_message', groupId: group, peerId: 77, messageId },
        author: { platform: 'vk', id: 77, isBot: false },
        isPrivate: true,
        text: 'Когда дадут воду?',
      });
      expect(sink.recorded[1]).toMatchObject({
        channel: 'vk_comment',
        externalId: `-${group}_${commentId}`,
        thread: { channel: 'vk_comment', groupId: group, postId: post, commentId, threadCommentId: commentId },
      });
    });
  });

  it('should resume from the stored ts after a restart, losing and repeating nothing', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Первое' });
      await sink.waitFor(1);
    });
    const stored = new CursorStore(db).get<{ ts: string }>(vkLongPollCursorKey(group));
    expect(stored?.ts).toBeDefined();

    // While the bot is down, citizens keep writing.
    emu.sendCommunityMessage({ groupId: group, fromId: 78, text: 'Второе' });
    emu.sendCommunityMessage({ groupId: group, fromId: 79, text: 'Третье' });
    await runUntil(source(), async () => {
      await sink.waitFor(3);
      await emu.waitForHeldPoll('vk_lp');
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Первое', 'Второе', 'Третье']);
    expect(emu.countRequests({ method: 'groups.getLongPollServer' })).toBe(2);
  });

  it('should read what was written while a first run that never saw an event was down', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll('vk_lp');
    });
    emu.sendCommunityMessage({ groupId: group, fromId: 78, text: 'Пока бот лежал' });
    await runUntil(source(), async () => {
      await sink.waitFor(1);
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Пока бот лежал']);
  });

  it('should get a new key and keep its ts when the key expires (failed 2)', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'До истечения ключа' });
      await sink.waitFor(1);
      await emu.waitForHeldPoll('vk_lp');
      emu.expireVkLongPollKeys(group);
      emu.sendCommunityMessage({ groupId: group, fromId: 78, text: 'После истечения ключа' });
      await sink.waitFor(2);
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['До истечения ключа', 'После истечения ключа']);
  });

  it('should stop a community with a stopped status when its token is refused', async () => {
    const status = new ChannelStatus();
    const broken = { ...config, secrets: { ...config.secrets, vkCommunityTokens: new Map([[group, 'revoked-token']]) } };
    const src = new VkLongPollSource({ config: broken, db, logger: silentLogger, clock: Date.now, apis: createVkCommunityApis(broken), sink, status });
    await src.run(new AbortController().signal);
    expect(status.get(vkLongPollChannel(group))).toMatchObject({ state: 'stopped', lastError: expect.stringMatching(/failed with 5/) });
    expect(status.get(vkLongPollChannel(group))?.lastError).not.toContain('revoked-token');
  });
});
