/**
 * Figure: detector throughput on one core (messages/s), against the bare cost of lower-casing
 * the same texts and splitting them into words: the floor any text analysis pays.
 */
import type { Config } from '../config.js';
import type { Detector } from '../domain/detection.js';
import { measureThroughput } from '../training/throughput.js';
import type { Figure } from './figure.js';
import { mixedTexts } from './texts.js';

export interface DetectorThroughputOptions {
  config: Config;
  detector: Detector;
  /** Texts classified per timed pass (default 50,000). */
  messages: number;
  /** Each measurement runs at least this long after its warm-up pass. */
  minMs: number;
}

export function measureDetectorThroughput(options: DetectorThroughputOptions): Figure[] {
  const texts = mixedTexts(options.messages, { seed: 21 });
  const municipalityId = options.config.municipalities[0]?.id;
  const context = municipalityId ? { municipalityId } : {};
  // The same timing as `npm run eval` (src/training/throughput.ts), for the detector and its floor alike.
  const detect = measureThroughput((text) => options.detector.detect(text, context), texts, options.minMs).perSecond;
  const split = measureThroughput((text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u), texts, options.minMs).perSecond;
  const meanChars = texts.reduce((sum, t) => sum + t.length, 0) / texts.length;
  return [
    {
      id: 'detector.messagesPerSecond',
      name: 'Detector throughput on one core',
      value: detect,
      unit: 'msg/s',
      target: '≥ 20,000 msg/s',
      baselineName: 'lower-case + split into words',
      baseline: split,
      ratio: detect / split,
      ratioMeaning: 'detector ÷ bare split (share of the floor)',
      pass: detect >= 20_000,
      note: `${texts.length} generated Russian texts (≈30 % complaints, mean ${meanChars.toFixed(0)} chars), the detector config/ loads, passes for at least ${options.minMs / 1000} s after a warm-up pass (src/training/throughput.ts, as npm run eval times it), main thread only`,
    },
  ];
}
