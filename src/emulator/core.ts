import type { ServerResponse } from 'node:http';
import type { Faults, RateLimiter } from './faults.js';
import { untilClosed } from './http/http-util.js';
import type { RequestLog } from './request-log.js';

/** What every route handler shares: the clock, faults, the request log and the shutdown signal. */
export interface EmulatorCore {
  readonly clock: () => number;
  readonly faults: Faults;
  readonly vkRateLimit: RateLimiter;
  readonly log: RequestLog;
  /** Aborted by close(): long polls and delays end at once. */
  readonly signal: AbortSignal;
  readonly baseUrl: () => string;
  readonly polls: PollWatch;
}

/** What the server holds open: long polls of each API, and requests held by a `delayMs` or `hang` fault. */
export type HeldKind = 'telegram' | 'vk_lp' | 'max' | 'delayed';

/** Which long polls (and delayed requests) are being held right now; lets tests wait for one instead of sleeping. */
export class PollWatch {
  private readonly held = new Map<string, number>();
  private waiters: { api: string; resolve: () => void }[] = [];

  enter(api: HeldKind): void {
    this.held.set(api, (this.held.get(api) ?? 0) + 1);
    const ready = this.waiters.filter((w) => w.api === api);
    this.waiters = this.waiters.filter((w) => w.api !== api);
    for (const w of ready) w.resolve();
  }

  leave(api: HeldKind): void {
    this.held.set(api, Math.max(0, (this.held.get(api) ?? 0) - 1));
  }

  /** How many long polls of `api` are held right now. */
  count(api: HeldKind): number {
    return this.held.get(api) ?? 0;
  }

  /** Resolves once a long poll of `api` is held (at once if one already is). */
  wait(api: HeldKind): Promise<void> {
    if ((this.held.get(api) ?? 0) > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ api, resolve }));
  }

  /** Counts `api` as held while `fn` runs. */
  async hold<T>(api: HeldKind, fn: () => Promise<T>): Promise<T> {
    this.enter(api);
    try {
      return await fn();
    } finally {
      this.leave(api);
    }
  }
}

/**
 * A `hang` fault: holds the request (counted as `delayed`) until the client closes the connection
 * or the emulator closes, then drops the connection without an answer.
 */
export async function hangRequest(core: EmulatorCore, res: ServerResponse): Promise<void> {
  await core.polls.hold('delayed', () => untilClosed(res, core.signal));
  res.destroy();
}
