/**
 * Trains the detector's statistical part and writes config/complaint-model.json.
 *
 *   npm run train -- FILE.jsonl [--out config/complaint-model.json] [--with-valid] [--all]
 *   npm run train -- FILE.jsonl --cv K [--config DIR]
 *
 * By default it trains on the "train" split of FILE (70 %, chosen by a hash of each row's
 * thread, see splitOf) and prints figures on the "valid" split (10 %), which is what rules
 * and settings are tuned against; the "test" split (20 %) is left for `npm run eval`.
 * --with-valid adds the validation rows to training (for the shipped model, after tuning);
 * --all trains on every row (for a region's own data; eval then has nothing held out).
 * --cv K writes nothing: it cross-validates the detector (the rules in --config, default
 * config/, with a model trained on the other folds) over the train and valid splits (every row
 * with --all) and prints the figures eval prints; the test split stays untouched.
 * The ids of the rows trained on are stored (hashed) in the model; eval skips them.
 * Deterministic: the same file and flags give the same model.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Featurizer } from '../detect/featurizer.js';
import { LinearModel } from '../detect/linear-model.js';
import { TOPIC_IDS } from '../domain/detection.js';
import { readDetectorConfig } from '../detector-loader.js';
import { crossValidate } from './cross-validate.js';
import { readLabelled, splitOf, threadOf, type LabelledRow } from './labelled-data.js';
import { binaryScore, formatBinaryScore, formatConfusion, formatTopicScores } from './scores.js';
import { parseToolArgs, runTool, UsageError } from './tool-cli.js';
import { trainModel } from './train-model.js';

const USAGE = 'usage: npm run train -- FILE.jsonl [--out PATH] [--with-valid] [--all] | FILE.jsonl --cv K [--all] [--config DIR]';

function main(argv: string[]): void {
  const { file, values } = parseToolArgs(argv, {
    out: { type: 'string' },
    'with-valid': { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    cv: { type: 'string' },
    config: { type: 'string' },
  });
  const { all, 'with-valid': withValid } = values;
  if (values.cv === undefined && values.config !== undefined) throw new UsageError('--config is read by --cv only (training does not use the rules)');
  if (values.cv !== undefined && (values.out !== undefined || withValid)) throw new UsageError('--cv writes no model: --out and --with-valid do not apply');
  if (all && withValid) throw new UsageError('--all already trains on every row: drop --with-valid');
  const { rows, skipped } = readLabelled(file);
  if (skipped.length > 0) console.warn(`skipped ${skipped.length} lines, e.g. ${skipped.slice(0, 3).join('; ')}`);

  if (values.cv !== undefined) {
    const pool = rows.filter((r) => all || splitOf(r.id) !== 'test');
    const threads = new Set(pool.map((r) => threadOf(r.id))).size;
    const folds = Number(values.cv);
    if (!Number.isInteger(folds) || folds < 2 || folds > threads) {
      throw new UsageError(`--cv needs a whole number of folds from 2 to the number of threads (${threads}), got "${values.cv}"`);
    }
    crossValidateAndPrint(pool, folds, values.config ?? 'config', all);
    return;
  }

  const out = values.out ?? join('config', 'complaint-model.json');
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
    const score = binaryScore(valid.map((row) => ({ gold: row.complaint, predicted: scorer.complaintLogit(featurizer.view(row.text).features) > 0 })));
    console.log(`model alone on valid: ${formatBinaryScore(score)} (the rules are not applied here: npm run eval -- FILE --split valid)`);
  }
}

function crossValidateAndPrint(rows: LabelledRow[], folds: number, configDir: string, all: boolean): void {
  console.log(`cross-validating the detector (${configDir}/) over ${rows.length} rows (${all ? 'every row' : 'train and valid splits; test left out'}), ${folds} folds by thread`);
  const result = crossValidate(rows, { config: readDetectorConfig(configDir), folds });
  console.log(`\nappeal (reply or review): ${formatBinaryScore(result.appeal)}`);
  console.log(`\n== Topics on ${result.topics.examples} labelled complaints: ${formatTopicScores(result.topics).join('\n')}`);
  console.log(`confusion (rows: gold; columns: predicted)\n${formatConfusion(result.topics, TOPIC_IDS).join('\n')}`);
}

runTool(USAGE, () => main(process.argv.slice(2)));
