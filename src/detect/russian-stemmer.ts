import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';

/** Words longer than this are not real words (hashes, glued text); stemming them only costs time. */
const MAX_WORD = 40;

/**
 * Snowball Russian stemming (the @nlpjs/lang-ru port) with a bounded memo: the library memoises
 * every word it stems in its own `cache`, which would grow without end in a long-running process
 * reading arbitrary text, so it is dropped after `maxMemo` new words. That cache is the only memo
 * here (the feature hasher keeps its own per-word memo in front of it on the detection path).
 */
export class RussianStemmer {
  private readonly stemmer = new StemmerRu();
  /** Words stemmed since the library's cache was last dropped. */
  private cached = 0;

  /** @param maxMemo distinct words remembered before the memo starts afresh; default 200,000. */
  constructor(private readonly maxMemo = 200_000) {}

  /** Stem of a lower-case word; words without Cyrillic letters and very long words come back unchanged. */
  stem(word: string): string {
    if (word.length <= 2 || word.length > MAX_WORD || !/[а-я]/.test(word)) return word;
    if (!(`.${word}` in this.stemmer.cache)) {
      if (this.cached >= this.maxMemo) {
        this.stemmer.cache = {};
        this.cached = 0;
      }
      this.cached += 1;
    }
    try {
      return this.stemmer.stemWord(word) || word;
    } catch {
      return word;
    }
  }
}
