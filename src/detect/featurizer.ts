import { FeatureHasher, type FeatureSpec, type FeatureVector } from './hashed-features.js';
import { type NormalizedText, normalizeText } from './normalize-text.js';
import { RussianStemmer } from './russian-stemmer.js';
import { type Token, tokenize } from './tokenize.js';

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

  private readonly marks: Record<'url' | 'mention' | 'lookAlike' | 'emoji' | 'question' | 'exclamation', number>;

  /** @param spec the model's features (the model file names them). */
  constructor(readonly spec: FeatureSpec) {
    this.hasher = new FeatureHasher(spec);
    const mark = (name: string) => this.hasher.markFeature(name);
    this.marks = {
      url: mark('#url'),
      mention: mark('#mention'),
      lookAlike: mark('#look-alike'),
      emoji: mark('#emoji'),
      question: mark('#?'),
      exclamation: mark('#!'),
    };
  }

  view(text: string): TextView {
    const normalized = normalizeText(text);
    const tokens = tokenize(normalized.text, (word) => this.hasher.word(word, this.stem));
    const marks: number[] = [];
    if (normalized.urls > 0) marks.push(this.marks.url);
    if (normalized.mentions > 0) marks.push(this.marks.mention);
    if (normalized.lookAlikeWords > 0) marks.push(this.marks.lookAlike);
    if (normalized.emoji > 0) marks.push(this.marks.emoji);
    if (normalized.original.includes('?')) marks.push(this.marks.question);
    if (normalized.original.includes('!')) marks.push(this.marks.exclamation);
    return { normalized, tokens, features: this.hasher.vector(tokens, marks) };
  }
}
