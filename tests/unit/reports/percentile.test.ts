import { describe, expect, it } from 'vitest';
import { percentile, percentileOfCounts } from '../../../src/reports/percentile.js';

describe('percentile', () => {
  it('should use nearest ranks', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(
      percentile(
        Array.from({ length: 10 }, (_, i) => i + 1),
        0.9,
      ),
    ).toBe(9);
    expect(percentile([7], 1)).toBe(7);
  });

  it('should give the same value over a histogram as over the values it counts', () => {
    const values = [3, 3, 3, 9, 1, 1, 12, 5, 5, 5, 5, 40];
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    for (const p of [0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 1]) expect(percentileOfCounts(counts, p), String(p)).toBe(percentile(values, p));
    expect(percentileOfCounts([[4, 0]], 0.5)).toBeNull();
  });
});
