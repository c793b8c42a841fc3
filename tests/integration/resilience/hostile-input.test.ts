/**
 * Hostile input fuzz against the whole app: thousands of generated texts, commands and forged
 * button presses over every channel, while the emulator answers some calls with malformed JSON or
 * JSON of the wrong shape. No crash, no unhandled rejection, every message recorded with a
 * well-formed text, nothing sent that the platform refuses, and the bot still answers afterwards.
 */

import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app.js';
import { BENCH_CHAT, BENCH_MODERATORS_CHAT, type BenchWorld, benchConfig, buildBenchWorld } from '../../../src/bench/bench-world.js';
import { BENCH_DELIVERY_LIMITS } from '../../../src/bench/pipeline-throughput.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { Prng } from '../../../src/emulator/prng.js';
import { MAX_TEXT_LENGTH } from '../../../src/incidents/ingest.js';
import { createLogger } from '../../../src/logger.js';
import { forgedCallback, hostileText, IMPOSSIBLE_TEXT_LENGTH } from './hostile-texts.js';

/** Sized for `npm test`; OTKLIK_FUZZ_TEXTS=2000 (or more) for the full run. */
const TEXTS = Number(process.env.OTKLIK_FUZZ_TEXTS ?? 800);
const PRESSES = 200;

let emulator: Emulator;
let world: BenchWorld;
let app: App | null = null;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

