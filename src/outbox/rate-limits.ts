import Bottleneck from 'bottleneck';
import type { Config } from '../config.js';
import type { Destination } from '../domain/outbound.js';
import { ConcurrencyGate } from './concurrency-gate.js';

/**
 * Outgoing request budgets. Defaults are the platforms' documented limits:
 * Telegram ≤ 30 messages/s overall, ≤ 1/s per private chat, ≤ 20/min per group;
 * VK ≤ `config.vk.communityRequestsPerSecond` per community token and
 * `config.vk.readerRequestsPerSecond` for the user token that posts announcements.
 */
export interface RateLimits {
  telegramPerSecond: number;
  telegramPrivateChatIntervalMs: number;
  telegramGroupPerMinute: number;
  vkCommunityPerSecond: number;
  vkReaderPerSecond: number;
  /** Sends in flight per platform at once. */
  concurrency: number;
}

export function defaultRateLimits(config: Config): RateLimits {
  return {
    telegramPerSecond: 30,
    telegramPrivateChatIntervalMs: 1000,
    telegramGroupPerMinute: 20,
    vkCommunityPerSecond: config.vk.communityRequestsPerSecond,
    vkReaderPerSecond: config.vk.readerRequestsPerSecond,
    concurrency: 4,
  };
}

/**
 * Bottleneck limiters keyed the way the platforms count: a job waits first for its lane
 * (a chat, a community token), then for the platform-wide budget, so a busy chat never holds
 * a global slot while it waits. Each lane runs one job at a time, which also keeps replies
 * to one chat in the order they were claimed.
 */
export class DeliveryLimiters {
  private readonly telegramGlobal: Bottleneck;
  private readonly telegramPrivate: Bottleneck.Group;
  private readonly telegramGroups: Bottleneck.Group;
  private readonly telegramCallbacks: Bottleneck;
  private readonly vkGlobal: ConcurrencyGate;
  private readonly vkCommunities: Bottleneck.Group;
  private readonly vkReader: Bottleneck;

  constructor(limits: RateLimits) {
    this.telegramGlobal = new Bottleneck({ maxConcurrent: limits.concurrency, minTime: Math.ceil(1000 / limits.telegramPerSecond) });
    this.telegramPrivate = new Bottleneck.Group({ maxConcurrent: 1, minTime: limits.telegramPrivateChatIntervalMs });
    this.telegramGroups = new Bottleneck.Group({
      maxConcurrent: 1,
      reservoir: limits.telegramGroupPerMinute,
      reservoirRefreshAmount: limits.telegramGroupPerMinute,
      reservoirRefreshInterval: 60_000,
    });
    this.telegramCallbacks = new Bottleneck({ maxConcurrent: limits.concurrency });
    this.vkGlobal = new ConcurrencyGate(limits.concurrency);
    this.vkCommunities = new Bottleneck.Group({ maxConcurrent: 1, minTime: Math.ceil(1000 / limits.vkCommunityPerSecond) });
    this.vkReader = new Bottleneck({ maxConcurrent: 1, minTime: Math.ceil(1000 / limits.vkReaderPerSecond) });
  }

  /** Run `job` within the budgets of `destination`. */
  schedule<T>(destination: Destination, job: () => Promise<T>): Promise<T> {
    const lane = this.lane(destination);
    if (destination.kind.startsWith('vk_')) return lane.schedule(() => this.vkGlobal.run(job));
    return lane.schedule(() => this.telegramGlobal.schedule(job));
  }

  private lane(d: Destination): Bottleneck {
    switch (d.kind) {
      case 'telegram':
      case 'telegram_edit':
        return d.chatId > 0 ? this.telegramPrivate.key(String(d.chatId)) : this.telegramGroups.key(String(d.chatId));
      case 'telegram_callback_answer':
        return this.telegramCallbacks;
      case 'vk_comment':
      case 'vk_message':
        return this.vkCommunities.key(String(d.groupId));
      case 'vk_wall_post':
        return this.vkReader;
    }
  }

  /**
   * Let the jobs already running finish and drop the ones still waiting (they reject): a group
   * chat's lane may hold minutes of work at 20 messages a minute, and shutdown must be quick.
   */
  async stop(): Promise<void> {
    // The VK gate holds only jobs of the lanes stopped here; it needs no stop of its own.
    const lanes = [this.telegramPrivate, this.telegramGroups, this.vkCommunities].flatMap((group) => group.limiters().map(({ limiter }) => limiter));
    await Promise.all([...lanes, this.telegramCallbacks, this.vkReader].map((l) => l.stop({ dropWaitingJobs: true })));
    await this.telegramGlobal.stop({ dropWaitingJobs: true });
  }
}
