import type { Analysis, ComplaintDetector } from '../detect/complaint-detector.js';
import { withQuestion } from '../detect/question-detector.js';
import { TOPIC_IDS } from '../domain/detection.js';
import type { ProblemCatalog } from '../domain/problem.js';
import type { LabelledRow } from './labelled-data.js';
import { binaryScore, f3, formatBinaryScore, formatConfusion, formatTopicScores, pad, topicScores } from './scores.js';

/** One labelled row with what the detector made of it. */
export interface Scored {
  row: LabelledRow;
  /** The labelled file the row came from (its base name), for per-file figures. */
  file: string;
  analysis: Analysis;
  /** The row's problem in config/problems.json terms, or null when its label maps to none. */
  goldProblem: string | null;
}

/**
 * The row's problem: a problem id given directly (moderators' labels) when the catalog has it,
 * else the problem covering the row's centre fine topic, else null.
 */
export function goldProblemOf(row: LabelledRow, catalog: ProblemCatalog): string | null {
  if (row.problem !== null && catalog.has(row.problem)) return row.problem;
  return row.centreTopic === null ? null : (catalog.byCentreTopic(row.centreTopic)?.id ?? null);
}

/**
 * Scores one row as the bot would: the complaint detector, then the question step (a question to
 * the authorities is answered too, so it counts as an appeal the bot replies to).
 */
export function scoreRow(detector: ComplaintDetector, row: LabelledRow, file: string, catalog: ProblemCatalog): Scored {
  const analysis = detector.analyse(row.text, undefined, { alwaysTopic: true });
  return { row, file, analysis: { ...analysis, detection: withQuestion(analysis.detection, row.text) }, goldProblem: goldProblemOf(row, catalog) };
}

/** What eval and cross-validation print about a set of scored rows. */
export function formatReport(scored: readonly Scored[], options: { worst: number }): string[] {
  const out: string[] = [];
  const prf = (positive: (s: Scored) => boolean): string =>
    formatBinaryScore(binaryScore(scored.map((s) => ({ gold: s.row.complaint, predicted: positive(s) }))));
  out.push('== Complaints');
  out.push(`appeal (reply or review): ${prf((s) => s.analysis.detection.isAppeal)}`);
  out.push(`bot replies (reply):      ${prf((s) => s.analysis.detection.verdict === 'reply')}`);
  out.push('confusion (rows: gold; columns: verdict)');
  out.push(`${pad('', 14)}${pad('reply', 8)}${pad('review', 8)}${pad('ignore', 8)}`);
  for (const gold of [true, false]) {
    const of = scored.filter((s) => s.row.complaint === gold);
    if (of.length === 0) continue;
    out.push(
      `${pad(gold ? 'complaint' : 'not_complaint', 14)}${(['reply', 'review', 'ignore'] as const).map((v) => pad(String(of.filter((s) => s.analysis.detection.verdict === v).length), 8)).join('')}`,
    );
  }
  const kinds = [...new Set(scored.map((s) => s.row.kind))].sort();
  if (kinds.length > 1 || kinds[0] !== '-') {
    out.push('by kind: rows, share judged right (appeal vs not), share the bot replies to');
    for (const k of kinds) {
      const of = scored.filter((s) => s.row.kind === k);
      const right = of.filter((s) => s.analysis.detection.isAppeal === s.row.complaint).length / of.length;
      const replied = of.filter((s) => s.analysis.detection.verdict === 'reply').length / of.length;
      out.push(`  ${pad(k, 26)}${pad(String(of.length), 7)}${pad(f3(right), 8)}${f3(replied)}`);
    }
  }

  const topical = scored.filter((s) => s.row.complaint && s.row.topic);
  if (topical.length > 0) {
    const topics = topicScores(topical.map((s) => ({ gold: s.row.topic!, predicted: s.analysis.topicIfAppeal })));
    out.push(`== Topics on ${topical.length} labelled complaints: ${formatTopicScores(topics).join('\n')}`);
    out.push(`confusion (rows: gold; columns: predicted)\n${formatConfusion(topics, TOPIC_IDS).join('\n')}`);
  }

  const withProblem = scored.filter((s) => s.row.complaint && s.goldProblem !== null);
  if (withProblem.length > 0) {
    const named = withProblem.filter((s) => s.analysis.problemIfAppeal !== null);
    const right = withProblem.filter((s) => s.analysis.problemIfAppeal === s.goldProblem).length;
    const problems = topicScores(withProblem.map((s) => ({ gold: s.goldProblem!, predicted: s.analysis.problemIfAppeal ?? '(none)' })));
    out.push(
      `== Problems on ${withProblem.length} complaints with a problem label: accuracy ${f3(right / withProblem.length)} (no problem named counts as wrong); ` +
        `named ${f3(named.length / withProblem.length)}, accuracy when named ${f3(right / Math.max(1, named.length))}; macro-F1 ${f3(problems.macroF1)} over the ${problems.perTopic.length} problems present`,
    );
    const worstProblems = [...problems.perTopic]
      .filter((p) => p.n >= 10)
      .sort((a, b) => a.f1 - b.f1)
      .slice(0, 8);
    if (worstProblems.length > 0) out.push(`  weakest (≥ 10 rows): ${worstProblems.map((p) => `${p.topic} ${f3(p.f1)} (${p.n})`).join(', ')}`);
  }

  if (options.worst > 0) {
    const falsePositives = scored
      .filter((s) => !s.row.complaint && s.analysis.detection.isAppeal)
      .sort((a, b) => b.analysis.detection.score - a.analysis.detection.score);
    const falseNegatives = scored
      .filter((s) => s.row.complaint && !s.analysis.detection.isAppeal)
      .sort((a, b) => a.analysis.detection.score - b.analysis.detection.score);
    const show = (s: Scored): string =>
      `  ${s.analysis.detection.score.toFixed(2)} [${s.row.kind}] ${s.row.text.replace(/\s+/g, ' ').slice(0, 110)}\n       ${s.analysis.detection.reasons.slice(0, 4).join('; ')}`;
    out.push(`== Worst false appeals (${falsePositives.length})`, ...falsePositives.slice(0, options.worst).map(show));
    out.push(`== Worst missed complaints (${falseNegatives.length})`, ...falseNegatives.slice(0, options.worst).map(show));
  }
  return out;
}

/** The report for each file, then for all of them together when there are several. */
export function formatReports(scored: readonly Scored[], options: { worst: number }): string[] {
  const files = [...new Set(scored.map((s) => s.file))];
  const out: string[] = [];
  for (const file of files) {
    const of = scored.filter((s) => s.file === file);
    out.push('', `######## ${file}: ${of.length} rows`, ...formatReport(of, options));
  }
  if (files.length > 1) out.push('', `######## all ${files.length} files: ${scored.length} rows`, ...formatReport(scored, { worst: 0 }));
  return out;
}
