import { basename } from 'node:path';
import { ComplaintDetector } from '../detect/complaint-detector.js';
import type { DetectorConfig } from '../detect/detector-config.js';
import { hashString } from '../detect/hashed-features.js';
import type { GazetteerEntry } from '../detect/place-finder.js';
import type { ProblemCatalog } from '../domain/problem.js';
import { goldProblemOf, type Scored, scoreRow } from './evaluation.js';
import { type LabelledRow, threadOf } from './labelled-data.js';
import { type TrainOptions, trainModel } from './train-model.js';

/** A labelled row and the file it came from. */
export interface FileRow {
  row: LabelledRow;
  file: string;
}

/**
 * K-fold cross-validation of the whole detector (rules of `config` + a model trained on the
 * other folds): every row is scored once by a model that never saw it. Folds are chosen by a
 * hash of the row's thread (see threadOf), so a portal thread's complaint, follow-ups and
 * answers, and the near-copies of a spam template, share a fold.
 *
 * Why: topics and problems with a handful of examples make one validation split's figures swing
 * with a single row; scoring every training row once is the steadier figure to tune the rules and
 * settings against, while the test split stays untouched.
 */
export function crossValidate(
  rows: readonly FileRow[],
  deps: { config: DetectorConfig; problems: ProblemCatalog; gazetteer?: readonly GazetteerEntry[]; folds?: number; train?: Partial<TrainOptions> },
): Scored[] {
  const folds = deps.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`cross-validation needs at least 2 folds, got ${folds}`);
  const foldOf = (row: LabelledRow): number => avalanche(hashString(threadOf(row))) % folds;
  const problemOf = (row: LabelledRow) => goldProblemOf(row, deps.problems);
  const scored: Scored[] = [];
  for (let k = 0; k < folds; k++) {
    const held = rows.filter((r) => foldOf(r.row) === k);
    if (held.length === 0) continue;
    const model = trainModel(
      rows.filter((r) => foldOf(r.row) !== k).map((r) => r.row),
      problemOf,
      deps.train,
    );
    const detector = new ComplaintDetector({ config: deps.config, model, gazetteer: deps.gazetteer ?? [], problems: deps.problems });
    for (const { row, file } of held) {
      scored.push(scoreRow(detector, row, basename(file), deps.problems));
    }
  }
  return scored;
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
