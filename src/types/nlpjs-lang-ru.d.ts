// Types for the one part of @nlpjs/lang-ru we use: the Snowball Russian stemmer (the package ships no types).
declare module '@nlpjs/lang-ru/src/stemmer-ru.js' {
  class StemmerRu {
    constructor();
    /** Snowball stem of one lower-case word. Memoises every word it sees in `cache`. */
    stemWord(word: string): string;
    cache: Record<string, string>;
  }
  export = StemmerRu;
}
