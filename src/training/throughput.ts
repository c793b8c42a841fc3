import type { Detector } from '../domain/detection.js';

/** Result of {@link measureThroughput}. */
export interface Throughput {
  messages: number;
  seconds: number;
  perSecond: number;
}

/**
 * Messages per second a detector (or any per-text work, such as the bench's bare word split it is
 * compared with) handles on this thread: runs `texts` round-robin until at least `minMs` have
 * passed (default 2000) after one warm-up pass. Used by `npm run eval` and `npm run bench`
 * (src/bench/detector-throughput.ts): the only timing code for detection.
 */
export function measureThroughput(work: Detector | ((text: string) => unknown), texts: readonly string[], minMs = 2000): Throughput {
  if (texts.length === 0) return { messages: 0, seconds: 0, perSecond: 0 };
  const run = typeof work === 'function' ? work : (text: string) => work.detect(text);
  for (const t of texts) run(t);
  let messages = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const t of texts) run(t);
    messages += texts.length;
    elapsed = performance.now() - start;
  }
  return { messages, seconds: elapsed / 1000, perSecond: messages > 0 ? Math.round((messages * 1000) / elapsed) : 0 };
}
