/**
 * Waiting between attempts, beside the errors that decide whether to retry (src/errors.ts):
 * used by the outbox, the sources, the demo and the bench.
 */

/**
 * Exponential backoff with full jitter, capped: attempt 1 waits up to `baseMs`, each further
 * attempt doubles the ceiling until `maxMs`. `random` is injectable so tests are exact.
 * Jitter keeps many rows (or many channels) that failed together from retrying together.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  // Half fixed, half random: never retry at once, never wait past the ceiling.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** Resolves after `ms`, or at once when `signal` aborts (no rejection: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}
