/**
 * The emulator on a thread of its own, for throughput runs: in the bot's thread it would take
 * half of every request's CPU (it plays VK's servers), which VK never does. The world is built
 * there (buildBenchWorld); the main thread sends `burst` (add comments) and `stats` requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Emulator } from '../emulator/emulator.js';
import { Prng } from '../emulator/prng.js';
import { type BenchWorldOptions, buildBenchWorld } from './bench-world.js';
import { complaintText, mixedTexts } from './texts.js';

export type ThreadRequest =
  /**
   * `count` comments under the last `hotPosts` posts of random communities, by distinct authors:
   * every one a complaint, or the realistic mix of mixedTexts (≈30 % complaints).
   */
  | { op: 'burst'; count: number; hotPosts: number; seed: number; mix: 'complaints' | 'realistic' }
  /** Counts of served requests by `method outcome`. */
  | { op: 'stats' }
  | { op: 'close' };

export type ThreadReply =
  | { op: 'ready'; url: string; world: ReturnType<typeof buildBenchWorld> }
  | { op: 'burst'; texts: { text: string; groupId: number; postId: number }[] }
  | { op: 'stats'; counts: Record<string, number> }
  | { op: 'close' };

async function main(): Promise<void> {
  const port = parentPort!;
  const options = workerData as BenchWorldOptions;
  const emulator = await Emulator.start();
  const world = buildBenchWorld(emulator, options);
  port.on('message', (request: ThreadRequest) => {
    if (request.op === 'burst') {
      const prng = new Prng(request.seed);
      const mixed = request.mix === 'realistic' ? mixedTexts(request.count, { seed: request.seed }) : null;
      const texts: { text: string; groupId: number; postId: number }[] = [];
      emulator.resetRequestLog();
      for (let i = 0; i < request.count; i += 1) {
        const groupId = prng.pick(world.groups);
        const postId = prng.pick(world.posts.get(groupId)!.slice(-request.hotPosts));
        const text = mixed ? mixed[i]! : complaintText(prng);
        texts.push({ text, groupId, postId });
        emulator.addComment({ groupId, postId, fromId: 2_000_000 + request.seed * 100_000 + i, text });
      }
      port.postMessage({ op: 'burst', texts } satisfies ThreadReply);
    } else if (request.op === 'stats') {
      const counts: Record<string, number> = {};
      for (const e of emulator.requestLog()) counts[`${e.method} ${e.outcome}`] = (counts[`${e.method} ${e.outcome}`] ?? 0) + 1;
      port.postMessage({ op: 'stats', counts } satisfies ThreadReply);
    } else {
      void emulator.close().then(() => port.postMessage({ op: 'close' } satisfies ThreadReply));
    }
  });
  port.postMessage({ op: 'ready', url: emulator.url, world } satisfies ThreadReply);
}

void main();
