/**
 * What the console adds to the bot's memory, in a process of its own:
 * `node --expose-gc --max-old-space-size=128 dist/bench/console-rss-run.js <world.json> <on|off> <rounds>`.
 * Starts the bot (compiled, as in production) on the bench's database and world, with the
 * console on or off. Both read the registry as the bot itself does every day (the digest's
 * figures for the 60 days), so SQLite's page cache is as warm in both as in a running bot. With
 * the console on, a moderator signs in and every measured view is requested `rounds` times; with
 * it off, the bot only runs. Then collects garbage and prints one JSON line: { rssMb, heapMb }.
 * The console's cost is the difference between the two runs.
 */
import { readFileSync } from 'node:fs';
import { App } from '../app.js';
import { deepMerge } from '../config.js';
import { authorKey } from '../domain/inbound-message.js';
import { silentLogger } from '../logger.js';
import { collectDigestStats } from '../reports/digest-stats.js';
import { sleep } from '../retry.js';
import { type BenchWorld, benchConfig } from './bench-world.js';

/** What console-bench.ts hands over: its world (tokens, the emulator, the database) and the views it times. */
interface RssRunInput {
  world: BenchWorld;
  views: string[];
}

async function main(): Promise<void> {
  const [file, mode, rounds] = [process.argv[2]!, process.argv[3], Number(process.argv[4] ?? 10)];
  const input = JSON.parse(readFileSync(file, 'utf8')) as RssRunInput;
  const world = { ...input.world, local: deepMerge(input.world.local, { console: { enabled: mode === 'on', port: 0 } }) as Record<string, unknown> };
  const app = await App.create({ config: benchConfig(world), logger: silentLogger() });
  await app.start();
  try {
    const now = Date.now();
    collectDigestStats(app.stores.stats, { from: now - 60 * 86_400_000, to: now });
    if (app.consoleAddress) {
      const base = `http://${app.consoleAddress.host}:${app.consoleAddress.port}`;
      const token = app.stores.consoleSessions.issueLink(authorKey(app.config.moderators[0]!), Date.now(), 600_000);
      const signIn = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual' });
      const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
      for (let round = 0; round < rounds; round += 1) {
        for (const view of input.views) {
          const response = await fetch(`${base}${view}`, { headers: { cookie } });
          if (response.status !== 200) throw new Error(`${view} answered ${response.status}`);
          await response.arrayBuffer();
        }
      }
    } else {
      // The same time running as the console's requests would take, so timers and pools settle alike.
      await sleep(1_000);
    }
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i += 1) {
      gc?.();
      await sleep(100);
    }
    const usage = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rssMb: usage.rss / 2 ** 20, heapMb: usage.heapUsed / 2 ** 20 })}\n`);
  } finally {
    await app.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
