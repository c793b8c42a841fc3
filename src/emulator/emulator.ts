import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ControlTarget, handleControl } from './control/control-api.js';
import { type EmulatorCore, type HeldKind, PollWatch } from './core.js';
import { type FailureRateSpec, type FaultSpec, Faults, RateLimiter } from './faults.js';
import { sendText } from './http/http-util.js';
import { MaxRouter } from './max/max-router.js';
import { type MaxChatType, MaxState, type SentMaxAnswer, type SentMaxComment, type SentMaxEdit, type SentMaxMessage } from './max/max-state.js';
import { MaxWebhookPusher, type PusherOptions } from './max/max-webhook-pusher.js';
import { Prng } from './prng.js';
import { type RequestFilter, RequestLog, type RequestLogEntry } from './request-log.js';
import type { TgMediaSpec } from './telegram/telegram-files.js';
import { TelegramRouter } from './telegram/telegram-router.js';
import {
  type SentCallbackAnswer,
  type SentTelegramEdit,
  type SentTelegramMediaGroup,
  type SentTelegramMessage,
  type SentTelegramPhoto,
  TelegramState,
  type TgChatType,
} from './telegram/telegram-state.js';
import { VkLongPoll } from './vk/vk-long-poll.js';
import type { VkAttachmentSpec, VkGeoSpec } from './vk/vk-media.js';
import { VkRouter } from './vk/vk-router.js';
import { type SentVkComment, type SentVkMessage, type SentVkWallPost, VkState } from './vk/vk-state.js';

export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Seed for generated tokens, keys and random failures; default 1. */
  seed?: number;
  /** Milliseconds since the epoch; default Date.now. Dates on the wire are whole seconds of this clock (MAX: milliseconds). */
  clock?: () => number;
  /** How MAX webhook deliveries are retried until a 200 (fast by default). */
  maxWebhookRetry?: PusherOptions;
}

/** Everything the bot did through the APIs, in order. */
export interface EmulatorSent {
  vkComments: SentVkComment[];
  vkMessages: SentVkMessage[];
  vkWallPosts: SentVkWallPost[];
  telegramMessages: SentTelegramMessage[];
  telegramEdits: SentTelegramEdit[];
  callbackAnswers: SentCallbackAnswer[];
  telegramPhotos: SentTelegramPhoto[];
  maxMessages: SentMaxMessage[];
  maxComments: SentMaxComment[];
  maxEdits: SentMaxEdit[];
  maxAnswers: SentMaxAnswer[];
  telegramMediaGroups: SentTelegramMediaGroup[];
}

/**
 * A local VK API (5.199, with Bots Long Poll), Telegram Bot API and MAX Bot API (0.0.33, with
 * long polling and webhooks pushed to the bot) on one HTTP server bound to 127.0.0.1. Point vk-io
 * at `vkApiBaseUrl`, telegraf at `telegramApiRoot` and the MAX client at `maxApiBaseUrl`; set up
 * communities, chats and citizens' messages with the control methods; read what the bot did with
 * `sent()` and `requestLog()`.
 */
export class Emulator implements ControlTarget {
  readonly url: string;
  readonly vkApiBaseUrl: string;
  readonly telegramApiRoot: string;
  readonly maxApiBaseUrl: string;

  private readonly abort = new AbortController();
  private readonly faults = new Faults();
  private readonly vkRateLimit: RateLimiter;
  private readonly log = new RequestLog();
  private readonly polls = new PollWatch();
  private readonly vk: VkState;
  private readonly vkLongPoll: VkLongPoll;
  private readonly telegram: TelegramState;
  private readonly vkRouter: VkRouter;
  private readonly telegramRouter: TelegramRouter;
  private readonly max: MaxState;
  private readonly maxRouter: MaxRouter;
  private readonly maxPusher: MaxWebhookPusher;

