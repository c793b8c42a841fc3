/**
 * The composition root: builds every part from config and wires them together.
 * No business logic lives here: only construction, the start order and the stop order.
 */
import type { Logger } from 'pino';
import type { API } from 'vk-io';
import { ChannelStatus } from './channels/channel-status.js';
import { TelegramClient } from './channels/telegram/telegram-client.js';
import { TelegramSender } from './channels/telegram/telegram-sender.js';
import { TelegramSource } from './channels/telegram/telegram-source.js';
import { createVkCommunityApis, createVkReaderApi } from './channels/vk/vk-client.js';
import { VkLongPollSource } from './channels/vk/vk-long-poll-source.js';
import { VkSender } from './channels/vk/vk-sender.js';
import { type PollReport, VkWallPoller } from './channels/vk/vk-wall-poller.js';
import type { Config } from './config.js';
import { gazetteerOf, loadDetector } from './detector-loader.js';
import type { Detector } from './domain/detection.js';
import type { Destination } from './domain/outbound.js';
import { IncidentService } from './incidents/incident-service.js';
import { createScheduledJobs, type ScheduledJobs } from './jobs/register-jobs.js';
import type { ChartDelivery } from './jobs/digest-job.js';
import { Metrics } from './ops/metrics.js';
import { OpsHttpServer } from './ops/ops-http-server.js';
import { type DecisionEvent, Ingest, type SelfIdentity } from './incidents/ingest.js';
import { IncidentCardPublisher } from './moderation/incident-card-publisher.js';
import { ModerationHandler } from './moderation/moderation-handler.js';
import { OutboxWorker } from './outbox/outbox-worker.js';
import type { RateLimits } from './outbox/rate-limits.js';
import type { Senders } from './outbox/sender.js';
import { enqueueSourceStopAlert } from './outbox/source-stop-alert.js';
import type { Db } from './store/db.js';
import { openDb } from './store/db.js';
import { migrateToLatest } from './store/migrator.js';
import { type OutboxItem, OutboxStore } from './store/outbox-store.js';

export interface AppHooks {
  /** Each pipeline decision, after commit (the demo's live log). */
  onDecision?: (event: DecisionEvent) => void;
  /** Each delivered outbox row, after commit (`photoPath` when it was a photo with `text` as caption). */
  onDelivered?: (purpose: string, destination: Destination, text: string, photoPath?: string) => void;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Epoch ms; default Date.now. */
  clock?: () => number;
  hooks?: AppHooks;
  /** A detector built elsewhere (benchmarks); default: loaded from config/. */
  detector?: Detector;
  /** Overrides of the platforms' delivery limits (the demo and benchmarks talk to the emulator, not to VK). */
  deliveryLimits?: Partial<RateLimits>;
  /** Process metrics (memory, CPU, GC) on /metrics; default true. Tests that build many apps turn them off. */
  processMetrics?: boolean;
}

/** Everything the running bot is made of; `start` and `stop` are the only lifecycle. */
export class App {
  readonly status: ChannelStatus;
  readonly outbox: OutboxStore;
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private wallPolling: Promise<PollReport | undefined> | null = null;
  private stopped = false;
  /** Where /healthz and /metrics listen once started (null when config.http.enabled is false). */
  httpAddress: { host: string; port: number } | null = null;

  private constructor(
    readonly db: Db,
    readonly config: Config,
    private readonly logger: Logger,
    readonly self: SelfIdentity,
    readonly ingest: Ingest,
    readonly incidents: IncidentService,
    readonly outboxWorker: OutboxWorker,
    readonly wallPoller: VkWallPoller | null,
    private readonly longPoll: VkLongPollSource | null,
    private readonly telegramSource: TelegramSource | null,
    private readonly telegramClient: TelegramClient | null,
    status: ChannelStatus,
    /** Every scheduled job (VK polling, outbox delivery, deadlines, spikes, digest, retention) on one scheduler. */
    readonly jobs: ScheduledJobs,
    readonly metrics: Metrics,
    readonly http: OpsHttpServer | null,
    outbox: OutboxStore,
    private readonly cards: IncidentCardPublisher,
  ) {
    this.status = status;
    this.outbox = outbox;
  }

