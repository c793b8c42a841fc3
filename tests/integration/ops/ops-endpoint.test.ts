import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/app.js';
import type { Config } from '../../../src/config.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import { silentLogger } from '../../../src/logger.js';
import { ManualClock } from '../../helpers/index.js';
import { addCommunities, emulatorConfig, TELEGRAM_TOKEN } from '../channels/vk-fixtures.js';

/**
 * The running app's operator surface: /healthz and /metrics over loopback HTTP, the scheduler's
 * jobs wired to the outbox (the digest chart goes out as a photo), due times on incidents.
 * Schedules are set to a far-away daily tick so nothing fires by itself: the test runs each
 * job with `runNow` and each delivery with `runOnce`.
 */
const MODERATORS = -1001000000099;
const CITIZEN = 7001;
const NEVER = '0 0 1 1 *';

const HOUR = 3_600_000;
let clock: ManualClock;
let emu: Emulator;
let app: App;
let config: Config;
let group: number;
let post: number;

async function get(path: string, init?: RequestInit): Promise<{ status: number; type: string; body: string }> {
  const address = app.httpAddress!;
  const res = await fetch(`http://${address.host}:${address.port}${path}`, init);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

beforeEach(async () => {
  clock = new ManualClock();
  emu = await Emulator.start({ clock: clock.now });
  [group] = addCommunities(emu, 1) as [number];
  post = emu.addPost(group, { text: 'Новости города', date: Math.floor((clock.current - HOUR) / 1000) });
  emu.addUserToken({ token: 'vk-user-token-test' });
  emu.addBot({ token: TELEGRAM_TOKEN, username: 'otklik_test_bot' });
  emu.addChat({ id: MODERATORS, type: 'supergroup', title: 'Модераторы' });
  emu.addVkUser({ id: CITIZEN, firstName: 'Ольга', lastName: 'Кузнецова' });
  config = emulatorConfig(emu, [group], {
    overrides: {
      database: { path: ':memory:' },
      http: { enabled: true, host: '127.0.0.1', port: 0 },
      telegram: { apiRoot: emu.telegramApiRoot, moderatorsChatId: MODERATORS, pollTimeoutSeconds: 1, requestTimeoutMs: 2000 },
      schedules: { vkPoll: NEVER, outbox: NEVER, deadlines: NEVER, spikes: NEVER, digest: NEVER, retention: NEVER },
      digest: { chartDir: mkdtempSync(join(tmpdir(), 'otklik-charts-')) },
    },
  });
  // Long poll of the community is not under test here.
  config = { ...config, vk: { ...config.vk, communities: config.vk.communities.map((c) => ({ ...c, watchMessages: false })) } };
  app = await App.create({ config, clock: clock.now, logger: silentLogger(), processMetrics: false, deliveryLimits: { telegramGroupPerMinute: 600 } });
  await app.start();
});

afterEach(async () => {
  await app.stop();
  await emu.close();
});

/** Read the walls (the first poll baselines them), let a citizen complain, poll and deliver. */
async function complaint(): Promise<void> {
  await app.pollVkOnce();
  clock.advance(60_000);
  emu.addComment({
    groupId: group,
    postId: post,
    fromId: CITIZEN,
    text: 'На перекрёстке Советской и Гагарина огромная яма, вчера две машины пробили колёса. Когда отремонтируют?',
  });
  await app.pollVkOnce();
  await app.outboxWorker.runOnce();
}

describe('ops endpoint', () => {
  it("should answer /healthz with 200 and each channel's last successful poll while all channels run", async () => {
    await complaint();
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    const report = JSON.parse(res.body) as {
      status: string;
      channels: { channel: string; state: string; lastSuccessAt: string | null; lastError: string | null }[];
    };
    expect(report.status).toBe('ok');
    const wall = report.channels.find((c) => c.channel === 'vk:wall');
    expect(wall).toMatchObject({ state: 'running', lastError: null });
    expect(Date.parse(wall!.lastSuccessAt!)).not.toBeNaN();
    expect(report.channels.map((c) => c.channel)).toContain('delivery:vk');
  });

  it('should answer /healthz with 503 and the error when a token is refused', async () => {
    await app.pollVkOnce();
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { vkError: 5 }, times: Infinity });
    await app.pollVkOnce();
    const res = await get('/healthz');
    expect(res.status).toBe(503);
    const report = JSON.parse(res.body) as { status: string; channels: { channel: string; state: string; lastError: string | null }[] };
    expect(report.status).toBe('degraded');
    const wall = report.channels.find((c) => c.channel === 'vk:wall')!;
    expect(wall.state).toBe('stopped');
    expect(wall.lastError).toBeTruthy();
    expect(res.body).not.toContain('vk-user-token-test');
  });

  it('should expose messages, incidents, outbox backlog, API calls and the acknowledgement latency on /metrics', async () => {
    await complaint();
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    expect(res.body).toMatch(/otklik_messages_seen_total\{channel="vk_comment",decision="incident"\} 1\b/);
    expect(res.body).toMatch(/otklik_incidents\{status="new"\} 1\b/);
    expect(res.body).toMatch(/otklik_incidents\{status="closed"\} 0\b/);
    expect(res.body).toMatch(/otklik_outbox_rows\{state="dead"\} 0\b/);
    expect(res.body).toMatch(/otklik_outbox_delivered_total\{platform="vk",purpose="ack"\} 1\b/);
    expect(res.body).toMatch(/otklik_api_calls_total\{platform="vk",method="wall.get"\} [1-9]/);
    expect(res.body).toMatch(/otklik_api_calls_total\{platform="vk",method="wall.createComment"\} 1\b/);
    expect(res.body).toMatch(/otklik_ack_latency_seconds_count\{channel="vk_comment"\} 1\b/);
    expect(res.body).toMatch(/otklik_channel_state\{channel="vk:wall",state="running"\} 1\b/);
    expect(res.body).toMatch(/otklik_job_runs\{job="digest",outcome="ok"\} 0\b/);
  });

  it('should count failed API calls by method and error code', async () => {
    await app.pollVkOnce();
    emu.injectFault({ api: 'vk', method: 'wall.get', kind: { vkError: 10 }, times: 1 });
    await app.pollVkOnce();
    const res = await get('/metrics');
    expect(res.body).toMatch(/otklik_api_errors_total\{platform="vk",method="wall.get",error="vk_10"\} 1\b/);
  });

  it('should refuse other paths and methods clearly', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
    const head = await get('/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('should refuse to start on a port already taken, naming the setting', async () => {
    const second = await App.create({
      config: { ...config, http: { ...config.http, port: app.httpAddress!.port } },
      clock: clock.now,
      logger: silentLogger(),
      processMetrics: false,
    });
    await expect(second.start()).rejects.toThrow(/Cannot listen on 127\.0\.0\.1:\d+ .*EADDRINUSE.*http\.port/);
    await second.stop();
  });

  it('should close the endpoint when the app stops', async () => {
    const { host, port } = app.httpAddress!;
    await app.stop();
    await expect(fetch(`http://${host}:${port}/healthz`)).rejects.toThrow();
  });
});

