/**
 * Figure: end-to-end pipeline throughput. Comments served by the emulator are read by the wall
 * poller (real vk-io, HTTP), recorded, detected, turned into incidents and acknowledged through
 * the outbox (real VK sends to the emulator). The clock runs from the first poll that can see them
 * until every comment is recorded and the outbox has nothing left to send. Baseline: inserting
 * the same rows into SQLite alone (MessageStore, same batch size).
 */
import { join } from 'node:path';
import { App } from '../app.js';
import { silentLogger } from '../logger.js';
import { immediate, openDb } from '../store/db.js';
import { MessageStore } from '../store/message-store.js';
import { migrateToLatest } from '../store/migrator.js';
import { benchConfig } from './bench-world.js';
import { EmulatorThread } from './emulator-thread-client.js';
import { type Figure, waitUntil } from './figure.js';
import { syntheticComment } from './synthetic-comments.js';

export interface PipelineThroughputOptions {
  tmpDir: string;
  /** Comments pushed through (default 5,000). */
  messages: number;
  /** Communities they are spread over (20 posts each). */
  communities: number;
}

/** The platforms' per-token limits do not apply to the emulator; these keep delivery CPU-bound. */
export const BENCH_DELIVERY_LIMITS = {
  vkCommunityPerSecond: 1000,
  vkReaderPerSecond: 1000,
  telegramPerSecond: 1000,
  telegramGroupPerMinute: 60_000,
  telegramPrivateChatIntervalMs: 1,
  concurrency: 128,
};

/** Posts per community that get the comments. */
const HOT_POSTS = 3;

export async function measurePipelineThroughput(options: PipelineThroughputOptions): Promise<Figure[]> {
  const thread = await EmulatorThread.start({
    communities: options.communities,
    postsPerCommunity: 20,
    telegram: false,
    dbPath: join(options.tmpDir, 'pipeline.sqlite'),
    overrides: { outbox: { pollIntervalMs: 100, batchSize: 500, backoffBaseMs: 100, backoffMaxMs: 1000 }, vk: { pollIntervalSeconds: 3600 } },
  });
  let app: App | undefined;
  let texts: { text: string; groupId: number; postId: number }[];
  let elapsedS: number;
  let recordedS: number;
  let counts: Record<string, number>;
  try {
    app = await App.create({ config: benchConfig(thread.world), logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS });
    await app.start();
    await app.pollVkOnce(); // baseline
    texts = (await thread.request({ op: 'burst', count: options.messages, hotPosts: HOT_POSTS, seed: 5 })).texts;
    const db = app.db;
    const recorded = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE channel = 'vk_comment'");
    const unsent = db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'");
    const start = process.hrtime.bigint();
    while ((recorded.get() as { n: number }).n < options.messages) await app.pollVkOnce();
    recordedS = Number(process.hrtime.bigint() - start) / 1e9;
    await waitUntil(() => (unsent.get() as { n: number }).n === 0, 'the outbox to drain', 300_000, 5);
    elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
    counts = (await thread.request({ op: 'stats' })).counts;
  } finally {
    await app?.stop();
    await thread.close();
  }
  const acks = counts['wall.createComment ok'] ?? 0;
  const sqliteRate = sqliteOnlyRate(options.tmpDir, texts);
  const rate = options.messages / elapsedS;
  const recordedRate = options.messages / recordedS;
  return [
    {
      id: 'pipeline.messagesPerSecond',
      name: 'Pipeline: emulator → recorded → acknowledged',
      value: rate,
      unit: 'msg/s',
      target: '≥ 1,000 msg/s',
      baselineName: 'same rows inserted into SQLite alone',
      baseline: sqliteRate,
      ratio: rate / sqliteRate,
      ratioMeaning: 'pipeline ÷ SQLite alone',
      pass: rate >= 1000,
      note:
        `${options.messages} complaint comments under ${HOT_POSTS} of 20 posts in each of ${options.communities} communities (the emulator on its own thread), ` +
        `read by the wall poller (vk-io, execute), ${acks} acknowledgements posted back as wall.createComment, clock stopped when the outbox was empty; ` +
        `vk-io keeps VK's per-token pacing (20 req/s per community token); file SQLite (WAL); ` +
        `outbox limits lifted for the emulator: ${JSON.stringify(BENCH_DELIVERY_LIMITS)}`,
    },
    {
      id: 'pipeline.recordedPerSecond',
      name: 'Pipeline: emulator → recorded, incident and acknowledgement queued (delivery excluded)',
      value: recordedRate,
      unit: 'msg/s',
      target: '— (diagnostic)',
      baselineName: 'same rows inserted into SQLite alone',
      baseline: sqliteRate,
      ratio: recordedRate / sqliteRate,
      ratioMeaning: 'pipeline ÷ SQLite alone',
      pass: null,
      note: `the same run, clock stopped when every comment was recorded (${recordedS.toFixed(2)} s of ${elapsedS.toFixed(2)} s); the rest is delivery`,
    },
  ];
}

/** Messages per second when the same comments are only inserted, 100 per transaction as the poller's batches. */
function sqliteOnlyRate(tmpDir: string, texts: { text: string; groupId: number; postId: number }[]): number {
  const db = openDb(join(tmpDir, 'sqlite-only.sqlite'));
  try {
    migrateToLatest(db);
    const store = new MessageStore(db);
    const now = Date.now();
    const messages = texts.map((t, i) => syntheticComment(i, t.text, t.groupId, t.postId, now));
    const start = process.hrtime.bigint();
    for (let i = 0; i < messages.length; i += 100) {
      immediate(db, () => {
        for (const message of messages.slice(i, i + 100)) store.insert(message, 'ignored', null, now);
      });
    }
    return messages.length / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    db.close();
  }
}