  static async create(options: AppOptions): Promise<App> {
    const { config, logger } = options;
    const clock = options.clock ?? Date.now;
    const db = openDb(config.database.path);
    const applied = migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.version) }, 'database migrated');

    const status = new ChannelStatus(clock);
    const detector = options.detector ?? loadDetector(config.configDir, gazetteerOf(config));
    // Late-bound: the scheduler's vk-poll and outbox tasks call parts built below.
    let app: App | null = null;
    let outboxWorker: OutboxWorker | null = null;
    const outbox = new OutboxStore(db);
    const jobs = createScheduledJobs({
      db,
      config,
      clock,
      logger,
      ...(config.secrets.vkReader && config.vk.communities.some((c) => c.watchWall) ? { vkPoll: async () => void (await app?.pollVkOnce()) } : {}),
      // Sweeps retries and rows left by a crash; never waits for a slow lane, so no tick is skipped.
      outbox: () => void outboxWorker?.pump(),
      onOutboxChanged: () => outboxWorker?.notify(),
      deliverChart: (chart) => queueChart(outbox, config, chart, clock(), logger),
    });
    const metrics = new Metrics({ db, outbox, status, clock, scheduler: jobs.scheduler, processMetrics: options.processMetrics ?? true });
    // Every incident gets its accept and answer due times from the SLA policy of this config.
    const cards = new IncidentCardPublisher({ db, config, clock });
    const incidents = new IncidentService({ db, config, clock, deadlines: jobs.deadlines, sla: jobs.policy, cards });
    const self: SelfIdentity = { vkGroupIds: new Set(config.vk.communities.map((c) => c.groupId)), telegramBotId: null };

    // VK: a reading token for walls, a token per community for replies and long poll.
    const readerApi: API | null = createVkReaderApi(config, metrics);
    const communityApis = createVkCommunityApis(config, metrics);
    const telegramClient = config.secrets.telegramToken ? new TelegramClient(config, config.secrets.telegramToken, metrics) : null;

    const senders: Senders = {};
    if (communityApis.size > 0 || readerApi) senders.vk = new VkSender({ config, logger, communityApis, readerApi });
    if (telegramClient) {
      senders.telegram = new TelegramSender({
        client: telegramClient,
        onHtmlRefused: (description, message) =>
          logger.warn({ description, destination: message.destination.kind }, 'Telegram refused the HTML of a message (check the templates in config); sent it as plain text'),
      });
    }

    const onDecision = options.hooks?.onDecision;
    const ingest = new Ingest({
      db,
      config,
      clock,
      logger,
      detector,
      incidents,
      commands: new ModerationHandler({ db, config, clock, logger, incidents, cards, self }),
      self,
      onOutboxChanged: () => outboxWorker?.notify(),
      onDecision: (event: DecisionEvent) => {
        metrics.messageSeen(event.message.channel, event.decision);
        onDecision?.(event);
      },
    });
    const onDelivered = options.hooks?.onDelivered;
    outboxWorker = new OutboxWorker({
      config,
      db,
      logger,
      clock,
      senders,
      status,
      observer: metrics,
      ...(options.deliveryLimits ? { limits: options.deliveryLimits } : {}),
      onDelivered: (item: OutboxItem) => {
        if (item.purpose === 'ack' && item.incidentId !== null) incidents.store.markAcknowledged(item.incidentId, clock());
        // A card that changed while it was in flight is edited now.
        if (item.purpose === 'card' && cards.delivered(item)) outboxWorker?.notify();
        metrics.outboxDelivered(item);
        onDelivered?.(item.purpose, item.message.destination, item.message.text, item.message.photo?.path);
      },
    });

    // A source whose token was refused stops; the moderators hear of it once a day, as for delivery.
    status.onFatalStop((channel, reason) => {
      try {
        if (enqueueSourceStopAlert({ config, outbox }, channel, reason, clock())) outboxWorker?.notify();
      } catch (error) {
        logger.error({ err: error, channel }, 'could not queue the alert about a stopped channel');
      }
    });

    const wallPoller =
      readerApi && config.vk.communities.some((c) => c.watchWall) ? new VkWallPoller({ config, db, logger, clock, api: readerApi, sink: ingest, status, observer: metrics }) : null;
    const longPoll =
      config.vk.communities.some((c) => c.watchMessages && communityApis.has(c.groupId))
        ? new VkLongPollSource({ config, db, logger, clock, apis: communityApis, sink: ingest, status })
        : null;
    const telegramSource = telegramClient
      ? new TelegramSource({
          config,
          db,
          logger,
          clock,
          client: telegramClient,
          sink: ingest,
          status,
          onBotIdentity: (bot) => {
            self.telegramBotId = bot.id;
            self.telegramBotUsername = bot.username;
          },
        })
      : null;

    const http = config.http.enabled
      ? new OpsHttpServer({ host: config.http.host, port: config.http.port, status, metrics, outbox, scheduler: jobs.scheduler, logger })
      : null;
    app = new App(db, config, logger, self, ingest, incidents, outboxWorker, wallPoller, longPoll, telegramSource, telegramClient, status, jobs, metrics, http, outbox, cards);
    return app;
  }

  /** The Telegram message id of an incident's card in the moderators' chat, once delivered. */
  cardMessageId(incidentId: number | null): number | null {
    return incidentId === null ? null : this.cards.messageId(incidentId);
  }

  /**
   * Start the ops endpoint, every source, then the scheduler (VK wall polling, outbox delivery
   * and the jobs run on `config.schedules`). The walls are read and the outbox is swept once at
   * once rather than at the first tick. Resolves once everything runs; it all stops with `stop`.
   */
  async start(): Promise<void> {
    if (this.http) this.httpAddress = await this.http.start();
    const signal = this.abort.signal;
    this.outboxWorker.start();
    if (this.longPoll) this.loops.push(this.guard('vk long poll', this.longPoll.run(signal)));
    if (this.telegramSource) this.loops.push(this.guard('telegram updates', this.telegramSource.run(signal)));
    const scheduler = this.jobs.scheduler;
    scheduler.start();
    if (this.wallPoller) void scheduler.runNow('vk-poll');
    void scheduler.runNow('outbox');
    this.logger.info({ wall: Boolean(this.wallPoller), longPoll: Boolean(this.longPoll), telegram: Boolean(this.telegramSource) }, 'otklik started');
  }

  /** One VK wall poll cycle now (tests, benchmarks, the scheduler). */
  async pollVkOnce(): Promise<PollReport | undefined> {
    if (!this.wallPoller) return undefined;
    if (this.wallPolling) return this.wallPolling;
    this.wallPolling = this.wallPoller.pollOnce().finally(() => {
      this.wallPolling = null;
    });
    return this.wallPolling;
  }

  private guard(name: string, loop: Promise<void>): Promise<void> {
    return loop.catch((error: unknown) => this.logger.error({ err: error, loop: name }, 'a source loop crashed'));
  }

  /**
   * Stop sources, stop the schedules and let every job in flight finish (a wall poll, an outbox
   * run, a digest), deliver nothing new, close the ops endpoint, then the database.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled([...this.loops, this.wallPolling ?? Promise.resolve(undefined)]);
    await this.jobs.scheduler.stop();
    await this.outboxWorker.stop();
    await this.http?.stop();
    this.db.close();
    this.logger.info('otklik stopped');
  }
}

/**
 * The digest chart as a photo in the moderators' chat, through the outbox like everything else:
 * the key `digest-chart:<date>` makes a re-run of the day's digest queue nothing new.
 */
function queueChart(outbox: OutboxStore, config: Config, chart: ChartDelivery, now: number, logger: Logger): void {
  const chatId = config.telegram.moderatorsChatId;
  if (chatId === null) return;
  if (chart.path === null) {
    logger.warn('the digest chart could not be written to digest.chartDir; it is not sent');
    return;
  }
  outbox.enqueue(
    {
      idempotencyKey: chart.idempotencyKey,
      purpose: 'digest',
      message: { destination: { kind: 'telegram', chatId }, text: chart.caption, format: 'plain', photo: { path: chart.path } },
    },
    now,
  );
}
