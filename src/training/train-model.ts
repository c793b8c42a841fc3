import { Featurizer } from '../detect/featurizer.js';
import type { FeatureVector } from '../detect/hashed-features.js';
import type { ModelFile } from '../detect/linear-model.js';
import { idHash, type LabelledRow } from './labelled-data.js';

/** Training settings; the defaults are what the shipped model was trained with. */
export interface TrainOptions {
  /** Hashed feature space 2^bits; default 17. */
  bits: number;
  /** Passes over the data; default 12. */
  epochs: number;
  /** L2 penalty per update; default 3e-5. */
  l2: number;
  /** AdaGrad base rate; default 0.5. */
  rate: number;
  /** Weights smaller than this are dropped from the file (keeps it a few MB); default 0.05. */
  keep: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { bits: 17, epochs: 12, l2: 3e-5, rate: 0.5, keep: 0.05 };

interface Example {
  x: FeatureVector;
  row: LabelledRow;
}

/**
 * Trains the complaint model (logistic regression) and the topic model (softmax regression,
 * over the topics the labelled complaints have) with
 * AdaGrad, in a fixed order: the same rows give the same model.
 */
export function trainModel(rows: readonly LabelledRow[], options: Partial<TrainOptions> = {}, meta: Record<string, unknown> = {}): ModelFile {
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const featurizer = new Featurizer(o.bits);
  const examples = rows.map((row) => ({ row, x: featurizer.view(row.text).features }));
  const complaint = trainBinary(examples, o);
  const topicRows = examples.filter((e) => e.row.complaint && e.row.topic);
  const classes = [...new Set(topicRows.map((e) => e.row.topic!))].sort();
  const topic = classes.length > 0 ? trainSoftmax(topicRows, classes, o) : { w: [new Float64Array(1 << o.bits)], biases: [0] };
  return {
    version: 1,
    bits: o.bits,
    complaint: { bias: round(complaint.bias), weights: sparse(complaint.w, o.keep) },
    topic: {
      classes: classes.length > 0 ? classes : ['other'],
      biases: topic.biases.map(round),
      weights: topic.w.map((w) => sparse(w, o.keep)),
      counts: classes.length > 0 ? classes.map((c) => topicRows.filter((e) => e.row.topic === c).length) : [0],
    },
    trainedIds: [...new Set(rows.map((r) => idHash(r.id)))].sort((a, b) => a - b),
    meta: { ...meta, rows: rows.length, epochs: o.epochs },
  };
}

// === Logistic regression, AdaGrad, deterministic order

function trainBinary(examples: Example[], o: TrainOptions): { w: Float64Array; bias: number } {
  const w = new Float64Array(1 << o.bits);
  const g2 = new Float64Array(1 << o.bits).fill(1e-8);
  let bias = 0, b2 = 1e-8;
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, epoch + 1);
    for (const i of order) {
      const e = examples[i]!;
      const p = sigmoid(dot(w, e.x) + bias);
      const g = p - (e.row.complaint ? 1 : 0);
      for (const f of e.x.indices) {
        const grad = g * e.x.value + o.l2 * w[f]!;
        g2[f]! += grad * grad;
        w[f]! -= (o.rate * grad) / Math.sqrt(g2[f]!);
      }
      b2 += g * g;
      bias -= (o.rate * g) / Math.sqrt(b2);
    }
  }
  return { w, bias };
}

function trainSoftmax(examples: Example[], classes: string[], o: TrainOptions): { w: Float64Array[]; biases: number[] } {
  const w = classes.map(() => new Float64Array(1 << o.bits));
  const g2 = classes.map(() => new Float64Array(1 << o.bits).fill(1e-8));
  const biases = classes.map(() => 0);
  const b2 = classes.map(() => 1e-8);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, 100 + epoch);
    for (const i of order) {
      const e = examples[i]!;
      const logits = classes.map((_, k) => dot(w[k]!, e.x) + biases[k]!);
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      classes.forEach((c, k) => {
        const g = exps[k]! / sum - (e.row.topic === c ? 1 : 0);
        const wk = w[k]!, gk = g2[k]!;
        for (let i = 0; i < e.x.indices.length; i++) {
          const f = e.x.indices[i]!;
          const grad = g * e.x.value + o.l2 * wk[f]!;
          gk[f]! += grad * grad;
          wk[f]! -= (o.rate * grad) / Math.sqrt(gk[f]!);
        }
        b2[k]! += g * g;
        biases[k]! -= (o.rate * g) / Math.sqrt(b2[k]!);
      });
    }
  }
  return { w, biases };
}

function dot(w: Float64Array, x: FeatureVector): number {
  let s = 0;
  for (const f of x.indices) s += w[f]!;
  return s * x.value;
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

function sparse(w: Float64Array, keep: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < w.length; i++) if (Math.abs(w[i]!) >= keep) out.push([i, round(w[i]!)]);
  return out;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round = (x: number): number => Math.round(x * 1000) / 1000;
