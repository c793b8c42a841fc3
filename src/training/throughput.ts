import type { Detector } from '../domain/detection.js';

/** Result of {@link measureThroughput}. */
export interface Throughput {
  messages: number;
  seconds: number;
  perSecond: number;
}

/**
 * Messages per second one detector handles on this thread: runs `texts` round-robin until at
 * least `minMs` have passed (default 2000) after one warm-up pass. Used by `npm run eval`
 * and the benchmark; it is the only timing code for detection.
 */
export function measureThroughput(detector: Detector, texts: readonly string[], minMs = 2000): Throughput {
  if (texts.length === 0) return { messages: 0, seconds: 0, perSecond: 0 };
  for (const t of texts) detector.detect(t);
  let messages = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const t of texts) detector.detect(t);
    messages += texts.length;
    elapsed = performance.now() - start;
  }
  return { messages, seconds: elapsed / 1000, perSecond: messages > 0 ? Math.round((messages * 1000) / elapsed) : 0 };
}
