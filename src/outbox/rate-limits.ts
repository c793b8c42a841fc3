import type { Config } from '../config.js';
import type { Destination } from '../domain/outbound.js';
import { RESERVED_FOR } from './outbox-priority.js';
import { PacedLane } from './paced-lane.js';
import { PacedLaneGroup } from './paced-lane-group.js';

/**
 * Outgoing request budgets. Defaults are the platforms' documented limits:
 * Telegram ≤ 30 messages/s overall, ≤ 1/s per private chat, ≤ 20/min per group;
 * VK ≤ `config.vk.readerRequestsPerSecond` for the user token that posts announcements; MAX ≤ 30
 * requests per second for the bot (`config.max.requestsPerSecond`). A VK
 * community token's requests are paced by its vk-io API (`config.vk.communityRequestsPerSecond`,
 * see createVkApi), which folds the sends waiting on it into `execute`.
 */
export interface RateLimits {
  telegramPerSecond: number;
  telegramPrivateChatIntervalMs: number;
  telegramGroupPerMinute: number;
  vkReaderPerSecond: number;
  /** MAX: every request of the bot's token (sends, comments, edits, answers, uploads) within this budget. */
  maxPerSecond: number;
  /**
   * Requests in flight per platform at once. A VK request is an `execute` of up to
   * `vkSendsPerRequest` calls, so VK takes that many times as many sends.
   */
  concurrency: number;
  /** Sends one VK request carries (the VK sender's `sendsPerRequest`: execute's 25 calls); default 1. */
  vkSendsPerRequest?: number;
  /**
   * Of a Telegram group's minute, the messages kept for alerts, burst summaries and replies to
   * moderators (priority ≥ alert): ordinary cards never take them, so those go out at once.
   */
  telegramGroupReserved: number;
}

export function defaultRateLimits(config: Config): RateLimits {
  return {
    telegramPerSecond: 30,
    telegramPrivateChatIntervalMs: 1000,
    telegramGroupPerMinute: 20,
    telegramGroupReserved: 3,
    vkReaderPerSecond: config.vk.readerRequestsPerSecond,
    maxPerSecond: config.max.requestsPerSecond,
    concurrency: 4,
  };
}

/**
 * Delivery lanes keyed the way the platforms count: a job waits first for its lane (a chat, a
 * community token), then for the platform-wide budget, so a busy chat never holds a global slot
 * while it waits. A Telegram lane runs one job at a time, which also keeps replies to one chat in
 * the order they were claimed. A VK community lane lets up to `vkSendsPerRequest` (25) sends wait on
 * the token at once, started in claim order: vk-io folds them into one `execute` (run in that order)
 * and paces the token's requests, so the token's budget of requests carries 25 times the replies.
 */
export class DeliveryLimiters {
  private readonly telegramGlobal: PacedLane;
  private readonly telegramPrivate: PacedLaneGroup;
  private readonly telegramGroups: PacedLaneGroup;
  private readonly telegramCallbacks: PacedLane;
  private readonly vkGlobal: PacedLane;
  private readonly vkCommunities: PacedLaneGroup;
  private readonly vkReader: PacedLane;
  private readonly maxGlobal: PacedLane;
  private readonly maxChats: PacedLaneGroup;
  private readonly maxCallbacks: PacedLane;
  private readonly slowDepth: number;

  constructor(limits: RateLimits) {
    this.maxGlobal = new PacedLane({ concurrency: limits.concurrency, minIntervalMs: Math.ceil(1000 / limits.maxPerSecond) });
    // One send at a time per MAX chat keeps its replies in claim order (MAX has no per-chat limit of its own).
    this.maxChats = new PacedLaneGroup({ concurrency: 1 });
    this.maxCallbacks = new PacedLane({ concurrency: limits.concurrency });
    this.telegramGlobal = new PacedLane({ concurrency: limits.concurrency, minIntervalMs: Math.ceil(1000 / limits.telegramPerSecond) });
    this.telegramPrivate = new PacedLaneGroup({ minIntervalMs: limits.telegramPrivateChatIntervalMs });
    this.slowDepth = Math.max(2, Math.ceil(limits.telegramGroupPerMinute / 10));
    this.telegramGroups = new PacedLaneGroup({
      window: { count: limits.telegramGroupPerMinute, windowMs: 60_000 },
      // At most a quarter of the minute is kept back: a chat allowed only a few messages gives cards all of them.
      reserve: { slots: Math.min(limits.telegramGroupReserved, Math.floor(limits.telegramGroupPerMinute / 4)), minPriority: RESERVED_FOR },
      // After a summary or an alert, cards go at half the chat's pace (one every 6 s at 20 a minute).
      lowPriorityIntervalMs: Math.floor(120_000 / limits.telegramGroupPerMinute),
    });
    this.telegramCallbacks = new PacedLane({ concurrency: limits.concurrency });
    const vkBatch = limits.vkSendsPerRequest ?? 1;
    this.vkGlobal = new PacedLane({ concurrency: limits.concurrency * vkBatch });
    this.vkCommunities = new PacedLaneGroup({ concurrency: vkBatch });
    this.vkReader = new PacedLane({ minIntervalMs: Math.ceil(1000 / limits.vkReaderPerSecond) });
  }

  /** Run `job` within the budgets of `destination`, after the jobs waiting there with its `priority` or higher. */
  schedule<T>(destination: Destination, job: () => Promise<T>, priority = 0): Promise<T> {
    const lane = this.lane(destination);
    if (destination.kind.startsWith('vk_')) return lane.schedule(() => this.vkGlobal.schedule(job), priority);
    if (destination.kind.startsWith('max_')) return lane.schedule(() => this.maxGlobal.schedule(job), priority);
    return lane.schedule(() => this.telegramGlobal.schedule(job), priority);
  }

  /**
   * True for a destination whose lane sends so few messages that the worker should hand it only
   * what it sends soon (a Telegram group: 20 a minute): the rest waits in the outbox, by priority.
   */
  isSlow(destination: Destination): boolean {
    return (destination.kind === 'telegram' || destination.kind === 'telegram_edit') && destination.chatId < 0;
  }

  /**
   * Rows a slow lane holds at once, sending or waiting in memory: what it may start in about 6
   * seconds, at least 2 (2 for Telegram's 20 a minute). Enough to keep it busy between two claims,
   * few enough that the rest waits in the outbox, where a summary or a reply claimed later still goes
   * first and a card not yet sent can still be rewritten.
   */
  get slowLaneDepth(): number {
    return this.slowDepth;
  }

  private lane(d: Destination): PacedLane {
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
      case 'max_message':
      case 'max_comment':
      case 'max_edit':
        return this.maxChats.key(String(d.chatId));
      case 'max_callback_answer':
        return this.maxCallbacks;
    }
  }

  /**
   * Let the jobs already running finish and drop the ones still waiting (they reject): a group
   * chat's lane may hold minutes of work at 20 messages a minute, and shutdown must be quick.
   */
  async stop(): Promise<void> {
    // The platform-wide lanes hold only jobs of the lanes stopped first; they drain on their own.
    await Promise.all(
      [this.telegramPrivate, this.telegramGroups, this.vkCommunities, this.telegramCallbacks, this.vkReader, this.maxChats, this.maxCallbacks].map((l) =>
        l.stop(),
      ),
    );
    await Promise.all([this.telegramGlobal.stop(), this.maxGlobal.stop()]);
  }
}
