/**
 * Figure: a burst in the moderators' chat. An outage post gets `complaints` comments from as many
 * people within `spreadS` seconds; the bot reads them by wall polling, registers the incidents and
 * answers each, while the moderators' Telegram chat keeps Telegram's real limit of 20 messages a
 * minute. Measured: from the first comment to the moment the moderators' chat shows a summary
 * listing every incident of the burst (the message, or its latest edit), by the emulator's record
 * of what the bot sent. The baseline is what the chat would need to show each incident by its own
 * card at 20 a minute.
 */
import { join } from 'node:path';
import { App } from '../app.js';
import { Emulator } from '../emulator/emulator.js';
import { Prng } from '../emulator/prng.js';
import { silentLogger } from '../logger.js';
import { sleep } from '../retry.js';
import { BENCH_POLL_INTERVAL_S } from './ack-latency.js';
import { BENCH_MODERATORS_CHAT, benchConfig, buildBenchWorld } from './bench-world.js';
import { type Figure, waitUntil } from './figure.js';

export interface BurstOptions {
  tmpDir: string;
  complaints: number;
  /** The comments arrive evenly over this many seconds. */
  spreadS: number;
}

/** Telegram's limit for a bot in a group, which the moderators' chat keeps in this run. */
const GROUP_PER_MINUTE = 20;
const TARGET_S = 60;

const OUTAGE = [
  'Нет света с утра, квартира {n}. Когда включат?',
  'У нас опять отключили электричество, уже {h} часа без света',
  'Света нет, холодильник потёк, сколько можно? Кв. {n}',
  'Дом без электричества {h} часа, дети сидят в темноте',
  'Когда дадут свет? Квартира {n}, третий подъезд',
  'Отключили свет без предупреждения, у меня лекарства в холодильнике',
  'Электричества нет, связи нет, вода не качает. Помогите!',
  'Свет пропал в {h} утра и до сих пор нет. Примите меры',
];

/** The incident numbers a summary's «Номера: №1–4, №7» line lists. */
export function listedNumbers(text: string): number[] {
  const line = /^Номера: (.*)$/m.exec(text)?.[1] ?? '';
  const numbers: number[] = [];
  for (const [, from, to] of line.matchAll(/№(\d+)(?:–(\d+))?/g)) {
    for (let n = Number(from); n <= Number(to ?? from); n += 1) numbers.push(n);
  }
  return numbers;
}

