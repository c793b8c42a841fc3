import { describe, expect, it } from 'vitest';
import { baselineRate, detectSpike, poissonUpperTail } from '../../../src/domain/spike.js';

const params = { minCount: 5, pValue: 0.001 };

describe('poissonUpperTail', () => {
  it('should match the closed forms', () => {
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(1, 1)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(poissonUpperTail(2, 3)).toBeCloseTo(1 - Math.exp(-3) * (1 + 3), 12);
  });

  it('should keep precision far in the tail', () => {
    const p = poissonUpperTail(20, 0.5);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-20);
  });
});

describe('detectSpike', () => {
  it('should flag a burst where the place usually has none', () => {
    const verdict = detectSpike(7, 0, 14, params);
    expect(verdict.isSpike).toBe(true);
    expect(verdict.expected).toBeCloseTo(1 / 14);
  });

  it('should not flag fewer than the minimum count, however unusual', () => {
    expect(detectSpike(4, 0, 14, params).isSpike).toBe(false);
  });

  it('should not flag ordinary traffic of a busy place', () => {
    // 28 incidents in the same hours over 14 days: about 2 per window; 6 is unusual but not alarming.
    expect(detectSpike(6, 28, 14, params).isSpike).toBe(false);
    expect(detectSpike(15, 28, 14, params).isSpike).toBe(true);
  });

  it('should smooth an empty history with one pseudo-count', () => {
    expect(baselineRate(0, 14)).toBeCloseTo(1 / 14);
    expect(baselineRate(13, 14)).toBe(1);
  });
});
