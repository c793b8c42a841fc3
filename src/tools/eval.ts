/**
 * Scores the detector on a labelled JSONL file (`text`, `label`, optional `topic`, `id`):
 *
 *   npm run eval -- FILE.jsonl [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]
 *
 * Rows the shipped model was trained on (their hashed ids are in the model) are always left
 * out, so the figures are held-out ones. --split narrows to one part of the deterministic
 * split (see splitOf); the default is every row not trained on. Prints complaint precision,
 * recall and F1 (for "an appeal" — reply or review — and for "the bot replies"), a confusion
 * matrix, topic accuracy and macro-F1 on the labelled complaints, the worst mistakes and
 * the throughput on one core.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analysis } from '../detect/complaint-detector.js';
import { TOPIC_IDS } from '../domain/detection.js';
import { gazetteerOf, loadComplaintDetector, MODEL_FILE, readModelIfAny } from '../detector-loader.js';
import { idHash, readLabelled, splitOf, type LabelledRow } from './labelled-data.js';
import { measureThroughput } from './throughput.js';

interface Scored {
  row: LabelledRow;
  analysis: Analysis;
}

function main(argv: string[]): void {
  const file = argv.find((a, i) => !a.startsWith('--') && !['--split', '--config', '--worst', '--throughput-ms'].includes(argv[i - 1] ?? ''));
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  if (!file) {
    console.error('usage: npm run eval -- FILE.jsonl [--split test|valid|train|all] [--config DIR] [--worst N] [--throughput-ms MS]');
    process.exitCode = 2;
    return;
  }
  const configDir = option('--config') ?? 'config';
  const split = option('--split') ?? 'all';
  const worst = Number(option('--worst') ?? 8);
  const throughputMs = Number(option('--throughput-ms') ?? 2000);
  const defaults = JSON.parse(readFileSync(join(configDir, 'default.json'), 'utf8')) as { municipalities?: { id: string; settlements: string[]; streets: string[] }[] };
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
  const prf = (positive: (s: Scored) => boolean): string => {
    let tp = 0, fp = 0, fn = 0;
    for (const s of scored) {
      const p = positive(s);
      if (p && s.row.complaint) tp++;
      else if (p) fp++;
      else if (s.row.complaint) fn++;
    }
    const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
    return `precision ${f3(precision)}  recall ${f3(recall)}  F1 ${f3(f1(precision, recall))}  (tp ${tp}, fp ${fp}, fn ${fn})`;
  };
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
    const gold = [...new Set(topical.map((s) => s.row.topic!))].sort();
    const perTopic = gold.map((t) => {
      const tp = topical.filter((s) => s.row.topic === t && s.analysis.topicIfAppeal === t).length;
      const fp = topical.filter((s) => s.row.topic !== t && s.analysis.topicIfAppeal === t).length;
      const fn = topical.filter((s) => s.row.topic === t && s.analysis.topicIfAppeal !== t).length;
      const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
      return { t, n: tp + fn, precision, recall, f: f1(precision, recall) };
    });
    const accuracy = topical.filter((s) => s.analysis.topicIfAppeal === s.row.topic).length / topical.length;
    console.log(`\n== Topics on ${topical.length} labelled complaints: accuracy ${f3(accuracy)}  macro-F1 ${f3(perTopic.reduce((s, p) => s + p.f, 0) / perTopic.length)} (over the ${gold.length} topics present)`);
    const frequent = perTopic.filter((p) => p.n >= 10);
    if (frequent.length < perTopic.length) console.log(`macro-F1 over the ${frequent.length} topics with at least 10 examples: ${f3(frequent.reduce((s, p) => s + p.f, 0) / Math.max(1, frequent.length))}`);
    for (const p of perTopic) console.log(`  ${pad(p.t, 16)}n ${pad(String(p.n), 6)}P ${f3(p.precision)}  R ${f3(p.recall)}  F1 ${f3(p.f)}`);
    const predicted = TOPIC_IDS.filter((t) => topical.some((s) => s.analysis.topicIfAppeal === t));
    console.log(`confusion (rows: gold; columns: predicted)\n${pad('', 16)}${predicted.map((t) => pad(t.slice(0, 7), 8)).join('')}`);
    for (const g of gold) console.log(`${pad(g, 16)}${predicted.map((t) => pad(String(topical.filter((s) => s.row.topic === g && s.analysis.topicIfAppeal === t).length), 8)).join('')}`);
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
  const t = measureThroughput(detector, scored.map((s) => s.row.text), throughputMs);
  console.log(`\n== Throughput: ${t.perSecond} messages/s on one core (${t.messages} messages in ${t.seconds.toFixed(2)} s)`);
}

const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const f3 = (x: number): string => x.toFixed(3);
const pad = (s: string, n: number): string => s.padEnd(n);

main(process.argv.slice(2));
