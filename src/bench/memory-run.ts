/**
 * The memory run, in a process of its own so nothing else inflates its RSS:
 * `npm run build && node dist/bench/memory-run.js <messages> <dbPath>` (compiled, as the bot runs in production).
 * Feeds generated wall comments through ingest → detect → store → outbox in-process (batches of
 * 500 through `app.ingest.ingestBatch`, as the poller hands them over) while a delivery worker
 * drains the outbox into a sender that keeps nothing; samples RSS as it goes and prints one JSON
 * line: { messages, incidents, delivered, seconds, samples: [{ messages, rssMb, heapMb }] }.
 */
import { App } from '../app.js';
import type { OutboundMessage } from '../domain/outbound.js';
import { Emulator } from '../emulator/emulator.js';
import type { FailureClass } from '../errors.js';
import { silentLogger } from '../logger.js';
import { OutboxWorker } from '../outbox/outbox-worker.js';
import type { Sender } from '../outbox/sender.js';
import { sleep } from '../retry.js';
import { benchConfig, buildBenchWorld } from './bench-world.js';
import { BENCH_DELIVERY_LIMITS } from './pipeline-throughput.js';
import { syntheticComment } from './synthetic-comments.js';
import { mixedTexts } from './texts.js';

/** A sender that delivers nowhere and keeps only a count: a list of a million would be the leak measured. */
class DiscardingSender implements Sender {
  delivered = 0;
  async send(_message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }> {
    this.delivered += 1;
    return { externalId: `discard:${idempotencyKey}` };
  }
  classify(): FailureClass {
    return { kind: 'retry' };
  }
}

const BATCH = 500;
/** Ingest waits while this many rows wait for delivery, as a real source would be slowed by its platform. */
const MAX_BACKLOG = 5000;
const SAMPLES = 20;

async function main(): Promise<void> {
  const messages = Number(process.argv[2] ?? 1_000_000);
  const dbPath = process.argv[3] ?? './data/bench-memory.sqlite';
  // The emulator only hosts the world the config describes; nothing calls it during the run.
  const emulator = await Emulator.start();
  const world = buildBenchWorld(emulator, { communities: 50, postsPerCommunity: 20, dbPath, telegram: true });
  await emulator.close();
  const config = benchConfig(world);
  const logger = silentLogger();
  const app = await App.create({ config, logger });
  const sender = new DiscardingSender();
  const worker = new OutboxWorker({
    config: { ...config, outbox: { ...config.outbox, batchSize: 500 } },
    stores: app.stores,
    logger,
    clock: Date.now,
    senders: { vk: sender, telegram: sender },
    limits: BENCH_DELIVERY_LIMITS,
    effects: {
      ack: (item) => {
        if (item.incidentId !== null) app.stores.incidents.markAcknowledged(item.incidentId, Date.now());
      },
    },
  });

  // A pool of texts reused in a cycle: the texts themselves must not be what grows.
  const texts = mixedTexts(10_000, { seed: 3 });
  const backlog = () => app.stores.outbox.backlog().pending;
  // Delivery in rounds of one batch per platform, each awaited (`runOnce`), as a worker draining a
  // backlog at its own pace. The app's notify() instead claims every due row at once; with this
  // run's backlogs of up to MAX_BACKLOG rows that holds them all in its lanes (~200 MB RSS at
  // 100,000 messages, README → Benchmarks).
  let feeding = true;
  const delivery = (async () => {
    while (feeding || backlog() > 0) {
      if ((await worker.runOnce()).claimed === 0) await sleep(20);
    }
  })();
  const samples: { messages: number; rssMb: number; heapMb: number }[] = [];
  const every = Math.max(BATCH, Math.floor(messages / SAMPLES / BATCH) * BATCH);
  const start = Date.now();
  for (let done = 0; done < messages; ) {
    const size = Math.min(BATCH, messages - done);
    const now = Date.now();
    const batch = Array.from({ length: size }, (_, k) => {
      const seq = done + k;
      const groupId = world.groups[seq % world.groups.length]!;
      const postId = world.posts.get(groupId)![seq % 20]!;
      return syntheticComment(seq, texts[seq % texts.length]!, groupId, postId, now);
    });
    app.ingest.ingestBatch(batch);
    done += size;
    while (backlog() > MAX_BACKLOG) await sleep(5);
    await new Promise((resolve) => setImmediate(resolve));
    if (done % every === 0 || done === messages) {
      const usage = process.memoryUsage();
      samples.push({ messages: done, rssMb: usage.rss / 2 ** 20, heapMb: usage.heapUsed / 2 ** 20 });
      // Progress on stderr (stdout is the one JSON line): a run that slows down shows where.
      process.stderr.write(`memory-run: ${done} messages, ${((Date.now() - start) / 1000).toFixed(0)} s, RSS ${(usage.rss / 2 ** 20).toFixed(0)} MB\n`);
    }
  }
  feeding = false;
  await delivery;
  const seconds = (Date.now() - start) / 1000;
  await worker.stop();
  const incidents = app.stores.incidents.count();
  await app.stop();
  process.stdout.write(`${JSON.stringify({ messages, incidents, delivered: sender.delivered, seconds, samples })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
