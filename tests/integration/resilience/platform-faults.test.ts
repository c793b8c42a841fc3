/**
 * Platform faults against the whole app (real vk-io and telegraf, the MAX client, the emulator on loopback):
 * a fifth of all calls fail, a platform goes down for a while, a token is refused.
 */
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app.js';
import { BENCH_MODERATORS_CHAT, type BenchWorld, benchCommunityToken, benchConfig, buildBenchWorld } from '../../../src/bench/bench-world.js';
import { BENCH_DELIVERY_LIMITS } from '../../../src/bench/pipeline-throughput.js';
import type { Config } from '../../../src/config.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { FaultKind } from '../../../src/emulator/faults.js';
import { createLogger } from '../../../src/logger.js';
import { addBusyPost, type BusyPost, MessageStream } from './stream.js';

const WALL = 2;
/** Messages of the fifth-of-calls-fail run; OTKLIK_FAULT_MESSAGES for a longer one. */
const MESSAGES = Number(process.env.OTKLIK_FAULT_MESSAGES ?? 60);
const LONG_POLL = 2;
/** The decisions that answer the citizen: a new incident (ack) and a complaint linked to an open one (ack_linked). */
const ANSWERED = new Set(['incident', 'linked']);

let emulator: Emulator;
let world: BenchWorld;
let app: App | null = null;
let logLines: string[];
let busy: BusyPost;

/** Waits until `check` holds; the deadline only turns a hang into a failure. */
async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function logger() {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return createLogger({ level: 'info', pretty: false, secrets: Object.values(world.env), destination });
}

async function startApp(config: Config = benchConfig(world)): Promise<App> {
  app = await App.create({ config, logger: logger(), deliveryLimits: BENCH_DELIVERY_LIMITS });
  await app.start();
  return app;
}

const rows0 = (a: App): { channel: string }[] => a.db.prepare('SELECT channel FROM messages').all() as { channel: string }[];
const count = (sql: string): number => (app!.db.prepare(sql).get() as { n: number }).n;

beforeEach(async () => {
  logLines = [];
  emulator = await Emulator.start();
  world = buildBenchWorld(emulator, {
    communities: WALL + LONG_POLL,
    longPollCommunities: LONG_POLL,
    postsPerCommunity: 2,
    telegram: false,
    max: true,
    dbPath: ':memory:',
    overrides: {
      // One post more than the world made: the busy post below.
      vk: { pollIntervalSeconds: 5, requestTimeoutMs: 500, postsPerCommunity: 3 },
      // A send that outlives sendTimeoutMs has an unknown outcome; its retry waits unknownOutcomeDelayMs, shortened like the backoff.
      telegram: { pollTimeoutSeconds: 1, requestTimeoutMs: 3000, sendTimeoutMs: 1000 },
      outbox: { backoffBaseMs: 50, backoffMaxMs: 400, maxAttempts: 40, unknownOutcomeDelayMs: 1000 },
      // Retries wait for the outbox sweep; every second rather than every 5 s keeps the test short.
      schedules: { outbox: '* * * * * *' },
      logging: { level: 'info' },
    },
  });
  busy = addBusyPost(emulator, world.groups[0]!);
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await emulator.close();
});

