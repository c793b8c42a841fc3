import type { Logger } from 'pino';
import type { ChannelStatus } from '../channels/channel-status.js';
import type { Config } from '../config.js';
import { secretValues } from '../config.js';
import { alertText } from '../domain/alert-templates.js';
import { deliveryChannel } from '../domain/channel-id.js';
import { moderatorsRoom } from '../domain/moderators-room.js';
import { describeCause, type FailureClass, redactSecrets } from '../errors.js';
import { backoffDelay } from '../retry.js';
import { laneKeyOf, type OutboxClaim, type OutboxItem, type OutboxStore } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { PLATFORM_NAMES } from '../texts.js';
import type { DeliveryEffects, DeliveryPreparations } from './delivery-effects.js';
import { RESERVED_FOR } from './outbox-priority.js';
import { DeliveryLimiters, defaultRateLimits, type RateLimits } from './rate-limits.js';
import type { Platform, Senders } from './sender.js';
import { enqueueDailyAlert } from './source-stop-alert.js';

// === Public types

export interface OutboxWorkerDeps {
  config: Config;
  stores: Pick<Stores, 'outbox' | 'transaction'>;
  logger: Logger;
  /** Epoch ms. */
  clock: () => number;
  senders: Senders;
  /** The post-delivery rules by purpose (delivery-effects.ts). Run after commit; their errors are logged. */
  effects?: DeliveryEffects;
  /** What a row of a purpose says when it is sent, written then (delivery-effects.ts); their errors are logged and the row goes as queued. */
  preparations?: DeliveryPreparations;
  /** Observes each delivered row after its effects (metrics, the demo's log). Its errors are logged. */
  onDelivered?: (item: OutboxItem) => void;
  status?: ChannelStatus;
  /** Overrides of the platform limits (benchmarks, tests). */
  limits?: Partial<RateLimits>;
  /** In [0, 1): the jitter of backoff. Default Math.random. */
  random?: () => number;
  /** Told of every send whose outcome is unknown (the metrics). */
  observer?: OutboxObserver;
}

export interface OutboxObserver {
  /** A send may or may not have arrived (timed out, unreadable answer); it is retried after `outbox.unknownOutcomeDelayMs`. */
  outboxOutcomeUnknown(platform: Platform): void;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** Failed and scheduled again (backoff or retry_after). */
  retried: number;
  /** Given up: rejected, or out of attempts. */
  dead: number;
  /** Put back untouched: the platform is paused, or the worker is stopping. */
  released: number;
  /** Platforms paused at the end of the run, with the epoch ms they resume at. */
  paused: Partial<Record<Platform, number>>;
}

/** How long a platform whose token was refused waits before one more try (the alert is sent once a day). */
export const FATAL_PAUSE_MS = 15 * 60_000;

const PLATFORMS: readonly Platform[] = ['telegram', 'vk', 'max'];

/**
 * Delivers the outbox: claims due rows (lease + fencing token), sends each through its platform's
 * Sender within the platform's rate limits, and records the outcome on the row.
 * - success: `complete`, with the sender's own bookkeeping (`recordDelivered`) in the same
 *   transaction; then the purpose's effect (`effects`);
 * - retry: exponential backoff with jitter (outbox.backoffBaseMs … backoffMaxMs); a platform that
 *   said how long to wait (Telegram 429 retry_after) gets exactly that, and the whole platform
 *   pauses for it; such waits do not count as attempts;
 * - reject, or `maxAttempts` used up: the row is `dead` with its reason;
 * - fatal (the token was refused): the platform pauses, its rows wait untouched, and ONE alert per
 *   platform and day goes to the moderators' chat (unless its own platform is the one down).
 */
export class OutboxWorker {
  private readonly store: OutboxStore;
  private readonly secrets: string[];
  private limiters: DeliveryLimiters;
  private readonly pausedUntil = new Map<Platform, number>();
  private stopping = false;
  private current: Promise<DeliveryReport> | null = null;
  /** Between start() and stop(): notify() delivers at once. */
  private running = false;
  /** A notify() is waiting for the current run: a burst of notifications coalesces into it. */
  private kickPending = false;
  /** The latest kick, for stop() to wait on. */
  private kicked: Promise<void> | null = null;
  /**
   * Rows this process has claimed and not finished: a later run never claims them again, even
   * when a slow lane (a group chat at 20 messages a minute) keeps one queued past its lease.
   */
  private readonly inFlight = new Set<number>();
  /** Deliveries started by `pump()`, which does not wait for them; stop() does. */
  private readonly pumped = new Set<Promise<void>>();
  /** Rows claimed and not finished, by slow lane (laneKeyOf): what each holds now. */
  private readonly slowLanes = new Map<string, number>();