  private constructor(
    private readonly server: Server,
    port: number,
    opts: Required<Pick<EmulatorOptions, 'seed' | 'clock'>> & Pick<EmulatorOptions, 'maxWebhookRetry'>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.vkApiBaseUrl = `${this.url}/method`;
    this.telegramApiRoot = this.url;
    this.maxApiBaseUrl = `${this.url}/max`;
    const prng = new Prng(opts.seed);
    this.vkRateLimit = new RateLimiter(opts.clock);
    const core: EmulatorCore = {
      clock: opts.clock,
      faults: this.faults,
      vkRateLimit: this.vkRateLimit,
      log: this.log,
      signal: this.abort.signal,
      baseUrl: () => this.url,
      polls: this.polls,
    };
    this.vkLongPoll = new VkLongPoll(prng);
    this.vk = new VkState(prng, opts.clock, this.vkLongPoll, () => this.url);
    this.telegram = new TelegramState(prng, opts.clock);
    this.vkRouter = new VkRouter(core, this.vk, this.vkLongPoll);
    this.telegramRouter = new TelegramRouter(core, this.telegram);
    this.max = new MaxState(prng, opts.clock);
    this.maxRouter = new MaxRouter(core, this.max);
    this.maxPusher = new MaxWebhookPusher(core, opts.maxWebhookRetry);
  }

