/**
 * Risk detection («выявление рисков»): is the number of incidents of one topic in one place
 * within the last window well above what that place normally sees at this time of day?
 *
 * Method: a one-sided Poisson test against a same-hour-of-day baseline, with two floors.
 *
 * - Counts of independent reports in a short window are the textbook Poisson case: variance
 *   equals the mean. A z-score (count − mean) / sd needs a non-zero, reasonably large sd; in a
 *   small municipality the usual count of «нет воды» in 3 hours is 0, where a z-score is undefined
 *   or explodes on one message. The Poisson tail P(X ≥ count | λ) stays meaningful at 0, 1, 2.
 * - The baseline λ is the mean count in the same window of the day on each of the previous
 *   `baselineDays` days (e.g. 14:00–17:00 on each of 14 days). Complaints follow a strong daily
 *   cycle (few at night, many at midday); comparing a midday window with a 24-hour average would
 *   flag ordinary lunchtime traffic.
 * - λ is smoothed with one pseudo-count spread over the baseline days, (sum + 1) / days, so a place
 *   with no history gets a small positive λ instead of 0 (with λ = 0 any single report is
 *   "impossible", p = 0).
 * - A floor `minCount` (5 by default): however unusual, 2–3 reports are not a situation to raise
 *   the alarm about. The p-value threshold (0.001) is strict because the test runs for every
 *   topic × municipality every few minutes: at 12 topics × 10 municipalities × 144 runs a day a
 *   loose threshold would produce false alarms daily.
 */

export interface SpikeParams {
  /** At least this many incidents in the window, whatever the baseline. */
  minCount: number;
  /** One-sided tail probability below which the count is a spike. */
  pValue: number;
}

export interface SpikeVerdict {
  isSpike: boolean;
  count: number;
  /** Smoothed expected count in the window (λ). */
  expected: number;
  /** P(X ≥ count) for X ~ Poisson(expected). */
  pValue: number;
}

/** ln(k!) by summation; exact enough and fast for the counts seen here (≤ a few thousand). */
function logFactorial(k: number): number {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
}

/** P(X ≥ k) for X ~ Poisson(lambda), summed from the tail side so tiny probabilities keep precision. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
    if (term < sum * 1e-15 && i > lambda) break;
  }
  return Math.min(1, sum);
}

/**
 * Smoothed baseline: the mean of the counts in the same window on previous days, with one
 * pseudo-count so that an empty history gives a small positive rate.
 */
export function baselineRate(baselineTotal: number, baselineDays: number): number {
  return (baselineTotal + 1) / Math.max(1, baselineDays);
}

/** Decide whether `count` in the current window is a spike against `baselineTotal` over `baselineDays` windows. */
export function detectSpike(count: number, baselineTotal: number, baselineDays: number, params: SpikeParams): SpikeVerdict {
  const expected = baselineRate(baselineTotal, baselineDays);
  const pValue = poissonUpperTail(count, expected);
  return { isSpike: count >= params.minCount && pValue < params.pValue, count, expected, pValue };
}
