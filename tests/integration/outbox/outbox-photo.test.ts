import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { TelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { createVkCommunityApis, createVkReaderApi } from '../../../src/channels/vk/vk-client.js';
import { VkSender } from '../../../src/channels/vk/vk-sender.js';
import type { Config } from '../../../src/config.js';
import type { OutboundMessage } from '../../../src/domain/outbound.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { OutboxWorker } from '../../../src/outbox/outbox-worker.js';
import { renderDigestChart } from '../../../src/reports/chart.js';
import type { Db } from '../../../src/store/db.js';
import type { OutboxStore } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock } from '../../helpers/index.js';
import { addCommunities, emulatorConfig, silentLogger, TELEGRAM_TOKEN } from '../channels/vk-fixtures.js';

const MODERATORS = -1002000000099;
let clock: ManualClock;
let emu: Emulator;
let db: Db;
let store: OutboxStore;
let config: Config;
let group: number;
let dir: string;

function worker(): OutboxWorker {
  return new OutboxWorker({
    config,
    stores: createStores(db),
    logger: silentLogger,
    clock: clock.now,
    senders: {
      vk: new VkSender({ config, logger: silentLogger, communityApis: createVkCommunityApis(config), readerApi: createVkReaderApi(config) }),
      telegram: new TelegramSender({ client: new TelegramClient(config, TELEGRAM_TOKEN) }),
    },
    random: () => 0.5,
  });
}

const photo = (path: string, caption = 'Обращения за 14 дн. по 23.11.2026'): OutboundMessage => ({
  destination: { kind: 'telegram', chatId: MODERATORS },
  text: caption,
  format: 'plain',
  photo: { path },
});

