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
import { migrateToLatest } from '../store/migrator.js';
import { createStores } from '../store/stores.js';
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
  vkReaderPerSecond: 1000,
  telegramPerSecond: 1000,
  telegramGroupPerMinute: 60_000,
  telegramPrivateChatIntervalMs: 1,
  concurrency: 128,
};

/** Posts per community that get the comments. */
const HOT_POSTS = 3;

interface PipelineRun {
  messages: number;
  elapsedS: number;
  recordedS: number;
  acks: number;
  texts: { text: string; groupId: number; postId: number }[];
}

export async function measurePipelineThroughput(options: PipelineThroughputOptions): Promise<Figure[]> {
  const realistic = await pipelineRun(options, 'realistic');
  const complaints = await pipelineRun(options, 'complaints');
  const sqliteRate = sqliteOnlyRate(options.tmpDir, realistic.texts);
  const setting =
    `under ${HOT_POSTS} of 20 posts in each of ${options.communities} communities (the emulator on its own thread), read by the wall poller (vk-io, execute), ` +
    `clock stopped when the outbox was empty; vk-io keeps VK's per-token pacing (20 req/s per community token); file SQLite (WAL); ` +
    `outbox limits lifted for the emulator: ${JSON.stringify(BENCH_DELIVERY_LIMITS)}`;
  const figure = (id: string, name: string, run: PipelineRun, seconds: number, target: boolean, note: string): Figure => {
    const rate = run.messages / seconds;
    return {
      id,
      name,
      value: rate,
      unit: 'msg/s',
      target: target ? '≥ 1,000 msg/s' : '— (diagnostic)',
      baselineName: 'same rows inserted into SQLite alone',
      baseline: sqliteRate,
      ratio: rate / sqliteRate,
      ratioMeaning: 'pipeline ÷ SQLite alone',
      pass: target ? rate >= 1000 : null,
      note,
    };
  };
  return [
    figure(
      'pipeline.messagesPerSecond',
      'Pipeline: emulator → recorded → acknowledged (realistic mix)',
      realistic,
      realistic.elapsedS,
      true,
      `${realistic.messages} comments of the realistic mix (demo texts, chatter, ≈30 % generated complaints), ${realistic.acks} acknowledgements posted back as wall.createComment, ${setting}`,
    ),
    figure(
      'pipeline.complaintsPerSecond',
      'Pipeline, worst case: every message a complaint',
      complaints,
      complaints.elapsedS,
      false,
      `${complaints.messages} complaint comments, ${complaints.acks} acknowledgements posted back; recorded after ${complaints.recordedS.toFixed(2)} s of ${complaints.elapsedS.toFixed(2)} s, the rest is delivery`,
    ),
    figure(
      'pipeline.recordedPerSecond',
      'Pipeline: emulator → recorded, incident and acknowledgement queued (delivery excluded)',
      realistic,
      realistic.recordedS,
      false,
      `the realistic run, clock stopped when every comment was recorded (${realistic.recordedS.toFixed(2)} s of ${realistic.elapsedS.toFixed(2)} s)`,
    ),
  ];
}

async function pipelineRun(options: PipelineThroughputOptions, mix: 'complaints' | 'realistic'): Promise<PipelineRun> {
  const thread = await EmulatorThread.start({
    communities: options.communities,
    postsPerCommunity: 20,
    telegram: false,
    dbPath: join(options.tmpDir, `pipeline-${mix}.sqlite`),
    overrides: { outbox: { batchSize: 500, backoffBaseMs: 100, backoffMaxMs: 1000 }, vk: { pollIntervalSeconds: 3600 } },
  });
  let app: App | undefined;
  try {
    app = await App.create({ config: benchConfig(thread.world), logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS });
    await app.start();
    await app.pollVkOnce(); // baseline
    const { texts } = await thread.request({ op: 'burst', count: options.messages, hotPosts: HOT_POSTS, seed: mix === 'realistic' ? 5 : 6, mix });
    const { messages, outbox } = app.stores;
    const start = process.hrtime.bigint();
    while (messages.count('vk_comment') < options.messages) await app.pollVkOnce();
    const recordedS = Number(process.hrtime.bigint() - start) / 1e9;
    await waitUntil(() => outbox.backlog().pending === 0, 'the outbox to drain', 300_000, 5);
    const elapsedS = Number(process.hrtime.bigint() - start) / 1e9;
    const { counts } = await thread.request({ op: 'stats' });
    return { messages: options.messages, elapsedS, recordedS, acks: counts['wall.createComment ok'] ?? 0, texts };
  } finally {
    await app?.stop();
    await thread.close();
  }
}

/** Messages per second when the same comments are only inserted, 100 per transaction as the poller's batches. */
function sqliteOnlyRate(tmpDir: string, texts: { text: string; groupId: number; postId: number }[]): number {
  const db = openDb(join(tmpDir, 'sqlite-only.sqlite'));
  try {
    migrateToLatest(db);
    const store = createStores(db).messages;
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
