/**
 * The bot (App) against the emulator for the moderation tests: the shipped config's communities,
 * chats and moderators, real vk-io and telegraf clients over loopback HTTP, a fresh in-memory
 * database. Detection is a table the test fills (the Detector interface is the public boundary
 * App takes one through), so these tests do not depend on the detector's vocabulary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { App } from '../../../src/app.js';
import { type Config, createConfig, readProblemsFileIfAny } from '../../../src/config.js';
import { QuestionDetector } from '../../../src/detect/question-detector.js';
import type { Detection, Detector, PlaceMatch, TopicId } from '../../../src/domain/detection.js';
import type { ProblemId } from '../../../src/domain/problem.js';
import { Emulator } from '../../../src/emulator/emulator.js';
import type { TgMediaSpec } from '../../../src/emulator/telegram/telegram-files.js';
import type { VkAttachmentSpec, VkGeoSpec } from '../../../src/emulator/vk/vk-media.js';
import { createLogger } from '../../../src/logger.js';
import type { RateLimits } from '../../../src/outbox/rate-limits.js';
import { REPO_ROOT } from '../../helpers/index.js';

export const ZARECHENSK_GROUP = 210002;
export const SOSNOVKA_GROUP = 210003;
export const CITY_CHAT = -1001000000001;
export const MODERATORS_CHAT = -1001000000099;
export const REGIONAL = 9001;
export const ZARECHENSK_MOD = 9002;
export const SOSNOVKA_MOD = 9003;
export const VK_MODERATOR = 500001;
export const STRANGER = 777001;

/** Texts the test declares to be appeals, with their topic (and problem, when given) and place. */
export class TableDetector implements Detector {
  private readonly appeals = new Map<
    string,
    { topic: TopicId; problem: ProblemId | null; place: PlaceMatch | null; verdict: 'reply' | 'review'; urgency?: 'emergency' }
  >();

  appeal(text: string, topic: TopicId, place: PlaceMatch | null = null, urgency: 'emergency' | 'normal' = 'normal', problem: string | null = null): string {
    this.appeals.set(text, { topic, problem: problem as ProblemId | null, place, verdict: 'reply', ...(urgency === 'emergency' ? { urgency } : {}) });
    return text;
  }

  /** A doubtful message: moderators get a «Проверить» note, the citizen no reply. */
  doubtful(text: string, topic: TopicId, problem: string | null = null): string {
    this.appeals.set(text, { topic, problem: problem as ProblemId | null, place: null, verdict: 'review' });
    return text;
  }

  detect(text: string): Detection {
    const hit = this.appeals.get(text);
    if (!hit)
      return {
        isAppeal: false,
        kind: 'none',
        score: 0.05,
        verdict: 'ignore',
        topic: null,
        problem: null,
        urgency: 'normal',
        statesProblem: false,
        language: 'rus',
        place: null,
        reasons: [],
      };
    const score = hit.verdict === 'reply' ? 0.95 : 0.5;
    return {
      isAppeal: true,
      kind: 'complaint',
      score,
      verdict: hit.verdict,
      topic: hit.topic,
      problem: hit.problem,
      urgency: hit.urgency ?? 'normal',
      statesProblem: true,
      language: 'rus',
      place: hit.place,
      reasons: ['жалоба'],
    };
  }
}

export class World {
  /** Every warning and error the bot logged, parsed. */
  readonly logs: Record<string, unknown>[] = [];
  private readonly posts = new Map<number, number>();
  private readonly people = new Set<string>();

  private constructor(
    readonly emulator: Emulator,
    readonly app: App,
    readonly detector: TableDetector,
  ) {}

