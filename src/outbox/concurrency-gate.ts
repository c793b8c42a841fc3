/**
 * At most `limit` jobs at once, started in arrival order. Used where only concurrency is capped
 * (VK's platform-wide slot count): a Bottleneck instance spends about 2.5 ms of scheduling per job,
 * which capped all VK delivery at ~400 sends/s however many community lanes ran in parallel.
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`concurrency must be a whole number ≥ 1, got ${limit}`);
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1;
    // The finishing job hands its slot straight to the next waiter, so `running` never over-counts.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Jobs running now (for tests and metrics). */
  get active(): number {
    return this.running;
  }
}
