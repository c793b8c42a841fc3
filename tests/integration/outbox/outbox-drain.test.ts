import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { TelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { OutboxWorker } from '../../../src/outbox/outbox-worker.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock } from '../../helpers/index.js';
import { emulatorConfig, silentLogger, TELEGRAM_TOKEN } from '../channels/vk-fixtures.js';

const CHAT = -1002000000001;
let clock: ManualClock;
let emu: Emulator;
let db: Db;

beforeEach(async () => {
  clock = new ManualClock();
  emu = await Emulator.start({ clock: clock.now });
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
  emu.addChat({ id: CHAT, type: 'supergroup', title: 'Чат' });
  db = freshDb();
});

afterEach(async () => {
  await emu.close();
  db.close();
});

function worker(onDelivered?: () => void, groupPerMinute = 1000): OutboxWorker {
  const config = emulatorConfig(emu, [], { overrides: { outbox: { batchSize: 2 } } });
  return new OutboxWorker({
    config,
    stores: createStores(db),
    logger: silentLogger,
    clock: clock.now,
    senders: { telegram: new TelegramSender({ client: new TelegramClient(config, TELEGRAM_TOKEN) }) },
    limits: { telegramGroupPerMinute: groupPerMinute, telegramPerSecond: 1000 },
    ...(onDelivered ? { onDelivered } : {}),
  });
}

/** A worker that counts its deliveries, and a barrier that resolves at the n-th. */
function countingWorker(groupPerMinute?: number): { w: OutboxWorker; deliveredCount: (n: number) => Promise<void> } {
  let delivered = 0;
  let waiting: { n: number; resolve: () => void } | null = null;
  const w = worker(() => {
    delivered += 1;
    if (waiting && delivered >= waiting.n) waiting.resolve();
  }, groupPerMinute);
  const deliveredCount = (n: number) => new Promise<void>((resolve) => (delivered >= n ? resolve() : (waiting = { n, resolve })));
  return { w, deliveredCount };
}

describe('OutboxWorker driven by a schedule and notify()', () => {
  it('should deliver a burst larger than one batch in one drain, and leave rows that are not due yet', async () => {
    const store = createStores(db).outbox;
    for (let i = 1; i <= 5; i += 1)
      store.enqueue(
        { idempotencyKey: `ack:${i}`, message: { destination: { kind: 'telegram', chatId: CHAT }, text: `Обращение №${i}`, format: 'plain' }, purpose: 'ack' },
        clock.now(),
      );
    store.enqueue(
      {
        idempotencyKey: 'later',
        message: { destination: { kind: 'telegram', chatId: CHAT }, text: 'Позже', format: 'plain' },
        purpose: 'reminder',
        notBefore: clock.now() + 60_000,
      },
      clock.now(),
    );
    const { w, deliveredCount } = countingWorker();
    w.start();
    w.notify();
    await deliveredCount(5);
    await w.stop();
    expect(
      emu
        .sent()
        .telegramMessages.map((m) => m.text)
        .sort(),
    ).toEqual(['Обращение №1', 'Обращение №2', 'Обращение №3', 'Обращение №4', 'Обращение №5']);
    expect(store.backlog()).toMatchObject({ pending: 1 });
  });

  it('should deliver on every notify() with no timer of its own, each burst coalesced', async () => {
    const store = createStores(db).outbox;
    const { w, deliveredCount } = countingWorker();
    const message = (i: number) => ({
      idempotencyKey: `ack:${i}`,
      message: { destination: { kind: 'telegram' as const, chatId: CHAT }, text: `Обращение №${i}`, format: 'plain' as const },
      purpose: 'ack' as const,
    });
    w.start();
    store.enqueue(message(1), clock.now());
    w.notify();
    await deliveredCount(1);
    for (let i = 2; i <= 4; i += 1) {
      store.enqueue(message(i), clock.now());
      w.notify();
    }
    await deliveredCount(4);
    await w.stop();
    expect(emu.sent().telegramMessages.map((m) => m.text)).toEqual(['Обращение №1', 'Обращение №2', 'Обращение №3', 'Обращение №4']);
    expect(emu.countRequests({ api: 'telegram', method: 'sendMessage' })).toBe(4);
  });

  it('should deliver a new acknowledgement at once while a slow group lane still holds earlier rows, and put those back on stop', async () => {
    const CITIZEN = 700;
    emu.addChat({ id: CITIZEN, type: 'private', title: 'Житель' });
    const store = createStores(db).outbox;
    // The moderators' group chat may take 2 messages a minute: the rest of its cards wait in their lane.
    const { w, deliveredCount } = countingWorker(2);
    w.start();
    const cards = [1, 2, 3, 4, 5].map((i) =>
      store.enqueue(
        { idempotencyKey: `card:${i}`, message: { destination: { kind: 'telegram', chatId: CHAT }, text: `Карточка №${i}`, format: 'plain' }, purpose: 'card' },
        clock.now(),
      ),
    );
    w.notify();
    await deliveredCount(2);
    const ack = store.enqueue(
      {
        idempotencyKey: 'ack:9',
        message: { destination: { kind: 'telegram', chatId: CITIZEN }, text: 'Обращение №9 зарегистрировано', format: 'plain' },
        purpose: 'ack',
      },
      clock.now(),
    );
    w.notify();
    await deliveredCount(3);
    expect(store.get(ack!)).toMatchObject({ state: 'sent' });
    expect(emu.sent().telegramMessages.map((m) => m.text)).toEqual(['Карточка №1', 'Карточка №2', 'Обращение №9 зарегистрировано']);

    // A pump while the cards still wait claims nothing twice.
    expect(w.pump()).toBe(0);
    await w.stop();
    // The cards the lane still held are pending again, free to be claimed at once by the next start.
    const left = cards.slice(2).map((id) => store.get(id!));
    expect(left.every((row) => row?.state === 'pending')).toBe(true);
    expect(
      store
        .claimDue(clock.now(), 10, 60_000, 'telegram')
        .map((c) => c.idempotencyKey)
        .sort(),
    ).toEqual(['card:3', 'card:4', 'card:5']);
  });
});
