import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../../src/detect/phrase-matcher.js';
import { RussianStemmer } from '../../../src/detect/russian-stemmer.js';
import { tokenize } from '../../../src/detect/tokenize.js';

const stemmer = new RussianStemmer();
const stem = (w: string) => stemmer.stem(w);
const token = (word: string) => ({ word, stem: stem(word) });
const phrases = (text: string, list: string[], gap = 2) =>
  new PhraseMatcher(
    list.map((phrase) => ({ phrase, tag: phrase })),
    stem,
    { gap },
  )
    .match(tokenize(text, token))
    .map((h) => h.tag);

describe('PhraseMatcher', () => {
  it('should match any inflection of a phrase through its stems', () => {
    expect(phrases('третий день нет горячей воды', ['нет воды'])).toEqual(['нет воды']);
    expect(phrases('примите меры', ['принять меры'])).toEqual([]);
    expect(phrases('просим принять меры', ['принять меры'])).toEqual(['принять меры']);
  });

  it('should allow at most `gap` words between the words of a phrase', () => {
    expect(phrases('нет совсем никакой горячей воды', ['нет воды'], 2)).toEqual([]);
    expect(phrases('нет совсем никакой горячей воды', ['нет воды'], 3)).toEqual(['нет воды']);
  });

  it('should support prefixes, exact words and numbers', () => {
    expect(phrases('скидки до 50', ['скидк*'])).toEqual(['скидк*']);
    expect(phrases('холодной воды нет', ['=холодно'])).toEqual([]);
    expect(phrases('в квартире холодно', ['=холодно'])).toEqual(['=холодно']);
    expect(phrases('статус 12а', ['=статус #'])).toEqual(['=статус #']);
    expect(phrases('статус обращения', ['=статус #'])).toEqual([]);
  });

  it('should report each phrase once and count «дорога» and «дорогу» as one entry', () => {
    const matcher = new PhraseMatcher(
      [
        { phrase: 'дорога', tag: 'roads' },
        { phrase: 'дорогу', tag: 'roads' },
      ],
      stem,
    );
    expect(matcher.match(tokenize('дорога, опять дорога, дорогу развезло', token))).toHaveLength(1);
  });
});
