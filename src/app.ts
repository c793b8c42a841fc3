/**
 * The composition root: builds every part from config, in dependency order, and wires them
 * together. No business logic lives here: only construction, the start order and the stop order.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { API } from 'vk-io';
import { ChannelStatus } from './channels/channel-status.js';
import { MaxClient } from './channels/max/max-client.js';
import { MaxLongPollSource } from './channels/max/max-long-poll-source.js';
import { MaxSender } from './channels/max/max-sender.js';
import { MaxWebhookReceiver } from './channels/max/max-webhook-receiver.js';
import { MaxWebhookSource } from './channels/max/max-webhook-source.js';
import { TelegramClient } from './channels/telegram/telegram-client.js';
import { TelegramSender } from './channels/telegram/telegram-sender.js';
import { TelegramSource } from './channels/telegram/telegram-source.js';
import { createVkCommunityApis, createVkReaderApi } from './channels/vk/vk-client.js';
import { VkLongPollSource } from './channels/vk/vk-long-poll-source.js';
import { VkSender } from './channels/vk/vk-sender.js';
import { type PollReport, VkWallPoller } from './channels/vk/vk-wall-poller.js';
import { type Config, secretValues } from './config.js';
import { ConsoleLoginLinks } from './console/console-login-links.js';
import { ConsoleServer } from './console/console-server.js';
import { gazetteerOf, loadDetector } from './detector-loader.js';
import type { Detector } from './domain/detection.js';
import type { Destination } from './domain/outbound.js';
import { IncidentService } from './incidents/incident-service.js';
import { type DecisionEvent, Ingest, type SelfIdentity } from './incidents/ingest.js';
import { MediaJob } from './jobs/media-job.js';
import { createJobScheduler, createScheduledJobs, type ScheduledJobs, slaPolicyFrom } from './jobs/register-jobs.js';
import type { ModerationDeps } from './moderation/command-feature.js';
import { IncidentCardPublisher } from './moderation/incident-card-publisher.js';
import { ModerationHandler } from './moderation/moderation-handler.js';
import { Metrics } from './ops/metrics.js';
import { OpsHttpServer } from './ops/ops-http-server.js';
import { deliveryEffects } from './outbox/delivery-effects.js';
import { OutboxWorker } from './outbox/outbox-worker.js';
import type { RateLimits } from './outbox/rate-limits.js';
import type { Senders } from './outbox/sender.js';
import { alertOnSourceStop } from './outbox/source-stop-alert.js';
import { type SingleFlight, singleFlight } from './single-flight.js';
import { type Db, openDb } from './store/db.js';
import { migrateToLatest } from './store/migrator.js';
import type { OutboxItem } from './store/outbox-store.js';
import { createStores, type Stores } from './store/stores.js';

export interface AppHooks {
  /** Each pipeline decision, after commit (the demo's live log). */
  onDecision?: (event: DecisionEvent) => void;
  /** Each delivered outbox row, after commit (`photoPath` when it was a photo with `text` as caption). */
  /** `photoPath`: a local photo sent with the text (the digest's chart); `photos`: how many citizens' photos went with it. */
  onDelivered?: (purpose: string, destination: Destination, text: string, photoPath?: string, photos?: number) => void;
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

/** Everything the running bot is made of, built by `App.create`. */
export interface AppParts {
  db: Db;
  /** Every repository, built once here and passed down. */
  stores: Stores;
  config: Config;
  logger: Logger;
  ingest: Ingest;
  incidents: IncidentService;
  cards: IncidentCardPublisher;
  outboxWorker: OutboxWorker;
  wallPoller: VkWallPoller | null;
  /** One wall poll cycle, shared by concurrent callers (the schedule, tests, benchmarks); null without a wall to read. */
  wallPolls: SingleFlight<PollReport> | null;
  longPoll: VkLongPollSource | null;
  telegramSource: TelegramSource | null;
  /** MAX updates: the long poll, or the webhook subscription (whose receiver is on `http`); null without MAX. */
  maxSource: MaxLongPollSource | MaxWebhookSource | null;
  status: ChannelStatus;
  /** Every scheduled job (VK polling, outbox delivery, deadlines, spikes, digest, retention) on one scheduler. */
  jobs: ScheduledJobs;
  metrics: Metrics;
  http: OpsHttpServer | null;
  /** The web console and Open311 API (config.console), or null. */
  console: ConsoleServer | null;
}

