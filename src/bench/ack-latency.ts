/**
 * Figure: acknowledgement latency, from a comment or message appearing in the emulator to the
 * bot's reply arriving there, measured with the emulator's own clock (request log), for wall
 * polling and for the push channels (VK Bots Long Poll, Telegram getUpdates).
 */
import { join } from 'node:path';
import { App } from '../app.js';
import { Emulator } from '../emulator/emulator.js';
import { Prng } from '../emulator/prng.js';
import { silentLogger } from '../logger.js';
import { sleep } from '../retry.js';
import { BENCH_CHAT, benchConfig, buildBenchWorld } from './bench-world.js';
import { type Figure, percentile, waitUntil } from './figure.js';
import { BENCH_DELIVERY_LIMITS } from './pipeline-throughput.js';
import { complaintText } from './texts.js';

export interface AckLatencyOptions {
  tmpDir: string;
  /** Wall comments, spread evenly at random over `wallWindowS`. */
  wallSamples: number;
  wallWindowS: number;
  /** Messages on each push channel (VK community messages, Telegram group), one every `pushGapMs`. */
  pushSamples: number;
  pushGapMs: number;
}

/** The shortest poll interval the config allows; the bench states it with the figure. */
export const BENCH_POLL_INTERVAL_S = 5;
const WALL_COMMUNITIES = 10;
const LP_COMMUNITIES = 5;

interface Samples {
  wall: number[];
  vkLongPoll: number[];
  telegram: number[];
  missing: { wall: number; vkLongPoll: number; telegram: number };
}

export async function measureAckLatency(options: AckLatencyOptions): Promise<Figure[]> {
  const samples = await collect(options);
  const wallTarget = (BENCH_POLL_INTERVAL_S + 1) * 1000;
  const push = [...samples.vkLongPoll, ...samples.telegram];
  return [
    latencyFigure(
      'latency.wallPolling',
      `Ack latency, wall polling every ${BENCH_POLL_INTERVAL_S} s`,
      samples.wall,
      wallTarget,
      `${samples.wall.length} wall comments at random moments over ${options.wallWindowS} s (${samples.missing.wall} not answered: not taken for complaints), poll interval ${BENCH_POLL_INTERVAL_S} s`,
    ),
    latencyFigure(
      'latency.longPoll',
      'Ack latency, VK Bots Long Poll + Telegram',
      push,
      1000,
      `${samples.vkLongPoll.length} VK community messages (p95 ${fmt(percentile(sorted(samples.vkLongPoll), 95))} ms) and ` +
        `${samples.telegram.length} Telegram group messages (p95 ${fmt(percentile(sorted(samples.telegram), 95))} ms), one every ${options.pushGapMs} ms ` +
        `(${samples.missing.vkLongPoll + samples.missing.telegram} not answered: the detector did not take them for complaints)`,
    ),
  ];
}

function latencyFigure(id: string, name: string, values: number[], targetMs: number, note: string): Figure {
  const s = sorted(values);
  const p50 = percentile(s, 50);
  const p95 = percentile(s, 95);
  const max = s[s.length - 1] ?? Number.NaN;
  return {
    id,
    name: `${name}: p95 (p50 ${fmt(p50)} ms, max ${fmt(max)} ms)`,
    value: p95,
    unit: 'ms',
    target: `p95 ≤ ${targetMs} ms`,
    baselineName: 'target',
    baseline: targetMs,
    ratio: p95 / targetMs,
    ratioMeaning: 'p95 ÷ target',
    pass: s.length > 0 && p95 <= targetMs,
    note: `${note}; p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms, max ${fmt(max)} ms`,
  };
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(0) : '—');

