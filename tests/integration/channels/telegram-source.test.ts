import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { TelegramSender } from '../../../src/channels/telegram/telegram-sender.js';
import { TELEGRAM_OFFSET_KEY, TelegramSource } from '../../../src/channels/telegram/telegram-source.js';
import type { Config } from '../../../src/config.js';
import { TELEGRAM_UPDATES_CHANNEL } from '../../../src/domain/channel-id.js';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import type { CursorUpdate } from '../../../src/domain/inbound-sink.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, runUntil } from '../../helpers/index.js';
import { RecordingSink } from './recording-sink.js';
import { emulatorConfig, recordingLogger, silentLogger, TELEGRAM_TOKEN } from './vk-fixtures.js';

const CITIZEN = 700;
const MODERATOR = 701;
const CITY_CHAT = -1002000000001;
const OTHER_CHAT = -1002000000002;
const MODERATORS = -1002000000099;
let emu: Emulator;
let db: Db;
let sink: RecordingSink;
let config: Config;

function source(opts: { status?: ChannelStatus; token?: string; sinkOverride?: RecordingSink } = {}): TelegramSource {
  return new TelegramSource({
    config,
    cursors: createStores(db).cursors,
    logger: silentLogger,
    clock: Date.now,
    client: new TelegramClient(config, opts.token ?? TELEGRAM_TOKEN),
    sink: opts.sinkOverride ?? sink,
    ...(opts.status ? { status: opts.status } : {}),
  });
}

/** Fails the first batch it is given, before anything is written: a crash mid-batch. */
class CrashOnceSink extends RecordingSink {
  crashed = false;
  override ingestBatch(messages: readonly InboundMessage[], cursors?: readonly CursorUpdate[]): void {
    if (!this.crashed && messages.length > 0) {
      this.crashed = true;
      throw new Error('crash');
    }
    super.ingestBatch(messages, cursors);
  }
}

