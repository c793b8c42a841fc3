/**
 * The one percentile of Otklik's figures (the digest, /report, `otklik stats`, the console's
 * dashboard and the benchmarks): nearest rank, the smallest observed value with at least a
 * share `p` of the values at or below it, never an interpolation. Pure.
 */

/** Nearest-rank percentile of `values` (any order); `p` in (0, 1]. Null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[rankIndex(sorted.length, p)]!;
}

/**
 * The same percentile over a histogram: `[value, count]` pairs in any order (the dashboard reads
 * answer times as whole minutes counted per group, thousands of pairs instead of every answer).
 */
export function percentileOfCounts(counts: Iterable<readonly [value: number, count: number]>, p: number): number | null {
  const pairs = [...counts].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = pairs.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const index = rankIndex(total, p);
  let seen = 0;
  for (const [value, n] of pairs) {
    seen += n;
    if (seen > index) return value;
  }
  return pairs.at(-1)![0];
}

/** The 0-based position of the nearest rank among `n` sorted values. */
function rankIndex(n: number, p: number): number {
  return Math.min(n, Math.max(1, Math.ceil(p * n))) - 1;
}
