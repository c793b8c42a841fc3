/**
 * Figure: VK API economy. HTTP requests of one wall poll cycle (VkWallPoller, user token,
 * `execute`) against the naive poller (one wall.getComments per post), and how many communities
 * one token can watch at 60 s freshness within VK's 3 requests/s.
 */
import { join } from 'node:path';
import { App } from '../app.js';
import { NaiveVkWallPoller, naivePollRequests } from '../channels/vk/naive-vk-wall-poller.js';
import { createVkApi } from '../channels/vk/vk-client.js';
import { Emulator } from '../emulator/emulator.js';
import { Prng } from '../emulator/prng.js';
import { silentLogger } from '../logger.js';
import { BENCH_USER_TOKEN, benchConfig, buildBenchWorld } from './bench-world.js';
import type { Figure } from './figure.js';
import { complaintText } from './texts.js';

export interface VkEconomyOptions {
  tmpDir: string;
  /** Communities of the large-scale run (default 2000). */
  largeCommunities: number;
  /** Share of communities with one new comment per cycle in the large run (default 0.02). */
  activeShare: number;
  /** Cycles measured at large scale (default 3). */
  cycles: number;
}

/** VK's documented limit for a user token. */
const VK_USER_TOKEN_RPS = 3;
const FRESHNESS_S = 60;
const POSTS = 20;

/** HTTP requests to the VK API in the emulator's log (a whole execute counts once). */
function vkHttpRequests(emulator: Emulator): number {
  return emulator.requestLog().filter((e) => e.api === 'vk' && !e.insideExecute).length;
}

export async function measureVkEconomy(options: VkEconomyOptions): Promise<Figure[]> {
  const small = await cycleCost({ tmpDir: options.tmpDir, communities: 100, activePosts: 5, cycles: 1, naive: true, name: 'vk-small' });
  const large = await cycleCost({
    tmpDir: options.tmpDir,
    communities: options.largeCommunities,
    activePosts: Math.max(1, Math.round(options.largeCommunities * options.activeShare)),
    cycles: options.cycles,
    naive: false,
    name: 'vk-large',
  });
  const naiveSmall = small.naive!;
  const budget = VK_USER_TOKEN_RPS * FRESHNESS_S;
  const perCommunity = large.requestsPerCycle / options.largeCommunities;
  const watchable = Math.floor(budget / perCommunity);
  const naivePerCommunity = naiveSmall / 100;
  const naiveWatchable = Math.floor(budget / naivePerCommunity);
  return [
    {
      id: 'vk.requestsPerCycle',
      name: 'VK requests per poll cycle (100 communities × 20 posts, 5 with new comments)',
      value: small.requestsPerCycle,
      unit: 'requests',
      target: '≥ 100× fewer than naive',
      baselineName: 'naive poller (wall.get + wall.getComments per post)',
      baseline: naiveSmall,
      ratio: naiveSmall / small.requestsPerCycle,
      ratioMeaning: 'naive ÷ ours (× fewer)',
      pass: naiveSmall / small.requestsPerCycle >= 100,
      note: `both counted as HTTP requests in the emulator's log; naive measured ${naiveSmall} (formula ${naivePollRequests(100, POSTS)})`,
    },
    {
      id: 'vk.communitiesPerToken',
      name: `Communities one user token can watch at ${FRESHNESS_S} s freshness under ${VK_USER_TOKEN_RPS} req/s`,
      value: watchable,
      unit: 'communities',
      target: '≥ 1,000',
      baselineName: 'naive poller, same budget',
      baseline: naiveWatchable,
      ratio: watchable / naiveWatchable,
      ratioMeaning: 'ours ÷ naive',
      pass: watchable >= 1000,
      note:
        `derived: ${budget} requests per ${FRESHNESS_S} s ÷ measured ${perCommunity.toFixed(4)} requests per community per cycle ` +
        `(${options.largeCommunities} communities × ${POSTS} posts, ${large.activePosts} new comments per cycle, mean of ${options.cycles} cycles: ` +
        `${large.requestsPerCycle.toFixed(1)} requests); naive per community measured at 100 communities: ${naivePerCommunity.toFixed(1)}`,
    },
  ];
}

interface CycleCost {
  requestsPerCycle: number;
  activePosts: number;
  naive: number | null;
}

async function cycleCost(opts: { tmpDir: string; communities: number; activePosts: number; cycles: number; naive: boolean; name: string }): Promise<CycleCost> {
  const emulator = await Emulator.start();
  let app: App | undefined;
  try {
    const world = buildBenchWorld(emulator, {
      communities: opts.communities,
      postsPerCommunity: POSTS,
      telegram: false,
      dbPath: join(opts.tmpDir, `${opts.name}.sqlite`),
    });
    const config = benchConfig(world);
    app = await App.create({ config, logger: silentLogger() });
    await app.pollVkOnce(); // the baseline cycle: the first sight of every wall
    const prng = new Prng(11);
    let total = 0;
    for (let cycle = 0; cycle < opts.cycles; cycle += 1) {
      // New comments under `activePosts` posts, each in a different community.
      const groups = [...world.groups].sort(() => prng.next() - 0.5).slice(0, opts.activePosts);
      for (const [i, groupId] of groups.entries()) {
        const posts = world.posts.get(groupId)!;
        emulator.addComment({ groupId, postId: prng.pick(posts), fromId: 1_000_000 + cycle * 10_000 + i, text: complaintText(prng) });
      }
      emulator.resetRequestLog();
      const report = await app.pollVkOnce();
      if (!report || report.errors.length > 0) throw new Error(`bench: poll cycle failed: ${JSON.stringify(report?.errors.slice(0, 3))}`);
      if (report.newComments !== opts.activePosts) throw new Error(`bench: expected ${opts.activePosts} new comments, the poller found ${report.newComments}`);
      total += vkHttpRequests(emulator);
    }
    let naive: number | null = null;
    if (opts.naive) {
      emulator.resetRequestLog();
      await new NaiveVkWallPoller({ config, api: createVkApi(config, BENCH_USER_TOKEN, 1000) }).pollOnce();
      naive = vkHttpRequests(emulator);
    }
    return { requestsPerCycle: total / opts.cycles, activePosts: opts.activePosts, naive };
  } finally {
    await app?.stop();
    await emulator.close();
  }
}