async function collect(options: AckLatencyOptions): Promise<Samples> {
  const emulator = await Emulator.start();
  let app: App | undefined;
  try {
    const world = buildBenchWorld(emulator, {
      communities: WALL_COMMUNITIES + LP_COMMUNITIES,
      longPollCommunities: LP_COMMUNITIES,
      postsPerCommunity: 5,
      dbPath: join(options.tmpDir, 'latency.sqlite'),
      overrides: {
        vk: { pollIntervalSeconds: BENCH_POLL_INTERVAL_S },
        telegram: { pollTimeoutSeconds: 25 },
        outbox: { backoffBaseMs: 100, backoffMaxMs: 1000 },
      },
    });
    const wallGroups = world.groups.slice(0, WALL_COMMUNITIES);
    const lpGroups = world.groups.slice(WALL_COMMUNITIES);
    app = await App.create({ config: benchConfig(world), logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS });
    await app.start();
    await waitUntil(
      () => emulator.heldPolls('vk_lp') >= LP_COMMUNITIES && emulator.heldPolls('telegram') >= 1 && emulator.countRequests({ method: 'execute' }) >= 1,
      'the bot to listen',
      15_000,
    );
    const prng = new Prng(9);
    const added = { wall: new Map<string, number>(), vk: new Map<string, number>(), telegram: new Map<string, number>() };

    // Push channels first: a message every pushGapMs, VK and Telegram interleaved.
    for (let i = 0; i < options.pushSamples; i += 1) {
      const vkUser = 3_000_000 + i;
      emulator.addVkUser({ id: vkUser, firstName: 'Житель', lastName: `${i}` });
      added.vk.set(String(vkUser), Date.now());
      emulator.sendCommunityMessage({ groupId: lpGroups[i % lpGroups.length]!, fromId: vkUser, text: complaintText(prng) });
      await sleep(options.pushGapMs / 2);
      const tgUser = 4_000_000 + i;
      emulator.addTgUser({ id: tgUser, firstName: `Житель ${i}` });
      const at = Date.now();
      added.telegram.set(String(emulator.sendTelegramMessage({ chatId: BENCH_CHAT, fromId: tgUser, text: complaintText(prng) })), at);
      await sleep(options.pushGapMs / 2);
    }

    // Wall comments at random moments over the window: their wait for the next poll is what is measured.
    const offsets = Array.from({ length: options.wallSamples }, () => prng.next() * options.wallWindowS * 1000).sort((a, b) => a - b);
    const begin = Date.now();
    for (const [i, offset] of offsets.entries()) {
      await sleep(Math.max(0, begin + offset - Date.now()));
      const groupId = prng.pick(wallGroups);
      const at = Date.now();
      const id = emulator.addComment({ groupId, postId: prng.pick(world.posts.get(groupId)!), fromId: 5_000_000 + i, text: complaintText(prng) });
      added.wall.set(`${-groupId}_${id}`, at);
    }
    const total = added.wall.size + added.vk.size + added.telegram.size;
    const { messages, outbox } = app.stores;
    await waitUntil(() => messages.count() >= total && outbox.backlog().pending === 0, 'every reply', 60_000);

    // Replies go out folded into `execute`: each call inside it is logged at the moment it ran.
    const log = emulator.requestLog().filter((e) => e.outcome === 'ok');
    const times = (method: string) => log.filter((e) => e.method === method).map((e) => e.time);
    const sent = emulator.sent();
    const replyAt = {
      wall: zip(
        sent.vkComments.map((c) => `${c.ownerId}_${c.replyToComment ?? 0}`),
        times('wall.createComment'),
      ),
      vk: zip(
        sent.vkMessages.map((m) => String(m.peerId)),
        times('messages.send'),
      ),
      telegram: zip(
        sent.telegramMessages.map((m) => (m.chatId === BENCH_CHAT ? String(m.replyTo) : '')),
        times('sendMessage'),
      ),
    };
    const latencies = (from: Map<string, number>, to: Map<string, number>) => {
      const out: number[] = [];
      for (const [key, at] of from) {
        const reply = to.get(key);
        if (reply !== undefined) out.push(reply - at);
      }
      return out;
    };
    const wall = latencies(added.wall, replyAt.wall);
    const vkLongPoll = latencies(added.vk, replyAt.vk);
    const telegram = latencies(added.telegram, replyAt.telegram);
    return {
      wall,
      vkLongPoll,
      telegram,
      missing: { wall: added.wall.size - wall.length, vkLongPoll: added.vk.size - vkLongPoll.length, telegram: added.telegram.size - telegram.length },
    };
  } finally {
    await app?.stop();
    await emulator.close();
  }
}

/** Key → time of the first reply, pairing the emulator's sent records with its request log, both in arrival order. */
function zip(keys: string[], times: number[]): Map<string, number> {
  const out = new Map<string, number>();
  keys.forEach((key, i) => {
    const time = times[i];
    if (time !== undefined && !out.has(key)) out.set(key, time);
  });
  return out;
}
