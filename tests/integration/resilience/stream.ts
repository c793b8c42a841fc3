/**
 * A stream of citizens' messages into the emulator for the resilience tests: VK community
 * messages, Telegram private messages, VK wall comments and — on a busy post of more than 100
 * comments — replies inside the threads of its old comments, each from its own author, with the
 * external id the bot will record it under, and the replies the emulator received for each.
 */
import { BENCH_MAX_HOUSE_CHAT, type BenchWorld } from '../../../src/bench/bench-world.js';
import { complaintText } from '../../../src/bench/texts.js';
import type { Emulator } from '../../../src/emulator/emulator.js';
import { Prng } from '../../../src/emulator/prng.js';

export type StreamChannel = 'vk_message' | 'telegram' | 'vk_comment' | 'vk_old_thread' | 'max_message' | 'max_comment';

/** A post with more top-level comments than one page (100), some with long threads, all written before the bot starts. */
export interface BusyPost {
  groupId: number;
  postId: number;
  /** Its top-level comments, oldest first: the stream replies under these. */
  roots: number[];
}

/**
 * Add a busy post to a community of the world (before the bot's first poll, so all of it is old):
 * `comments` top-level comments, the first few with a long thread (more replies than VK shows inline).
 * The world's communities must watch one post more than the world made (vk.postsPerCommunity).
 */
export function addBusyPost(emulator: Emulator, groupId: number, comments = 150): BusyPost {
  const date = Math.floor(Date.now() / 1000) - 3600;
  const postId = emulator.addPost(groupId, { text: 'Авария на подстанции: отключение электроэнергии', date });
  const roots = Array.from({ length: comments }, (_, i) =>
    emulator.addComment({ groupId, postId, fromId: 5_500_000 + i, text: `Когда дадут свет? Дом ${i + 1}`, date: date + 60 + i }),
  );
  for (const root of roots.slice(0, 5)) {
    for (let i = 0; i < 12; i += 1)
      emulator.addComment({ groupId, postId, fromId: 5_600_000 + i, text: `Поддерживаю, у нас тоже ${i + 1}`, replyToCommentId: root, date: date + 600 + i });
  }
  return { groupId, postId, roots };
}

export interface Injected {
  /** The channel the bot records it under (a reply in an old thread is a `vk_comment`). */
  channel: Exclude<StreamChannel, 'vk_old_thread'>;
  externalId: string;
}

export class MessageStream {
  readonly injected: Injected[] = [];
  /** The external ids of the replies written in old threads of the busy post. */
  readonly oldThreads: string[] = [];
  private readonly prng: Prng;

  constructor(
    private readonly emulator: Emulator,
    private readonly world: BenchWorld,
    /** `max`: a share of the stream (0…1) goes to MAX: dialogs, the house chat and the channel's comments. */
    private readonly places: { lpGroups: number[]; wallGroups: number[]; max?: number; busy?: BusyPost },
    seed: number,
  ) {
    this.prng = new Prng(seed);
  }

  /**
   * One more message (a complaint unless `text` is given) on `channel`, or one chosen at random:
   * wall comments a fifth of the time, half of those replies in old threads of the busy post when
   * there is one.
   */
  next(options: { channel?: StreamChannel; text?: string } = {}): Injected {
    const i = this.injected.length;
    const text = options.text ?? complaintText(this.prng);
    const toMax =
      options.channel === 'max_message' ||
      options.channel === 'max_comment' ||
      (options.channel === undefined && (this.places.max ?? 0) > 0 && this.prng.next() < this.places.max!);
    if (toMax) return this.nextMax(i, text, options.channel);
    const pick = this.prng.next();
    const roll =
      options.channel === undefined
        ? pick
        : (({ vk_message: 0, telegram: 0.5, vk_comment: 0.85, vk_old_thread: 0.95 } as Record<StreamChannel, number>)[options.channel] ?? 0);
    const busy = this.places.busy;
    let item: Injected;
    if (roll < 0.4) {
      const userId = 6_000_000 + i;
      const groupId = this.prng.pick(this.places.lpGroups);
      this.emulator.addVkUser({ id: userId, firstName: 'Житель', lastName: String(i) });
      const id = this.emulator.sendCommunityMessage({ groupId, fromId: userId, text });
      item = { channel: 'vk_message', externalId: `${groupId}_${id}` };
    } else if (roll < 0.8) {
      const userId = 7_000_000 + i;
      this.emulator.addTgUser({ id: userId, firstName: `Житель ${i}` });
      this.emulator.addChat({ id: userId, type: 'private' });
      const id = this.emulator.sendTelegramMessage({ chatId: userId, fromId: userId, text });
      item = { channel: 'telegram', externalId: `${userId}_${id}` };
    } else if (roll >= 0.9 && busy) {
      // Under a comment far down a busy post: the thread only paging past the first 100 comments finds.
      const root = this.prng.pick(busy.roots);
      const id = this.emulator.addComment({ groupId: busy.groupId, postId: busy.postId, fromId: 8_500_000 + i, text, replyToCommentId: root });
      item = { channel: 'vk_comment', externalId: `-${busy.groupId}_${id}` };
      this.oldThreads.push(item.externalId);
    } else {
      const groupId = this.prng.pick(this.places.wallGroups);
      const postId = this.prng.pick(this.world.posts.get(groupId)!);
      const id = this.emulator.addComment({ groupId, postId, fromId: 8_000_000 + i, text });
      item = { channel: 'vk_comment', externalId: `-${groupId}_${id}` };
    }
    this.injected.push(item);
    return item;
  }

  /** A MAX message: to the bot (a dialog) or in the house chat, or a comment under the channel's post. */
  private nextMax(i: number, text: string, channel?: StreamChannel): Injected {
    const userId = 9_000_000 + i;
    this.emulator.addMaxUser({ id: userId, firstName: 'Житель', lastName: String(i) });
    const roll = channel === 'max_comment' ? 0.9 : channel === 'max_message' ? 0 : this.prng.next();
    let item: Injected;
    if (roll < 0.7) {
      const mid = this.emulator.sendMaxMessage({ chatId: roll < 0.35 ? userId : BENCH_MAX_HOUSE_CHAT, fromId: userId, text });
      item = { channel: 'max_message', externalId: mid };
    } else {
      const mid = this.emulator.addMaxComment({ postMid: this.prng.pick(this.world.maxPosts), fromId: userId, text });
      item = { channel: 'max_comment', externalId: mid };
    }
    this.injected.push(item);
    return item;
  }

  /** How many replies the emulator received under each source message, by `<channel>:<externalId>`. */
  replies(): Map<string, number> {
    const sent = this.emulator.sent();
    const counts = new Map<string, number>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const c of sent.vkComments) if (c.replyToComment !== undefined) add(`vk_comment:${c.ownerId}_${c.replyToComment}`);
    for (const m of sent.vkMessages) if (m.replyTo !== undefined) add(`vk_message:${m.groupId}_${m.replyTo}`);
    for (const m of sent.telegramMessages) if (m.replyTo !== undefined) add(`telegram:${m.chatId}_${m.replyTo}`);
    for (const m of sent.maxMessages) if (m.replyTo !== undefined) add(`max_message:${m.replyTo}`);
    for (const c of sent.maxComments) if (c.replyTo !== undefined) add(`max_comment:${c.replyTo}`);
    return counts;
  }
}
