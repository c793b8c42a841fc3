/**
 * Trains the detector's statistical part and writes config/complaint-model.json.
 *
 *   npm run train -- FILE.jsonl [FILE.jsonl …] [--feedback DB] [--out config/complaint-model.json] [--with-valid] [--all]
 *   npm run train -- FILE.jsonl [FILE.jsonl …] [--feedback DB] --cv K [--all] [--config DIR] [--worst N]
 *
 * By default it trains on the "train" split of the files (70 %, chosen by a hash of each row's
 * thread, see splitOf) and prints the whole detector's figures on the "valid" split (10 %), which
 * is what rules and settings are tuned against; the "test" split (20 %) is left for `npm run eval`.
 * --with-valid adds the validation rows to training (for the shipped model, after tuning);
 * --all trains on every row (for a region's own data; eval then has nothing held out).
 * --cv K writes nothing: it cross-validates the detector (the rules in --config, default
 * config/, with a model trained on the other folds) over the train and valid splits (every row
 * with --all) and prints the figures eval prints; the test split stays untouched.
 * --feedback DB adds the moderators' corrections recorded in a bot's database (a topic or problem
 * changed, a registered message rejected as not an appeal, a missed one registered) as labelled
 * rows, always trained on: the region's own words teach the model what the shipped files cannot.
 * Problems come from config/problems.json of --config (rows labelled with a centre fine topic or
 * a problem id). The ids of the rows trained on are stored (hashed) in the model; eval skips them.
 * Deterministic: the same files and flags give the same model.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ComplaintDetector } from '../detect/complaint-detector.js';
import { readDetectorConfig, readProblemsIfAny } from '../detector-loader.js';
import { openDb } from '../store/db.js';
import { readFeedbackRows } from '../store/label-store.js';
import { MIGRATIONS_DIR, planMigrations, readMigrations } from '../store/migrator.js';
import { crossValidate, type FileRow } from './cross-validate.js';
import { formatReports, goldProblemOf, scoreRow } from './evaluation.js';
import { readLabelled, splitOf, threadOf } from './labelled-data.js';
import { parseToolArgs, runTool, UsageError, wholeNumber } from './tool-cli.js';
import { trainModel } from './train-model.js';

const USAGE =
  'usage: npm run train -- FILE.jsonl [FILE.jsonl …] [--feedback DB] [--out PATH] [--with-valid] [--all] [--config DIR]\n' +
  '       npm run train -- FILE.jsonl [FILE.jsonl …] [--feedback DB] --cv K [--all] [--config DIR] [--worst N]';

/** The moderators' labels of a bot database as labelled rows; refuses a missing file or one not migrated to the labels' table. */
function feedbackRows(path: string): FileRow[] {
  if (!existsSync(path)) throw new UsageError(`no such database: ${path}`);
  const db = openDb(path);
  try {
    const pending = planMigrations(db, readMigrations(MIGRATIONS_DIR)).pending;
    if (pending.length > 0)
      throw new UsageError(
        `the database ${path} lacks ${pending.length} migration(s) (${pending[0]!.name} first): run \`npm run migrate -- --commit\` with that database first`,
      );
    return readFeedbackRows(db).map((r) => ({
      file: 'feedback',
      row: { id: r.id, text: r.text, complaint: r.label === 'complaint', topic: r.topic, kind: 'feedback', centreTopic: null, problem: r.problem },
    }));
  } finally {
    db.close();
  }
}

function main(argv: string[]): void {
  const { files, values } = parseToolArgs(
    argv,
    {
      out: { type: 'string' },
      'with-valid': { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      cv: { type: 'string' },
      config: { type: 'string', default: 'config' },
      worst: { type: 'string', default: '0' },
      feedback: { type: 'string' },
    },
    0,
  );
  if (files.length === 0 && values.feedback === undefined) throw new UsageError('a labelled JSONL file is needed');
  const { all, 'with-valid': withValid, config: configDir } = values;
  if (values.cv !== undefined && (values.out !== undefined || withValid)) throw new UsageError('--cv writes no model: --out and --with-valid do not apply');
  if (all && withValid) throw new UsageError('--all already trains on every row: drop --with-valid');
  const worst = wholeNumber('--worst', values.worst);
  const rows: FileRow[] = files.flatMap((file) => {
    const { rows: read, skipped } = readLabelled(file);
    if (skipped.length > 0) console.warn(`${file}: skipped ${skipped.length} lines, e.g. ${skipped.slice(0, 3).join('; ')}`);
    return read.map((row) => ({ row, file }));
  });
  const feedback = values.feedback === undefined ? [] : feedbackRows(values.feedback);
  if (values.feedback !== undefined) console.log(`${values.feedback}: ${feedback.length} rows labelled by moderators`);
  if (values.cv !== undefined) {
    const pool = [...rows.filter((r) => all || splitOf(r.row) !== 'test'), ...feedback];
    const threads = new Set(pool.map((r) => threadOf(r.row))).size;
    const folds = Number(values.cv);
    if (!Number.isInteger(folds) || folds < 2 || folds > threads) {
      throw new UsageError(`--cv needs a whole number of folds from 2 to the number of threads (${threads}), got "${values.cv}"`);
    }
    const config = readDetectorConfig(configDir);
    const problems = readProblemsIfAny(configDir);
    console.log(
      `cross-validating the detector (${configDir}/) over ${pool.length} rows (${all ? 'every row' : 'train and valid splits; test left out'}), ${folds} folds by thread`,
    );
    for (const line of formatReports(crossValidate(pool, { config, problems, folds }), { worst })) console.log(line);
    return;
  }

  const config = readDetectorConfig(configDir);
  const problems = readProblemsIfAny(configDir);
  const out = values.out ?? join('config', 'complaint-model.json');
  const inTraining = (r: FileRow): boolean => all || splitOf(r.row) === 'train' || (withValid && splitOf(r.row) === 'valid');
  const train = [...rows.filter(inTraining), ...feedback].map((r) => r.row);
  const valid = rows.filter((r) => !all && !withValid && splitOf(r.row) === 'valid');
  console.log(`rows: ${rows.length}, training on ${train.length}, validating on ${valid.length}`);
  const problemOf = (row: (typeof train)[number]) => goldProblemOf(row, problems);
  const model = trainModel(
    train,
    problemOf,
    {},
    {
      trainedAt: new Date().toISOString().slice(0, 10),
      sources: [...files.map((f) => basename(f)), ...(feedback.length > 0 ? [`feedback (${feedback.length})`] : [])],
      split: all ? 'all' : withValid ? 'train+valid' : 'train',
    },
  );
  const text = JSON.stringify(model);
  writeFileSync(out, text);
  console.log(
    `wrote ${out} (${(text.length / 1e6).toFixed(1)} MB): topics ${model.topic.classes.join(', ')}; ` +
      `${model.problem ? `${model.problem.classes.length} problems` : 'no problem labels, so no problem head'}`,
  );

  if (valid.length > 0) {
    const detector = new ComplaintDetector({ config, model, gazetteer: [], problems });
    const scored = valid.map(({ row, file }) => scoreRow(detector, row, basename(file), problems));
    for (const line of formatReports(scored, { worst })) console.log(line);
  }
}

runTool(USAGE, () => main(process.argv.slice(2)));
