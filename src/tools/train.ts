/**
 * Trains the detector's statistical part and writes config/complaint-model.json.
 *
 *   npm run train -- FILE.jsonl [--out config/complaint-model.json] [--with-valid] [--all]
 *
 * By default it trains on the "train" split of FILE (70 %, chosen by a hash of each row's
 * thread, see splitOf) and prints figures on the "valid" split (10 %), which is what rules
 * and settings are tuned against; the "test" split (20 %) is left for `npm run eval`.
 * --with-valid adds the validation rows to training (for the shipped model, after tuning);
 * --all trains on every row (for a region's own data; eval then has nothing held out).
 * The ids of the rows trained on are stored (hashed) in the model; eval skips them.
 * Deterministic: the same file and flags give the same model.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Featurizer } from '../detect/featurizer.js';
import type { FeatureVector } from '../detect/hashed-features.js';
import type { ModelFile } from '../detect/linear-model.js';
import { idHash, readLabelled, splitOf, type LabelledRow } from './labelled-data.js';

const BITS = 17;
const EPOCHS = 12;
const L2 = 1e-6;
const RATE = 0.5;
/** Weights smaller than this are dropped from the file; keeps it a few MB at most. */
const KEEP = 0.05;

interface Example {
  x: FeatureVector;
  row: LabelledRow;
}

function main(argv: string[]): void {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: npm run train -- FILE.jsonl [--out PATH] [--with-valid] [--all]');
    process.exitCode = 2;
    return;
  }
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] ? argv[outIndex + 1]! : join('config', 'complaint-model.json');
  const all = argv.includes('--all');
  const withValid = argv.includes('--with-valid');
  const { rows, skipped } = readLabelled(file);
  if (skipped.length > 0) console.warn(`skipped ${skipped.length} lines, e.g. ${skipped.slice(0, 3).join('; ')}`);
  const featurizer = new Featurizer(BITS);
  const inTraining = (r: LabelledRow): boolean => all || splitOf(r.id) === 'train' || (withValid && splitOf(r.id) === 'valid');
  const train = rows.filter(inTraining).map((row) => ({ row, x: featurizer.view(row.text).features }));
  const valid = rows.filter((r) => !all && !withValid && splitOf(r.id) === 'valid').map((row) => ({ row, x: featurizer.view(row.text).features }));
  console.log(`rows: ${rows.length}, training on ${train.length}, validating on ${valid.length}`);

  const complaint = trainBinary(train);
  const topicRows = train.filter((e) => e.row.complaint && e.row.topic);
  const classes = [...new Set(topicRows.map((e) => e.row.topic!))].sort();
  const topic = trainSoftmax(topicRows, classes);

  const model: ModelFile = {
    version: 1,
    bits: BITS,
    complaint: { bias: round(complaint.bias), weights: sparse(complaint.w) },
    topic: { classes, biases: topic.biases.map(round), weights: topic.w.map(sparse) },
    trainedIds: train.map((e) => idHash(e.row.id)).sort((a, b) => a - b),
    meta: { trainedAt: new Date().toISOString().slice(0, 10), rows: train.length, source: file.split('/').pop(), split: all ? 'all' : withValid ? 'train+valid' : 'train', epochs: EPOCHS },
  };
  writeFileSync(out, JSON.stringify(model));
  console.log(`wrote ${out}: ${model.complaint.weights.length} complaint weights, ${model.topic.weights.reduce((s, w) => s + w.length, 0)} topic weights over ${classes.join(', ')}`);

  if (valid.length > 0) {
    let tp = 0, fp = 0, fn = 0;
    for (const e of valid) {
      const p = dot(complaint.w, e.x) + complaint.bias > 0;
      if (p && e.row.complaint) tp++;
      else if (p) fp++;
      else if (e.row.complaint) fn++;
    }
    const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
    console.log(`model alone on valid: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} F1 ${((2 * precision * recall) / Math.max(1e-9, precision + recall)).toFixed(3)}`);
  }
}

// === Logistic regression, AdaGrad, deterministic order

function trainBinary(examples: Example[]): { w: Float64Array; bias: number } {
  const w = new Float64Array(1 << BITS);
  const g2 = new Float64Array(1 << BITS).fill(1e-8);
  let bias = 0, b2 = 1e-8;
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, epoch + 1);
    for (const i of order) {
      const e = examples[i]!;
      const p = sigmoid(dot(w, e.x) + bias);
      const g = p - (e.row.complaint ? 1 : 0);
      for (const f of e.x.indices) {
        const grad = g * e.x.value + L2 * w[f]!;
        g2[f]! += grad * grad;
        w[f]! -= (RATE * grad) / Math.sqrt(g2[f]!);
      }
      b2 += g * g;
      bias -= (RATE * g) / Math.sqrt(b2);
    }
  }
  return { w, bias };
}

function trainSoftmax(examples: Example[], classes: string[]): { w: Float64Array[]; biases: number[] } {
  const w = classes.map(() => new Float64Array(1 << BITS));
  const g2 = classes.map(() => new Float64Array(1 << BITS).fill(1e-8));
  const biases = classes.map(() => 0);
  const b2 = classes.map(() => 1e-8);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    shuffle(order, 100 + epoch);
    for (const i of order) {
      const e = examples[i]!;
      const logits = classes.map((_, k) => dotWords(w[k]!, e.x) + biases[k]!);
      const max = Math.max(...logits);
      const exps = logits.map((l) => Math.exp(l - max));
      const sum = exps.reduce((a, b) => a + b, 0);
      classes.forEach((c, k) => {
        const g = exps[k]! / sum - (e.row.topic === c ? 1 : 0);
        const wk = w[k]!, gk = g2[k]!;
        for (let i = 0; i < e.x.words; i++) {
          const f = e.x.indices[i]!;
          const grad = g * e.x.wordValue + L2 * wk[f]!;
          gk[f]! += grad * grad;
          wk[f]! -= (RATE * grad) / Math.sqrt(gk[f]!);
        }
        b2[k]! += g * g;
        biases[k]! -= (RATE * g) / Math.sqrt(b2[k]!);
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

function dotWords(w: Float64Array, x: FeatureVector): number {
  let s = 0;
  for (let i = 0; i < x.words; i++) s += w[x.indices[i]!]!;
  return s * x.wordValue;
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

function sparse(w: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < w.length; i++) if (Math.abs(w[i]!) >= KEEP) out.push([i, round(w[i]!)]);
  return out;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const round = (x: number): number => Math.round(x * 1000) / 1000;

main(process.argv.slice(2));
