import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/retry.js';

describe('backoffDelay', () => {
  it('should double the ceiling with each attempt up to the cap', () => {
    const top = (attempt: number): number => backoffDelay(attempt, 2000, 900_000, () => 1);
    expect([1, 2, 3, 4, 5].map(top)).toEqual([2000, 4000, 8000, 16_000, 32_000]);
    expect(top(30)).toBe(900_000);
    expect(top(10_000)).toBe(900_000);
  });

  it('should keep jitter between half the ceiling and the ceiling', () => {
    expect(backoffDelay(3, 2000, 900_000, () => 0)).toBe(4000);
    expect(backoffDelay(3, 2000, 900_000, () => 0.5)).toBe(6000);
    for (let i = 0; i < 100; i += 1) {
      const delay = backoffDelay(4, 1000, 60_000);
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
  });

  it('should treat attempt 0 or below as the first attempt', () => {
    expect(backoffDelay(0, 1000, 10_000, () => 1)).toBe(1000);
    expect(backoffDelay(-5, 1000, 10_000, () => 1)).toBe(1000);
  });
});