/** The bot: `start` and `stop` are the only lifecycle. */
export class App {
  readonly db: Db;
  readonly stores: Stores;
  readonly config: Config;
  readonly ingest: Ingest;
  readonly incidents: IncidentService;
  readonly outboxWorker: OutboxWorker;
  readonly wallPoller: VkWallPoller | null;
  readonly status: ChannelStatus;
  readonly jobs: ScheduledJobs;
  readonly metrics: Metrics;
  private readonly parts: AppParts;
  private readonly abort = new AbortController();
  private readonly loops: Promise<void>[] = [];
  private stopped = false;
  /** Where /healthz and /metrics listen once started (null when config.http.enabled is false). */
  httpAddress: { host: string; port: number } | null = null;
  /** Where the web console listens once started (null when config.console.enabled is false). */
  consoleAddress: { host: string; port: number } | null = null;

  private constructor(parts: AppParts) {
    this.parts = parts;
    ({ db: this.db, stores: this.stores, config: this.config, ingest: this.ingest, incidents: this.incidents, outboxWorker: this.outboxWorker } = parts);
    ({ wallPoller: this.wallPoller, status: this.status, jobs: this.jobs, metrics: this.metrics } = parts);
  }

  static async create(options: AppOptions): Promise<App> {
    const { config, logger } = options;
    const clock = options.clock ?? Date.now;
    const db = openDb(config.database.path);
    const applied = migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.version) }, 'database migrated');
    const stores = createStores(db);

    const status = new ChannelStatus(clock);
    const detector = options.detector ?? loadDetector(config.configDir, gazetteerOf(config), config.problems);
    const scheduler = createJobScheduler(config, logger, clock);
    const metrics = new Metrics({ stores, status, clock, scheduler, processMetrics: options.processMetrics ?? true });
    // Every incident gets its accept and answer due times from the SLA policy of this config.
    const policy = slaPolicyFrom(config);
    const cards = new IncidentCardPublisher({ stores, config, clock });
    const incidents = new IncidentService({ stores, config, clock, deadlines: policy.deadlineFunction, sla: policy, cards });
    const self: SelfIdentity = { vkGroupIds: new Set(config.vk.communities.map((c) => c.groupId)), telegramBotId: null, maxBotId: null };

    // VK: a reading token for walls, a token per community for replies and long poll.
    const readerApi: API | null = createVkReaderApi(config, metrics);
    const communityApis = createVkCommunityApis(config, metrics);
    const telegramClient = config.secrets.telegramToken ? new TelegramClient(config, config.secrets.telegramToken, metrics) : null;
    const maxClient = config.secrets.maxToken
      ? new MaxClient({
          baseUrl: config.max.apiBaseUrl,
          token: config.secrets.maxToken,
          requestTimeoutMs: config.max.requestTimeoutMs,
          sendTimeoutMs: config.max.sendTimeoutMs,
          observer: metrics,
          secrets: secretValues(config),
        })
      : null;

    const senders: Senders = {};
    if (communityApis.size > 0 || readerApi) senders.vk = new VkSender({ config, logger, communityApis, readerApi, cursors: stores.cursors });
    if (telegramClient) {
      senders.telegram = new TelegramSender({
        client: telegramClient,
        onHtmlRefused: (description, message) =>
          logger.warn(
            { description, destination: message.destination.kind },
            'Telegram refused the HTML of a message (check the templates in config); sent it as plain text',
          ),
      });
    }

    if (maxClient) senders.max = new MaxSender({ client: maxClient, logger });

    const onDelivered = options.hooks?.onDelivered;
    const outboxWorker = new OutboxWorker({
      config,
      stores,
      logger,
      clock,
      senders,
      status,
      observer: metrics,
      ...(options.deliveryLimits ? { limits: options.deliveryLimits } : {}),
      effects: deliveryEffects({ stores, cards, cardMedia: cards.media, bursts: cards.bursts, clock }),
      preparations: { burst: (item) => cards.bursts.prepare(item) },
      onDelivered: (item: OutboxItem) => {
        metrics.outboxDelivered(item);
        onDelivered?.(item.purpose, item.message.destination, item.message.text, item.message.photo?.path, item.message.media?.length ?? 0);
      },
    });
    const deliverNow = () => outboxWorker.notify();

    // A source whose token was refused stops; the moderators hear of it once a day, as for delivery.
    status.onFatalStop(alertOnSourceStop({ config, outbox: stores.outbox, clock, logger, onQueued: deliverNow }));

    // The chat commands and the web console act through the same deps; /login issues the console's links.
    const loginLinks = config.console.enabled ? new ConsoleLoginLinks({ config, clock, sessions: stores.consoleSessions }) : null;
    const moderation: ModerationDeps = { stores, config, clock, logger, incidents, cards, self, ...(loginLinks ? { loginLinks } : {}) };
    const consoleServer = loginLinks ? new ConsoleServer({ config, clock, logger, moderation, loginLinks, onOutboxChanged: deliverNow }) : null;

    const onDecision = options.hooks?.onDecision;
    const ingest = new Ingest({
      stores,
      config,
      clock,
      logger,
      detector,
      incidents,
      commands: new ModerationHandler(moderation),
      self,
      onOutboxChanged: deliverNow,
      onDecision: (event: DecisionEvent) => {
        metrics.messageSeen(event.message.channel, event.decision);
        onDecision?.(event);
      },
    });

    const wallPoller =
      readerApi && config.vk.communities.some((c) => c.watchWall)
        ? new VkWallPoller({ config, cursors: stores.cursors, logger, clock, api: readerApi, sink: ingest, status, observer: metrics })
        : null;
    const longPoll = config.vk.communities.some((c) => c.watchMessages && communityApis.has(c.groupId))
      ? new VkLongPollSource({ config, cursors: stores.cursors, logger, clock, apis: communityApis, sink: ingest, status })
      : null;
    const telegramSource = telegramClient
      ? new TelegramSource({
          config,
          cursors: stores.cursors,
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

    // MAX: the long poll, or the webhook subscription with its receiver on the ops HTTP server; never both.
    const onMaxIdentity = (botId: number): void => {
      self.maxBotId = botId;
    };
    const receivers = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();
    let maxSource: MaxLongPollSource | MaxWebhookSource | null = null;
    if (maxClient && config.max.mode === 'longpoll') {
      maxSource = new MaxLongPollSource({
        config,
        cursors: stores.cursors,
        logger,
        clock,
        client: maxClient,
        sink: ingest,
        status,
        onBotIdentity: onMaxIdentity,
      });
    } else if (maxClient && config.secrets.maxWebhookSecret) {
      const secret = config.secrets.maxWebhookSecret;
      const receiver = new MaxWebhookReceiver({
        config,
        secret,
        sink: ingest,
        logger: logger.child({ channel: 'max:webhook' }),
        clock,
        onOutcome: (outcome) => metrics.maxWebhook(outcome),
      });
      receivers.set(config.max.webhook.path, (req, res) => receiver.handle(req, res));
      maxSource = new MaxWebhookSource({ config, logger, client: maxClient, status, secret, onBotIdentity: onMaxIdentity });
    }

    const wallPolls = wallPoller ? singleFlight(() => wallPoller.pollOnce()) : null;
    const mediaJob = config.media.download ? new MediaJob({ stores, config, clock, logger: logger.child({ job: 'media' }), telegram: telegramClient }) : null;
    const jobs = createScheduledJobs({
      stores,
      config,
      clock,
      logger,
      scheduler,
      policy,
      ...(wallPolls ? { vkPoll: async () => void (await wallPolls.run()) } : {}),
      // Sweeps retries and rows left by a crash; never waits for a slow lane, so no tick is skipped.
      outbox: () => void outboxWorker.pump(),
      ...(mediaJob ? { media: async (signal: AbortSignal) => void (await mediaJob.run(signal)) } : {}),
      onOutboxChanged: deliverNow,
    });
    const http = config.http.enabled
      ? new OpsHttpServer({ host: config.http.host, port: config.http.port, status, metrics, outbox: stores.outbox, scheduler, logger, receivers })
      : null;
    return new App({
      db,
      stores,
      config,
      logger,
      ingest,
      incidents,
      cards,
      outboxWorker,
      wallPoller,
      wallPolls,
      longPoll,
      telegramSource,
      maxSource,
      status,
      jobs,
      metrics,
      http,
      console: consoleServer,
    });
  }

  /** The ref of an incident's card in the moderators' chat (Telegram message id as text, MAX mid), once delivered. */
  cardMessageRef(incidentId: number | null): string | null {
    return incidentId === null ? null : this.parts.cards.messageRef(incidentId);
  }

  /** The Telegram message id of an incident's card in a Telegram moderators' chat, once delivered. */
  cardMessageId(incidentId: number | null): number | null {
    const ref = this.cardMessageRef(incidentId);
    return ref !== null && /^\d+$/.test(ref) ? Number(ref) : null;
  }

  /**
   * Start the ops endpoint, every source, then the scheduler (VK wall polling, outbox delivery
   * and the jobs run on `config.schedules`). The walls are read and the outbox is swept once at
   * once rather than at the first tick. Resolves once everything runs; it all stops with `stop`.
   */
  async start(): Promise<void> {
    const { http, console, logger, longPoll, telegramSource, maxSource } = this.parts;
    if (http) this.httpAddress = await http.start();
    if (console) this.consoleAddress = await console.start();
    const signal = this.abort.signal;
    this.outboxWorker.start();
    if (longPoll) this.loops.push(this.guard('vk long poll', longPoll.run(signal)));
    if (telegramSource) this.loops.push(this.guard('telegram updates', telegramSource.run(signal)));
    if (maxSource) this.loops.push(this.guard('max updates', maxSource.run(signal)));
    const scheduler = this.jobs.scheduler;
    scheduler.start();
    if (this.wallPoller) void scheduler.runNow('vk-poll');
    void scheduler.runNow('outbox');
    logger.info(
      { wall: Boolean(this.wallPoller), longPoll: Boolean(longPoll), telegram: Boolean(telegramSource), max: maxSource ? this.config.max.mode : false },
      'otklik started',
    );
  }

  /** One VK wall poll cycle now (tests, benchmarks, the scheduler); a call during a cycle joins it. */
  async pollVkOnce(): Promise<PollReport | undefined> {
    return this.parts.wallPolls?.run();
  }

  private guard(name: string, loop: Promise<void>): Promise<void> {
    return loop.catch((error: unknown) => this.parts.logger.error({ err: error, loop: name }, 'a source loop crashed'));
  }

  /**
   * Stop sources, stop the schedules and let every job in flight finish (a wall poll, an outbox
   * run, a digest), deliver nothing new, close the ops endpoint, then the database.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await Promise.allSettled([...this.loops, this.parts.wallPolls?.inFlight() ?? Promise.resolve(undefined)]);
    await this.jobs.scheduler.stop();
    await this.outboxWorker.stop();
    await this.parts.http?.stop();
    await this.parts.console?.stop();
    this.db.close();
    this.parts.logger.info('otklik stopped');
  }
}