beforeEach(async () => {
  emu = await Emulator.start();
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
  emu.addTgUser({ id: CITIZEN, firstName: 'Ольга', username: 'olga' });
  emu.addTgUser({ id: MODERATOR, firstName: 'Игорь' });
  emu.addChat({ id: CITIZEN, type: 'private' });
  emu.addChat({ id: CITY_CHAT, type: 'supergroup', title: 'Зареченск', isForum: true, topics: [3] });
  emu.addChat({ id: OTHER_CHAT, type: 'group', title: 'Чужой чат' });
  emu.addChat({ id: MODERATORS, type: 'supergroup', title: 'Модераторы' });
  config = emulatorConfig(emu, [], { moderatorsChatId: MODERATORS, chats: [CITY_CHAT] });
  db = freshDb();
  sink = new RecordingSink(db);
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('TelegramSource', () => {
  it('should deliver private, group and forum-topic messages and ignore chats that are not configured', async () => {
    const src = source();
    await runUntil(src, async () => {
      await emu.waitForHeldPoll('telegram');
      const privateId = emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Нет воды' });
      emu.sendTelegramMessage({ chatId: OTHER_CHAT, fromId: CITIZEN, text: 'Не наш чат' });
      const topicId = emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: CITIZEN, text: 'Яма', threadId: 3 });
      const replyId = emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: MODERATOR, text: 'Где именно?', threadId: 3, replyToMessageId: topicId });
      await sink.waitFor(3);
      expect(sink.recorded.map((m) => m.externalId)).toEqual([`${CITIZEN}_${privateId}`, `${CITY_CHAT}_${topicId}`, `${CITY_CHAT}_${replyId}`]);
      expect(sink.recorded[0]).toMatchObject({
        channel: 'telegram',
        thread: { channel: 'telegram', chatId: CITIZEN, messageId: privateId },
        author: { platform: 'telegram', id: CITIZEN, name: 'Ольга', isBot: false },
        source: { platform: 'telegram', chatId: CITIZEN, chatType: 'private' },
        isPrivate: true,
      });
      expect(sink.recorded[1]).toMatchObject({ thread: { topicId: 3 }, isPrivate: false, source: { chatType: 'supergroup', title: 'Зареченск' } });
      expect(sink.recorded[1]?.replyTo).toBeUndefined();
      expect(sink.recorded[2]?.replyTo).toMatchObject({ externalId: `${CITY_CHAT}_${topicId}`, authorId: CITIZEN, text: 'Яма' });
    });
    expect(src.botId).toBe(123456);
  });

  it('should hand over button presses under the bot messages', async () => {
    const sender = new TelegramSender({ client: new TelegramClient(config, TELEGRAM_TOKEN) });
    const { externalId } = await sender.send(
      { destination: { kind: 'telegram', chatId: MODERATORS }, text: 'Обращение №1', format: 'plain', buttons: [[{ text: 'Принять', data: 'accept:1' }]] },
      'card:1',
    );
    await runUntil(source(), async () => {
      const pressId = emu.pressButton({ chatId: MODERATORS, messageId: Number(externalId), fromId: MODERATOR, data: 'accept:1' });
      await sink.waitFor(1);
      expect(sink.presses[0]).toMatchObject({
        platform: 'telegram',
        pressId,
        chatId: MODERATORS,
        messageRef: externalId,
        data: 'accept:1',
        from: { id: MODERATOR },
      });
    });
  });

  it('should resume by the stored offset and take a crashed batch again without recording it twice', async () => {
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Первое' });
    const crashing = new CrashOnceSink(db);
    await expect(source({ sinkOverride: crashing }).pollOnce()).rejects.toThrow('crash');
    expect(createStores(db).cursors.get(TELEGRAM_OFFSET_KEY)).toBeUndefined();

    const outcome = await source().pollOnce();
    expect(outcome).toMatchObject({ updates: 1, messages: 1 });
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Второе' });
    const restarted = await source().pollOnce();
    expect(restarted).toMatchObject({ updates: 1, messages: 1 });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Первое', 'Второе']);
  });

  it('should say in the log how many updates Telegram dropped after a gap longer than it keeps them, and go on', async () => {
    const { logger, lines } = recordingLogger();
    // No wait on an empty getUpdates: the poll after the drop answers at once.
    const quick = { ...config, telegram: { ...config.telegram, pollTimeoutSeconds: 0 } };
    const src = new TelegramSource({
      config: quick,
      cursors: createStores(db).cursors,
      logger,
      clock: Date.now,
      client: new TelegramClient(quick, TELEGRAM_TOKEN),
      sink,
    });
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Первое' });
    await src.pollOnce();
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Пропадёт' });
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'Тоже пропадёт' });
    emu.injectFault({ api: 'telegram', method: 'getUpdates', kind: { dropUpdatesOlderThanSeconds: -1 } });
    await src.pollOnce();
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'После перерыва' });
    await src.pollOnce();
    expect(sink.recorded.map((m) => m.text)).toEqual(['Первое', 'После перерыва']);
    const warnings = lines.filter((l) => l.level === 40 && /cannot be recovered/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ lost: 2 });
  });

  it('should wait out a 429 and keep polling', async () => {
    const status = new ChannelStatus();
    emu.injectFault({ api: 'telegram', method: 'getUpdates', kind: { telegram429: 1 } });
    emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text: 'После паузы' });
    await runUntil(source({ status }), () => sink.waitFor(1));
    const polls = emu.requestLog().filter((e) => e.method === 'getUpdates');
    expect(polls[0]).toMatchObject({ outcome: 'fault', errorCode: 429 });
    expect((polls[1]?.time ?? 0) - (polls[0]?.time ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(status.get(TELEGRAM_UPDATES_CHANNEL)?.state).toBe('stopped');
  });

  it('should stop with a clear status when the token is refused', async () => {
    const status = new ChannelStatus();
    await source({ status, token: '999:revoked' }).run(new AbortController().signal);
    expect(status.get(TELEGRAM_UPDATES_CHANNEL)).toMatchObject({ state: 'stopped', lastError: expect.stringMatching(/401/) });
    expect(status.get(TELEGRAM_UPDATES_CHANNEL)?.lastError).not.toContain('revoked');
  });
});