  /** Starts the server on 127.0.0.1 and resolves once it listens. */
  static async start(opts: EmulatorOptions = {}): Promise<Emulator> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const emulator = new Emulator(server, port, {
      seed: opts.seed ?? 1,
      clock: opts.clock ?? Date.now,
      ...(opts.maxWebhookRetry ? { maxWebhookRetry: opts.maxWebhookRetry } : {}),
    });
    server.on('request', (req, res) => void emulator.route(req, res));
    return emulator;
  }

  /** Stops listening, ends held long polls at once and drops keep-alive connections. */
  async close(): Promise<void> {
    this.abort.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Let the long polls ended by the abort write their answers before the sockets go.
    await new Promise((resolve) => setImmediate(resolve));
    this.server.closeAllConnections();
    await closed;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.url);
      const path = url.pathname;
      let match: RegExpExecArray | null;
      if ((match = /^\/method\/([\w.]+)$/.exec(path))) return await this.vkRouter.handleMethod(req, res, url, match[1] ?? '');
      if ((match = /^\/vk-lp\/(\d+)$/.exec(path))) return await this.vkRouter.handleLongPoll(req, res, url, Number(match[1]));
      if ((match = /^\/bot([^/]+)(?:\/test)?\/([\w]*)$/.exec(path))) {
        return await this.telegramRouter.handle(req, res, url, decodeURIComponent(match[1] ?? ''), match[2] ?? '');
      }
      if ((match = /^\/max(\/.*)$/.exec(path))) return await this.maxRouter.handle(req, res, url, match[1] ?? '/');
      if ((match = /^\/max-upload\/(\w+)$/.exec(path))) return await this.maxRouter.upload(req, res, url, match[1] ?? '');
      if ((match = /^\/file\/bot([^/]+)\/([\w./-]+)$/.exec(path)) && !path.includes('..')) {
        return await this.telegramRouter.handleFile(req, res, decodeURIComponent(match[1] ?? ''), match[2] ?? '');
      }
      if ((match = /^\/vk-files\/([\w.-]+)$/.exec(path))) return this.vkRouter.handleFile(req, res, match[1] ?? '');
      if ((match = /^\/control\/?(\w*)$/.exec(path))) return await handleControl(this, req, res, url, match[1] ?? '');
      req.resume();
      sendText(res, 404, 'Not Found');
    } catch (error) {
      sendText(res, 500, `emulator error: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // === VK set-up and citizens

  /** Adds a community (group id > 0) and returns its community token. */
  addCommunity(opts: { groupId: number; name: string; screenName?: string; token?: string }): { communityToken: string } {
    return this.vk.addCommunity(opts);
  }

  /** A user token (accepted by wall.get, wall.getComments, execute, …); creates the user if needed. */
  addUserToken(opts: { userId?: number; token?: string } = {}): { token: string; userId: number } {
    return this.vk.addUserToken(opts);
  }

  /** An application service token (wall.get, wall.getComments; never execute or community methods). */
  addServiceToken(opts: { token?: string } = {}): { token: string } {
    return this.vk.addServiceToken(opts);
  }

  addVkUser(opts: { id: number; firstName: string; lastName: string }): void {
    this.vk.addUser(opts);
  }

  /** A post on the community wall (owner_id = -groupId), from the community. `date` in unix seconds. */
  addPost(groupId: number, opts: { text: string; date?: number }): number {
    this.vk.community(groupId);
    return this.vk.createPost({ ownerId: -groupId, fromId: -groupId, text: opts.text, ...(opts.date !== undefined ? { date: opts.date } : {}) }).id;
  }

  /**
   * A citizen's comment (or thread reply); emits `wall_reply_new` on the community's long poll.
   * `attachments`: photos (with their sizes), documents, a video, a sticker; the text may then be empty.
   */
  addComment(opts: {
    groupId: number;
    postId: number;
    fromId: number;
    text?: string;
    replyToCommentId?: number;
    date?: number;
    attachments?: VkAttachmentSpec[];
  }): number {
    this.vk.community(opts.groupId);
    if (opts.text !== undefined && typeof opts.text !== 'string') throw new Error('text must be a string');
    return this.vk.createComment({
      ownerId: -opts.groupId,
      postId: opts.postId,
      fromId: opts.fromId,
      text: opts.text ?? '',
      ...(opts.attachments !== undefined ? { attachments: opts.attachments } : {}),
      ...(opts.replyToCommentId !== undefined ? { replyToComment: opts.replyToCommentId } : {}),
      ...(opts.date !== undefined ? { date: opts.date } : {}),
    }).comment.id;
  }

  /** A citizen writes to the community chat-bot (peer_id = fromId); emits `message_new`. With `attachments` or `geo` (a location) the text may be empty. */
  sendCommunityMessage(opts: { groupId: number; fromId: number; text?: string; date?: number; attachments?: VkAttachmentSpec[]; geo?: VkGeoSpec }): number {
    return this.vk.receiveMessage(opts).id;
  }

  /** Invalidates the community's long poll keys: the next a_check answers `{failed: 2}`. */
  expireVkLongPollKeys(groupId: number): void {
    this.vkLongPoll.expireKeys(groupId);
  }

  // === Telegram set-up and users

  /** A bot; the token's numeric prefix becomes the bot's user id. */
  addBot(opts: { token?: string; username: string; firstName?: string }): { token: string; id: number } {
    return this.telegram.addBot(opts);
  }

  /** A chat; private chats take their user's id, groups get a negative id unless given. */
  addChat(opts: { id?: number; type: TgChatType; title?: string; username?: string; isForum?: boolean; topics?: number[] }): {
    chatId: number;
  } {
    return this.telegram.addChat(opts);
  }

  addTgUser(opts: { id: number; firstName: string; username?: string; isBot?: boolean }): void {
    this.telegram.addUser(opts);
  }

  /**
   * A user's message in a chat (or forum topic `threadId`); queues a `message` update for every bot.
   * With `photo`, `document`, `video` or `voice` the text is its caption; `location` sends a location
   * (no text); `mediaGroupId` makes it one item of an album.
   */
  sendTelegramMessage(
    opts: { chatId: number; fromId: number; text?: string; replyToMessageId?: number; threadId?: number; mediaGroupId?: string } & TgMediaSpec,
  ): number {
    return this.telegram.userMessage(opts);
  }

  /** A user presses an inline button of a bot message; queues a `callback_query` update for that bot. */
  pressButton(opts: { chatId: number; messageId: number; fromId: number; data: string; forge?: boolean }): string {
    return this.telegram.pressButton(opts);
  }

  // === MAX set-up and users

  /** A MAX bot; its token is what `Authorization` carries. Webhook subscriptions it makes are pushed to. */
  addMaxBot(opts: { token?: string; username: string; name?: string }): { token: string; id: number } {
    const created = this.max.addBot(opts);
    this.maxPusher.attach(this.max.bots.get(created.token)!);
    return created;
  }

  addMaxUser(opts: { id: number; firstName: string; lastName?: string; isBot?: boolean }): void {
    this.max.addUser(opts);
  }

  /** A group chat (a house chat: `type` chat) or a channel; negative ids unless given. */
  addMaxChat(opts: { chatId?: number; type?: Exclude<MaxChatType, 'dialog'>; title: string }): { chatId: number } {
    return this.max.addChat({ ...opts, type: opts.type ?? 'chat' });
  }

  /** A post of a MAX channel (the bot reads comments under it); returns its mid. */
  addMaxPost(opts: { chatId: number; text: string }): string {
    return this.max.addPost(opts);
  }

  /** A user writes in a group chat, or to the bot (`chatId` = the user's id: their dialog); queues `message_created`. Returns the mid. */
  sendMaxMessage(opts: { chatId: number; fromId: number; text: string; replyToMid?: string; attachments?: unknown[] }): string {
    return this.max.userMessage(opts);
  }

  /** A user comments under a channel post; queues `comment_created`. Returns the comment's mid. */
  addMaxComment(opts: { postMid: string; fromId: number; text: string; replyToMid?: string }): string {
    return this.max.userComment(opts);
  }

  /** A user presses a callback button under a bot's message; queues `message_callback`. Returns the callback_id. */
  pressMaxButton(opts: { mid: string; fromId: number; payload: string; forge?: boolean }): string {
    return this.max.pressButton(opts);
  }

  /** The webhook subscriptions of every MAX bot (url, update types). */
  maxSubscriptions(): { url: string; updateTypes: string[] | null }[] {
    return [...this.max.bots.values()].flatMap((b) => b.subscriptions.map((s) => ({ url: s.url, updateTypes: s.updateTypes })));
  }

  /** Updates not yet taken by a MAX bot (long poll: not committed by a marker; webhook: not answered 200). */
  pendingMaxUpdates(): number {
    return [...this.max.bots.values()].reduce((n, b) => n + b.updates.length, 0);
  }

  // === What the bot did

  sent(): EmulatorSent {
    return structuredClone({
      vkComments: this.vk.sentComments,
      vkMessages: this.vk.sentMessages,
      vkWallPosts: this.vk.sentWallPosts,
      telegramMessages: this.telegram.sentMessages,
      telegramEdits: this.telegram.sentEdits,
      callbackAnswers: this.telegram.callbackAnswers,
      telegramPhotos: this.telegram.sentPhotos,
      maxMessages: this.max.sentMessages,
      maxComments: this.max.sentComments,
      maxEdits: this.max.sentEdits,
      maxAnswers: this.max.answers,
      telegramMediaGroups: this.telegram.sentMediaGroups,
    });
  }

  /**
   * Resolves once a long poll of `api` (telegram getUpdates with a timeout, a VK a_check with
   * wait, a MAX GET /updates with a timeout) is held by the server, at once if one already is. A barrier
   * for tests: "the bot is now waiting", without sleeping. `delayed`: a request held by a
   * `delayMs` or `hang` fault, i.e. a call of the bot that is in flight right now.
   */
  waitForHeldPoll(api: HeldKind): Promise<void> {
    return this.polls.wait(api);
  }

  /** How many long polls of `api` the server holds right now (one per listening community or bot). */
  heldPolls(api: HeldKind): number {
    return this.polls.count(api);
  }

  requestLog(): RequestLogEntry[] {
    return this.log.list();
  }

  resetRequestLog(): void {
    this.log.reset();
  }

  countRequests(filter: RequestFilter = {}): number {
    return this.log.count(filter);
  }

  // === Faults and limits

  /**
   * The next `times` (default 1) matching requests fail with `kind`, before having any effect (a
   * `corrupt` fault: after). `api: 'vk_lp'` faults the Bots Long Poll `a_check`; the history-loss
   * kinds (`longPollFailed`, `dropUpdatesOlderThanSeconds`) are described in faults.ts.
   */
  injectFault(spec: FaultSpec): void {
    this.faults.inject(spec);
  }

  /** Requests of `api` fail at `rate`, chosen by a PRNG seeded with `seed` (deterministic). */
  setFailureRate(spec: FailureRateSpec): void {
    this.faults.setFailureRate(spec);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** More than `perSecond` VK requests per token within a second answer error 6; omit or 0 to lift. */
  setRateLimit(opts: { api: 'vk'; perSecond?: number }): void {
    this.vkRateLimit.set(opts.perSecond);
  }
}
