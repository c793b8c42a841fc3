/**
 * The figures `npm run eval` and `npm run train -- --cv K` report, computed the same way for
 * both: precision/recall/F1 of a yes/no decision, and per-topic precision/recall/F1 with
 * macro-F1 over the topics the gold labels contain.
 */

/** Counts and figures of one yes/no decision against gold labels. */
export interface BinaryScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

/** One topic's figures; `n` is how many gold examples it has. */
export interface TopicScore {
  topic: string;
  n: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Topic figures over a set of labelled complaints. */
export interface TopicScores {
  examples: number;
  accuracy: number;
  /** Mean F1 over every topic present in the gold labels. */
  macroF1: number;
  perTopic: TopicScore[];
  /** confusion.get(gold)?.get(predicted) = count. */
  confusion: Map<string, Map<string, number>>;
}

/** Precision, recall and F1 of `predicted` against `gold`, one pair per example. */
export function binaryScore(pairs: Iterable<{ gold: boolean; predicted: boolean }>): BinaryScore {
  let tp = 0,
    fp = 0,
    fn = 0;
  for (const { gold, predicted } of pairs) {
    if (predicted && gold) tp++;
    else if (predicted) fp++;
    else if (gold) fn++;
  }
  const precision = tp / Math.max(1, tp + fp),
    recall = tp / Math.max(1, tp + fn);
  return { tp, fp, fn, precision, recall, f1: f1(precision, recall) };
}

/** Per-topic figures and macro-F1; topics are those of the gold labels, in alphabetical order. */
export function topicScores(pairs: readonly { gold: string; predicted: string }[]): TopicScores {
  const confusion = new Map<string, Map<string, number>>();
  for (const { gold, predicted } of pairs) {
    const row = confusion.get(gold) ?? new Map<string, number>();
    row.set(predicted, (row.get(predicted) ?? 0) + 1);
    confusion.set(gold, row);
  }
  const topics = [...confusion.keys()].sort();
  const perTopic = topics.map((topic) => {
    const tp = confusion.get(topic)!.get(topic) ?? 0;
    const n = [...confusion.get(topic)!.values()].reduce((s, c) => s + c, 0);
    const predictedAs = pairs.filter((p) => p.predicted === topic).length;
    const precision = tp / Math.max(1, predictedAs),
      recall = tp / Math.max(1, n);
    return { topic, n, precision, recall, f1: f1(precision, recall) };
  });
  const correct = pairs.filter((p) => p.gold === p.predicted).length;
  return {
    examples: pairs.length,
    accuracy: correct / Math.max(1, pairs.length),
    macroF1: perTopic.reduce((s, p) => s + p.f1, 0) / Math.max(1, perTopic.length),
    perTopic,
    confusion,
  };
}

/** One yes/no score as both tools print it: «precision 0.963  recall 0.984  F1 0.973  (tp 544, fp 21, fn 9)». */
export function formatBinaryScore(b: BinaryScore): string {
  return `precision ${f3(b.precision)}  recall ${f3(b.recall)}  F1 ${f3(b.f1)}  (tp ${b.tp}, fp ${b.fp}, fn ${b.fn})`;
}

/** The topic lines both tools print: the headline, macro-F1 of the frequent topics, one line per topic. */
export function formatTopicScores(scores: TopicScores, frequentMin = 10): string[] {
  const lines = [`accuracy ${f3(scores.accuracy)}  macro-F1 ${f3(scores.macroF1)} (over the ${scores.perTopic.length} topics present)`];
  const frequent = scores.perTopic.filter((p) => p.n >= frequentMin);
  if (frequent.length < scores.perTopic.length) {
    lines.push(
      `macro-F1 over the ${frequent.length} topics with at least ${frequentMin} examples: ${f3(frequent.reduce((s, p) => s + p.f1, 0) / Math.max(1, frequent.length))}`,
    );
  }
  for (const p of scores.perTopic) lines.push(`  ${pad(p.topic, 16)}n ${pad(String(p.n), 6)}P ${f3(p.precision)}  R ${f3(p.recall)}  F1 ${f3(p.f1)}`);
  return lines;
}

/** The confusion matrix as lines: rows gold, columns the topics ever predicted (in `order`). */
export function formatConfusion(scores: TopicScores, order: readonly string[]): string[] {
  const predicted = order.filter((t) => [...scores.confusion.values()].some((row) => (row.get(t) ?? 0) > 0));
  const lines = [`${pad('', 16)}${predicted.map((t) => pad(t.slice(0, 7), 8)).join('')}`];
  for (const [gold, row] of [...scores.confusion].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`${pad(gold, 16)}${predicted.map((t) => pad(String(row.get(t) ?? 0), 8)).join('')}`);
  }
  return lines;
}

export const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
export const f3 = (x: number): string => x.toFixed(3);
export const pad = (s: string, n: number): string => s.padEnd(n);
