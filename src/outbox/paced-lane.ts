/** What a job still waiting in a lane rejects with when the lane stops: it never started. */
export class LaneStoppedError extends Error {
  constructor() {
    super('not started: the lane stopped');
    this.name = 'LaneStoppedError';
  }
}

/** How a lane paces its jobs; every limit is optional. */
export interface PacedLaneOptions {
  /** Jobs running at once. Default 1, which also keeps jobs in the order they were scheduled. */
  concurrency?: number;
  /** Least time between two starts, ms. Default 0. */
  minIntervalMs?: number;
  /** At most `count` starts in any `windowMs` (a sliding window, e.g. Telegram's 20 per minute per group). */
  window?: { count: number; windowMs: number };
  /**
   * Of the window's starts, `slots` are kept for jobs of at least `minPriority`: a lower job starts
   * only while fewer than `count - slots` started in the window. Default none.
   */
  reserve?: { slots: number; minPriority: number };
  /**
   * While a job of at least `reserve.minPriority` started within the window, the least time
   * between two starts of lower jobs. A burst summary is in a chat: its cards go evenly over the
   * minute instead of spending it in seconds, so the summary's edits find room. Default 0.
   */
  lowPriorityIntervalMs?: number;
}

interface Waiting {
  job: () => Promise<unknown>;
  priority: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A queue that starts jobs in arrival order within a concurrency cap, a minimum interval and a
 * sliding-window budget. Replaces Bottleneck on the delivery path: Bottleneck spends two timer
 * turns per job even when nothing makes it wait, so a chat's lane managed ~100 sends/s on a busy
 * event loop; here a job that may start starts in the same tick, and a timer is set only when a
 * limit really makes it wait. Jobs start by priority, in arrival order within one. Uses the wall
 * clock (Date.now), as the platforms' limits do.
 */
export class PacedLane {
  private readonly concurrency: number;
  private readonly minIntervalMs: number;
  private readonly window: { count: number; windowMs: number } | undefined;
  private readonly reserve: { slots: number; minPriority: number };
  private readonly queue: Waiting[] = [];
  /** Start times within the window, oldest first (only with `window`). */
  private readonly starts: number[] = [];
  private running = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  private readonly lowPriorityIntervalMs: number;
  private lastLowStart = Number.NEGATIVE_INFINITY;
  private lastHighStart = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly idle: (() => void)[] = [];

  constructor(options: PacedLaneOptions = {}) {
    this.concurrency = options.concurrency ?? 1;
    this.minIntervalMs = options.minIntervalMs ?? 0;
    this.window = options.window;
    this.reserve = options.reserve ?? { slots: 0, minPriority: 0 };
    this.lowPriorityIntervalMs = options.lowPriorityIntervalMs ?? 0;
    if (!Number.isSafeInteger(this.concurrency) || this.concurrency < 1) throw new Error(`concurrency must be a whole number ≥ 1, got ${this.concurrency}`);
    if (this.window && (!(this.window.count >= 1) || !(this.window.windowMs > 0))) throw new Error('window needs count ≥ 1 and windowMs > 0');
  }

  /**
   * Run `job` when the limits allow, after the waiting jobs of its priority or higher (default 0);
   * rejects with LaneStoppedError if the lane stops first.
   */
  schedule<T>(job: () => Promise<T>, priority = 0): Promise<T> {
    if (this.stopped) return Promise.reject(new LaneStoppedError());
    return new Promise<T>((resolve, reject) => {
      const waiting: Waiting = { job, priority, resolve: resolve as (value: unknown) => void, reject };
      const at = this.queue.findIndex((w) => w.priority < priority);
      if (at < 0) this.queue.push(waiting);
      else this.queue.splice(at, 0, waiting);
      // A new head may be allowed sooner (a reserved slot) than the one the timer waits for.
      if (at === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.drain();
    });
  }

  /** Nothing queued or running, and no limit would make the next job wait: the lane can be forgotten. */
  isIdle(now = Date.now()): boolean {
    // The strictest wait (the lowest priority's): a lane forgotten while a limit still holds would let too much through.
    return this.queue.length === 0 && this.running === 0 && this.waitMs(now, Number.NEGATIVE_INFINITY) === 0;
  }

  /** Drop the waiting jobs (they reject with LaneStoppedError) and resolve when the running ones have finished. */
  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiting of this.queue.splice(0)) waiting.reject(new LaneStoppedError());
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** How long a job of `priority` must wait before it may start. */
  private waitMs(now: number, priority: number): number {
    let wait = Math.max(0, this.lastStart + this.minIntervalMs - now);
    const windowMs = this.window?.windowMs ?? 0;
    if (priority < this.reserve.minPriority && this.lastHighStart > now - windowMs) {
      wait = Math.max(wait, this.lastLowStart + this.lowPriorityIntervalMs - now);
    }
    if (this.window) {
      while (this.starts.length > 0 && this.starts[0]! <= now - this.window.windowMs) this.starts.shift();
      const allowed = priority >= this.reserve.minPriority ? this.window.count : Math.max(1, this.window.count - this.reserve.slots);
      // Fewer than `allowed` starts must remain in the window: wait for the start that brings it there to age out.
      if (this.starts.length >= allowed) wait = Math.max(wait, this.starts[this.starts.length - allowed]! + this.window.windowMs - now);
    }
    return wait;
  }

  private drain(): void {
    while (!this.stopped && this.timer === null && this.queue.length > 0 && this.running < this.concurrency) {
      const now = Date.now();
      const wait = this.waitMs(now, this.queue[0]!.priority);
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.drain();
        }, wait);
        return;
      }
      const next = this.queue.shift()!;
      this.running += 1;
      this.lastStart = now;
      if (next.priority < this.reserve.minPriority) this.lastLowStart = now;
      else this.lastHighStart = now;
      if (this.window) this.starts.push(now);
      void this.runJob(next);
    }
  }

  private async runJob(waiting: Waiting): Promise<void> {
    try {
      waiting.resolve(await waiting.job());
    } catch (error) {
      waiting.reject(error);
    } finally {
      this.running -= 1;
      if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.drain();
    }
  }
}