describe('platform faults', () => {
  it(
    'should record every message and answer every complaint, on VK exactly once and on Telegram with at most one repeat per unknown outcome, while a fifth of all calls fail',
    async () => {
      const a = await startApp();
      await until(
        () =>
          emulator.heldPolls('vk_lp') >= LONG_POLL &&
          emulator.heldPolls('telegram') >= 1 &&
          emulator.heldPolls('max') >= 1 &&
          emulator.countRequests({ method: 'execute' }) >= 1,
        'the bot to listen',
      );
      const vkKinds: FaultKind[] = [{ vkError: 6 }, { vkError: 9 }, { vkError: 10 }, { httpStatus: 500 }, { httpStatus: 502 }, { delayMs: 700 }];
      emulator.setFailureRate({ api: 'vk', rate: 0.2, kinds: vkKinds, seed: 3 });
      // Telegram: refusals that prove nothing arrived, and sends whose outcome is unknown (delivered, then
      // answered after the send timeout or without message_id): those may repeat once.
      emulator.setFailureRate({
        api: 'telegram',
        rate: 0.2,
        kinds: [{ telegram429: 1 }, { httpStatus: 502 }, { delayMs: 1500 }, { corrupt: { message_id: undefined } }],
        seed: 4,
      });
      emulator.setFailureRate({ api: 'max', rate: 0.2, kinds: [{ httpStatus: 429 }, { httpStatus: 503 }, { httpStatus: 502 }, { delayMs: 700 }], seed: 5 });

      const stream = new MessageStream(emulator, world, { wallGroups: world.groups.slice(0, WALL), lpGroups: world.groups.slice(WALL), max: 0.25, busy }, 23);
      for (let i = 0; i < MESSAGES; i += 1) stream.next();
      // The wall is read on the poll interval; one more poll now, through the faults, shortens the wait.
      await until(
        () => {
          void a.pollVkOnce();
          return count('SELECT COUNT(*) AS n FROM messages') >= MESSAGES && count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'") === 0;
        },
        'every message recorded and answered',
        Math.max(120_000, MESSAGES * 150),
      ).catch((error: unknown) => {
        const recorded = new Set(
          (a.db.prepare('SELECT channel, external_id AS e FROM messages').all() as { channel: string; e: string }[]).map((r) => `${r.channel}:${r.e}`),
        );
        const missing = stream.injected.filter((i) => !recorded.has(`${i.channel}:${i.externalId}`));
        const pending = a.db
          .prepare("SELECT idempotency_key AS k, fail_count AS f, fail_reason AS r, next_attempt_at - ? AS due FROM outbox WHERE state = 'pending'")
          .all(Date.now());
        throw new Error(
          `${String(error)}; missing ${JSON.stringify(missing)} (old threads ${JSON.stringify(stream.oldThreads)}); pending ${JSON.stringify(pending)}`,
        );
      });

      const faults = emulator.requestLog().filter((e) => e.outcome === 'fault');
      expect(faults.filter((e) => e.api === 'vk').length).toBeGreaterThan(3);
      expect(faults.filter((e) => e.api === 'telegram').length).toBeGreaterThan(0);
      expect(faults.filter((e) => e.api === 'max').length).toBeGreaterThan(0);
      expect(rows0(a).some((r) => r.channel.startsWith('max_'))).toBe(true);
      expect(count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'dead'")).toBe(0);
      const replies = stream.replies();
      const rows = a.db.prepare('SELECT channel, external_id AS externalId, decision FROM messages').all() as {
        channel: string;
        externalId: string;
        decision: string;
      }[];
      // Nothing lost, replies in old threads of the busy post included.
      expect(rows).toHaveLength(MESSAGES);
      const recorded = new Set(rows.map((r) => `${r.channel}:${r.externalId}`));
      for (const item of stream.injected) expect(recorded.has(`${item.channel}:${item.externalId}`), item.externalId).toBe(true);
      expect(stream.oldThreads.length).toBeGreaterThan(0);
      // A new incident gets its acknowledgement; a complaint about a problem already open is linked to
      // that incident and gets the ack_linked reply; anything else gets none. VK takes an idempotency
      // key: exactly once. Telegram has none: a send of unknown outcome is retried once after a delay.
      const unknown = Number(/^otklik_outbox_outcome_unknown_total\{platform="telegram"\} (\d+)$/m.exec(await a.metrics.render())?.[1] ?? 0);
      let telegramRepeats = 0;
      for (const row of rows) {
        const got = replies.get(`${row.channel}:${row.externalId}`) ?? 0;
        const want = ANSWERED.has(row.decision) ? 1 : 0;
        if (row.channel === 'telegram' && want === 1) {
          expect(got, `${row.externalId} (${row.decision})`).toBeGreaterThanOrEqual(1);
          telegramRepeats += got - 1;
        } else expect(got, `${row.externalId} (${row.decision})`).toBe(want);
      }
      expect(telegramRepeats).toBeLessThanOrEqual(unknown);
      // Most are complaints: a new incident, or the same problem as an open one (the generated texts repeat places at larger sizes).
      expect(rows.filter((r) => ANSWERED.has(r.decision)).length).toBeGreaterThan(MESSAGES / 2);
      process.stdout.write(
        `platform faults: ${MESSAGES} messages (${stream.oldThreads.length} in old threads of a busy post), ${faults.length} faults, ${unknown} Telegram sends of unknown outcome, ${telegramRepeats} repeated Telegram replies, 0 lost, 0 VK duplicates\n`,
      );
    },
    180_000 + MESSAGES * 200,
  );

  it('should only delay work while VK is down, then answer everything once', async () => {
    const a = await startApp();
    await until(() => emulator.heldPolls('vk_lp') >= LONG_POLL && emulator.countRequests({ method: 'execute' }) >= 1, 'the bot to listen');
    emulator.injectFault({ api: 'vk', method: 'messages.send', kind: { httpStatus: 503 }, times: Number.POSITIVE_INFINITY });
    const stream = new MessageStream(emulator, world, { wallGroups: [], lpGroups: world.groups.slice(WALL) }, 5);
    const vkSources = 6;
    for (let i = 0; i < vkSources; i += 1) stream.next({ channel: 'vk_message' });
    // Down: every send fails and is retried with backoff; nothing is given up, nothing is sent.
    await until(
      () => emulator.requestLog().filter((e) => e.method === 'messages.send' && e.outcome === 'fault').length >= 3 * vkSources,
      'retries against the outage',
    );
    expect(emulator.sent().vkMessages).toHaveLength(0);
    expect(count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'dead'")).toBe(0);
    expect(a.status.get('delivery:vk')?.state).toBe('degraded');

    emulator.clearFaults();
    await until(() => count("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'") === 0, 'the backlog to drain');
    const incidents = count("SELECT COUNT(*) AS n FROM messages WHERE decision = 'incident' AND channel = 'vk_message'");
    expect(emulator.sent().vkMessages).toHaveLength(incidents);
    expect(new Set(emulator.sent().vkMessages.map((m) => `${m.groupId}_${m.replyTo}`)).size).toBe(incidents);
  }, 120_000);

  it('should stop only the channel whose token is refused, with a clear log line and one alert to the moderators, not a crash loop', async () => {
    const revoked = world.groups[WALL]!;
    const config = benchConfig(world);
    const tokens = new Map(config.secrets.vkCommunityTokens);
    tokens.set(revoked, 'revoked-community-token');
    const a = await startApp({ ...config, secrets: { ...config.secrets, vkCommunityTokens: tokens } });
    const healthy = world.groups[WALL + 1]!;
    await until(() => emulator.heldPolls('vk_lp') >= 1 && a.status.get(`vk:lp:${revoked}`)?.state === 'stopped', 'the refused community to stop');

    // The healthy community still listens and answers.
    emulator.addVkUser({ id: 4242, firstName: 'Анна', lastName: 'Иванова' });
    emulator.sendCommunityMessage({ groupId: healthy, fromId: 4242, text: 'В Зареченске на Ленина 5 третий день нет горячей воды. Примите меры!' });
    await until(() => emulator.sent().vkMessages.length === 1, 'the healthy community to answer');

    // A reply through the refused token pauses VK delivery and tells the moderators once.
    a.stores.outbox.enqueue(
      {
        idempotencyKey: 'test:refused',
        purpose: 'ack',
        message: { destination: { kind: 'vk_message', groupId: revoked, peerId: 4242 }, text: 'Ответ', format: 'plain' },
      },
      Date.now(),
    );
    a.outboxWorker.notify();
    // The moderators' chat also gets the healthy community's incident card; alerts are the rest.
    const cardIds = () =>
      new Set(
        (a.db.prepare("SELECT external_id AS id FROM outbox WHERE purpose = 'card' AND state = 'sent'").all() as { id: string }[]).map((r) => Number(r.id)),
      );
    const moderatorAlerts = () => emulator.sent().telegramMessages.filter((m) => m.chatId === BENCH_MODERATORS_CHAT && !cardIds().has(m.messageId));
    await until(() => moderatorAlerts().length >= 2, 'the alerts to the moderators');
    for (let i = 0; i < 5; i += 1) await a.outboxWorker.runOnce();

    expect(cardIds().size).toBe(1);
    const alerts = moderatorAlerts().map((m) => m.text);
    // One for the stopped long poll, one for the paused delivery; neither repeats.
    expect(alerts).toHaveLength(2);
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`сообщения сообщества VK ${revoked}.*токен`)),
        expect.stringMatching(/Отправка в VK остановлена.*токен/),
      ]),
    );
    expect(a.status.get('delivery:vk')?.state).toBe('stopped');
    // One refused long poll server request and one refused send: no loop of retries against a dead token.
    expect(emulator.requestLog().filter((e) => e.method === 'groups.getLongPollServer' && e.caller === 'unknown').length).toBe(1);
    // (A community token's sends go out folded into `execute`: the refused token fails that request.)
    expect(
      emulator.requestLog().filter((e) => (e.method === 'messages.send' || e.method === 'execute') && e.caller === 'unknown' && e.outcome === 'error').length,
    ).toBe(1);
    const fatalLines = logLines.filter((l) => /token was refused/.test(l));
    expect(fatalLines.length).toBeGreaterThanOrEqual(2);
    expect(logLines.join('\n')).not.toContain('revoked-community-token');
    expect(benchCommunityToken(revoked)).not.toBe('revoked-community-token');
  }, 60_000);

  it('should stop wall reading on a refused reader token and tell the moderators once, however often it polls', async () => {
    const config = benchConfig(world);
    const a = await startApp({ ...config, secrets: { ...config.secrets, vkReader: { kind: 'user', token: 'revoked-reader-token' } } });
    for (let i = 0; i < 3; i += 1) await a.pollVkOnce();
    expect(a.status.get('vk:wall')).toMatchObject({ state: 'stopped', lastError: expect.stringMatching(/5/) });
    await until(() => emulator.sent().telegramMessages.some((m) => m.chatId === BENCH_MODERATORS_CHAT), 'the alert to the moderators');
    await a.outboxWorker.runOnce();
    const alerts = emulator.sent().telegramMessages.filter((m) => m.chatId === BENCH_MODERATORS_CHAT);
    expect(alerts.map((m) => m.text)).toEqual([expect.stringMatching(/чтение комментариев VK.*токен/)]);
    expect(logLines.some((l) => /VK reader token cannot read walls/.test(l))).toBe(true);
    expect(logLines.join('\n')).not.toContain('revoked-reader-token');
  }, 60_000);
});