beforeEach(async () => {
  clock = new ManualClock();
  emu = await Emulator.start({ clock: clock.now });
  [group] = addCommunities(emu, 1) as [number];
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
  emu.addChat({ id: MODERATORS, type: 'supergroup', title: 'Модераторы' });
  config = emulatorConfig(emu, [group], { moderatorsChatId: MODERATORS });
  db = freshDb();
  store = createStores(db).outbox;
  dir = mkdtempSync(join(tmpdir(), 'otklik-photo-'));
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('outbox photos', () => {
  it('should upload a PNG with sendPhoto (multipart) and its caption, once per key', async () => {
    const chart = renderDigestChart(
      { dates: ['2026-11-22', '2026-11-23'], perTopic: [{ topic: 'housing', counts: [2, 9] }], answerMedianHours: [3, null], answerP90Hours: [5, null] },
      'Сводка',
    );
    const path = join(dir, 'digest-2026-11-23.png');
    writeFileSync(path, chart.png);
    const id = store.enqueue({ idempotencyKey: 'digest-chart:2026-11-23', message: photo(path), purpose: 'digest' }, clock.now());
    expect(id).not.toBeNull();
    expect(store.get(id!)?.message.photo).toEqual({ path });
    expect(store.enqueue({ idempotencyKey: 'digest-chart:2026-11-23', message: photo(path), purpose: 'digest' }, clock.now())).toBeNull();

    expect(await worker().runOnce()).toMatchObject({ sent: 1, dead: 0 });
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    const sent = emu.sent().telegramPhotos;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      chatId: MODERATORS,
      caption: 'Обращения за 14 дн. по 23.11.2026',
      photo: { filename: 'digest-2026-11-23.png', size: chart.png.length },
    });
    expect(store.get(id!)).toMatchObject({ state: 'sent', externalId: String(sent[0]!.messageId) });
    expect(emu.requestLog().some((e) => e.api === 'telegram' && e.method === 'sendPhoto' && e.outcome === 'ok')).toBe(true);
  });

  it('should give up a photo whose file is gone, with the reason, without calling Telegram', async () => {
    const id = store.enqueue({ idempotencyKey: 'digest-chart:gone', message: photo(join(dir, 'missing.png')), purpose: 'digest' }, clock.now())!;
    expect(await worker().runOnce()).toMatchObject({ dead: 1 });
    expect(store.get(id)).toMatchObject({ state: 'dead', failReason: expect.stringContaining('photo file not found') });
    expect(emu.countRequests({ api: 'telegram', method: 'sendPhoto' })).toBe(0);
  });

  it('should refuse a photo addressed to VK instead of sending its caption alone', async () => {
    const path = join(dir, 'x.png');
    writeFileSync(path, Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const id = store.enqueue(
      {
        idempotencyKey: 'photo:vk',
        message: { destination: { kind: 'vk_wall_post', groupId: group }, text: 'Подпись', format: 'plain', photo: { path } },
        purpose: 'announce',
      },
      clock.now(),
    )!;
    await worker().runOnce();
    expect(store.get(id)).toMatchObject({ state: 'dead', failReason: expect.stringContaining('Telegram only') });
    expect(emu.sent().vkWallPosts).toHaveLength(0);
  });
});

describe("outbox: citizens' photos by file_id", () => {
  /** Photos a citizen sent the bot: their file ids, as the bot's updates carry them. */
  async function citizenPhotos(n: number): Promise<string[]> {
    emu.addChat({ id: 4242, type: 'private' });
    for (let i = 0; i < n; i += 1) emu.sendTelegramMessage({ chatId: 4242, fromId: 4242, photo: {} });
    const res = await fetch(`${emu.telegramApiRoot}/bot${TELEGRAM_TOKEN}/getUpdates`);
    const body = (await res.json()) as { result: { message: { photo: { file_id: string }[] } }[] };
    return body.result.map((u) => u.message.photo.at(-1)!.file_id);
  }

  const card = (fileIds: string[], text = '<b>Обращение №7</b>'): OutboundMessage => ({
    destination: { kind: 'telegram', chatId: MODERATORS },
    text,
    format: 'html',
    media: fileIds.map((fileId) => ({ kind: 'photo', fileId })),
    ...(fileIds.length === 1 ? { buttons: [[{ text: 'Принять', data: 'inc:accept:7:new' }]] } : {}),
  });

  it('should send one photo with the card as its caption and buttons, then edit the caption', async () => {
    const [photo] = await citizenPhotos(1);
    const id = store.enqueue({ idempotencyKey: 'card:7', message: card([photo!]), purpose: 'card' }, clock.now())!;
    expect(store.get(id)?.message.media).toEqual([{ kind: 'photo', fileId: photo }]);
    await worker().runOnce();
    const sent = emu.sent().telegramPhotos;
    expect(sent).toMatchObject([{ photo: photo, caption: 'Обращение №7', parseMode: 'HTML', replyMarkup: { inline_keyboard: [[{ text: 'Принять' }]] } }]);
    const messageId = sent[0]!.messageId;
    store.enqueue(
      {
        idempotencyKey: 'card-edit:7:e1',
        message: {
          destination: { kind: 'telegram_edit', chatId: MODERATORS, messageId, caption: true },
          text: '<b>Обращение №7</b> — принято',
          format: 'html',
        },
        purpose: 'card',
      },
      clock.now(),
    );
    // A stale flag (the card went as text) is corrected by the sender: the edit still lands.
    store.enqueue(
      {
        idempotencyKey: 'card-edit:7:e2',
        message: { destination: { kind: 'telegram_edit', chatId: MODERATORS, messageId }, text: '<b>Обращение №7</b> — закрыто', format: 'html' },
        purpose: 'card',
      },
      clock.now(),
    );
    expect(await worker().runOnce()).toMatchObject({ sent: 2, dead: 0 });
    expect(emu.sent().telegramEdits.map((e) => [e.kind, e.text])).toEqual([
      ['caption', 'Обращение №7 — принято'],
      ['caption', 'Обращение №7 — закрыто'],
    ]);
  });

  it('should send 2–10 photos as one album with the caption on the first, replying to the card', async () => {
    const photos = await citizenPhotos(3);
    const text = await fetch(`${emu.telegramApiRoot}/bot${TELEGRAM_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: MODERATORS, text: 'карточка' }),
    });
    const cardId = ((await text.json()) as { result: { message_id: number } }).result.message_id;
    const id = store.enqueue(
      {
        idempotencyKey: 'card-media:7:0',
        message: {
          destination: { kind: 'telegram', chatId: MODERATORS, replyToMessageId: cardId },
          text: 'Фото к обращению №7',
          format: 'plain',
          media: photos.map((fileId) => ({ kind: 'photo' as const, fileId })),
        },
        purpose: 'card',
      },
      clock.now(),
    )!;
    await worker().runOnce();
    const [album] = emu.sent().telegramMediaGroups;
    expect(album).toMatchObject({
      replyTo: cardId,
      media: photos.map((media, i) => ({ type: 'photo', media, ...(i === 0 ? { caption: 'Фото к обращению №7' } : {}) })),
    });
    expect(store.get(id)).toMatchObject({ state: 'sent', externalId: String(album!.messageIds[0]) });
  });

  it('should send the text alone when Telegram refuses the photo, and refuse photos addressed to VK', async () => {
    const id = store.enqueue({ idempotencyKey: 'card:8', message: card(['AgACforgotten']), purpose: 'card' }, clock.now())!;
    const vk = store.enqueue(
      {
        idempotencyKey: 'x:vk',
        message: { destination: { kind: 'vk_wall_post', groupId: group }, text: 'x', format: 'plain', media: [{ kind: 'photo', fileId: 'AgAC1' }] },
        purpose: 'announce',
      },
      clock.now(),
    )!;
    await worker().runOnce();
    expect(store.get(id)).toMatchObject({ state: 'sent' });
    expect(emu.sent().telegramMessages).toMatchObject([{ text: 'Обращение №7', replyMarkup: { inline_keyboard: [[{ text: 'Принять' }]] } }]);
    expect(store.get(vk)).toMatchObject({ state: 'dead', failReason: expect.stringContaining('Telegram only') });
  });
});
