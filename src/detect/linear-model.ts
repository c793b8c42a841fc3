import { z } from 'zod';
import type { FeatureSpec, FeatureVector } from './hashed-features.js';

/**
 * The shipped statistical part of the detector (config/complaint-model.json): three linear heads
 * over one hashed feature vector — "is an appeal" (logistic), the topic and the problem (softmax).
 * Each head may use a smaller hashed space than the features (indices folded by a mask), which
 * keeps the many-class problem head small in memory.
 *
 * Weights are stored sparse and quantised: a base64 block of feature rows, each a varint gap to
 * the previous row's feature index followed by one int8 or int16 per class (weight = value ×
 * scale). The file stays a few MB and loads in tens of milliseconds; JSON pairs took ~15 bytes a
 * weight. Int8 moves a logit by well under 0.01 on a text of a hundred features (the rounding
 * errors of its weights mostly cancel), so the many-class heads use it.
 */

const HeadSchema = z.object({
  classes: z.array(z.string().min(1)).min(1),
  /** Training examples per class, same order as `classes`. */
  counts: z.array(z.number().int().nonnegative()),
  biases: z.array(z.number()),
  /** The head's space is 2^bits (≤ the features' bits); a feature index is folded by its mask. */
  bits: z.number().int().min(8).max(24),
  /** weight = stored integer × scale. */
  scale: z.number().positive(),
  /** Bits of each stored weight: 8 or 16. */
  precision: z.union([z.literal(8), z.literal(16)]).default(16),
  /** Base64 of the sparse rows (see the file comment). */
  rows: z.string(),
});
/** One linear head as stored. */
export type HeadFile = z.infer<typeof HeadSchema>;

export const ModelFileSchema = z
  .object({
    version: z.literal(2),
    features: z.object({ bits: z.number().int().min(8).max(24), charGrams: z.array(z.number().int().min(2).max(6)).min(1) }),
    /** One class, «appeal»: its logit is the log-odds that a text is an appeal. */
    complaint: HeadSchema,
    topic: HeadSchema,
    /** Absent when no training row carried a centre fine topic. */
    problem: HeadSchema.nullable(),
    /** 32-bit hashes of the ids of the rows the model was trained on; eval skips those rows. */
    trainedIds: z.array(z.number().int().nonnegative()).default([]),
    meta: z.record(z.string(), z.unknown()).default({}),
  })
  .refine(
    (m) =>
      [m.complaint, m.topic, ...(m.problem ? [m.problem] : [])].every(
        (h) => h.bits <= m.features.bits && h.biases.length === h.classes.length && h.counts.length === h.classes.length,
      ),
    {
      message: 'every head needs bits ≤ features.bits and one bias and one count per class',
    },
  );
/** config/complaint-model.json after validation. */
export type ModelFile = z.infer<typeof ModelFileSchema>;

/**
 * A head ready to score: the stored integers kept as they are (int8 or int16, interleaved: the K
 * class weights of a feature sit together) and scaled once per sum. Kept as integers, the
 * 55-class problem head is 3.6 MB instead of 14 MB of floats, and scoring, which is bound by
 * memory reads, runs faster too.
 */
export class LinearHead {
  readonly classes: readonly string[];
  readonly counts: readonly number[];
  private readonly biases: Float64Array;
  private readonly weights: Int8Array | Int16Array;
  private readonly scale: number;
  private readonly mask: number;

  /** @throws Error when the rows block is truncated or names a feature outside the head's space. */
  constructor(file: HeadFile) {
    const k = file.classes.length;
    this.classes = [...file.classes];
    this.counts = [...file.counts];
    this.biases = Float64Array.from(file.biases);
    this.scale = file.scale;
    this.mask = (1 << file.bits) - 1;
    const size = (1 << file.bits) * k;
    this.weights = file.precision === 8 ? new Int8Array(size) : new Int16Array(size);
    decodeRows(file.rows, k, file.precision, (feature, values) => {
      if (feature > this.mask) throw new Error(`a weight row names feature ${feature}, outside 2^${file.bits}`);
      this.weights.set(values, feature * k);
    });
  }

  /** Per-class logits, in `classes` order. */
  logits(x: FeatureVector): Float64Array {
    const k = this.classes.length;
    const sums = new Float64Array(k);
    for (let i = 0; i < x.indices.length; i++) {
      const base = (x.indices[i]! & this.mask) * k;
      for (let c = 0; c < k; c++) sums[c]! += this.weights[base + c]!;
    }
    const factor = this.scale * x.value;
    for (let c = 0; c < k; c++) sums[c] = this.biases[c]! + sums[c]! * factor;
    return sums;
  }

