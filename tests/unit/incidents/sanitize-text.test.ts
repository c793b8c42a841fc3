import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH, sanitizeText } from '../../../src/incidents/ingest.js';

describe('sanitizeText', () => {
  it('should replace lone surrogates so the text can be stored and analysed', () => {
    const broken = `нет воды \uD800 и \uDFFF`;
    const clean = sanitizeText(broken);
    expect(clean.isWellFormed()).toBe(true);
    expect(clean).toContain('нет воды');
  });

  it('should drop NUL characters and cap huge texts', () => {
    expect(sanitizeText('a\u0000b')).toBe('ab');
    expect(sanitizeText('я'.repeat(100_000))).toHaveLength(MAX_TEXT_LENGTH);
  });

  it('should turn anything that is not a string into an empty text', () => {
    expect(sanitizeText(undefined)).toBe('');
    expect(sanitizeText(42)).toBe('');
    expect(sanitizeText({ text: 'x' })).toBe('');
  });
});
