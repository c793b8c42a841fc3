import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { createVkCommunityApis } from '../../../src/channels/vk/vk-client.js';
import { VkLongPollSource, type VkLongPollSourceDeps, vkLongPollCursorKey } from '../../../src/channels/vk/vk-long-poll-source.js';
import type { Config } from '../../../src/config.js';
import { vkLongPollChannel } from '../../../src/domain/channel-id.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, runUntil } from '../../helpers/index.js';
import { RecordingSink } from './recording-sink.js';
import { addCommunities, communityToken, emulatorConfig, recordingLogger, silentLogger, USER_TOKEN } from './vk-fixtures.js';

let emu: Emulator;
let db: Db;
let sink: RecordingSink;
let group: number;
let config: Config;

function source(status?: ChannelStatus, extra: Partial<VkLongPollSourceDeps> = {}): VkLongPollSource {
  return new VkLongPollSource({
    config,
    cursors: createStores(db).cursors,
    logger: silentLogger,
    clock: Date.now,
    apis: createVkCommunityApis(config),
    sink,
    ...(status ? { status } : {}),
    ...extra,
  });
}

/** Runs `src` until the events sent so far are ingested (the stored ts is taken in one batch), then stops it. */
async function drain(src: VkLongPollSource, count: number): Promise<void> {
  await runUntil(src, async () => {
    await sink.waitFor(count);
    await emu.waitForHeldPoll('vk_lp');
  });
}

