import { Featurizer } from '../detect/featurizer.js';
import type { FeatureSpec, FeatureVector } from '../detect/hashed-features.js';
import { encodeRows, type HeadFile, type ModelFile } from '../detect/linear-model.js';
import { idHash, type LabelledRow } from './labelled-data.js';

/** Training settings; the defaults are what the shipped model was trained with (chosen by cross-validation). */
export interface TrainOptions {
  features: FeatureSpec;
  /** Hashed space of each head, ≤ features.bits: the problem head has many classes, so it is folded smaller. */
  headBits: { complaint: number; topic: number; problem: number };
  /** Passes over the data; default 12. */
  epochs: number;
  /** L2 penalty per update; default 3e-5. */
  l2: number;
  /** AdaGrad base rate; default 0.5. */
  rate: number;
  /** Feature rows whose every weight is smaller than this are dropped from the file; default 0.02. */
  keep: number;
  /**
   * Topic classes are weighted by (mean class size / class size)^topicClassPower: 0 weighs every
   * complaint alike, 1 every topic alike. Half-way (0.5) lifts the rare topics (safety, ecology,
   * communications) that macro-F1 counts as much as housing, without drowning the common ones.
   */
  topicClassPower: number;
  /** A problem needs this many training complaints to be learnt; the rest are left to their words. */
  minProblemExamples: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  features: { bits: 18, charGrams: [3, 4] },
  headBits: { complaint: 18, topic: 15, problem: 14 },
  epochs: 12,
  l2: 3e-5,
  rate: 0.5,
  keep: 0.02,
  topicClassPower: 0.5,
  minProblemExamples: 5,
};

/** A labelled row's problem id (of config/problems.json), or null; training cannot see the catalog itself. */
export type ProblemOf = (row: LabelledRow) => string | null;

interface Example {
  x: FeatureVector;
  /** Class index in the head. */
  y: number;
  weight: number;
}

/**
 * Trains the complaint head (logistic regression, the two classes weighted to equal mass), the
 * topic head (softmax over the topics of the labelled complaints) and the problem head (softmax
 * over the problems with at least `minProblemExamples` complaints) with AdaGrad, in a fixed order:
 * the same rows give the same model.
 */
export function trainModel(
  rows: readonly LabelledRow[],
  problemOf: ProblemOf,
  options: Partial<TrainOptions> = {},
  meta: Record<string, unknown> = {},
): ModelFile {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const featurizer = new Featurizer(o.features);
  const vectors = rows.map((row) => featurizer.view(row.text).features);

  const positives = rows.filter((r) => r.complaint).length;
  const negatives = rows.length - positives;
  const complaintExamples = rows.map((row, i) => ({
    x: vectors[i]!,
    y: row.complaint ? 1 : 0,
    weight: rows.length / (2 * Math.max(1, row.complaint ? positives : negatives)),
  }));
  const complaint = trainHead(complaintExamples, 1, o.headBits.complaint, o, 1);

  const topicRows = rows.map((row, i) => ({ row, x: vectors[i]! })).filter((e) => e.row.complaint && e.row.topic);
  const topicClasses = [...new Set(topicRows.map((e) => e.row.topic!))].sort();
  const topicCounts = topicClasses.map((c) => topicRows.filter((e) => e.row.topic === c).length);
  const meanTopic = topicRows.length / Math.max(1, topicClasses.length);
  const topicExamples = topicRows.map((e) => {
    const y = topicClasses.indexOf(e.row.topic!);
    return { x: e.x, y, weight: (meanTopic / topicCounts[y]!) ** o.topicClassPower };
  });
  const topic = topicClasses.length > 0 ? trainHead(topicExamples, topicClasses.length, o.headBits.topic, o, 100) : null;

  const problemRows = rows.map((row, i) => ({ row, x: vectors[i]!, problem: row.complaint ? problemOf(row) : null })).filter((e) => e.problem !== null);
  const problemTally = new Map<string, number>();
  for (const e of problemRows) problemTally.set(e.problem!, (problemTally.get(e.problem!) ?? 0) + 1);
  const problemClasses = [...problemTally]
    .filter(([, n]) => n >= o.minProblemExamples)
    .map(([id]) => id)
    .sort();
  const problemExamples = problemRows
    .filter((e) => problemClasses.includes(e.problem!))
    .map((e) => ({ x: e.x, y: problemClasses.indexOf(e.problem!), weight: 1 }));
  const problem = problemClasses.length > 1 ? trainHead(problemExamples, problemClasses.length, o.headBits.problem, o, 200) : null;

  // The complaint head's one weight per feature decides the verdict's thresholds: it keeps 16 bits. The many-class heads take 8.
  const head = (trained: Trained, classes: string[], counts: number[], bits: number, precision: 8 | 16): HeadFile => {
    const { rows: packed, scale } = encodeRows(trained.weights, classes.length, o.keep, precision);
    return { classes, counts, biases: [...trained.biases].map(round), bits, scale, precision, rows: packed };
  };
  return {
    version: 2,
    features: { bits: o.features.bits, charGrams: [...o.features.charGrams] },
    complaint: head(complaint, ['appeal'], [positives], o.headBits.complaint, 16),
    topic: topic
      ? head(topic, topicClasses, topicCounts, o.headBits.topic, 8)
      : { classes: ['other'], counts: [0], biases: [0], bits: 8, scale: 1, precision: 16, rows: '' },
    problem: problem
      ? head(
          problem,
          problemClasses,
          problemClasses.map((c) => problemTally.get(c)!),
          o.headBits.problem,
          8,
        )
      : null,
    trainedIds: [...new Set(rows.map((r) => idHash(r.id)))].sort((a, b) => a - b),
    meta: { ...meta, rows: rows.length, epochs: o.epochs, problemRows: problemExamples.length },
  };
}

