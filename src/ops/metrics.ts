import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ApiCallRecord, ApiObserver } from '../channels/api-observer.js';
import type { ChannelStatus } from '../channels/channel-status.js';
import type { WallPollObserver } from '../channels/vk/vk-wall-poller.js';
import { INCIDENT_STATUSES } from '../domain/incident.js';
import type { JobScheduler } from '../jobs/scheduler.js';
import type { OutboxObserver } from '../outbox/outbox-worker.js';
import type { OutboxItem } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';

export interface MetricsDeps {
  /** Levels are read through `stats` (incidents by status) and `outbox` (backlog by state, oldest pending row). */
  stores: Pick<Stores, 'stats' | 'outbox'>;
  status: ChannelStatus;
  /** Epoch ms; the same clock the app stamps rows with. */
  clock: () => number;
  /** Run, failure and skip counts per job, when the scheduler exists. */
  scheduler?: JobScheduler;
  /** Process metrics (memory, CPU, event loop lag, GC); default true. Off in tests that build many apps. */
  processMetrics?: boolean;
}

/** Seconds from a citizen's message to our acknowledgement arriving on the platform. */
const ACK_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];
/** Seconds one platform API call takes (getUpdates and long polls hold up to the poll timeout). */
const API_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const STATES = ['starting', 'running', 'degraded', 'stopped'] as const;

/**
 * The Prometheus metrics of one app, in a registry of its own (so two apps in one process, as in
 * tests, never share counters). Events are counted as they happen (messages, API calls,
 * deliveries); levels (incidents by status, outbox backlog, channel states, jobs) are read from
 * the database and the status registry at scrape time, so they are always current and cost
 * nothing between scrapes.
 */
export class Metrics implements ApiObserver, WallPollObserver, OutboxObserver {
  readonly registry = new Registry();
  private readonly messages: Counter<'channel' | 'decision'>;
  private readonly apiCalls: Counter<'platform' | 'method'>;
  private readonly apiErrors: Counter<'platform' | 'method' | 'error'>;
  private readonly apiSeconds: Histogram<'platform' | 'method'>;
  private readonly delivered: Counter<'platform' | 'purpose'>;
  private readonly ackSeconds: Histogram<'channel'>;
  private readonly wallDeferred: Counter;
  private readonly outcomeUnknown: Counter<'platform'>;
  private readonly maxWebhooks: Counter<'outcome'>;

