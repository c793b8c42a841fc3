/**
 * `npm run demo`: the real bot against the emulator with a scripted stream of Russian messages.
 * Everything goes over HTTP on 127.0.0.1 through the real vk-io and telegraf clients.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { App } from '../app.js';
import { type Config, createConfig, readConfigFiles } from '../config.js';
import { externalId } from '../domain/external-id.js';
import type { Destination } from '../domain/outbound.js';
import type { ChannelKind } from '../domain/thread-ref.js';
import { addDays, localDate, zonedTimeToInstant } from '../domain/working-calendar.js';
import { Emulator } from '../emulator/emulator.js';
import { botEnvironment, seedWorld } from '../emulator/world.js';
import type { DecisionEvent } from '../incidents/ingest.js';
import { createLogger, silentLogger } from '../logger.js';
import { sleep } from '../retry.js';
import { DemoPrinter } from './demo-printer.js';
import { CONFIG_DIR, DEMO_BOT_USERNAME, DEMO_MODERATORS_CHAT_TITLE, demoWorld } from './demo-world.js';
import { DEMO_MAX, DEMO_SCRIPT, type DemoMedia, type DemoPerson, type DemoPlace, type DemoStep, MODERATORS_CHAT } from './scenario.js';

/** The demo MAX bot's token (the emulator's only). */
const DEMO_MAX_TOKEN = 'max-demo-bot-token';

export interface DemoOptions {
  dbPath: string;
  /** No pauses between messages (tests). */
  fast: boolean;
  /** Where the live log goes; default stdout. */
  out?: NodeJS.WritableStream;
  /** Give up waiting for the bot after this long per settle step. */
  settleTimeoutMs?: number;
}

export interface DemoResult {
  code: number;
  dbPath: string;
  emulatorSent: ReturnType<Emulator['sent']>;
}

/** A schedule that never comes during a demo: the script runs those jobs itself, at its moments. */
const SCRIPTED = '0 0 1 1 *';

/**
 * The bot's clock in the demo: real time, until the script jumps to the next morning for the
 * daily digest (the demo has no real night to wait through).
 */
class DemoClock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  /** Move on to `instant` (never back). */
  jumpTo(instant: number): void {
    this.offsetMs = Math.max(this.offsetMs, instant - Date.now());
  }
}

/** Labels of the script → what was injected, to find the incident a label became. */
interface Injected {
  channel: ChannelKind;
  externalId: string;
  place: DemoPlace;
  /** The platform id of the message, for replies to it (a MAX mid for MAX). */
  platformId: number | string;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  return (await runDemoDetailed(options)).code;
}