describe('scheduled jobs in the app', () => {
  it('should give every new incident its accept and answer due times', async () => {
    await complaint();
    const row = app.db.prepare('SELECT created_at, accept_due_at, answer_due_at FROM incidents').get() as Record<string, number | null>;
    expect(row.accept_due_at).toBeGreaterThan(row.created_at!);
    expect(row.answer_due_at).toBeGreaterThan(row.accept_due_at!);
  });

  it("should send the digest text and its chart as a photo to the moderators' chat once per day", async () => {
    await complaint();
    expect(await app.jobs.scheduler.runNow('digest')).toBe(true);
    await app.outboxWorker.runOnce();
    expect(await app.jobs.scheduler.runNow('digest')).toBe(true);
    await app.outboxWorker.runOnce();
    const sent = emu.sent();
    const digests = sent.telegramMessages.filter((m) => m.chatId === MODERATORS && m.text.includes('Сводка за'));
    expect(digests).toHaveLength(1);
    expect(sent.telegramPhotos).toHaveLength(1);
    expect(sent.telegramPhotos[0]).toMatchObject({ chatId: MODERATORS, caption: expect.stringContaining('Обращения за') });
    const photo = sent.telegramPhotos[0]!.photo as { filename: string; size: number };
    expect(photo.filename).toMatch(/^digest-\d{4}-\d{2}-\d{2}\.png$/);
    expect(photo.size).toBeGreaterThan(1000);
  });

  it('should deliver on the outbox schedule what a job queued, and let a run in flight finish on stop', async () => {
    await complaint();
    const digest = app.jobs.scheduler.runNow('digest');
    const stopping = app.stop();
    await digest;
    await stopping;
    expect(app.jobs.scheduler.stats().digest).toMatchObject({ runs: 1, failures: 0 });
  });
});
