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

/** Split normalised text into words (letters and digits), each made a token by `toToken` (which stems it). */
export function tokenize<T extends Token>(normalized: string, toToken: (word: string) => T): T[] {
  const tokens: T[] = [];
  for (const match of normalized.matchAll(WORD)) {
    tokens.push(toToken(match[0]));
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}
