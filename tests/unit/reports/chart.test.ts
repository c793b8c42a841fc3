import { describe, expect, it } from 'vitest';
import { answerTimeAxis } from '../../../src/reports/chart.js';

describe('answerTimeAxis', () => {
  it('should label answers given within minutes in minutes, each tick different', () => {
    // Answers in 6 to 17 minutes.
    const axis = answerTimeAxis(17 / 60);
    expect(axis.unit).toBe('мин');
    expect(axis.labels).toEqual(['0', '5', '10', '15', '20']);
    expect(axis.maxHours).toBeCloseTo(20 / 60);
    expect(answerTimeAxis(50 / 60).labels).toEqual(['0', '12,5', '25', '37,5', '50']);
  });

  it('should keep hours for answers within days, and use days beyond three', () => {
    expect(answerTimeAxis(7.5)).toMatchObject({ unit: 'ч', max: 10, labels: ['0', '2,5', '5', '7,5', '10'] });
    expect(answerTimeAxis(2)).toMatchObject({ unit: 'ч', max: 2, labels: ['0', '0,5', '1', '1,5', '2'] });
    expect(answerTimeAxis(100)).toMatchObject({ unit: 'д', max: 5, labels: ['0', '1,3', '2,5', '3,8', '5'] });
  });

  it('should never print the same label twice', () => {
    for (const hours of [0.01, 0.1, 0.5, 1, 1.9, 3, 24, 71, 200, 2000]) {
      const labels = answerTimeAxis(hours).labels;
      expect(new Set(labels).size, `${hours} h: ${labels.join(' ')}`).toBe(5);
    }
  });
});
