import type { Token } from './tokenize.js';

/**
 * Hashed bag of features for the linear models: stems, stem bigrams, character n-grams of each
 * word (which catch typos and endings the stemmer misses) and a few marks of the text as a whole
 * (a link, a mention, look-alike letters, a question mark). The same code serves training and
 * detection, and the model file names its {@link FeatureSpec}, so a shipped model and the code
 * always agree.
 */

/** Which features a model was trained on; stored in the model file. */
export interface FeatureSpec {
  /** The feature space is 2^bits. */
  bits: number;
  /** Lengths of the character n-grams taken inside each word (padded with < and >). */
  charGrams: readonly number[];
}
export interface FeatureVector {
  /** Distinct feature indices in [0, 2^bits). */
  indices: Int32Array;
  /** Each present feature's value: 1/sqrt(count), so long texts weigh no more than short ones. */
  value: number;
}

const MAX_WORD_CHARS = 20;

/** FNV-1a over a string, 32-bit. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const mix = (a: number, b: number): number => Math.imul((a ^ Math.imul(b, 0x9e3779b1)) >>> 0, 0x85ebca6b) >>> 0;

/** A word with its stem and its hashed features, computed once per distinct word. */
export interface WordFeatures extends Token {
  stemFeature: number;
  stemHash: number;
  chars: number[];
}

/** Extracts features with a bounded per-word memo (a stream repeats the same words all day). */
export class FeatureHasher {
  private readonly mask: number;
  private readonly memo = new Map<string, WordFeatures>();
  /** seen[f] === generation: feature f is already in the current vector (dedupe without a Set). */
  private readonly seen: Uint32Array;
  private generation = 0;
  private buffer = new Int32Array(2048);
  private n = 0;

  /** @param maxMemo distinct words memoised, default 100,000. */
  constructor(
    readonly spec: FeatureSpec,
    private readonly maxMemo = 100_000,
  ) {
    this.mask = (1 << spec.bits) - 1;
    this.seen = new Uint32Array(1 << spec.bits);
  }

  /** The feature of a mark of the whole text («#url»); hashed apart from words. */
  markFeature(mark: string): number {
    return hashString(mark, 0x5bd1e995) & this.mask;
  }

  /** The features of a text's words, in order (from {@link word}), plus the given marks ({@link markFeature}). */
  vector(words: readonly WordFeatures[], marks: readonly number[] = []): FeatureVector {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
    this.n = 0;
    let previous = 0x9747b28c;
    for (const w of words) {
      this.add(w.stemFeature);
      this.add(mix(previous, w.stemHash) & this.mask);
      previous = w.stemHash;
    }
    for (const w of words) for (let i = 0; i < w.chars.length; i++) this.add(w.chars[i]!);
    for (const mark of marks) this.add(mark);
    const n = this.n;
    return { indices: this.buffer.slice(0, n), value: n > 0 ? 1 / Math.sqrt(n) : 0 };
  }

  private add(f: number): void {
    if (this.seen[f] === this.generation) return;
    this.seen[f] = this.generation;
    if (this.n === this.buffer.length) {
      const bigger = new Int32Array(this.n * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.n++] = f;
  }

  /** One word as a token with its features; memoised, so a stream's repeated words cost one map lookup. */
  word(word: string, stem: (word: string) => string): WordFeatures {
    const known = this.memo.get(word);
    if (known) return known;
    const stemmed = stem(word);
    const chars: number[] = [];
    const padded = `<${word.slice(0, MAX_WORD_CHARS)}>`;
    for (const n of this.spec.charGrams) for (let i = 0; i + n <= padded.length; i++) chars.push(hashString(padded.slice(i, i + n), 0x3c5) & this.mask);
    const features = { word, stem: stemmed, stemFeature: hashString(stemmed, 0x1f3) & this.mask, stemHash: hashString(stemmed, 0x2f1a), chars };
    if (this.memo.size >= this.maxMemo) this.memo.clear();
    this.memo.set(word, features);
    return features;
  }
}
