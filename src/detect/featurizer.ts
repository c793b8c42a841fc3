import { FeatureHasher, type FeatureVector } from './hashed-features.js';
import { normalizeText, type NormalizedText } from './normalize-text.js';
import { RussianStemmer } from './russian-stemmer.js';
import { tokenize, type Token } from './tokenize.js';

/** One text turned into what the rules and the model read. */
export interface TextView {
  normalized: NormalizedText;
  tokens: Token[];
  features: FeatureVector;
}

/**
 * normalise → tokenise and stem → hash features. Shared by the detector and by training, so
 * a model is always read with the features it was trained on.
 */
export class Featurizer {
  private readonly stemmer = new RussianStemmer();
  private readonly hasher: FeatureHasher;
  /** Stem of one lower-case word (memoised). */
  readonly stem = (word: string): string => this.stemmer.stem(word);

  /** @param bits hashed feature space is 2^bits; must equal the model's. */
  constructor(readonly bits: number) {
    this.hasher = new FeatureHasher(bits);
  }

  view(text: string): TextView {
    const normalized = normalizeText(text);
    const tokens = tokenize(normalized.text, (word) => this.hasher.word(word, this.stem));
    return { normalized, tokens, features: this.hasher.vector(tokens) };
  }
}
