import { z } from 'zod';
import type { FeatureVector } from './hashed-features.js';

/**
 * The shipped statistical part of the detector (config/complaint-model.json): a logistic
 * regression for "is an appeal" and a multinomial one for the topic, over hashed features.
 * Weights are stored sparse (index → weight), only those that matter after training.
 */
/** True when `value` is a list of [index, weight] pairs: a whole index ≥ 0 and a finite weight. */
function isWeightPairs(value: unknown): value is [number, number][] {
  if (!Array.isArray(value)) return false;
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    const [index, weight] = pair as unknown[];
    if (!Number.isSafeInteger(index) || (index as number) < 0 || typeof weight !== 'number' || !Number.isFinite(weight)) return false;
  }
  return true;
}

/**
 * The weight lists are checked by one loop and kept as parsed, not rebuilt pair by pair: a zod
 * tuple schema over the ~200,000 pairs of the shipped model copied every pair, ~40 MB of heap at
 * start that V8 kept as RSS for the life of the bot.
 */
const WeightPairsSchema = z.custom<[number, number][]>(isWeightPairs, { message: 'expected a list of [index ≥ 0, weight] pairs' });

export const ModelFileSchema = z.object({
  version: z.literal(1),
  bits: z.number().int().min(8).max(24),
  complaint: z.object({ bias: z.number(), weights: WeightPairsSchema }),
  topic: z.object({
    classes: z.array(z.string()).min(1),
    biases: z.array(z.number()),
    /** Training complaints per class, same order as `classes`; a class with few is left to the topic's words. */
    counts: z.array(z.number().int().nonnegative()).optional(),
    /** One sparse weight list per class, same order as `classes`. */
    weights: z.array(WeightPairsSchema),
  }),
  /** 32-bit hashes of the ids of the rows the model was trained on; eval skips those rows. */
  trainedIds: z.array(z.number().int().nonnegative()).default([]),
  meta: z.record(z.string(), z.unknown()).default({}),
});
/** config/complaint-model.json after validation. */
export type ModelFile = z.infer<typeof ModelFileSchema>;

/** A model ready to score: dense weight arrays for speed. */
export class LinearModel {
  private readonly complaintWeights: Float32Array;
  /** Interleaved: the K class weights of feature f sit together at f*K…f*K+K-1 (one cache line per feature). */
  private readonly topicWeights: Float32Array;
  readonly topicClasses: string[];
  /** Training examples per class (Infinity when the file does not say). */
  readonly topicCounts: number[];

  readonly bits: number;
  private readonly complaintBias: number;
  private readonly topicBiases: number[];

  /**
   * Keeps only the dense arrays and the biases: the parsed file (hundreds of thousands of
   * [index, weight] pairs and the trained ids) is tens of MB of heap that would otherwise live
   * as long as the bot.
   */
  constructor(file: ModelFile) {
    this.bits = file.bits;
    this.complaintBias = file.complaint.bias;
    this.topicBiases = [...file.topic.biases];
    const size = 1 << file.bits;
    const k = file.topic.classes.length;
    this.complaintWeights = dense(size, file.complaint.weights);
    this.topicWeights = new Float32Array(size * k);
    file.topic.weights.forEach((pairs, c) => {
      for (const [i, w] of pairs) if (i < size) this.topicWeights[i * k + c] = w;
    });
    this.topicClasses = [...file.topic.classes];
    this.topicCounts = file.topic.classes.map((_, c) => file.topic.counts?.[c] ?? Infinity);
  }

  /** Log-odds that the text is an appeal. */
  complaintLogit(x: FeatureVector): number {
    return this.complaintBias + dot(this.complaintWeights, x);
  }

  /** Per-class topic logits, in `topicClasses` order. */
  topicLogits(x: FeatureVector): number[] {
    const k = this.topicClasses.length;
    const sums = new Float64Array(k);
    for (let i = 0; i < x.indices.length; i++) {
      const base = x.indices[i]! * k;
      for (let c = 0; c < k; c++) sums[c]! += this.topicWeights[base + c]!;
    }
    return Array.from(sums, (s, c) => (this.topicBiases[c] ?? 0) + s * x.value);
  }
}

function dense(size: number, pairs: [number, number][]): Float32Array {
  const out = new Float32Array(size);
  for (const [i, w] of pairs) if (i < size) out[i] = w;
  return out;
}

function dot(w: Float32Array, x: FeatureVector): number {
  let sum = 0;
  for (let i = 0; i < x.indices.length; i++) sum += w[x.indices[i]!]!;
  return sum * x.value;
}

/** A model that knows nothing: rules alone decide. Used when no model file is shipped. */
export function emptyModel(bits = 18): ModelFile {
  return { version: 1, bits, complaint: { bias: 0, weights: [] }, topic: { classes: ['other'], biases: [0], weights: [[]] }, trainedIds: [], meta: {} };
}
