/**
 * Graceful shutdown of the real bot process: SIGTERM while a reply is in flight lets that send
 * finish and be recorded, ends the held long polls, and exits 0 before the shutdown grace
 * period (whose timer would exit 1).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BenchWorld, buildBenchWorld } from '../../../src/bench/bench-world.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { BotHome } from './bot-process.js';

let emulator: Emulator;
let world: BenchWorld;
let home: BotHome;

beforeEach(async () => {
  emulator = await Emulator.start();
  world = buildBenchWorld(emulator, {
    communities: 1,
    longPollCommunities: 1,
    postsPerCommunity: 1,
    telegram: false,
    dbPath: 'unused: OTKLIK_DB_PATH names the file',
    overrides: { telegram: { pollTimeoutSeconds: 25 }, vk: { requestTimeoutMs: 10_000 }, logging: { level: 'info' } },
  });
  home = new BotHome(world);
});

afterEach(async () => {
  await home.dispose();
  await emulator.close();
});

describe('graceful shutdown', () => {
  it('should finish the send in flight, record it, and exit 0 on SIGTERM', async () => {
    const groupId = world.groups[0]!;
    const bot = home.start();
    await home.until(() => emulator.heldPolls('vk_lp') >= 1 && emulator.heldPolls('telegram') >= 1, 'the bot to listen');

    // The reply will be held by the platform for a while: it is in flight when SIGTERM comes.
    emulator.injectFault({ api: 'vk', method: 'messages.send', kind: { delayMs: 1500 } });
    emulator.addVkUser({ id: 5151, firstName: 'Олег', lastName: 'Смирнов' });
    const messageId = emulator.sendCommunityMessage({
      groupId,
      fromId: 5151,
      text: 'На Садовой 3 не вывозят мусор уже неделю, контейнеры переполнены. Примите меры!',
    });
    await emulator.waitForHeldPoll('delayed');
    bot.kill('SIGTERM');

    expect(await bot.exited).toEqual({ code: 0, signal: null });
    expect(emulator.sent().vkMessages.map((m) => ({ peerId: m.peerId, replyTo: m.replyTo }))).toEqual([{ peerId: 5151, replyTo: messageId }]);
    const outbox = home.read((db) => db.prepare("SELECT state, lease_until AS leaseUntil FROM outbox WHERE purpose = 'ack'").all());
    expect(outbox).toEqual([{ state: 'sent', leaseUntil: null }]);
    const log = home.output.join('');
    expect(log).toMatch(/stopping: finishing work in flight/);
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).not.toMatch(/shutdown took too long/);
  }, 60_000);

  it('should start again on the same database and send nothing twice', async () => {
    const groupId = world.groups[0]!;
    let bot = home.start();
    await home.until(() => emulator.heldPolls('vk_lp') >= 1, 'the bot to listen');
    emulator.addVkUser({ id: 5252, firstName: 'Вера', lastName: 'Орлова' });
    emulator.sendCommunityMessage({ groupId, fromId: 5252, text: 'Во дворе дома Мира 8 огромная яма, машины бьют колёса. Просим разобраться.' });
    await home.until(() => emulator.sent().vkMessages.length === 1, 'the reply');
    bot.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);

    bot = home.start();
    await home.until(() => emulator.heldPolls('vk_lp') >= 1, 'the restarted bot to listen');
    emulator.addVkUser({ id: 5353, firstName: 'Пётр', lastName: 'Кузнецов' });
    emulator.sendCommunityMessage({ groupId, fromId: 5353, text: 'На Гагарина 12 не горят фонари, вечером темно и страшно.' });
    await home.until(() => emulator.sent().vkMessages.length === 2, 'the second reply');
    bot.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    expect(emulator.sent().vkMessages.map((m) => m.peerId)).toEqual([5252, 5353]);
  }, 60_000);
});
