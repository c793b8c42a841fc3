import { describe, expect, it } from 'vitest';
import { countOf, plural } from '../../../src/domain/plural.js';

const PLACES = ['площадка', 'площадки', 'площадок'] as const;

describe('Russian plurals', () => {
  it('should pick the one/few/many form the way Russian counts', () => {
    const forms = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 1_000_001].map((n) => `${n} ${plural(n, PLACES)}`);
    expect(forms).toEqual([
      '0 площадок',
      '1 площадка',
      '2 площадки',
      '4 площадки',
      '5 площадок',
      '11 площадок',
      '12 площадок',
      '14 площадок',
      '21 площадка',
      '22 площадки',
      '25 площадок',
      '101 площадка',
      '111 площадок',
      '1000001 площадка',
    ]);
  });

  it('should use the few form for fractions and ignore the sign', () => {
    expect(plural(1.5, PLACES)).toBe('площадки');
    expect(plural(-3, PLACES)).toBe('площадки');
  });

  it('should write the count and its noun together', () => {
    expect(countOf(3, ['обращение', 'обращения', 'обращений'])).toBe('3 обращения');
    expect(countOf(21, ['ответ', 'ответа', 'ответов'])).toBe('21 ответ');
  });
});
