import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { TelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { createVkApi, createVkCommunityApis, createVkReaderApi } from '../../../src/channels/vk/vk-client.js';
import { vkRandomId } from '../../../src/channels/vk/vk-random-id.js';
import { VkSender } from '../../../src/channels/vk/vk-sender.js';
import { type WallCursor, wallCursorKey } from '../../../src/channels/vk/vk-wall-cursor.js';
import { VkWallPoller } from '../../../src/channels/vk/vk-wall-poller.js';
import type { Config } from '../../../src/config.js';
import type { OutboundMessage } from '../../../src/domain/outbound.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { FATAL_PAUSE_MS, OutboxWorker } from '../../../src/outbox/outbox-worker.js';
import type { Sender } from '../../../src/outbox/sender.js';
import type { Db } from '../../../src/store/db.js';
import type { OutboxItem, OutboxStore } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock } from '../../helpers/index.js';
import { RecordingSink } from '../channels/recording-sink.js';
import { addCommunities, emulatorConfig, silentLogger, TELEGRAM_TOKEN, USER_TOKEN } from '../channels/vk-fixtures.js';

const CITIZEN = 700;
const MODERATORS = -1002000000099;
let clock: ManualClock;
let emu: Emulator;
let db: Db;
let store: OutboxStore;
let group: number;
let post: number;
let citizenComment: number;
let config: Config;
let delivered: { item: OutboxItem; externalId: string | null }[];

function senders(cfg: Config): { vk: VkSender; telegram: TelegramSender } {
  return {
    vk: new VkSender({
      config: cfg,
      logger: silentLogger,
      communityApis: createVkCommunityApis(cfg),
      readerApi: createVkReaderApi(cfg),
      cursors: createStores(db).cursors,
    }),
    telegram: new TelegramSender({ client: new TelegramClient(cfg, TELEGRAM_TOKEN) }),
  };
}

function worker(cfg: Config = config, custom?: Partial<Record<'vk' | 'telegram', Sender>>): OutboxWorker {
  return new OutboxWorker({
    config: cfg,
    stores: createStores(db),
    logger: silentLogger,
    clock: clock.now,
    senders: { ...senders(cfg), ...custom },
    onDelivered: (item) => delivered.push({ item, externalId: item.externalId }),
    limits: { telegramPrivateChatIntervalMs: 1, telegramPerSecond: 1000 },
    random: () => 0.5,
  });
}

function enqueue(key: string, message: OutboundMessage): number {
  const id = store.enqueue({ idempotencyKey: key, message, purpose: 'ack' }, clock.now());
  if (id === null) throw new Error('duplicate key');
  return id;
}

const vkReply = (text = 'Обращение №1 зарегистрировано'): OutboundMessage => ({
  destination: { kind: 'vk_comment', groupId: group, postId: post, replyToCommentId: citizenComment },
  text,
  format: 'plain',
});
const tgMessage = (chatId: number, text: string): OutboundMessage => ({ destination: { kind: 'telegram', chatId }, text, format: 'plain' });

/** Run, move the clock to the next due row, run again … until nothing is pending (a bounded number of times). */
async function drain(w: OutboxWorker, rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await w.runOnce();
    const due = store.nextDueAt();
    if (due === null) return;
    clock.current = Math.max(clock.current, due);
  }
  throw new Error('outbox did not drain');
}

