import { Worker } from 'node:worker_threads';
import type { BenchWorld, BenchWorldOptions } from './bench-world.js';
import type { ThreadReply, ThreadRequest } from './emulator-thread.js';

/** The main thread's end of emulator-thread.ts: one request at a time, answered in order. */
export class EmulatorThread {
  private constructor(
    private readonly worker: Worker,
    readonly url: string,
    readonly world: BenchWorld,
  ) {}

  static async start(options: BenchWorldOptions): Promise<EmulatorThread> {
    // A worker does not inherit tsx's loader: register it first, then load the TypeScript module.
    const script = new URL('./emulator-thread.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
    const worker = new Worker(boot, { eval: true, workerData: options });
    const ready = await next(worker);
    if (ready.op !== 'ready') throw new Error(`emulator thread answered ${ready.op} instead of ready`);
    return new EmulatorThread(worker, ready.url, ready.world);
  }

  async request<T extends ThreadReply['op']>(request: ThreadRequest & { op: T }): Promise<Extract<ThreadReply, { op: T }>> {
    const reply = next(this.worker);
    this.worker.postMessage(request);
    const answer = await reply;
    if (answer.op !== request.op) throw new Error(`emulator thread answered ${answer.op} to ${request.op}`);
    return answer as Extract<ThreadReply, { op: T }>;
  }

  async close(): Promise<void> {
    await this.request({ op: 'close' });
    await this.worker.terminate();
  }
}

function next(worker: Worker): Promise<ThreadReply> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (message: ThreadReply) => {
      worker.off('error', onError);
      resolve(message);
    });
  });
}