  constructor(private readonly deps: OutboxWorkerDeps) {
    this.store = deps.stores.outbox;
    this.secrets = secretValues(deps.config);
    this.limiters = new DeliveryLimiters(this.limits());
  }

  private limits(): RateLimits {
    const vkSendsPerRequest = this.deps.senders.vk?.sendsPerRequest ?? 1;
    return { ...defaultRateLimits(this.deps.config), vkSendsPerRequest, ...this.deps.limits };
  }

  // === Running

  /** Deliver everything due now and wait for it. Runs are serialised: a call during a run (or a pump's sends) waits for it, then runs. */
  async runOnce(): Promise<DeliveryReport> {
    while (this.current) await this.current.catch(() => undefined);
    // Rows a pump already has on their way are "due now" too: wait for them, then claim the rest.
    await Promise.allSettled([...this.pumped]);
    const run = this.deliverDue();
    this.current = run;
    try {
      return await run;
    } finally {
      this.current = null;
    }
  }

  /**
   * From now on `notify()` delivers what was just enqueued at once. The worker has no timer of its
   * own: a scheduler calls `pump()` on `schedules.outbox` (retries, backoff, leases of crashed
   * workers), so delivery has exactly one clock.
   */
  start(): void {
    this.stopping = false;
    this.running = true;
  }

  /** Something was enqueued: deliver it now rather than at the next tick. */
  notify(): void {
    if (!this.running || this.kickPending || this.stopping) return;
    this.kickPending = true;
    // A microtask later, so a burst of notifications in one tick coalesces into one pump. The pump
    // never waits for a run in progress: a run held by a slow lane must not hold a new ack back.
    const kick = Promise.resolve().then(() => {
      this.kickPending = false;
      this.pump();
    });
    this.kicked = kick.catch((error: unknown) => this.deps.logger.error({ err: error }, 'outbox run failed'));
  }

