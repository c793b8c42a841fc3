import StemmerRu from '@nlpjs/lang-ru/src/stemmer-ru.js';

/** Words longer than this are not real words (hashes, glued text); stemming them only costs time. */
const MAX_WORD = 40;

/**
 * Snowball Russian stemming (the @nlpjs/lang-ru port) with a bounded memo, so a long-running
 * process reading arbitrary text keeps constant memory: the library's own memo grows without end,
 * so it is dropped whenever ours is.
 */
export class RussianStemmer {
  private readonly stemmer = new StemmerRu();
  private readonly memo = new Map<string, string>();

  /** @param maxMemo distinct words remembered before the memo starts afresh; default 200,000. */
  constructor(private readonly maxMemo = 200_000) {}

  /** Stem of a lower-case word; words without Cyrillic letters and very long words come back unchanged. */
  stem(word: string): string {
    const known = this.memo.get(word);
    if (known !== undefined) return known;
    let stem = word;
    if (word.length > 2 && word.length <= MAX_WORD && /[а-я]/.test(word)) {
      try {
        stem = this.stemmer.stemWord(word) || word;
      } catch {
        stem = word;
      }
    }
    if (this.memo.size >= this.maxMemo) {
      this.memo.clear();
      this.stemmer.cache = {};
    }
    this.memo.set(word, stem);
    return stem;
  }
}