  /** The logits of some classes only (indices into `classes`), in the order given: a topic's few problems out of many. */
  logitsOf(x: FeatureVector, classIndices: readonly number[]): Float64Array {
    const k = this.classes.length;
    const n = classIndices.length;
    const sums = new Float64Array(n);
    for (let i = 0; i < x.indices.length; i++) {
      const base = (x.indices[i]! & this.mask) * k;
      for (let j = 0; j < n; j++) sums[j]! += this.weights[base + classIndices[j]!]!;
    }
    const factor = this.scale * x.value;
    for (let j = 0; j < n; j++) sums[j] = this.biases[classIndices[j]!]! + sums[j]! * factor;
    return sums;
  }
}

/** A model ready to score. The parsed file is not kept: its strings and ids are dead weight for the bot's lifetime. */
export class LinearModel {
  readonly features: FeatureSpec;
  readonly complaint: LinearHead;
  readonly topic: LinearHead;
  readonly problem: LinearHead | null;

  constructor(file: ModelFile) {
    this.features = { bits: file.features.bits, charGrams: [...file.features.charGrams] };
    this.complaint = new LinearHead(file.complaint);
    this.topic = new LinearHead(file.topic);
    this.problem = file.problem ? new LinearHead(file.problem) : null;
  }

  /** Log-odds that the text is an appeal. */
  complaintLogit(x: FeatureVector): number {
    return this.complaint.logits(x)[0]!;
  }
}

/** Softmax of logits as probabilities. */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const out = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i]! - max);
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

// === Encoding of the weight rows

/**
 * Packs the rows of a head's dense weights (interleaved, K per feature) whose largest weight is at
 * least `keep` in magnitude. Returns the base64 block and the scale it was quantised with.
 */
export function encodeRows(weights: Float64Array, k: number, keep: number, precision: 8 | 16 = 16): { rows: string; scale: number } {
  let max = 0;
  for (let i = 0; i < weights.length; i++) max = Math.max(max, Math.abs(weights[i]!));
  const top = precision === 8 ? 127 : 32767;
  const scale = max > 0 ? max / top : 1;
  const bytes: number[] = [];
  let previous = -1;
  for (let f = 0; f * k < weights.length; f++) {
    let big = false;
    for (let c = 0; c < k && !big; c++) big = Math.abs(weights[f * k + c]!) >= keep;
    if (!big) continue;
    writeVarint(bytes, f - previous - 1);
    previous = f;
    for (let c = 0; c < k; c++) {
      const q = Math.max(-top, Math.min(top, Math.round(weights[f * k + c]! / scale)));
      if (precision === 8) bytes.push(q & 0xff);
      else bytes.push(q & 0xff, (q >> 8) & 0xff);
    }
  }
  return { rows: bytesToBase64(Uint8Array.from(bytes)), scale };
}

function decodeRows(base64: string, k: number, precision: 8 | 16, onRow: (feature: number, values: Int16Array) => void): void {
  const width = precision / 8;
  const bytes = base64ToBytes(base64);
  const values = new Int16Array(k);
  let at = 0;
  let feature = -1;
  while (at < bytes.length) {
    let gap = 0;
    let shift = 0;
    for (;;) {
      if (at >= bytes.length) throw new Error('the weight rows end inside a feature gap');
      const b = bytes[at++]!;
      gap += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
      if (shift > 28) throw new Error('a feature gap in the weight rows is too long');
    }
    feature += gap + 1;
    if (at + width * k > bytes.length) throw new Error('the weight rows end inside a row');
    if (width === 1) for (let c = 0; c < k; c++, at++) values[c] = (bytes[at]! << 24) >> 24;
    else for (let c = 0; c < k; c++, at += 2) values[c] = ((bytes[at]! | (bytes[at + 1]! << 8)) << 16) >> 16;
    onRow(feature, values);
  }
}

function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

// Base64 without node:buffer, so the detector stays free of Node modules (it runs in any JS engine).
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out +=
      ALPHABET[(n >> 18) & 63]! +
      ALPHABET[(n >> 12) & 63]! +
      (i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=') +
      (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
  }
  return out;
}

function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new Error('the weight rows are not base64');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    const code = clean.charCodeAt(i);
    const digit = code < 128 ? LOOKUP[code]! : -1;
    if (digit < 0) throw new Error('the weight rows are not base64');
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

/** A model that knows nothing: rules and topic words decide alone. Used when no model file is shipped. */
export function emptyModel(): ModelFile {
  const head = (classes: string[]): HeadFile => ({
    classes,
    counts: classes.map(() => 0),
    biases: classes.map(() => 0),
    bits: 8,
    scale: 1,
    precision: 16,
    rows: '',
  });
  return { version: 2, features: { bits: 16, charGrams: [3] }, complaint: head(['appeal']), topic: head(['other']), problem: null, trainedIds: [], meta: {} };
}