/** Stores a ts with one message, so what is sent next arrives as one batch when a source starts. */
async function primeTs(): Promise<void> {
  await runUntil(source(), async () => {
    await emu.waitForHeldPoll('vk_lp');
    emu.sendCommunityMessage({ groupId: group, fromId: 70, text: 'Начало' });
    await sink.waitFor(1);
  });
  emu.resetRequestLog();
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
    emu.addVkUser({ id: 77, firstName: 'Ольга', lastName: 'Кузнецова' });
    emu.addVkUser({ id: 78, firstName: 'Пётр', lastName: 'Смирнов' });
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
        author: { platform: 'vk', id: 77, name: 'Ольга Кузнецова', isBot: false },
        isPrivate: true,
        text: 'Когда дадут воду?',
      });
      expect(sink.recorded[1]).toMatchObject({
        channel: 'vk_comment',
        externalId: `-${group}_${commentId}`,
        author: { id: 78, name: 'Пётр Смирнов' },
        thread: { channel: 'vk_comment', groupId: group, postId: post, commentId, threadCommentId: commentId },
      });
    });
  });

  it('should name a batch of authors with one users.get and a busy dialog with none', async () => {
    await primeTs();
    emu.addVkUser({ id: 81, firstName: 'Анна', lastName: 'Петрова' });
    emu.addVkUser({ id: 82, firstName: 'Иван', lastName: 'Орлов' });
    const post = emu.addPost(group, { text: 'Пост' });
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Нет воды' });
    emu.sendCommunityMessage({ groupId: group, fromId: 82, text: 'Яма у подъезда' });
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'И света тоже' });
    emu.addComment({ groupId: group, postId: post, fromId: 82, text: 'Когда починят?' });
    const src = source();
    await drain(src, 5);
    expect(sink.recorded.slice(1).map((m) => [m.author.id, m.author.name])).toEqual([
      [81, 'Анна Петрова'],
      [82, 'Иван Орлов'],
      [81, 'Анна Петрова'],
      [82, 'Иван Орлов'],
    ]);
    expect(emu.countRequests({ method: 'users.get' })).toBe(1);

    // The same source again: the dialog goes on and costs no lookup.
    emu.resetRequestLog();
    await runUntil(src, async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Ещё раз про воду' });
      await sink.waitFor(6);
    });
    expect(sink.recorded[5]?.author.name).toBe('Анна Петрова');
    expect(emu.countRequests({ method: 'users.get' })).toBe(0);
  });

  it('should ingest the messages with name null when users.get fails, log it once at warn, and name them again once it answers', async () => {
    await primeTs();
    emu.addVkUser({ id: 81, firstName: 'Анна', lastName: 'Петрова' });
    const { logger, lines } = recordingLogger();
    // No cooldown: every batch asks VK, so repeated failures show whether the warning repeats.
    const src = source(undefined, { logger, userNames: { cooldownMs: 0 } });
    emu.injectFault({ api: 'vk', method: 'users.get', kind: { vkError: 10 }, times: 1 });
    emu.injectFault({ api: 'vk', method: 'users.get', kind: { malformed: 'shape' }, times: 1 });
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Первое' });
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Второе' });
    await drain(src, 3);
    await runUntil(src, async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Третье' });
      await sink.waitFor(4);
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Четвёртое' });
      await sink.waitFor(5);
    });
    expect(sink.recorded.slice(1).map((m) => [m.text, m.author.name])).toEqual([
      ['Первое', null],
      ['Второе', null],
      ['Третье', null],
      ['Четвёртое', 'Анна Петрова'],
    ]);
    expect(emu.countRequests({ method: 'users.get' })).toBe(3);
    const warnings = lines.filter((l) => l.level === 40 && /users\.get/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(lines.filter((l) => l.level === 30 && /users\.get answers again/.test(l.msg))).toHaveLength(1);
  });

  it('should not hold a batch back for a users.get that hangs, and ask VK again only after the cooldown', async () => {
    await primeTs();
    let now = Date.now();
    const src = source(undefined, { clock: () => now, userNames: { lookupTimeoutMs: 1_000, cooldownMs: 60_000 } });
    emu.injectFault({ api: 'vk', method: 'users.get', kind: { delayMs: 60_000 }, times: 1 });
    emu.sendCommunityMessage({ groupId: group, fromId: 90, text: 'Ответ завис' });
    await drain(src, 2);
    expect(src.names.requests).toBe(1);
    emu.sendCommunityMessage({ groupId: group, fromId: 91, text: 'Во время паузы' });
    await drain(src, 3);
    expect(src.names.requests).toBe(1);
    now += 60_000;
    emu.addVkUser({ id: 92, firstName: 'Анна', lastName: 'Петрова' });
    emu.sendCommunityMessage({ groupId: group, fromId: 92, text: 'После паузы' });
    await drain(src, 4);
    expect(sink.recorded.slice(1).map((m) => [m.text, m.author.name])).toEqual([
      ['Ответ завис', null],
      ['Во время паузы', null],
      ['После паузы', 'Анна Петрова'],
    ]);
    // The hanging call was made (the emulator logs a delayed request only once it answers).
    expect(src.names.requests).toBe(2);
  });

  it('should resume from the stored ts after a restart, losing and repeating nothing', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Первое' });
      await sink.waitFor(1);
    });
    const stored = createStores(db).cursors.get<{ ts: string }>(vkLongPollCursorKey(group));
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

  it.each([1, 3] as const)('should read back the community messages of a long-poll gap (failed %i) from the dialogs, once and in order', async (failed) => {
    const { logger, lines } = recordingLogger();
    await primeTs();
    // While the bot is down, citizens write and the community answers one of them; then VK loses the history.
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'Нет воды' });
    emu.sendCommunityMessage({ groupId: group, fromId: 82, text: 'Яма у подъезда' });
    emu.sendCommunityMessage({ groupId: group, fromId: 81, text: 'И света нет' });
    await fetch(`${emu.vkApiBaseUrl}/messages.send`, {
      method: 'POST',
      body: new URLSearchParams({ access_token: communityToken(group), v: '5.199', peer_id: '81', random_id: '5', message: 'Разбираемся' }),
    });
    emu.injectFault({ api: 'vk_lp', method: 'a_check', kind: { longPollFailed: failed } });
    await runUntil(source(undefined, { logger }), async () => {
      await sink.waitFor(4);
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 83, text: 'После сбоя' });
      await sink.waitFor(5);
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Начало', 'Нет воды', 'Яма у подъезда', 'И света нет', 'После сбоя']);
    expect(lines.some((l) => /wall poller still reads/.test(l.msg))).toBe(false);
    expect(lines.filter((l) => l.level === 40 && /dialogs/.test(l.msg))).toHaveLength(1);

    // The next gap reads back only what came after the last recorded message.
    emu.resetRequestLog();
    emu.sendCommunityMessage({ groupId: group, fromId: 82, text: 'Снова пропало' });
    emu.injectFault({ api: 'vk_lp', method: 'a_check', kind: { longPollFailed: 1 } });
    await drain(source(), 6);
    expect(sink.recorded.slice(5).map((m) => m.text)).toEqual(['Снова пропало']);
    expect(emu.countRequests({ method: 'messages.getHistory' })).toBe(1);
  });

  it('should stop a community with a stopped status when its token is refused', async () => {
    const status = new ChannelStatus();
    const broken = { ...config, secrets: { ...config.secrets, vkCommunityTokens: new Map([[group, 'revoked-token']]) } };
    const src = new VkLongPollSource({
      config: broken,
      cursors: createStores(db).cursors,
      logger: silentLogger,
      clock: Date.now,
      apis: createVkCommunityApis(broken),
      sink,
      status,
    });
    await src.run(new AbortController().signal);
    expect(status.get(vkLongPollChannel(group))).toMatchObject({ state: 'stopped', lastError: expect.stringMatching(/failed with 5/) });
    expect(status.get(vkLongPollChannel(group))?.lastError).not.toContain('revoked-token');
  });
});