  /** `local` is merged over the test config (e.g. `{ console: { enabled: true } }`); `clock` replaces Date.now. */
  static async start(options: { local?: Record<string, unknown>; clock?: () => number; deliveryLimits?: Partial<RateLimits> } = {}): Promise<World> {
    const emulator = await Emulator.start();
    const configDir = join(REPO_ROOT, 'config');
    const defaults = JSON.parse(readFileSync(join(configDir, 'default.json'), 'utf8')) as { vk: { communities: { groupId: number; name: string }[] } };
    const env: Record<string, string> = {};
    for (const c of defaults.vk.communities)
      env[`VK_COMMUNITY_TOKEN_${c.groupId}`] = emulator.addCommunity({ groupId: c.groupId, name: c.name }).communityToken;
    env.VK_USER_TOKEN = emulator.addUserToken().token;
    env.TELEGRAM_BOT_TOKEN = emulator.addBot({ username: 'otklik_test_bot', firstName: 'Отклик' }).token;
    emulator.addChat({ id: CITY_CHAT, type: 'supergroup', title: 'Зареченск: городской чат' });
    emulator.addChat({ id: MODERATORS_CHAT, type: 'supergroup', title: 'ЦУР: модераторы' });
    const config: Config = createConfig({
      configDir,
      defaults,
      problems: readProblemsFileIfAny(configDir),
      env,
      local: {
        database: { path: ':memory:' },
        vk: { apiBaseUrl: emulator.vkApiBaseUrl, pollIntervalSeconds: 3600 },
        telegram: { apiRoot: emulator.telegramApiRoot, pollTimeoutSeconds: 1 },
        outbox: { backoffBaseMs: 50, backoffMaxMs: 200 },
        http: { enabled: false },
        logging: { level: 'silent' },
        ...options.local,
      },
    });
    const detector = new TableDetector();
    const logLines = new PassThrough();
    const logger = createLogger({ level: 'warn', pretty: false, secrets: [], destination: logLines });
    // Questions are recognised after any detector, as loadDetector does for the shipped one.
    const world = new World(
      emulator,
      await App.create({
        config,
        logger,
        detector: new QuestionDetector(detector),
        ...(options.clock ? { clock: options.clock } : {}),
        deliveryLimits: options.deliveryLimits ?? { telegramGroupPerMinute: 6000, telegramPrivateChatIntervalMs: 1 },
      }),
      detector,
    );
    logLines.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) world.logs.push(JSON.parse(line) as Record<string, unknown>);
    });
    for (const c of defaults.vk.communities) world.posts.set(c.groupId, emulator.addPost(c.groupId, { text: 'Новости' }));
    await world.app.start();
    // The first wall poll baselines what exists; wait until it ran and the long polls are held.
    await world.until(
      () => emulator.countRequests({ api: 'vk', method: 'execute' }) >= 1 && emulator.heldPolls('telegram') >= 1 && emulator.heldPolls('vk_lp') >= 3,
      'the bot to listen',
    );
    return world;
  }

  async stop(): Promise<void> {
    await this.app.stop();
    await this.emulator.close();
  }

  get config(): Config {
    return this.app.config;
  }

  /** Wait for a condition the bot brings about; fails with `what` after 10 s. */
  async until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Wait until nothing is left to deliver. */
  async settled(): Promise<void> {
    const due = this.app.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'");
    await this.until(() => (due.get() as { n: number }).n === 0, 'the outbox to drain');
  }

  private recorded(channel: string, externalId: string): boolean {
    return this.app.db.prepare('SELECT 1 FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId) !== undefined;
  }

  private vkUser(id: number): void {
    if (this.people.has(`vk:${id}`)) return;
    this.people.add(`vk:${id}`);
    this.emulator.addVkUser({ id, firstName: 'Житель', lastName: String(id) });
  }

  tgUser(id: number): void {
    if (this.people.has(`tg:${id}`)) return;
    this.people.add(`tg:${id}`);
    this.emulator.addTgUser({ id, firstName: `Пользователь ${id}` });
    this.emulator.addChat({ id, type: 'private' });
  }

  /** A citizen's comment under the community's post (in reply to a comment, when given), read by one wall poll. Returns the comment id. */
  async comment(groupId: number, fromId: number, text: string, replyToCommentId?: number, attachments?: VkAttachmentSpec[]): Promise<number> {
    this.vkUser(fromId);
    const commentId = this.emulator.addComment({
      groupId,
      postId: this.posts.get(groupId)!,
      fromId,
      text,
      ...(replyToCommentId ? { replyToCommentId } : {}),
      ...(attachments ? { attachments } : {}),
    });
    await this.app.pollVkOnce();
    if (!this.recorded('vk_comment', `-${groupId}_${commentId}`)) await this.app.pollVkOnce();
    await this.settled();
    return commentId;
  }

  /** A message to the community's chat-bot (VK dialog), read through Bots Long Poll. */
  async vkDialog(groupId: number, fromId: number, text: string, extra: { attachments?: VkAttachmentSpec[]; geo?: VkGeoSpec } = {}): Promise<void> {
    this.vkUser(fromId);
    const id = this.emulator.sendCommunityMessage({ groupId, fromId, text, ...extra });
    await this.until(() => this.recorded('vk_message', `${groupId}_${id}`), 'the VK message to be read');
    await this.settled();
  }

  /** A Telegram message (chatId = the user's id for a private chat). Returns its message id. */
  async telegram(
    chatId: number,
    fromId: number,
    text: string,
    replyToMessageId?: number,
    media: TgMediaSpec & { mediaGroupId?: string } = {},
  ): Promise<number> {
    this.tgUser(fromId);
    const id = this.emulator.sendTelegramMessage({ chatId, fromId, text, ...(replyToMessageId ? { replyToMessageId } : {}), ...media });
    await this.until(() => this.recorded('telegram', `${chatId}_${id}`), 'the Telegram message to be read');
    await this.settled();
    return id;
  }

  /** A command in the moderators' chat; resolves with the bot's reply to it. */
  async command(fromId: number, text: string): Promise<string> {
    const id = await this.telegram(MODERATORS_CHAT, fromId, text);
    const reply = this.emulator.sent().telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.replyTo === id);
    if (!reply) throw new Error(`no reply to ${text}`);
    return reply.text;
  }

  /** The incident a message became. */
  incidentOf(channel: string, externalId: string): number {
    const row = this.app.db.prepare('SELECT incident_id FROM messages WHERE channel = ? AND external_id = ?').get(channel, externalId) as
      | { incident_id: number | null }
      | undefined;
    if (!row?.incident_id) throw new Error(`message ${externalId} is no incident`);
    return row.incident_id;
  }

  status(incidentId: number): string {
    return (this.app.db.prepare('SELECT status FROM incidents WHERE id = ?').get(incidentId) as { status: string }).status;
  }

  /** The card message of an incident in the moderators' chat. */
  card(incidentId: number): { messageId: number; buttons: { text: string; callback_data: string }[] } {
    const messageId = this.app.cardMessageId(incidentId);
    if (messageId === null) throw new Error(`no card for ${incidentId}`);
    const edits = this.emulator.sent().telegramEdits.filter((e) => e.chatId === MODERATORS_CHAT && e.messageId === messageId && e.replyMarkup);
    const sent = this.emulator.sent();
    // A card with the citizen's one photo is that photo, with the card as its caption.
    const original = [...sent.telegramMessages, ...sent.telegramPhotos].find((m) => m.chatId === MODERATORS_CHAT && m.messageId === messageId);
    const markup = (edits.at(-1)?.replyMarkup ?? original?.replyMarkup) as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
    return { messageId, buttons: (markup?.inline_keyboard ?? []).flat() };
  }

  /** Press the card button labelled `label`; resolves with the callback answer. */
  async press(incidentId: number, fromId: number, label: string): Promise<{ text?: string; showAlert: boolean }> {
    const card = this.card(incidentId);
    const button = card.buttons.find((b) => b.text === label);
    if (!button) throw new Error(`no button «${label}» on the card of ${incidentId}: ${card.buttons.map((b) => b.text).join(', ')}`);
    return this.pressData(card.messageId, fromId, button.callback_data, false);
  }

  /** Press with any data (forge: data that was never on the message). */
  async pressData(messageId: number, fromId: number, data: string, forge = true): Promise<{ text?: string; showAlert: boolean }> {
    this.tgUser(fromId);
    const pressId = this.emulator.pressButton({ chatId: MODERATORS_CHAT, messageId, fromId, data, forge });
    await this.until(() => this.emulator.sent().callbackAnswers.some((a) => a.callbackQueryId === pressId), 'the press to be answered');
    await this.settled();
    return this.emulator.sent().callbackAnswers.find((a) => a.callbackQueryId === pressId)!;
  }

  /** What the bot said under one VK comment, in order. */
  vkReplies(groupId: number, commentId: number): string[] {
    return this.emulator
      .sent()
      .vkComments.filter((c) => c.ownerId === -groupId && c.replyToComment === commentId)
      .map((c) => c.text);
  }

  /** What the bot said in a Telegram chat in reply to a message (or anywhere in the chat). */
  telegramReplies(chatId: number, replyTo?: number): string[] {
    return this.emulator
      .sent()
      .telegramMessages.filter((m) => m.chatId === chatId && (replyTo === undefined || m.replyTo === replyTo))
      .map((m) => m.text);
  }
}