export async function measureBurst(options: BurstOptions): Promise<Figure[]> {
  const emulator = await Emulator.start();
  let app: App | undefined;
  try {
    const world = buildBenchWorld(emulator, {
      communities: 1,
      postsPerCommunity: 1,
      telegram: false,
      dbPath: join(options.tmpDir, 'burst.sqlite'),
      overrides: { vk: { pollIntervalSeconds: BENCH_POLL_INTERVAL_S }, outbox: { backoffBaseMs: 100, backoffMaxMs: 1000 } },
    });
    const groupId = world.groups[0]!;
    const post = emulator.addPost(groupId, { text: 'Плановое отключение электроэнергии продлится до вечера' });
    // The moderators' chat keeps Telegram's 20 a minute; the citizens' replies go as fast as VK pacing lets them.
    app = await App.create({
      config: benchConfig(world),
      logger: silentLogger(),
      deliveryLimits: { telegramGroupPerMinute: GROUP_PER_MINUTE, vkReaderPerSecond: 1000 },
    });
    await app.start();
    // The first poll takes what is there as the baseline.
    await app.pollVkOnce();

    const { messages } = app.stores;
    const incidents = () => (app!.db.prepare('SELECT COUNT(*) AS n FROM incidents').get() as { n: number }).n;
    /**
     * Whether a summary is in the chat, and whether the summaries (each as last edited) list every
     * incident of the burst between them: one summary per group, so a burst whose comments the
     * detector read as two problems has two.
     */
    const summaryShows = (): { any: boolean; all: boolean } => {
      const sent = emulator.sent();
      const summaries = sent.telegramMessages.filter((m) => m.chatId === BENCH_MODERATORS_CHAT && m.text.startsWith('⚡'));
      if (summaries.length === 0) return { any: false, all: false };
      const latest = new Map(summaries.map((m) => [m.messageId, m.text]));
      for (const edit of sent.telegramEdits) {
        if (edit.chatId === BENCH_MODERATORS_CHAT && latest.has(edit.messageId) && edit.text !== undefined) latest.set(edit.messageId, edit.text);
      }
      const listed = new Set([...latest.values()].flatMap(listedNumbers));
      const total = incidents();
      return { any: true, all: messages.count('vk_comment') >= options.complaints && total > 0 && listed.size >= total };
    };
    const summaryCount = () => emulator.sent().telegramMessages.filter((m) => m.chatId === BENCH_MODERATORS_CHAT && m.text.startsWith('⚡')).length;
    const prng = new Prng(15);
    const start = Date.now();
    // When the first summary reached the chat, sampled while the comments are still being written.
    let firstSummaryS: number | null = null;
    const sampler = setInterval(() => {
      if (firstSummaryS === null && summaryShows().any) firstSummaryS = (Date.now() - start) / 1000;
    }, 50);
    const chunk = Math.max(1, Math.ceil(options.complaints / Math.max(1, options.spreadS * 2)));
    for (let i = 0; i < options.complaints; i += 1) {
      if (i > 0 && i % chunk === 0) await sleep(Math.max(0, start + (i / options.complaints) * options.spreadS * 1000 - Date.now()));
      const text = prng
        .pick(OUTAGE)
        .replace('{n}', String(1 + Math.floor(prng.next() * 200)))
        .replace('{h}', String(2 + Math.floor(prng.next() * 6)));
      emulator.addComment({ groupId, postId: post, fromId: 9_000_000 + i, text });
    }
    const injectedS = (Date.now() - start) / 1000;

    await waitUntil(
      () => {
        const shown = summaryShows();
        if (shown.any && firstSummaryS === null) firstSummaryS = (Date.now() - start) / 1000;
        return shown.all;
      },
      'a summary listing every incident',
      5 * 60_000,
      50,
    ).finally(() => clearInterval(sampler));
    const seenS = (Date.now() - start) / 1000;
    const total = incidents();
    const chat = emulator.sent().telegramMessages.filter((m) => m.chatId === BENCH_MODERATORS_CHAT);
    const cards = chat.filter((m) => m.text.startsWith('Обращение №')).length;
    const baselineS = (total / GROUP_PER_MINUTE) * 60;
    return [
      {
        id: 'burst.moderatorsSeeAll',
        name: `Burst of ${options.complaints} complaints: moderators see every incident (summary)`,
        value: seenS,
        unit: 's',
        target: `≤ ${TARGET_S} s`,
        baselineName: `one card each at ${GROUP_PER_MINUTE}/min`,
        baseline: baselineS,
        ratio: baselineS / seenS,
        ratioMeaning: '× sooner than cards alone',
        pass: seenS <= TARGET_S,
        note:
          `${options.complaints} comments under one outage post from ${options.complaints} people, written over ${injectedS.toFixed(1)} s, read by wall polling every ${BENCH_POLL_INTERVAL_S} s; ` +
          `${total} incidents (the rest linked or not taken for complaints); the moderators' chat at Telegram's ${GROUP_PER_MINUTE} messages a minute; ` +
          `${summaryCount()} summaries (one per group: the detector names the problem of each comment); first summary after ${firstSummaryS === null ? '—' : (firstSummaryS as number).toFixed(1)} s, every incident listed after ${seenS.toFixed(1)} s; ` +
          `${cards} cards had gone out by then, the rest follow at the chat's rate (≈ ${(baselineS / 60).toFixed(0)} min)`,
      },
    ];
  } finally {
    await app?.stop();
    await emulator.close();
  }
}
