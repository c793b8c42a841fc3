/**
 * One contract for every long-running source the source runner drives (channels/source-runner):
 * each adapter is set up on a fresh emulator and must behave the same way under the runner.
 * A new source adds one entry to `sources`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { MaxClient } from '../../../src/channels/max/max-client.js';
import { MaxLongPollSource } from '../../../src/channels/max/max-long-poll-source.js';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { type TelegramBotIdentity, TelegramSource } from '../../../src/channels/telegram/telegram-source.js';
import { createVkCommunityApis } from '../../../src/channels/vk/vk-client.js';
import { VkLongPollSource } from '../../../src/channels/vk/vk-long-poll-source.js';
import type { Config } from '../../../src/config.js';
import { type ChannelId, MAX_UPDATES_CHANNEL, TELEGRAM_UPDATES_CHANNEL, vkLongPollChannel } from '../../../src/domain/channel-id.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { FaultSpec } from '../../../src/emulator/faults.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, runUntil } from '../../helpers/index.js';
import { addMaxWorld, MAX_HOUSE_CHAT, maxConfig } from './max-fixtures.js';
import { RecordingSink } from './recording-sink.js';
import { addCommunities, emulatorConfig, silentLogger, TELEGRAM_TOKEN } from './vk-fixtures.js';

interface Runnable {
  run(signal: AbortSignal): Promise<void>;
}

interface SourceDeps {
  config: Config;
  db: Db;
  sink: RecordingSink;
  status: ChannelStatus;
}

/** What the contract needs from one source, set up on a fresh emulator. */
interface SourceFixture {
  config: Config;
  channel: ChannelId;
  source(deps: SourceDeps): Runnable;
  /** Which of the emulator's held polls is this source's. */
  held: 'telegram' | 'vk_lp' | 'max';
  /** A citizen writes `text` to where the source listens. */
  write(text: string): void;
  /** The config with the source's token replaced by `token`, one the platform refuses. */
  revoked(config: Config, token: string): Config;
  /** A fault for the source's first request. */
  firstRequestFault(kind: FaultSpec['kind']): FaultSpec;
}

type Adapter = { name: string; setup(emu: Emulator): SourceFixture };

const CITIZEN = 700;

const sources: Adapter[] = [
  {
    name: 'TelegramSource',
    setup(emu) {
      emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
      emu.addTgUser({ id: CITIZEN, firstName: 'Ольга' });
      emu.addChat({ id: CITIZEN, type: 'private' });
      const config = emulatorConfig(emu, [], { overrides: { telegram: { apiRoot: emu.telegramApiRoot, pollTimeoutSeconds: 25, requestTimeoutMs: 2000 } } });
      return {
        config,
        channel: TELEGRAM_UPDATES_CHANNEL,
        source: ({ config: c, db, sink, status }) =>
          new TelegramSource({
            config: c,
            cursors: createStores(db).cursors,
            logger: silentLogger,
            clock: Date.now,
            client: new TelegramClient(c, c.secrets.telegramToken ?? ''),
            sink,
            status,
          }),
        held: 'telegram',
        write: (text) => void emu.sendTelegramMessage({ chatId: CITIZEN, fromId: CITIZEN, text }),
        revoked: (c, token) => ({ ...c, secrets: { ...c.secrets, telegramToken: `999:${token}` } }),
        firstRequestFault: (kind) => ({ api: 'telegram', method: 'getMe', kind }),
      };
    },
  },
  {
    name: 'VkLongPollSource',
    setup(emu) {
      const [group] = addCommunities(emu, 1) as [number];
      const config = emulatorConfig(emu, [group]);
      return {
        config,
        channel: vkLongPollChannel(group),
        source: ({ config: c, db, sink, status }) =>
          new VkLongPollSource({
            config: c,
            cursors: createStores(db).cursors,
            logger: silentLogger,
            clock: Date.now,
            apis: createVkCommunityApis(c),
            sink,
            status,
          }),
        held: 'vk_lp',
        write: (text) => void emu.sendCommunityMessage({ groupId: group, fromId: CITIZEN, text }),
        revoked: (c, token) => ({ ...c, secrets: { ...c.secrets, vkCommunityTokens: new Map([[group, token]]) } }),
        firstRequestFault: (kind) => ({ api: 'vk', method: 'groups.getLongPollServer', kind }),
      };
    },
  },
  {
    name: 'MaxLongPollSource',
    setup(emu) {
      addMaxWorld(emu);
      const config = maxConfig(emu, { mode: 'longpoll' });
      const client = (c: Config) => new MaxClient({ baseUrl: c.max.apiBaseUrl, token: c.secrets.maxToken ?? '', requestTimeoutMs: 2000 });
      return {
        config,
        channel: MAX_UPDATES_CHANNEL,
        source: ({ config: c, db, sink, status }) =>
          new MaxLongPollSource({ config: c, cursors: createStores(db).cursors, logger: silentLogger, clock: Date.now, client: client(c), sink, status }),
        held: 'max',
        write: (text) => void emu.sendMaxMessage({ chatId: MAX_HOUSE_CHAT, fromId: CITIZEN, text }),
        revoked: (c, token) => ({ ...c, secrets: { ...c.secrets, maxToken: token } }),
        firstRequestFault: (kind) => ({ api: 'max', method: 'getMyInfo', kind }),
      };
    },
  },
];

