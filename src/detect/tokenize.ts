/** One word of a message as the detector sees it. */
export interface Token {
  /** Lower-case, ё→е form as written (after normalisation). */
  word: string;
  /** Snowball stem for Cyrillic words; the word itself otherwise. */
  stem: string;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Longest token list looked at; normalisation already caps the text length. */
export const MAX_TOKENS = 600;

/** Split normalised text into words (letters and digits), stemming each with `stem`. */
export function tokenize(normalized: string, stem: (word: string) => string): Token[] {
  const tokens: Token[] = [];
  for (const match of normalized.matchAll(WORD)) {
    const word = match[0];
    tokens.push({ word, stem: stem(word) });
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}