  /**
   * Claim everything due that is not already on its way and start delivering it, without waiting
   * for the sends: each goes out as soon as its lane allows. What the schedule and `notify()` call.
   * Returns how many rows it claimed.
   */
  pump(): number {
    const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0, paused: {} };
    // Only a platform whose claim filled a whole batch can have more due: the others are not asked again.
    let platforms: readonly Platform[] = PLATFORMS;
    for (let round = 0; round < 1000 && platforms.length > 0 && !this.stopping; round += 1) {
      const { jobs, full } = this.claimAndSchedule(report, platforms);
      for (const job of jobs) {
        this.pumped.add(job);
        void job.finally(() => this.pumped.delete(job));
      }
      platforms = full;
    }
    return report.claimed;
  }

  /** Let sends in flight finish and put claimed-but-unsent rows back. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.kicked;
    // Sends already started finish; rows still queued in a lane are dropped and put back at once.
    await this.limiters.stop();
    await Promise.allSettled([...this.pumped]);
    await this.current?.catch(() => undefined);
    this.running = false;
    this.limiters = new DeliveryLimiters(this.limits());
    this.stopping = false;
  }

  // === One run

  private async deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, dead: 0, released: 0, paused: {} };
    // A slow lane is handed a few rows per claim: claim again while one was filled to its depth.
    for (let round = 0, more = true; more && round < 10_000 && !this.stopping; round += 1) {
      const { jobs, slowLaneFilled } = this.claimAndSchedule(report, PLATFORMS);
      await Promise.all(jobs);
      more = slowLaneFilled;
    }
    const end = this.deps.clock();
    for (const [platform, until] of this.pausedUntil) if (until > end) report.paused[platform] = until;
    return report;
  }

  /**
   * Claims one batch per platform (rows in flight here excluded) and queues each row in its lane;
   * `full`: the platforms whose batch was filled; `slowLaneFilled`: a slow lane took all it may.
   */
  private claimAndSchedule(report: DeliveryReport, platforms: readonly Platform[]): { jobs: Promise<void>[]; full: Platform[]; slowLaneFilled: boolean } {
    const { config, clock } = this.deps;
    const now = clock();
    const jobs: Promise<void>[] = [];
    const full: Platform[] = [];
    let slowLaneFilled = false;
    for (const platform of platforms) {
      if (!this.deps.senders[platform] || this.isPaused(platform, now) || this.stopping) continue;
      // Rows that may use a slow lane's reserved slots are never held back by its depth: they start first.
      const claims = this.store.claimDue(
        now,
        config.outbox.batchSize,
        config.outbox.leaseMs,
        platform,
        this.inFlight,
        this.slowLaneCaps(platform),
        RESERVED_FOR,
      );
      report.claimed += claims.length;
      if (claims.length === config.outbox.batchSize) full.push(platform);
      for (const claim of claims) {
        this.inFlight.add(claim.id);
        const slowLane = this.limiters.isSlow(claim.message.destination) ? laneKeyOf(claim.message.destination) : null;
        if (slowLane) {
          const held = (this.slowLanes.get(slowLane) ?? 0) + 1;
          this.slowLanes.set(slowLane, held);
          if (held >= this.limiters.slowLaneDepth) slowLaneFilled = true;
        }
        jobs.push(
          this.limiters
            .schedule(claim.message.destination, () => this.deliver(claim, report), claim.priority)
            .catch((error: unknown) => {
              if (this.stopping) {
                // Dropped from its lane by stop(): not sent, so it is due again at once after a restart.
                this.store.release(claim, claim.nextAttemptAt);
                report.released += 1;
                return;
              }
              // A bug: the lease expires and the row is claimed again.
              this.deps.logger.error({ err: error, outboxId: claim.id }, 'outbox delivery crashed');
            })
            .finally(() => {
              this.inFlight.delete(claim.id);
              if (slowLane) this.slowLaneFreed(slowLane);
            }),
        );
      }
    }
    return { jobs, full, slowLaneFilled };
  }

  /**
   * How many more rows each slow lane may take now: its depth less what it holds. Lanes of the
   * moderators' chat and the watched group chats are capped before their first claim, the others
   * once they hold rows; a lane never seen takes what a batch allows.
   */
  private slowLaneCaps(platform: Platform): Record<string, number> {
    if (platform !== 'telegram') return {};
    const { telegram } = this.deps.config;
    const caps: Record<string, number> = {};
    const chats = [telegram.moderatorsChatId, ...telegram.chats.map((c) => c.chatId)].filter((id): id is number => id !== null && id < 0);
    for (const chatId of chats) caps[laneKeyOf({ kind: 'telegram', chatId })] = this.limiters.slowLaneDepth;
    for (const [lane, held] of this.slowLanes) caps[lane] = Math.max(0, this.limiters.slowLaneDepth - held);
    return caps;
  }

  /** A slow lane finished a row: while running, claim what it may take next rather than wait for the sweep. */
  private slowLaneFreed(lane: string): void {
    const held = (this.slowLanes.get(lane) ?? 1) - 1;
    if (held > 0) this.slowLanes.set(lane, held);
    else this.slowLanes.delete(lane);
    this.notify();
  }

  private isPaused(platform: Platform, now: number): boolean {
    return (this.pausedUntil.get(platform) ?? 0) > now;
  }

  private async deliver(claim: OutboxClaim, report: DeliveryReport): Promise<void> {
    const { clock, logger } = this.deps;
    const log = logger.child({ outboxId: claim.id, key: claim.idempotencyKey, platform: claim.platform });
    const platform = claim.platform;
    if (this.stopping || this.isPaused(platform, clock())) {
      this.store.release(claim, Math.max(claim.nextAttemptAt, this.pausedUntil.get(platform) ?? 0));
      report.released += 1;
      return;
    }
    // A row may have waited in its lane longer than its lease: take the lease again, and send only
    // if no other worker claimed the row meanwhile (the compare-and-swap on the fencing token).
    if (!this.store.renew(claim, clock(), this.deps.config.outbox.leaseMs)) {
      log.warn('not sent: the lease was lost while the row waited in its lane; another worker owns it now');
      return;
    }
    // What the row says now: a row whose lease ran out while it waited in a slow lane may have been
    // rewritten since the claim (replacePending: a card or a summary that changed), and the newer
    // text is the one to send, or the change would be lost.
    let message = this.store.get(claim.id)?.message ?? claim.message;
    const prepare = this.deps.preparations?.[claim.purpose];
    if (prepare) {
      try {
        const written = prepare({ ...claim, message });
        if (written) {
          message = { ...message, ...written };
          this.store.rewriteClaimed(claim, written);
        }
      } catch (error) {
        log.error({ err: error, purpose: claim.purpose }, 'preparing a row failed; it is sent as queued');
      }
    }
    const sender = this.deps.senders[platform]!;
    // No idempotency key on the platform: the attempt is on record before the request leaves, so
    // after a crash the next attempt knows to look for what may already have arrived.
    if (sender.recordsAttempts && !this.store.markAttempted(claim, clock())) {
      log.warn('not sent: the lease was lost before the attempt was recorded');
      return;
    }
    let externalId: string | null;
    try {
      externalId = (await sender.send(message, claim.idempotencyKey, { previousAttemptAt: claim.attemptedAt })).externalId;
    } catch (error) {
      this.failed(claim, sender.classify(error), error, report, log);
      return;
    }
    this.deps.status?.success(deliveryChannel(platform));
    const recorded = this.deps.stores.transaction(() => {
      const ok = this.store.complete(claim, externalId, clock());
      if (ok) sender.recordDelivered?.(message, externalId, clock(), claim.createdAt);
      return ok;
    });
    if (!recorded) {
      log.warn('sent, but the lease was lost: another worker owns the row now');
      return;
    }
    report.sent += 1;
    log.debug({ externalId }, 'delivered');
    const item: OutboxItem = { ...claim, message, state: 'sent', externalId, sentAt: clock() };
    try {
      if (this.deps.effects?.[item.purpose]?.(item)) this.notify();
    } catch (error) {
      log.error({ err: error, purpose: item.purpose }, 'a post-delivery effect failed');
    }
    try {
      this.deps.onDelivered?.(item);
    } catch (error) {
      log.error({ err: error }, 'onDelivered hook failed');
    }
  }

  private failed(claim: OutboxClaim, failure: FailureClass, error: unknown, report: DeliveryReport, log: Logger): void {
    const { config, clock } = this.deps;
    const now = clock();
    const platform = claim.platform;
    const reason = redactSecrets(describeCause(error), this.secrets);
    this.deps.status?.failure(deliveryChannel(platform), reason);
    if (failure.kind === 'fatal') {
      this.pause(platform, now + FATAL_PAUSE_MS);
      this.store.release(claim, now + FATAL_PAUSE_MS);
      report.released += 1;
      this.deps.status?.stopped(deliveryChannel(platform), reason);
      log.error({ reason }, `${platform} delivery paused: the token was refused; fix it and restart`);
      this.alertFatal(platform, reason, now);
      return;
    }
    if (failure.kind === 'retry' && failure.retryAfterMs !== undefined) {
      // The platform said exactly how long: wait that long, platform-wide, without spending an attempt.
      const until = now + failure.retryAfterMs;
      this.pause(platform, until);
      this.store.release(claim, until);
      report.retried += 1;
      log.warn({ reason, retryAfterMs: failure.retryAfterMs }, `${platform} asked to wait; delivery paused`);
      return;
    }
    const attempt = claim.failCount + 1;
    const giveUp = failure.kind === 'reject' || attempt >= config.outbox.maxAttempts;
    const backoff = backoffDelay(attempt, config.outbox.backoffBaseMs, config.outbox.backoffMaxMs, this.deps.random);
    if (failure.kind === 'retry' && failure.outcomeUnknown) {
      // Maybe delivered: a fast retry would likely post it twice. Wait until a duplicate is less harmful than silence.
      this.deps.observer?.outboxOutcomeUnknown(platform);
      log.warn(
        { reason, attempt, delayMs: Math.max(backoff, config.outbox.unknownOutcomeDelayMs) },
        'send outcome unknown (it may have arrived); retrying only after a delay',
      );
    }
    const next = now + (failure.kind === 'retry' && failure.outcomeUnknown ? Math.max(backoff, config.outbox.unknownOutcomeDelayMs) : backoff);
    this.store.fail(claim, reason, next, giveUp);
    if (giveUp) {
      report.dead += 1;
      log.error({ reason, attempt, kind: failure.kind }, 'outbox row given up');
    } else {
      report.retried += 1;
      log.warn({ reason, attempt, nextAttemptAt: next }, 'send failed; will retry');
    }
  }

  private pause(platform: Platform, until: number): void {
    this.pausedUntil.set(platform, Math.max(until, this.pausedUntil.get(platform) ?? 0));
  }

  /** One alert per platform and day in the moderators' chat; none about the moderators' own platform (it could not arrive). */
  private alertFatal(platform: Platform, reason: string, now: number): void {
    if (platform === (moderatorsRoom(this.deps.config)?.platform ?? 'telegram')) return;
    const text = alertText(this.deps.config, 'alert_delivery_stopped', { platform: PLATFORM_NAMES[platform], reason: reason.slice(0, 200) });
    if (enqueueDailyAlert({ config: this.deps.config, outbox: this.store }, platform, text, now)) this.notify();
  }
}