async function until(check: () => boolean, what: string, timeoutMs = 120_000, explain?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${explain ? `: ${explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  process.on('unhandledRejection', onRejection);
  emulator = await Emulator.start();
  world = buildBenchWorld(emulator, {
    communities: 3,
    longPollCommunities: 2,
    postsPerCommunity: 2,
    dbPath: ':memory:',
    overrides: {
      vk: { pollIntervalSeconds: 5, requestTimeoutMs: 2000 },
      telegram: { pollTimeoutSeconds: 1 },
      // Malformed send answers are unknown outcomes: their retry waits unknownOutcomeDelayMs, shortened like the backoff.
      outbox: { backoffBaseMs: 50, backoffMaxMs: 300, maxAttempts: 40, unknownOutcomeDelayMs: 300 },
    },
  });
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await emulator.close();
  process.off('unhandledRejection', onRejection);
});

describe('hostile input', () => {
  it(`should survive ${TEXTS} hostile texts, commands, ${PRESSES} forged presses and malformed answers`, async () => {
    const warnings: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const logger = createLogger({ level: 'warn', pretty: false, secrets: Object.values(world.env), destination });
    app = await App.create({ config: benchConfig(world), logger, deliveryLimits: BENCH_DELIVERY_LIMITS });
    await app.start();
    const a = app;
    await until(
      () => emulator.heldPolls('vk_lp') >= 2 && emulator.heldPolls('telegram') >= 1 && emulator.countRequests({ method: 'wall.get' }) >= 1,
      'the bot to listen',
      15_000,
    );
    const malformed = [{ malformed: 'json' as const }, { malformed: 'shape' as const }];
    emulator.setFailureRate({ api: 'vk', rate: 0.1, kinds: malformed, seed: 8 });
    emulator.setFailureRate({ api: 'telegram', rate: 0.1, kinds: malformed, seed: 9 });

    const prng = new Prng(99);
    const wallGroup = world.groups[0]!;
    const lpGroups = world.groups.slice(1);
    const injected = new Set<string>();
    const texts = new Map<string, string>();
    let impossible = 0;
    for (let i = 0; i < TEXTS; i += 1) {
      const text = hostileText(prng);
      const where = i % 5;
      let key: string;
      if (where === 0) {
        const id = emulator.addComment({ groupId: wallGroup, postId: prng.pick(world.posts.get(wallGroup)!), fromId: 9_000_000 + i, text });
        key = `vk_comment:-${wallGroup}_${id}`;
      } else if (where === 1) {
        const groupId = prng.pick(lpGroups);
        emulator.addVkUser({ id: 9_000_000 + i, firstName: 'Незнакомец', lastName: String(i) });
        key = `vk_message:${groupId}_${emulator.sendCommunityMessage({ groupId, fromId: 9_000_000 + i, text })}`;
      } else {
        // Private chats, the city chat, and the moderators' chat written by strangers.
        const userId = 9_100_000 + i;
        emulator.addTgUser({ id: userId, firstName: `Незнакомец ${i}` });
        const chatId = where === 2 ? userId : where === 3 ? BENCH_CHAT : BENCH_MODERATORS_CHAT;
        if (chatId === userId) emulator.addChat({ id: userId, type: 'private' });
        key = `telegram:${chatId}_${emulator.sendTelegramMessage({ chatId, fromId: userId, text })}`;
      }
      texts.set(key, text);
      // No platform sends such a text: it is skipped with a warning, not recorded.
      if (text.length > IMPOSSIBLE_TEXT_LENGTH) impossible += 1;
      else injected.add(key);
    }
    const missing = () => {
      const have = new Set(
        (a.db.prepare('SELECT channel, external_id AS id FROM messages').all() as { channel: string; id: string }[]).map((r) => `${r.channel}:${r.id}`),
      );
      return [...injected].filter((key) => !have.has(key));
    };
    await until(
      () => {
        void a.pollVkOnce();
        return missing().length === 0;
      },
      'every message recorded',
      120_000,
      () =>
        `missing ${JSON.stringify(
          missing()
            .slice(0, 19)
            .map((k) => [k, (texts.get(k) ?? '').slice(0, 30), (texts.get(k) ?? '').length]),
        )} of ${missing().length}; status ${JSON.stringify(a.status.list())}`,
    );

    // Forged presses under the bot's own messages, by strangers.
    const botMessages = emulator.sent().telegramMessages;
    expect(botMessages.length).toBeGreaterThan(0);
    for (let i = 0; i < PRESSES; i += 1) {
      const target = prng.pick(botMessages);
      emulator.pressButton({ chatId: target.chatId, messageId: target.messageId, fromId: 9_500_000 + i, data: forgedCallback(prng), forge: true });
    }

    // Still alive and answering, once the faults stop.
    emulator.clearFaults();
    emulator.addVkUser({ id: 4343, firstName: 'Мария', lastName: 'Белова' });
    const probe = emulator.sendCommunityMessage({
      groupId: lpGroups[0]!,
      fromId: 4343,
      text: 'В Сосновке на Лесной 4 прорвало трубу, вода заливает подвал. Помогите, пожалуйста.',
    });
    await until(() => emulator.sent().vkMessages.some((m) => m.peerId === 4343 && m.replyTo === probe), 'the probe to be answered');
    await until(() => (a.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }).n === 0, 'the outbox to drain');

    expect(rejections).toEqual([]);
    expect(impossible).toBeGreaterThan(0);
    expect(warnings.filter((l) => /text of \d+ characters/.test(l)).length).toBeGreaterThanOrEqual(impossible);
    const rows = a.db.prepare('SELECT channel, external_id AS externalId, text, decision FROM messages').all() as {
      channel: string;
      externalId: string;
      text: string | null;
      decision: string;
    }[];
    const keys = new Set(rows.map((r) => `${r.channel}:${r.externalId}`));
    for (const key of injected) expect(keys.has(key), key).toBe(true);
    expect(rows.filter((r) => r.decision === 'failed')).toEqual([]);
    for (const row of rows) {
      const text = row.text ?? '';
      expect(text.isWellFormed(), row.externalId).toBe(true);
      expect(text.includes('\u0000'), row.externalId).toBe(false);
      expect(text.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    }
    // The SQL in the texts stayed text: every table is still there and counts add up.
    expect((a.db.prepare('SELECT COUNT(*) AS n FROM incidents').get() as { n: number }).n).toBeGreaterThan(0);
    // Nothing the bot sent was refused by a platform (bad markup, overlong text): no send error, no dead row.
    const refusedSends = emulator
      .requestLog()
      .filter((e) => e.outcome === 'error' && ['sendMessage', 'editMessageText', 'messages.send', 'wall.createComment'].includes(e.method));
    expect(refusedSends).toEqual([]);
    expect(a.db.prepare("SELECT purpose, fail_reason AS reason FROM outbox WHERE state = 'dead'").all()).toEqual([]);
    const sent = emulator.sent();
    for (const m of [...sent.telegramMessages.map((t) => t.text), ...sent.vkMessages.map((v) => v.text), ...sent.vkComments.map((c) => c.text)]) {
      expect(m.isWellFormed()).toBe(true);
      expect(m.length).toBeLessThanOrEqual(4096);
    }
    // Forged presses were answered or ignored, never crashed the source.
    expect(a.status.get('telegram:updates')?.state).not.toBe('stopped');
  }, 240_000);
});