beforeEach(async () => {
  clock = new ManualClock();
  emu = await Emulator.start({ clock: clock.now });
  emu.addUserToken({ token: USER_TOKEN });
  [group] = addCommunities(emu, 1) as [number];
  post = emu.addPost(group, { text: 'Пост', date: Math.floor(clock.current / 1000) - 60 });
  // Written before the bot first looks: history, not a new comment.
  citizenComment = emu.addComment({ groupId: group, postId: post, fromId: 11, text: 'Нет отопления', date: Math.floor(clock.current / 1000) - 30 });
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
  emu.addTgUser({ id: CITIZEN, firstName: 'Ольга' });
  emu.addChat({ id: CITIZEN, type: 'private' });
  emu.addChat({ id: MODERATORS, type: 'supergroup', title: 'Модераторы' });
  config = emulatorConfig(emu, [group], { moderatorsChatId: MODERATORS });
  db = freshDb();
  store = createStores(db).outbox;
  delivered = [];
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('OutboxWorker', () => {
  it('should deliver a VK comment, a VK message and a Telegram message once each, with their idempotency keys', async () => {
    const dialog = emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Когда дадут свет?' });
    const comment = enqueue('ack:1', vkReply());
    const message = enqueue('ack:2', {
      destination: { kind: 'vk_message', groupId: group, peerId: 77, replyToMessageId: dialog },
      text: 'Обращение №2',
      format: 'plain',
    });
    const telegram = enqueue('ack:3', tgMessage(CITIZEN, 'Обращение №3'));
    const report = await worker().runOnce();
    expect(report).toMatchObject({ claimed: 3, sent: 3, retried: 0, dead: 0 });
    const sent = emu.sent();
    expect(sent.vkComments).toEqual([
      expect.objectContaining({ ownerId: -group, postId: post, fromId: -group, replyToComment: citizenComment, guid: 'ack:1' }),
    ]);
    expect(sent.vkMessages).toEqual([expect.objectContaining({ peerId: 77, randomId: vkRandomId('ack:2'), replyTo: dialog })]);
    expect(sent.telegramMessages).toEqual([expect.objectContaining({ chatId: CITIZEN, text: 'Обращение №3' })]);
    expect(store.get(comment)).toMatchObject({ state: 'sent', externalId: `-${group}_${sent.vkComments[0]?.commentId}` });
    expect(store.get(message)).toMatchObject({ state: 'sent', externalId: `${group}_${sent.vkMessages[0]?.messageId}` });
    expect(store.get(telegram)).toMatchObject({ state: 'sent', externalId: String(sent.telegramMessages[0]?.messageId) });
    expect(delivered.map((d) => d.item.idempotencyKey).sort()).toEqual(['ack:1', 'ack:2', 'ack:3']);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0, sent: 0 });
  });

  it('should count its own reply in the wall cursor so the poller spends no request on it', async () => {
    const sink = new RecordingSink(db, clock.now);
    const poller = new VkWallPoller({
      config,
      cursors: createStores(db).cursors,
      logger: silentLogger,
      clock: clock.now,
      api: createVkApi(config, USER_TOKEN, 20),
      sink,
    });
    await poller.pollOnce();
    clock.advance(60_000);
    enqueue('ack:1', vkReply());
    await worker().runOnce();
    const commentId = emu.sent().vkComments[0]!.commentId;
    expect(createStores(db).cursors.get<WallCursor>(wallCursorKey(group, post))).toMatchObject({ count: 2, own: [commentId] });

    emu.resetRequestLog();
    expect(await poller.pollOnce()).toMatchObject({ requests: 1, postsFetched: 0 });
    clock.advance(60_000);
    const later = emu.addComment({ groupId: group, postId: post, fromId: 12, text: 'И у нас нет отопления' });
    expect(await poller.pollOnce()).toMatchObject({ postsFetched: 1, newComments: 1 });
    expect(sink.recorded.map((m) => m.externalId)).toEqual([`-${group}_${later}`]);
  });

  it('should deliver exactly once through VK errors 6, 9, 10, an HTTP 502 and a delay past the timeout', async () => {
    const cfg = emulatorConfig(emu, [group], {
      moderatorsChatId: MODERATORS,
      overrides: { vk: { apiBaseUrl: emu.vkApiBaseUrl, requestTimeoutMs: 300, communities: [{ groupId: group, name: 'Г' }] } },
    });
    for (const kind of [{ vkError: 6 }, { vkError: 9 }, { vkError: 10 }, { httpStatus: 502 }, { delayMs: 600 }]) {
      emu.injectFault({ api: 'vk', method: 'wall.createComment', kind });
    }
    const id = enqueue('ack:1', vkReply());
    await drain(worker(cfg));
    // The delayed request reached VK after we gave up on it; its guid kept the retry from posting again.
    await new Promise<void>((resolve) => {
      const check = (): void => (emu.countRequests({ method: 'wall.createComment', outcome: 'ok' }) >= 2 ? resolve() : void setImmediate(check));
      check();
    });
    expect(emu.sent().vkComments).toHaveLength(1);
    expect(store.get(id)).toMatchObject({ state: 'sent', failCount: 4 });
    const faults = emu.requestLog().filter((e) => e.method === 'wall.createComment' && e.outcome === 'fault');
    // The emulator logs a bare HTTP status fault without a code.
    expect(faults.map((e) => e.errorCode ?? null)).toEqual([6, 9, 10, null]);
  });

  it("should fold one community's replies into one execute and retry or give up only the reply VK refused inside it", async () => {
    const dialog = emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Когда дадут свет?' });
    // The first call inside the execute meets flood control (9): that row alone is retried.
    emu.injectFault({ api: 'vk', method: 'wall.createComment', kind: { vkError: 9 } });
    const flooded = enqueue('ack:1', vkReply('Ответ 1'));
    const good = [enqueue('ack:2', vkReply('Ответ 2')), enqueue('ack:3', vkReply('Ответ 3'))];
    const badPost = enqueue('ack:4', {
      ...vkReply('Под удалённым постом'),
      destination: { kind: 'vk_comment', groupId: group, postId: 99_999, replyToCommentId: citizenComment },
    });
    const message = enqueue('ack:5', {
      destination: { kind: 'vk_message', groupId: group, peerId: 77, replyToMessageId: dialog },
      text: 'Обращение №5',
      format: 'plain',
    });
    const notWritten = enqueue('ack:6', { destination: { kind: 'vk_message', groupId: group, peerId: 555 }, text: 'Вы не писали нам', format: 'plain' });

    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 6, sent: 3, retried: 1, dead: 2 });
    expect(emu.countRequests({ api: 'vk', method: 'execute' })).toBe(1);
    expect(emu.countRequests({ api: 'vk', insideExecute: true })).toBe(6);
    expect(store.get(flooded)).toMatchObject({ state: 'pending', failCount: 1, failReason: expect.stringMatching(/9/) });
    for (const id of good) expect(store.get(id)).toMatchObject({ state: 'sent', externalId: expect.stringMatching(new RegExp(`^-${group}_\\d+$`)) });
    expect(store.get(message)).toMatchObject({ state: 'sent', externalId: `${group}_${emu.sent().vkMessages[0]?.messageId}` });
    expect(store.get(badPost)).toMatchObject({ state: 'dead', failCount: 1, failReason: expect.stringMatching(/100/) });
    expect(store.get(notWritten)).toMatchObject({ state: 'dead', failCount: 1, failReason: expect.stringMatching(/901/) });

    await drain(w);
    expect(store.get(flooded)).toMatchObject({ state: 'sent', failCount: 1 });
    expect(
      emu
        .sent()
        .vkComments.map((c) => c.guid)
        .sort(),
    ).toEqual(['ack:1', 'ack:2', 'ack:3']);
    expect(emu.sent().vkMessages).toHaveLength(1);
  });

  it('should deliver a batch once when the execute carrying it fails as a whole (HTTP 502, error 6) after some calls ran', async () => {
    // The 502 replaces the answer of an execute whose first call already posted: the retry's guid finds it.
    emu.injectFault({ api: 'vk', method: 'wall.createComment', kind: { delayMs: 0 } });
    emu.injectFault({ api: 'vk', method: 'wall.createComment', kind: { httpStatus: 502 } });
    const ids = ['ack:1', 'ack:2', 'ack:3'].map((key) => enqueue(key, vkReply(`Ответ ${key}`)));
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 3, sent: 0, retried: 3 });
    for (const id of ids) expect(store.get(id)).toMatchObject({ state: 'pending', failCount: 1, failReason: expect.stringMatching(/malformed response/) });
    expect(emu.sent().vkComments.map((c) => c.guid)).toEqual(['ack:1']);
    emu.injectFault({ api: 'vk', method: 'execute', kind: { vkError: 6 } });
    await drain(w);
    for (const id of ids) expect(store.get(id)).toMatchObject({ state: 'sent', failCount: 1 });
    expect(emu.sent().vkComments.map((c) => c.guid)).toEqual(['ack:1', 'ack:2', 'ack:3']);
  });

  it('should call an execute answer vk-io cannot read a malformed response, retry it and deliver once', async () => {
    const message = (text: string): OutboundMessage => ({ destination: { kind: 'vk_message', groupId: group, peerId: 77 }, text, format: 'plain' });
    emu.sendCommunityMessage({ groupId: group, fromId: 77, text: 'Когда дадут свет?' });
    // Valid JSON without `response`: vk-io's execute worker reads it blindly.
    emu.injectFault({ api: 'vk', method: 'execute', kind: { malformed: 'shape' } });
    const ids = [enqueue('ack:1', message('Ответ 1')), enqueue('ack:2', message('Ответ 2'))];
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 2, sent: 0, retried: 2, dead: 0 });
    for (const id of ids) {
      const row = store.get(id)!;
      expect(row).toMatchObject({
        state: 'pending',
        failCount: 1,
        failReason: expect.stringMatching(/^vk \S+: malformed response: the answer could not be read/),
      });
    }
    await drain(w);
    for (const id of ids) expect(store.get(id)).toMatchObject({ state: 'sent' });
    expect(emu.sent().vkMessages.map((m) => m.text)).toEqual(['Ответ 1', 'Ответ 2']);
  });

  it('should send what a row says when its turn comes, when it was rewritten after its lease ran out in the lane', async () => {
    const quick = { ...config, telegram: { ...config.telegram, sendTimeoutMs: 300 } };
    const w = worker(quick);
    enqueue('card:1', tgMessage(MODERATORS, 'Карточка 1'));
    const second = enqueue('card:2', tgMessage(MODERATORS, 'Карточка 2, как была'));
    // The first send hangs: the second waits behind it in the chat's lane, claimed with the old text.
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { hang: true } });
    const run = w.runOnce();
    while (!emu.requestLog().some((e) => e.method === 'sendMessage')) await new Promise((resolve) => setTimeout(resolve, 5));
    // Its lease runs out while it waits, and the card changes: the outbox rewrites the row.
    clock.advance(config.outbox.leaseMs + 1);
    expect(store.replacePending('telegram', 'card:2', { text: 'Карточка 2, как есть', format: 'plain' }, clock.now())).toBe(1);
    await run;
    expect(emu.sent().telegramMessages.map((m) => m.text)).toEqual(['Карточка 2, как есть']);
    expect(store.get(second)).toMatchObject({ state: 'sent', message: { text: 'Карточка 2, как есть' } });
  });

  it("should honour Telegram's retry_after exactly and pause all Telegram delivery meanwhile", async () => {
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { telegram429: 5 } });
    // Two rows for one chat share a lane, so the second starts only after the first got its 429:
    // the outcome does not depend on how fast the emulator answers.
    const first = enqueue('status:1', tgMessage(CITIZEN, 'Первое'));
    const second = enqueue('status:2', tgMessage(CITIZEN, 'Второе'));
    const start = clock.current;
    const w = worker();
    const report = await w.runOnce();
    expect(report).toMatchObject({ claimed: 2, sent: 0, retried: 1, released: 1, paused: { telegram: start + 5000 } });

    // The pause is platform-wide: a row for another chat waits too.
    const third = enqueue('status:3', tgMessage(MODERATORS, 'Третье'));
    clock.advance(4999);
    expect(await w.runOnce()).toMatchObject({ claimed: 0, sent: 0 });
    clock.advance(1);
    expect(await w.runOnce()).toMatchObject({ sent: 3 });

    const calls = emu.requestLog().filter((e) => e.method === 'sendMessage');
    expect(calls[0]).toMatchObject({ outcome: 'fault', errorCode: 429, time: start });
    expect(calls.slice(1).every((e) => e.outcome === 'ok' && e.time - start >= 5000)).toBe(true);
    expect(store.get(first)).toMatchObject({ state: 'sent', failCount: 0 });
    expect(store.get(second)).toMatchObject({ state: 'sent' });
    expect(store.get(third)).toMatchObject({ state: 'sent' });
  });

  it('should give up a send the platform rejects, keeping the reason', async () => {
    const vk = enqueue('ack:1', { destination: { kind: 'vk_message', groupId: group, peerId: 555 }, text: 'Вы не писали нам', format: 'plain' });
    const tg = enqueue('ack:2', tgMessage(-1009999, 'Нет такого чата'));
    expect(await worker().runOnce()).toMatchObject({ dead: 2 });
    expect(store.get(vk)).toMatchObject({ state: 'dead', failCount: 1, failReason: expect.stringMatching(/901/) });
    expect(store.get(tg)).toMatchObject({ state: 'dead', failReason: expect.stringMatching(/chat not found/) });
  });

  it('should give up after maxAttempts retries', async () => {
    const cfg = emulatorConfig(emu, [group], {
      moderatorsChatId: MODERATORS,
      overrides: { outbox: { maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 1000 } },
    });
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { httpStatus: 502 }, times: Infinity });
    const id = enqueue('ack:1', tgMessage(CITIZEN, 'Не дойдёт'));
    await drain(worker(cfg));
    expect(store.get(id)).toMatchObject({ state: 'dead', failCount: 3, failReason: expect.stringMatching(/502/) });
  });

  it('should pause VK and send one alert to the moderators when the community token is refused', async () => {
    const broken = { ...config, secrets: { ...config.secrets, vkCommunityTokens: new Map([[group, 'revoked-token']]) } };
    const a = enqueue('ack:1', vkReply('Первый ответ'));
    const b = enqueue('ack:2', vkReply('Второй ответ'));
    const w = worker(broken);
    const first = await w.runOnce();
    expect(first).toMatchObject({ claimed: 2, sent: 0, dead: 0, released: 2 });
    expect(first.paused.vk).toBe(clock.current + FATAL_PAUSE_MS);

    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const alerts = emu.sent().telegramMessages;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ chatId: MODERATORS, text: expect.stringContaining('VK') });
    expect(alerts[0]?.text).not.toContain('revoked-token');

    clock.advance(FATAL_PAUSE_MS);
    await w.runOnce();
    await w.runOnce();
    expect(emu.sent().telegramMessages).toHaveLength(1);
    expect(store.get(a)).toMatchObject({ state: 'pending', failCount: 0 });
    expect(store.get(b)).toMatchObject({ state: 'pending', failCount: 0 });
    expect(emu.sent().vkComments).toHaveLength(0);
  });

  it('should count an edit that changes nothing as delivered', async () => {
    const card = enqueue('card:1', { ...tgMessage(MODERATORS, 'Обращение №1: новое'), buttons: [[{ text: 'Принять', data: 'accept:1' }]] });
    await worker().runOnce();
    const messageId = Number(store.get(card)?.externalId);
    const edit = enqueue('card:1:edit', {
      destination: { kind: 'telegram_edit', chatId: MODERATORS, messageId },
      text: 'Обращение №1: новое',
      format: 'plain',
      buttons: [[{ text: 'Принять', data: 'accept:1' }]],
    });
    expect(await worker().runOnce()).toMatchObject({ sent: 1, dead: 0 });
    expect(store.get(edit)).toMatchObject({ state: 'sent', externalId: String(messageId) });
  });

  it('should deliver on notify() and, on stop(), finish the send in flight and put the unsent rows back', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const gated: Sender = {
      send: async () => {
        started();
        await gate;
        return { externalId: 'gated' };
      },
      classify: () => ({ kind: 'retry' }),
    };
    const w = worker(config, { telegram: gated });
    w.start();
    const first = enqueue('status:1', tgMessage(CITIZEN, 'Первое'));
    const second = enqueue('status:2', tgMessage(CITIZEN, 'Второе'));
    w.notify();
    await inFlight;
    const stopping = w.stop();
    release();
    await stopping;
    expect(store.get(first)).toMatchObject({ state: 'sent', externalId: 'gated' });
    expect(store.get(second)).toMatchObject({ state: 'pending', failCount: 0 });
    expect(await worker().runOnce()).toMatchObject({ sent: 1 });
  });
});

