/**
 * Scores the detector on labelled JSONL files (`text`, `label`, optional `topic`, `id`, `kind`,
 * and a problem label: `problem` (our id), `problem_label` or `orig_label.topic` (a centre fine
 * topic, mapped through config/problems.json)):
 *
 *   npm run eval -- FILE.jsonl [FILE.jsonl …] [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]
 *
 * --throughput-ms 0 skips the throughput measurement.
 *
 * Rows the shipped model was trained on (their hashed ids are in the model) are always left
 * out, so the figures are held-out ones. --split narrows to one part of the deterministic
 * split (see splitOf); the default is every row not trained on. Prints, for each file and for
 * all together: complaint precision, recall and F1 (for "an appeal" — reply or review — and for
 * "the bot replies"), per-kind shares, topic accuracy and macro-F1, problem accuracy and macro-F1
 * on the rows with a problem label, the worst mistakes, and the throughput on one core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gazetteerOf, loadComplaintDetector, MODEL_FILE, readModelIfAny, readProblemsIfAny } from '../detector-loader.js';
import { formatReports, type Scored, scoreRow } from './evaluation.js';
import { idHash, readLabelled, splitOf } from './labelled-data.js';
import { measureThroughput } from './throughput.js';
import { parseToolArgs, runTool, UsageError, wholeNumber } from './tool-cli.js';

const USAGE = 'usage: npm run eval -- FILE.jsonl [FILE.jsonl …] [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]';
const SPLITS = ['test', 'valid', 'train', 'all'];

function main(argv: string[]): void {
  const { files, values } = parseToolArgs(argv, {
    split: { type: 'string', default: 'all' },
    config: { type: 'string', default: 'config' },
    worst: { type: 'string', default: '8' },
    'throughput-ms': { type: 'string', default: '2000' },
  });
  const { split, config: configDir } = values;
  const worst = wholeNumber('--worst', values.worst);
  const throughputMs = wholeNumber('--throughput-ms', values['throughput-ms']);
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}, got "${split}"`);
  // The gazetteer only feeds place detection, which eval does not score: a config directory with detector.json alone will do.
  const defaultsPath = join(configDir, 'default.json');
  const defaults = existsSync(defaultsPath)
    ? (JSON.parse(readFileSync(defaultsPath, 'utf8')) as {
        municipalities?: { id: string; settlements: (string | { name: string })[]; streets: (string | { name: string })[] }[];
      })
    : {};
  const model = readModelIfAny(join(configDir, MODEL_FILE));
  const problems = readProblemsIfAny(configDir);
  const detector = loadComplaintDetector(configDir, gazetteerOf({ municipalities: defaults.municipalities ?? [] }), problems, model);
  const trained = new Set(model.trainedIds);

  const scored: Scored[] = [];
  for (const file of files) {
    const { rows, skipped } = readLabelled(file);
    if (skipped.length > 0) console.warn(`${file}: skipped ${skipped.length} lines, e.g. ${skipped.slice(0, 3).join('; ')}`);
    const held = rows.filter((r) => !trained.has(idHash(r.id)) && (split === 'all' || splitOf(r) === split));
    console.log(`${file}: ${rows.length} rows; ${rows.length - held.length} left out (trained on or outside --split ${split}); evaluating ${held.length}`);
    for (const row of held) scored.push(scoreRow(detector, row, basename(file), problems));
  }
  if (scored.length === 0) return;
  for (const line of formatReports(scored, { worst })) console.log(line);

  if (throughputMs === 0) return;
  const t = measureThroughput(
    detector,
    scored.map((s) => s.row.text),
    throughputMs,
  );
  console.log(`\n== Throughput: ${t.perSecond} messages/s on one core (${t.messages} messages in ${t.seconds.toFixed(2)} s)`);
}

runTool(USAGE, () => main(process.argv.slice(2)));