describe.each(sources)('Source contract: $name', ({ setup }) => {
  let emu: Emulator;
  let fixture: SourceFixture;
  let db: Db;
  let sink: RecordingSink;
  let status: ChannelStatus;

  beforeEach(async () => {
    emu = await Emulator.start();
    fixture = setup(emu);
    db = freshDb();
    sink = new RecordingSink(db);
    status = new ChannelStatus();
  });

  afterEach(async () => {
    await emu.close();
    db.close();
  });

  function source(config: Config = fixture.config): Runnable {
    return fixture.source({ config, db, sink, status });
  }

  it('should hand over a message written while it holds its poll and record the success', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll(fixture.held);
      fixture.write('Нет воды');
      await sink.waitFor(1);
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Нет воды']);
    expect(status.get(fixture.channel)).toMatchObject({ lastError: null, lastSuccessAt: expect.any(Number) });
  });

  it('should retry after its first request fails and then deliver what was written', async () => {
    emu.injectFault(fixture.firstRequestFault({ httpStatus: 502 }));
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll(fixture.held);
      fixture.write('После сбоя');
      await sink.waitFor(1);
    });
    expect(emu.requestLog().filter((e) => e.outcome === 'fault')).toHaveLength(1);
    expect(sink.recorded.map((m) => m.text)).toEqual(['После сбоя']);
    expect(status.get(fixture.channel)).toMatchObject({ state: 'stopped', lastError: null, lastSuccessAt: expect.any(Number) });
  });

  it('should stop on a refused token with the error in its status, free of the token, and alert once', async () => {
    const stops: ChannelId[] = [];
    status.onFatalStop((channel) => stops.push(channel));
    await source(fixture.revoked(fixture.config, 'revoked-secret-token')).run(new AbortController().signal);
    const entry = status.get(fixture.channel);
    expect(entry).toMatchObject({ state: 'stopped', lastError: expect.any(String) });
    expect(entry?.lastError).not.toContain('revoked-secret-token');
    expect(stops).toEqual([fixture.channel]);
  });

  it('should end with a stopped status and no error when aborted while its poll is held', async () => {
    await runUntil(source(), () => emu.waitForHeldPoll(fixture.held));
    expect(status.get(fixture.channel)).toMatchObject({ state: 'stopped', lastError: null });
  });

  it('should resume from its stored cursor after a restart, reading what was written meanwhile exactly once', async () => {
    await runUntil(source(), async () => {
      await emu.waitForHeldPoll(fixture.held);
      fixture.write('Первое');
      await sink.waitFor(1);
    });
    fixture.write('Пока бот лежал');
    await runUntil(source(), async () => {
      await sink.waitFor(2);
      await emu.waitForHeldPoll(fixture.held);
    });
    expect(sink.recorded.map((m) => m.text)).toEqual(['Первое', 'Пока бот лежал']);
  });
});

describe('TelegramSource identity', () => {
  it("should learn the bot's id and username from getMe even when the first getMe fails, and not ask again", async () => {
    const emu = await Emulator.start();
    const db = freshDb();
    try {
      emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
      const config = emulatorConfig(emu, []);
      const sink = new RecordingSink(db);
      const identities: TelegramBotIdentity[] = [];
      const src = new TelegramSource({
        config,
        cursors: createStores(db).cursors,
        logger: silentLogger,
        clock: Date.now,
        client: new TelegramClient(config, TELEGRAM_TOKEN),
        sink,
        onBotIdentity: (bot) => identities.push(bot),
      });
      emu.injectFault({ api: 'telegram', method: 'getMe', kind: { httpStatus: 502 } });
      await runUntil(src, () => emu.waitForHeldPoll('telegram'));
      expect(identities).toEqual([{ id: 123456, username: 'otklik_bot' }]);
      expect(emu.countRequests({ method: 'getMe' })).toBe(2);
    } finally {
      await emu.close();
      db.close();
    }
  });
});