describe('OutboxWorker, Telegram sends of unknown outcome', () => {
  const DELAY = 5 * 60_000;

  function observed(cfg: Config = config): { w: OutboxWorker; unknown: string[] } {
    const unknown: string[] = [];
    const w = new OutboxWorker({
      config: cfg,
      stores: createStores(db),
      logger: silentLogger,
      clock: clock.now,
      senders: senders(cfg),
      limits: { telegramPrivateChatIntervalMs: 1, telegramPerSecond: 1000 },
      random: () => 0.5,
      observer: { outboxOutcomeUnknown: (platform) => unknown.push(platform) },
    });
    return { w, unknown };
  }

  it('should treat an answer without message_id as maybe delivered: no fast retry, one more copy after the delay at most', async () => {
    const { w, unknown } = observed();
    enqueue('ack:1', tgMessage(CITIZEN, 'Обращение №1 зарегистрировано'));
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { corrupt: { message_id: undefined } } });
    expect(await w.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    expect(unknown).toEqual(['telegram']);
    expect(store.nextDueAt()).toBeGreaterThanOrEqual(clock.now() + DELAY);
    clock.advance(DELAY - 1_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    expect(emu.sent().telegramMessages).toHaveLength(1);
    clock.advance(1_000);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect(emu.sent().telegramMessages).toHaveLength(2);
  });

  it('should wait longer for a send than for a read and, when a send still times out, retry it only after the delay', async () => {
    const quick = { ...config, telegram: { ...config.telegram, requestTimeoutMs: 100, sendTimeoutMs: 300 } };
    const { w, unknown } = observed(quick);
    enqueue('ack:1', tgMessage(CITIZEN, 'Обращение №1 зарегистрировано'));
    // Longer than a read may take, shorter than a send may: delivered on the first try.
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { delayMs: 150 } });
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    enqueue('ack:2', tgMessage(CITIZEN, 'Обращение №2 зарегистрировано'));
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { hang: true } });
    expect(await w.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    expect(unknown).toEqual(['telegram']);
    expect(store.nextDueAt()).toBeGreaterThanOrEqual(clock.now() + DELAY);
  });

  it('should retry as usual, and count nothing as unknown, after a 429, a 400 or a refused connection', async () => {
    const { w, unknown } = observed();
    enqueue('ack:1', tgMessage(CITIZEN, 'Обращение №1 зарегистрировано'));
    emu.injectFault({ api: 'telegram', method: 'sendMessage', kind: { telegram429: 1 } });
    await w.runOnce();
    expect(store.nextDueAt()).toBe(clock.now() + 1_000);
    clock.advance(1_000);
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    enqueue('ack:2', tgMessage(-100999, 'В несуществующий чат'));
    expect(await w.runOnce()).toMatchObject({ dead: 1 });
    expect(emu.sent().telegramMessages).toHaveLength(1);

    const closed = await Emulator.start();
    const refused = { ...config, telegram: { ...config.telegram, apiRoot: closed.telegramApiRoot } };
    await closed.close();
    const { w: offline, unknown: offlineUnknown } = observed(refused);
    enqueue('ack:3', tgMessage(CITIZEN, 'Обращение №3 зарегистрировано'));
    expect(await offline.runOnce()).toMatchObject({ retried: 1 });
    expect(store.nextDueAt()).toBeLessThan(clock.now() + DELAY);
    expect([...unknown, ...offlineUnknown]).toEqual([]);
  });
});
