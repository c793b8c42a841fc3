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
import { LinearModel } from '../detect/linear-model.js';
import { readLabelled, splitOf, type LabelledRow } from './labelled-data.js';
import { trainModel } from './train-model.js';

function main(argv: string[]): void {
  const file = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--out');
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
  const inTraining = (r: LabelledRow): boolean => all || splitOf(r.id) === 'train' || (withValid && splitOf(r.id) === 'valid');
  const train = rows.filter(inTraining);
  const valid = rows.filter((r) => !all && !withValid && splitOf(r.id) === 'valid');
  console.log(`rows: ${rows.length}, training on ${train.length}, validating on ${valid.length}`);
  const model = trainModel(train, {}, { trainedAt: new Date().toISOString().slice(0, 10), source: file.split('/').pop(), split: all ? 'all' : withValid ? 'train+valid' : 'train' });
  writeFileSync(out, JSON.stringify(model));
  console.log(`wrote ${out}: ${model.complaint.weights.length} complaint weights, ${model.topic.weights.reduce((s, w) => s + w.length, 0)} topic weights over ${model.topic.classes.join(', ')}`);

  if (valid.length > 0) {
    const scorer = new LinearModel(model);
    const featurizer = new Featurizer(model.bits);
    let tp = 0, fp = 0, fn = 0;
    for (const row of valid) {
      const p = scorer.complaintLogit(featurizer.view(row.text).features) > 0;
      if (p && row.complaint) tp++;
      else if (p) fp++;
      else if (row.complaint) fn++;
    }
    const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
    console.log(`model alone on valid: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} F1 ${((2 * precision * recall) / Math.max(1e-9, precision + recall)).toFixed(3)} (the rules are not applied here: npm run eval -- FILE --split valid)`);
  }
}

main(process.argv.slice(2));
