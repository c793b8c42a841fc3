import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramClient } from '../../../src/channels/telegram/telegram-client.js';
import { createVkCommunityApis } from '../../../src/channels/vk/vk-client.js';
import { VkLongPollSource, vkLongPollCursorKey } from '../../../src/channels/vk/vk-long-poll-source.js';
import type { Config } from '../../../src/config.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, runUntil } from '../../helpers/index.js';
import { RecordingSink } from '../channels/recording-sink.js';
import { addCommunities, emulatorConfig, silentLogger, TELEGRAM_TOKEN, USER_TOKEN } from '../channels/vk-fixtures.js';

// Faults on the two long-running reads, against the bot's own clients: VkLongPollSource (vk-io for
// groups.getLongPollServer, its own a_check) and TelegramClient (telegraf's callApi).

const DAY_MS = 24 * 60 * 60 * 1000;
const CITIZEN = 700;
const CITY_CHAT = -1002000000001;
let now: number;
let emu: Emulator;
let db: Db;
let sink: RecordingSink;
let group: number;
let config: Config;

async function control(name: string, body: Record<string, unknown>): Promise<{ ok: boolean; error?: string }> {
  const res = await fetch(`${emu.url}/control/${name}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return (await res.json()) as { ok: boolean; error?: string };
}

function vkSource(): VkLongPollSource {
  return new VkLongPollSource({ config, cursors: createStores(db).cursors, logger: silentLogger, clock: Date.now, apis: createVkCommunityApis(config), sink });
}

/** The bot stored ts 1 (the start of the emulator's history) and `text` was written to the community after it. */
function messageWhileDown(text: string): void {
  createStores(db).cursors.set(vkLongPollCursorKey(group), { ts: '1' }, Date.now());
  emu.sendCommunityMessage({ groupId: group, fromId: 77, text });
}

const texts = (): string[] => sink.recorded.map((m) => m.text);

beforeEach(async () => {
  now = Date.UTC(2026, 0, 10, 9, 0, 0);
  emu = await Emulator.start({ clock: () => now });
  emu.addUserToken({ token: USER_TOKEN });
  [group] = addCommunities(emu, 1) as [number];
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_bot' });
  emu.addTgUser({ id: CITIZEN, firstName: 'Ольга' });
  emu.addChat({ id: CITY_CHAT, type: 'supergroup', title: 'Зареченск' });
  config = emulatorConfig(emu, [group], { chats: [CITY_CHAT] });
  db = freshDb();
  sink = new RecordingSink(db);
});

afterEach(async () => {
  await emu.close();
  db.close();
});

describe('VK Bots Long Poll faults', () => {
  it('should fail an a_check with HTTP 503 without touching the history, so the retry reads the message', async () => {
    messageWhileDown('Нет воды');
    emu.injectFault({ api: 'vk_lp', method: 'a_check', kind: { httpStatus: 503 } });
    await runUntil(vkSource(), () => sink.waitFor(1));
    expect(texts()).toEqual(['Нет воды']);
    expect(emu.countRequests({ api: 'vk_lp', outcome: 'fault' })).toBe(1);
  });

  it('should hold a hung a_check without an answer or an effect until the client gives up', async () => {
    messageWhileDown('Нет света');
    emu.injectFault({ api: 'vk_lp', kind: { hang: true } });
    await runUntil(vkSource(), () => emu.waitForHeldPoll('delayed'));
    expect(sink.recorded).toEqual([]);
    await runUntil(vkSource(), () => sink.waitFor(1));
    expect(texts()).toEqual(['Нет света']);
    expect(emu.countRequests({ api: 'vk_lp', method: 'a_check', outcome: 'fault' })).toBe(1);
  });

  it.each([1, 2, 3] as const)('should lose the unread history with failed: %i injected through the control API', async (failed) => {
    messageWhileDown('Пропавшее сообщение');
    expect((await control('injectFault', { api: 'vk_lp', kind: { longPollFailed: failed } })).ok).toBe(true);
    await runUntil(vkSource(), async () => {
      await emu.waitForHeldPoll('vk_lp');
      emu.sendCommunityMessage({ groupId: group, fromId: 78, text: 'После сбоя' });
      await sink.waitFor(1);
    });
    expect(texts()).toEqual(['После сбоя']);
    expect(emu.countRequests({ api: 'vk_lp', outcome: 'fault' })).toBe(1);
    // failed 2 and 3 invalidate the key: the source had to fetch a new one.
    expect(emu.countRequests({ api: 'vk', method: 'groups.getLongPollServer' })).toBe(failed === 1 ? 1 : 2);
  });

  it('should refuse the old key after failed: 2, as an expired key is refused', async () => {
    const { key, ts } = await fetchLongPollServer();
    emu.injectFault({ api: 'vk_lp', kind: { longPollFailed: 2 } });
    expect(await aCheck(key, ts)).toEqual({ failed: 2 });
    expect(await aCheck(key, ts)).toEqual({ failed: 2 });
  });
});

async function fetchLongPollServer(): Promise<{ key: string; ts: string }> {
  const [api] = createVkCommunityApis(config).values();
  return (await api!.groups.getLongPollServer({ group_id: group })) as unknown as { key: string; ts: string };
}

async function aCheck(key: string, ts: string): Promise<unknown> {
  const res = await fetch(`${emu.url}/vk-lp/${group}?act=a_check&key=${key}&ts=${ts}&wait=0`);
  return res.json();
}

describe('Telegram getUpdates faults', () => {
  const client = (requestTimeoutMs = config.telegram.requestTimeoutMs): TelegramClient =>
    new TelegramClient({ ...config, telegram: { ...config.telegram, requestTimeoutMs } }, TELEGRAM_TOKEN);
  const getUpdates = (c: TelegramClient): Promise<{ message?: { text?: string } }[]> => c.call('getUpdates', { timeout: 0 });
  const updateTexts = async (c: TelegramClient): Promise<(string | undefined)[]> => (await getUpdates(c)).map((u) => u.message?.text);

  it.each([
    { kind: { httpStatus: 502 }, error: { name: 'HttpError', status: 502 } },
    { kind: { httpStatus: 409 }, error: { name: 'ApiError', apiCode: 409 } },
  ])('should fail getUpdates with $kind.httpStatus and keep the update for the next call', async ({ kind, error }) => {
    emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: CITIZEN, text: 'Яма на дороге' });
    emu.injectFault({ api: 'telegram', method: 'getUpdates', kind });
    const c = client();
    await expect(getUpdates(c)).rejects.toMatchObject(error);
    expect(await updateTexts(c)).toEqual(['Яма на дороге']);
  });

  it('should hang getUpdates past the client timeout without confirming or answering anything', async () => {
    emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: CITIZEN, text: 'Яма на дороге' });
    emu.injectFault({ api: 'telegram', method: 'getUpdates', kind: { hang: true } });
    const c = client(200);
    await expect(getUpdates(c)).rejects.toMatchObject({ name: 'HttpError', message: expect.stringContaining('timed out') });
    expect(emu.countRequests({ api: 'telegram', method: 'getUpdates', outcome: 'fault' })).toBe(1);
    expect(await updateTexts(c)).toEqual(['Яма на дороге']);
  });

  it('should drop updates older than the given age, as Telegram keeps them 24 hours', async () => {
    emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: CITIZEN, text: 'Вчерашнее' });
    now += DAY_MS + 60_000;
    emu.sendTelegramMessage({ chatId: CITY_CHAT, fromId: CITIZEN, text: 'Сегодняшнее' });
    expect((await control('injectFault', { api: 'telegram', method: 'getUpdates', kind: { dropUpdatesOlderThanSeconds: 86_400 } })).ok).toBe(true);
    const c = client();
    expect(await updateTexts(c)).toEqual(['Сегодняшнее']);
    expect(await updateTexts(c)).toEqual(['Сегодняшнее']);
  });
});
