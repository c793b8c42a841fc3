/**
 * A stream of citizens' messages into the emulator for the resilience tests: VK community
 * messages, Telegram private messages and VK wall comments, each from its own author, with the
 * external id the bot will record it under, and the replies the emulator received for each.
 */
import type { BenchWorld } from '../../../src/bench/bench-world.js';
import { complaintText } from '../../../src/bench/texts.js';
import type { Emulator } from '../../../src/emulator/emulator.js';
import { Prng } from '../../../src/emulator/prng.js';

export type StreamChannel = 'vk_message' | 'telegram' | 'vk_comment';

export interface Injected {
  channel: StreamChannel;
  externalId: string;
}

export class MessageStream {
  readonly injected: Injected[] = [];
  private readonly prng: Prng;

  constructor(
    private readonly emulator: Emulator,
    private readonly world: BenchWorld,
    private readonly places: { lpGroups: number[]; wallGroups: number[] },
    seed: number,
  ) {
    this.prng = new Prng(seed);
  }

  /** One more message (a complaint unless `text` is given) on `channel`, or one chosen at random (wall comments a fifth of the time). */
  next(options: { channel?: StreamChannel; text?: string } = {}): Injected {
    const i = this.injected.length;
    const text = options.text ?? complaintText(this.prng);
    const pick = this.prng.next();
    const roll = options.channel === undefined ? pick : { vk_message: 0, telegram: 0.5, vk_comment: 0.9 }[options.channel];
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
    } else {
      const groupId = this.prng.pick(this.places.wallGroups);
      const postId = this.prng.pick(this.world.posts.get(groupId)!);
      const id = this.emulator.addComment({ groupId, postId, fromId: 8_000_000 + i, text });
      item = { channel: 'vk_comment', externalId: `-${groupId}_${id}` };
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
    return counts;
  }
}
