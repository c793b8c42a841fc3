import { ComplaintDetector } from '../detect/complaint-detector.js';
import type { DetectorConfig } from '../detect/detector-config.js';
import { hashString } from '../detect/hashed-features.js';
import type { GazetteerEntry } from '../detect/place-finder.js';
import { threadOf, type LabelledRow } from './labelled-data.js';
import { binaryScore, topicScores, type BinaryScore, type TopicScores } from './scores.js';
import { trainModel, type TrainOptions } from './train-model.js';

/** What {@link crossValidate} measured over every fold's held-out rows. */
export interface CrossValidation {
  folds: number;
  rows: number;
  /** "An appeal" (reply or review) against the complaint label. */
  appeal: BinaryScore;
  topics: TopicScores;
}

/**
 * K-fold cross-validation of the whole detector (rules of `config` + a model trained on the
 * other folds): every row is scored once by a model that never saw it. Folds are chosen by a
 * hash of the row's thread, so a portal thread's complaint, follow-ups and answers share a fold.
 *
 * Why: topics with a handful of examples (transport has 12 in dev.jsonl) make one validation
 * split's macro-F1 swing by ±0.1 with a single row; scoring every training row once is the
 * steadier figure to tune the rules and settings against, while the test split stays untouched.
 */
export function crossValidate(
  rows: readonly LabelledRow[],
  deps: { config: DetectorConfig; gazetteer?: readonly GazetteerEntry[]; folds?: number; train?: Partial<TrainOptions> },
): CrossValidation {
  const folds = deps.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`cross-validation needs at least 2 folds, got ${folds}`);
  const foldOf = (row: LabelledRow): number => avalanche(hashString(threadOf(row.id))) % folds;
  const appeals: { gold: boolean; predicted: boolean }[] = [];
  const topics: { gold: string; predicted: string }[] = [];
  for (let k = 0; k < folds; k++) {
    const held = rows.filter((r) => foldOf(r) === k);
    if (held.length === 0) continue;
    const model = trainModel(rows.filter((r) => foldOf(r) !== k), deps.train);
    const detector = new ComplaintDetector({ config: deps.config, model, gazetteer: deps.gazetteer ?? [] });
    for (const row of held) {
      const analysis = detector.analyse(row.text, undefined, { alwaysTopic: true });
      appeals.push({ gold: row.complaint, predicted: analysis.detection.isAppeal });
      if (row.complaint && row.topic) topics.push({ gold: row.topic, predicted: analysis.topicIfAppeal });
    }
  }
  return { folds, rows: rows.length, appeal: binaryScore(appeals), topics: topicScores(topics) };
}

/**
 * Murmur3's finaliser. FNV-1a's low bit is only the parity of the text's characters, so
 * `hash % 2` (or any even K) would put «vk:12» and «vk:12:copy» in the same fold by construction.
 */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