// === One linear head, AdaGrad, deterministic order

interface Trained {
  /** Interleaved: the K class weights of feature f at f*K … f*K+K-1. */
  weights: Float64Array;
  biases: Float64Array;
}

/**
 * K = 1: logistic regression on `y` ∈ {0, 1}; K > 1: softmax regression on the class index `y`.
 * Feature indices are folded into the head's 2^bits space.
 */
function trainHead(examples: readonly Example[], k: number, bits: number, o: TrainOptions, seed: number): Trained {
  const mask = (1 << bits) - 1;
  const weights = new Float64Array((1 << bits) * k);
  const squares = new Float64Array((1 << bits) * k).fill(1e-8);
  const biases = new Float64Array(k);
  const biasSquares = new Float64Array(k).fill(1e-8);
  const gradients = new Float64Array(k);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, seed + epoch);
    for (const i of order) {
      const e = examples[i]!;
      const logits = new Float64Array(k);
      for (let c = 0; c < k; c++) logits[c] = biases[c]!;
      for (let t = 0; t < e.x.indices.length; t++) {
        const base = (e.x.indices[t]! & mask) * k;
        for (let c = 0; c < k; c++) logits[c]! += weights[base + c]! * e.x.value;
      }
      if (k === 1) gradients[0] = (sigmoid(logits[0]!) - e.y) * e.weight;
      else {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, logits[c]!);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += logits[c] = Math.exp(logits[c]! - max);
        for (let c = 0; c < k; c++) gradients[c] = (logits[c]! / sum - (c === e.y ? 1 : 0)) * e.weight;
      }
      for (let t = 0; t < e.x.indices.length; t++) {
        const base = (e.x.indices[t]! & mask) * k;
        for (let c = 0; c < k; c++) {
          const j = base + c;
          const g = gradients[c]! * e.x.value + o.l2 * weights[j]!;
          squares[j]! += g * g;
          weights[j]! -= (o.rate * g) / Math.sqrt(squares[j]!);
        }
      }
      for (let c = 0; c < k; c++) {
        biasSquares[c]! += gradients[c]! * gradients[c]!;
        biases[c]! -= (o.rate * gradients[c]!) / Math.sqrt(biasSquares[c]!);
      }
    }
  }
  return { weights, biases };
}

/** Deterministic Fisher–Yates with a small LCG, so a retrain reproduces the same model. */
function shuffle(a: number[], seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round = (x: number): number => Math.round(x * 10000) / 10000;
