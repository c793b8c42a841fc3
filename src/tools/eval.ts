/**
 * Scores the detector on a labelled JSONL file (`text`, `label`, optional `topic`, `id`):
 *
 *   npm run eval -- FILE.jsonl [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]
 *
 * --throughput-ms 0 skips the throughput measurement.
 *
 * Rows the shipped model was trained on (their hashed ids are in the model) are always left
 * out, so the figures are held-out ones. --split narrows to one part of the deterministic
 * split (see splitOf); the default is every row not trained on. Prints complaint precision,
 * recall and F1 (for "an appeal" — reply or review — and for "the bot replies"), a confusion
 * matrix, topic accuracy and macro-F1 on the labelled complaints, the worst mistakes and
 * the throughput on one core.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../detect/complaint-detector.js';
import { TOPIC_IDS } from '../domain/detection.js';
import { gazetteerOf, loadComplaintDetector, MODEL_FILE, readModelIfAny } from '../detector-loader.js';
import { idHash, readLabelled, splitOf, type LabelledRow } from './labelled-data.js';
import { binaryScore, f3, formatBinaryScore, formatConfusion, formatTopicScores, pad, topicScores } from './scores.js';
import { measureThroughput } from './throughput.js';
import { parseToolArgs, runTool, UsageError } from './tool-cli.js';

interface Scored {
  row: LabelledRow;
  analysis: Analysis;
}

const USAGE = 'usage: npm run eval -- FILE.jsonl [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]';
const SPLITS = ['test', 'valid', 'train', 'all'];

function main(argv: string[]): void {
  const { file, values } = parseToolArgs(argv, {
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
  const defaults = existsSync(defaultsPath) ? (JSON.parse(readFileSync(defaultsPath, 'utf8')) as { municipalities?: { id: string; settlements: (string | { name: string })[]; streets: (string | { name: string })[] }[] }) : {};
  const model = readModelIfAny(join(configDir, MODEL_FILE));
  const detector = loadComplaintDetector(configDir, gazetteerOf({ municipalities: defaults.municipalities ?? [] }), model);
  const trained = new Set(model.trainedIds);

  const { rows, skipped } = readLabelled(file);
  if (skipped.length > 0) console.warn(`skipped ${skipped.length} lines, e.g. ${skipped.slice(0, 3).join('; ')}`);
  const held = rows.filter((r) => !trained.has(idHash(r.id)) && (split === 'all' || splitOf(r.id) === split));
  console.log(`${file}: ${rows.length} rows; ${rows.length - held.length} left out (trained on or outside --split ${split}); evaluating ${held.length}`);
  if (held.length === 0) return;
  const scored: Scored[] = held.map((row) => ({ row, analysis: detector.analyse(row.text, undefined, { alwaysTopic: true }) }));

  // === Complaints
  const prf = (positive: (s: Scored) => boolean): string => formatBinaryScore(binaryScore(scored.map((s) => ({ gold: s.row.complaint, predicted: positive(s) }))));
  console.log('\n== Complaints');
  console.log(`appeal (reply or review): ${prf((s) => s.analysis.detection.isAppeal)}`);
  console.log(`bot replies (reply):      ${prf((s) => s.analysis.detection.verdict === 'reply')}`);
  console.log('\nconfusion (rows: gold; columns: verdict)');
  console.log(`${pad('', 14)}${pad('reply', 8)}${pad('review', 8)}${pad('ignore', 8)}`);
  for (const gold of [true, false]) {
    const of = scored.filter((s) => s.row.complaint === gold);
    console.log(`${pad(gold ? 'complaint' : 'not_complaint', 14)}${(['reply', 'review', 'ignore'] as const).map((v) => pad(String(of.filter((s) => s.analysis.detection.verdict === v).length), 8)).join('')}`);
  }
  const kinds = [...new Set(scored.map((s) => s.row.kind))];
  if (kinds.length > 1) {
    console.log('\nby kind: share judged correctly (appeal vs not)');
    for (const k of kinds) {
      const of = scored.filter((s) => s.row.kind === k);
      console.log(`  ${pad(k, 22)}${pad(String(of.length), 6)}${f3(of.filter((s) => s.analysis.detection.isAppeal === s.row.complaint).length / of.length)}`);
    }
  }

  // === Topics
  const topical = scored.filter((s) => s.row.complaint && s.row.topic);
  if (topical.length > 0) {
    const topics = topicScores(topical.map((s) => ({ gold: s.row.topic!, predicted: s.analysis.topicIfAppeal })));
    console.log(`\n== Topics on ${topical.length} labelled complaints: ${formatTopicScores(topics).join('\n')}`);
    console.log(`confusion (rows: gold; columns: predicted)\n${formatConfusion(topics, TOPIC_IDS).join('\n')}`);
  }

  // === Worst mistakes
  const falsePositives = scored.filter((s) => !s.row.complaint && s.analysis.detection.isAppeal).sort((a, b) => b.analysis.detection.score - a.analysis.detection.score);
  const falseNegatives = scored.filter((s) => s.row.complaint && !s.analysis.detection.isAppeal).sort((a, b) => a.analysis.detection.score - b.analysis.detection.score);
  const show = (s: Scored): string => `  ${s.analysis.detection.score.toFixed(2)} [${s.row.kind}] ${s.row.text.replace(/\s+/g, ' ').slice(0, 110)}\n       ${s.analysis.detection.reasons.slice(0, 4).join('; ')}`;
  console.log(`\n== Worst false appeals (${falsePositives.length})`);
  falsePositives.slice(0, worst).forEach((s) => console.log(show(s)));
  console.log(`\n== Worst missed complaints (${falseNegatives.length})`);
  falseNegatives.slice(0, worst).forEach((s) => console.log(show(s)));

  // === Throughput
  if (throughputMs === 0) return;
  const t = measureThroughput(detector, scored.map((s) => s.row.text), throughputMs);
  console.log(`\n== Throughput: ${t.perSecond} messages/s on one core (${t.messages} messages in ${t.seconds.toFixed(2)} s)`);
}

function wholeNumber(option: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new UsageError(`${option} takes a whole number ≥ 0, got "${value}"`);
  return n;
}

runTool(USAGE, () => main(process.argv.slice(2)));