export async function runDemoDetailed(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? process.stdout;
  const dbPath = resolve(options.dbPath);
  mkdirSync(dirname(dbPath), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });

  const emulator = await Emulator.start();
  const printer = new DemoPrinter(out);
  let app: App | undefined;
  const clock = new DemoClock();
  try {
    const world = setUpWorld(emulator);
    const config = demoConfig(emulator, world, dbPath);
    printer.banner(config, emulator.url);
    app = await App.create({
      config,
      clock: clock.now,
      // The emulator is not VK or Telegram: the per-chat limits would only make the demo slow.
      deliveryLimits: { telegramGroupPerMinute: 600, telegramPrivateChatIntervalMs: 50 },
      logger: process.env.OTKLIK_DEMO_LOG
        ? createLogger({ level: process.env.OTKLIK_DEMO_LOG, pretty: false, secrets: [], destination: process.stderr })
        : silentLogger(),
      hooks: {
        onDecision: (event: DecisionEvent) => printer.decision(event, world.describeSource(event)),
        onDelivered: (purpose, destination: Destination, text, photoPath, photos) => printer.delivered(purpose, destination, text, photoPath, photos),
      },
    });
    await app.start();
    await waitUntilListening(emulator, config.vk.communities.length);
    const player = new ScriptPlayer(emulator, app, world, printer, options, clock);
    await player.play(DEMO_SCRIPT);
    await player.settle();
    printer.summary(app.stores.stats, dbPath);
    return { code: 0, dbPath, emulatorSent: emulator.sent() };
  } catch (error) {
    out.write(`\nДемо остановилось с ошибкой: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { code: 1, dbPath, emulatorSent: emulator.sent() };
  } finally {
    await app?.stop();
    await emulator.close();
  }
}

// === The emulated world: communities, posts, chats, people

interface World {
  userToken: string;
  communityTokens: Map<number, string>;
  botToken: string;
  botId: number;
  posts: Map<number, number[]>;
  /** The world's own MAX bot (null: the demo adds its MAX bot itself). */
  maxToken: string | null;
  ensurePerson(person: DemoPerson, platform: 'vk' | 'telegram' | 'max'): void;
  /** The mid of the MAX channel's post. */
  maxPost: string;
  describeSource(event: DecisionEvent): string;
}

function setUpWorld(emulator: Emulator): World {
  const world = demoWorld();
  const seeded = seedWorld(emulator, world);
  emulator.addMaxBot({ token: DEMO_MAX_TOKEN, username: DEMO_BOT_USERNAME, name: 'Отклик' });
  emulator.addMaxChat({ chatId: DEMO_MAX.houseChat.chatId, type: 'chat', title: DEMO_MAX.houseChat.title });
  emulator.addMaxChat({ chatId: DEMO_MAX.channel.chatId, type: 'channel', title: DEMO_MAX.channel.title });
  const maxPost = emulator.addMaxPost({ chatId: DEMO_MAX.channel.chatId, text: DEMO_MAX.post });
  const communityNames = new Map(world.vk.communities.map((c) => [c.groupId, c.name]));
  const chatTitles = new Map(world.telegram.chats.map((c) => [c.chatId, c.title]));
  chatTitles.set(MODERATORS_CHAT, DEMO_MODERATORS_CHAT_TITLE);
  // People the world already has (the moderators) are not added again.
  const known = new Set([...world.vk.users.map((u) => `vk:${u.id}`), ...world.telegram.users.map((u) => `telegram:${u.id}`)]);
  return {
    ...seeded,
    maxPost,
    ensurePerson(person, platform) {
      const key = `${platform}:${person.id}`;
      if (known.has(key)) return;
      known.add(key);
      if (platform === 'vk') emulator.addVkUser({ id: person.id, firstName: person.firstName, lastName: person.lastName });
      else if (platform === 'max') emulator.addMaxUser({ id: person.id, firstName: person.firstName, lastName: person.lastName });
      else {
        emulator.addTgUser({ id: person.id, firstName: person.firstName });
        emulator.addChat({ id: person.id, type: 'private' });
      }
    },
    describeSource(event) {
      const source = event.message.source;
      if (source.platform === 'vk') {
        const name = communityNames.get(source.groupId) ?? `VK ${source.groupId}`;
        return event.message.channel === 'vk_comment' ? `VK «${name}», комментарий` : `VK «${name}», сообщение сообществу`;
      }
      if (source.platform === 'max')
        return source.chatType === 'channel' ? `MAX «${DEMO_MAX.channel.title}», комментарий` : `MAX «${DEMO_MAX.houseChat.title}»`;
      if (source.chatType === 'private') return 'Telegram, личный чат с ботом';
      return `Telegram «${chatTitles.get(source.chatId) ?? source.chatId}»`;
    },
  };
}

/** The shipped config, pointed at the emulator, with fast schedules so the demo takes seconds. */
function demoConfig(emulator: Emulator, world: World, dbPath: string): Config {
  return createConfig({
    ...readConfigFiles(CONFIG_DIR),
    env: { ...botEnvironment(emulator, world), MAX_BOT_TOKEN: DEMO_MAX_TOKEN },
    local: {
      database: { path: dbPath },
      vk: { apiBaseUrl: emulator.vkApiBaseUrl, pollIntervalSeconds: 5 },
      telegram: { apiRoot: emulator.telegramApiRoot, pollTimeoutSeconds: 1 },
      // Long polling: the demo has no public address for webhooks.
      max: { apiBaseUrl: emulator.maxApiBaseUrl, mode: 'longpoll', pollTimeoutSeconds: 1, chats: [DEMO_MAX.houseChat], channels: [DEMO_MAX.channel] },
      outbox: { backoffBaseMs: 200, backoffMaxMs: 2000 },
      schedules: { vkPoll: '*/2 * * * * *', outbox: '* * * * * *', deadlines: SCRIPTED, spikes: SCRIPTED, digest: SCRIPTED, retention: SCRIPTED },
      digest: { chartDir: join(dirname(dbPath), 'digests') },
      http: { enabled: false },
      logging: { level: 'silent' },
    },
  });
}

// === Playing the script

class ScriptPlayer {
  private readonly injected = new Map<string, Injected>();
  private readonly pending: Injected[] = [];

  constructor(
    private readonly emulator: Emulator,
    private readonly app: App,
    private readonly world: World,
    private readonly printer: DemoPrinter,
    private readonly options: DemoOptions,
    private readonly clock: DemoClock,
  ) {}

  async play(script: DemoStep[]): Promise<void> {
    for (const step of script) {
      if (step.kind === 'settle') await this.settle();
      else if (step.kind === 'job') await this.job(step.job);
      else if (step.kind === 'message') this.message(step.place, step.from, this.resolveLabels(step.text), step.label, step.media);
      else if (step.kind === 'command') this.command(step.from, this.resolveLabels(step.text));
      else if (step.kind === 'prompt_reply') this.promptReply(step.from, step.label, step.text);
      else this.press(step.from, step.label, step.action);
      if (!this.options.fast) await sleep(250);
    }
  }

  private message(place: DemoPlace, from: DemoPerson, text: string, label?: string, media: DemoMedia = {}): void {
    const { emulator, world } = this;
    const photos = Array.from({ length: media.photos ?? 0 }, () => ({ type: 'photo' as const }));
    let item: Injected;
    if (place.kind === 'vk_comment') {
      world.ensurePerson(from, 'vk');
      const postId = world.posts.get(place.groupId)![place.post]!;
      const replyId = place.replyTo ? this.injected.get(place.replyTo)?.platformId : undefined;
      const replyTo = typeof replyId === 'number' ? replyId : undefined;
      const commentId = emulator.addComment({
        groupId: place.groupId,
        postId,
        fromId: from.id,
        text,
        ...(replyTo ? { replyToCommentId: replyTo } : {}),
        ...(photos.length ? { attachments: photos } : {}),
      });
      item = { channel: 'vk_comment', externalId: externalId(-place.groupId, commentId), place, platformId: commentId };
    } else if (place.kind === 'vk_message') {
      world.ensurePerson(from, 'vk');
      const geo = media.location ? { latitude: media.location.lat, longitude: media.location.lon } : undefined;
      const id = emulator.sendCommunityMessage({
        groupId: place.groupId,
        fromId: from.id,
        text,
        ...(photos.length ? { attachments: photos } : {}),
        ...(geo ? { geo } : {}),
      });
      item = { channel: 'vk_message', externalId: externalId(place.groupId, id), place, platformId: id };
    } else if (place.kind === 'max_chat') {
      world.ensurePerson(from, 'max');
      const mid = emulator.sendMaxMessage({ chatId: DEMO_MAX.houseChat.chatId, fromId: from.id, text });
      item = { channel: 'max_message', externalId: mid, place, platformId: mid };
    } else if (place.kind === 'max_comment') {
      world.ensurePerson(from, 'max');
      const mid = emulator.addMaxComment({ postMid: world.maxPost, fromId: from.id, text });
      item = { channel: 'max_comment', externalId: mid, place, platformId: mid };
    } else {
      world.ensurePerson(from, 'telegram');
      const chatId = place.kind === 'tg_group' ? place.chatId : from.id;
      const location = media.location ? { latitude: media.location.lat, longitude: media.location.lon } : undefined;
      const id = emulator.sendTelegramMessage({ chatId, fromId: from.id, text, ...(media.photos ? { photo: {} } : {}), ...(location ? { location } : {}) });
      item = { channel: 'telegram', externalId: externalId(chatId, id), place, platformId: id };
    }
    if (label) this.injected.set(label, item);
    this.pending.push(item);
  }

  private command(from: DemoPerson, text: string): void {
    this.world.ensurePerson(from, 'telegram');
    const id = this.emulator.sendTelegramMessage({ chatId: MODERATORS_CHAT, fromId: from.id, text });
    this.printer.moderatorCommand(from, text);
    this.pending.push({
      channel: 'telegram',
      externalId: externalId(MODERATORS_CHAT, id),
      place: { kind: 'tg_group', chatId: MODERATORS_CHAT },
      platformId: id,
    });
  }

  /** Press the button of `action` on the incident card of the message labelled `label`. */
  private press(from: DemoPerson, label: string, action: string): void {
    this.world.ensurePerson(from, 'telegram');
    const incidentId = this.incidentOf(label);
    const card = this.app.cardMessageId(incidentId);
    if (incidentId === null || card === null) {
      this.printer.note(`(карточка обращения «${label}» ещё не доставлена — кнопка пропущена)`);
      return;
    }
    const message = this.emulator.sent().telegramMessages.find((m) => m.chatId === MODERATORS_CHAT && m.messageId === card);
    const buttons = ((message?.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? []).flat();
    const button =
      buttons.find((b) => b.callback_data?.includes(`:${action}:`) || b.callback_data?.startsWith(`${action}:`)) ??
      buttons.find((b) => b.callback_data?.includes(action));
    if (!button?.callback_data) {
      this.printer.note(`(на карточке №${incidentId} нет кнопки «${action}»)`);
      return;
    }
    this.printer.buttonPress(from, button.text, incidentId);
    this.emulator.pressButton({ chatId: MODERATORS_CHAT, messageId: card, fromId: from.id, data: button.callback_data });
  }

  /** Run a scheduled job now, as its schedule would, and wait for what it sends. */
  private async job(name: 'spikes' | 'digest'): Promise<void> {
    const { app, printer } = this;
    if (name === 'digest') {
      const tz = app.config.region.timezone;
      const morning = zonedTimeToInstant(addDays(localDate(this.clock.now(), tz), 1), 9 * 60, tz);
      this.clock.jumpTo(morning);
      printer.jobStarted('Следующее утро, 09:00 — ежедневная сводка модераторам (расписание schedules.digest)');
    } else {
      printer.jobStarted('Проверка рисков (расписание schedules.spikes): всплеск обращений одной темы в одном месте?');
    }
    const spikes = () => app.stores.spikes.count();
    const before = spikes();
    await app.jobs.scheduler.runNow(name);
    if (name === 'spikes' && spikes() === before) printer.note('новых рисков нет: идущий всплеск уже известен модераторам, повторного оповещения нет');
    await this.settle();
  }

  /** Answer the bot's newest prompt under the card of `label`'s incident with a Telegram reply. */
  private promptReply(from: DemoPerson, label: string, text: string): void {
    const card = this.app.cardMessageId(this.incidentOf(label));
    const prompt = this.emulator
      .sent()
      .telegramMessages.filter((m) => m.chatId === MODERATORS_CHAT && card !== null && m.replyTo === card)
      .at(-1);
    if (!prompt) {
      this.printer.note(`(подсказки под карточкой обращения «${label}» нет — ответ пропущен)`);
      return;
    }
    this.world.ensurePerson(from, 'telegram');
    const id = this.emulator.sendTelegramMessage({ chatId: MODERATORS_CHAT, fromId: from.id, text, replyToMessageId: prompt.messageId });
    this.printer.moderatorCommand(from, `(ответ на подсказку) ${text}`);
    this.pending.push({
      channel: 'telegram',
      externalId: externalId(MODERATORS_CHAT, id),
      place: { kind: 'tg_group', chatId: MODERATORS_CHAT },
      platformId: id,
    });
  }

  private incidentOf(label: string): number | null {
    const item = this.injected.get(label);
    if (!item) return null;
    return this.app.stores.messages.incidentOf(item.channel, item.externalId) ?? null;
  }

  private resolveLabels(text: string): string {
    return text.replace(/\{([\w-]+)\}/g, (whole, label: string) => String(this.incidentOf(label) ?? whole));
  }

  /** Wait until every injected message is recorded and nothing due is left in the outbox. */
  async settle(): Promise<void> {
    const deadline = Date.now() + (this.options.settleTimeoutMs ?? 20_000);
    // Due is judged by the bot's clock, which the digest step moves to the next morning.
    const now = this.clock.now;
    const { messages, outbox } = this.app.stores;
    while (Date.now() < deadline) {
      const missing = this.pending.filter((item) => !messages.exists(item.channel, item.externalId));
      const outstanding = outbox.backlog(now() + 1000).due;
      if (missing.length === 0 && outstanding === 0) {
        this.pending.length = 0;
        return;
      }
      await sleep(50);
    }
    throw new Error('the bot did not catch up within the settle timeout');
  }
}

/**
 * Messages written before the bot first connects are history, not news (a community watched for
 * the first time is baselined): wait until every long poll is held and the walls were read once.
 */
async function waitUntilListening(emulator: Emulator, communities: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const ready =
      emulator.heldPolls('vk_lp') >= communities &&
      emulator.heldPolls('telegram') >= 1 &&
      emulator.heldPolls('max') >= 1 &&
      emulator.countRequests({ api: 'vk', method: 'execute' }) >= 1;
    if (ready) return;
    await sleep(20);
  }
  throw new Error('the bot did not connect to the emulator within 15 s');
}