  constructor(private readonly deps: MetricsDeps) {
    const registers = [this.registry];
    this.messages = new Counter({
      name: 'otklik_messages_seen_total',
      help: 'Inbound messages by channel and pipeline decision',
      labelNames: ['channel', 'decision'],
      registers,
    });
    this.apiCalls = new Counter({ name: 'otklik_api_calls_total', help: 'Platform API calls by method', labelNames: ['platform', 'method'], registers });
    this.apiErrors = new Counter({
      name: 'otklik_api_errors_total',
      help: 'Failed platform API calls by method and error',
      labelNames: ['platform', 'method', 'error'],
      registers,
    });
    this.apiSeconds = new Histogram({
      name: 'otklik_api_call_seconds',
      help: 'Platform API call duration',
      labelNames: ['platform', 'method'],
      buckets: API_BUCKETS,
      registers,
    });
    this.delivered = new Counter({
      name: 'otklik_outbox_delivered_total',
      help: 'Outbox rows delivered, by platform and purpose',
      labelNames: ['platform', 'purpose'],
      registers,
    });
    this.ackSeconds = new Histogram({
      name: 'otklik_ack_latency_seconds',
      help: "From a citizen's message (the platform's timestamp) to our acknowledgement delivered",
      labelNames: ['channel'],
      buckets: ACK_BUCKETS,
      registers,
    });
    this.wallDeferred = new Counter({
      name: 'otklik_vk_wall_posts_deferred_total',
      help: "VK posts whose new comments did not fit one poll cycle's request budget; their cursor stayed and the next cycles read on",
      registers,
    });
    this.outcomeUnknown = new Counter({
      name: 'otklik_outbox_outcome_unknown_total',
      help: 'Sends whose outcome is unknown (timed out, or an unreadable answer): maybe delivered, retried only after outbox.unknownOutcomeDelayMs',
      labelNames: ['platform'],
      registers,
    });
    this.maxWebhooks = new Counter({
      name: 'otklik_max_webhook_requests_total',
      help: 'MAX webhook requests by outcome: accepted, skipped (not read), wrong_secret, malformed, too_large, wrong_method, failed (not recorded; MAX retries)',
      labelNames: ['outcome'],
      registers,
    });
    this.levels(registers);
    if (deps.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'otklik_' });
  }

  // === Events

  /** One inbound message and what the pipeline decided. */
  messageSeen(channel: string, decision: string): void {
    this.messages.inc({ channel, decision });
  }

  apiCall(call: ApiCallRecord): void {
    this.apiCalls.inc({ platform: call.platform, method: call.method });
    this.apiSeconds.observe({ platform: call.platform, method: call.method }, call.durationMs / 1000);
    if (call.error !== null) this.apiErrors.inc({ platform: call.platform, method: call.method, error: call.error });
  }

  outboxOutcomeUnknown(platform: string): void {
    this.outcomeUnknown.inc({ platform });
  }

  /** How one MAX webhook request ended. */
  maxWebhook(outcome: string): void {
    this.maxWebhooks.inc({ outcome });
  }

  wallPostsDeferred(count: number): void {
    this.wallDeferred.inc(count);
  }

  /** A delivered outbox row; an acknowledgement also records its latency from the citizen's message. */
  outboxDelivered(item: OutboxItem): void {
    this.delivered.inc({ platform: item.platform, purpose: item.purpose });
    if (item.purpose !== 'ack' || item.incidentId === null) return;
    const origin = this.deps.stores.stats.incidentOrigin(item.incidentId);
    if (origin) this.ackSeconds.observe({ channel: origin.channel }, Math.max(0, this.deps.clock() - origin.createdAt) / 1000);
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  // === Levels, read at scrape time

  private levels(registers: Registry[]): void {
    const { stores, status, clock } = this.deps;
    const { outbox, stats } = stores;
    new Gauge({
      name: 'otklik_incidents',
      help: 'Incidents by current status',
      labelNames: ['status'],
      registers,
      collect() {
        const counts: Map<string, number> = stats.incidentsByStatus();
        for (const s of new Set<string>([...INCIDENT_STATUSES, ...counts.keys()])) this.set({ status: s }, counts.get(s) ?? 0);
      },
    });
    new Gauge({
      name: 'otklik_outbox_rows',
      help: 'Outbox rows by state: pending (waiting, incl. backoff), due (pending and due now), dead (given up: needs a person), sent',
      labelNames: ['state'],
      registers,
      collect() {
        const backlog = outbox.backlog(clock());
        for (const state of ['pending', 'due', 'dead', 'sent'] as const) this.set({ state }, backlog[state]);
      },
    });
    new Gauge({
      name: 'otklik_outbox_oldest_pending_seconds',
      help: 'Age of the oldest undelivered outbox row (0 when none)',
      registers,
      collect() {
        const oldest = outbox.backlog().oldestPendingAt;
        this.set(oldest === null ? 0 : Math.max(0, clock() - oldest) / 1000);
      },
    });
    new Gauge({
      name: 'otklik_channel_state',
      help: 'Each channel (vk:wall, vk:lp:<group>, telegram:updates, max:updates, max:webhook, delivery:<platform>): 1 for its current state',
      labelNames: ['channel', 'state'],
      registers,
      collect() {
        this.reset();
        for (const entry of status.list()) for (const state of STATES) this.set({ channel: entry.channel, state }, entry.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'otklik_channel_last_success_timestamp_seconds',
      help: 'Unix time of the last successful call of each channel',
      labelNames: ['channel'],
      registers,
      collect() {
        this.reset();
        for (const entry of status.list()) if (entry.lastSuccessAt !== null) this.set({ channel: entry.channel }, entry.lastSuccessAt / 1000);
      },
    });
    const scheduler = this.deps.scheduler;
    if (!scheduler) return;
    new Gauge({
      name: 'otklik_job_runs',
      help: 'Scheduled job runs since start, by outcome (ok, failed, skipped: the previous run was still going)',
      labelNames: ['job', 'outcome'],
      registers,
      collect() {
        for (const [job, s] of Object.entries(scheduler.stats())) {
          this.set({ job, outcome: 'ok' }, s.runs);
          this.set({ job, outcome: 'failed' }, s.failures);
          this.set({ job, outcome: 'skipped' }, s.skipped);
        }
      },
    });
  }
}
