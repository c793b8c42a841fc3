import type { Token } from './tokenize.js';

/** Options for {@link PhraseMatcher}. */
export interface PhraseMatcherOptions {
  /** Words allowed between two consecutive words of a phrase; default 2. */
  gap: number;
}

type Part = { kind: 'stem'; value: string } | { kind: 'prefix'; value: string } | { kind: 'exact'; value: string } | { kind: 'number' };

interface Compiled<T> {
  parts: Part[];
  phrase: string;
  tag: T;
}

/** One phrase found in a text. */
export interface PhraseHit<T> {
  tag: T;
  phrase: string;
  /** Index of the phrase's first token. */
  start: number;
  /** Index of the phrase's last token. */
  end: number;
}

const NUMBER = /^\d+[а-я]?$/;
const PREFIX_KEY = 3;
const NONE: never[] = [];

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Finds configured phrases in a token list. A phrase is plain words as a person writes them
 * («нет воды», «ваше обращение»); each word is stemmed when compiled, so any inflection
 * matches. A word ending in `*` matches any word starting with it («скидк*»); a word starting
 * with `=` matches only itself («=холодно», not «холодной»); `#` matches any number.
 * Between two words of a phrase up to `gap` other words may stand. Each phrase is indexed by
 * its first word, so matching costs a few map lookups per token, however many phrases there are.
 */
export class PhraseMatcher<T> {
  // Phrases are indexed by their first word, so a token costs one or two map lookups however many phrases there are.
  private readonly byStem = new Map<string, Compiled<T>[]>();
  private readonly byWord = new Map<string, Compiled<T>[]>();
  /** Prefix-first phrases by the prefix's first PREFIX_KEY letters. */
  private readonly byPrefix = new Map<string, Compiled<T>[]>();
  private readonly open: Compiled<T>[] = [];

  constructor(
    entries: { phrase: string; tag: T }[],
    stem: (word: string) => string,
    private readonly options: PhraseMatcherOptions = { gap: 2 },
  ) {
    const signatures = new Set<string>();
    for (const { phrase, tag } of entries) {
      const words =
        phrase
          .toLowerCase()
          .replace(/ё/g, 'е')
          .match(/[\p{L}\p{N}#*=]+/gu) ?? [];
      const parts = words.map((w): Part => {
        if (w === '#') return { kind: 'number' };
        if (w.endsWith('*')) return { kind: 'prefix', value: w.slice(0, -1) };
        if (w.startsWith('=')) return { kind: 'exact', value: w.slice(1) };
        return { kind: 'stem', value: stem(w) };
      });
      if (parts.length === 0) continue;
      // «дорога» and «дорогу» compile to the same stems: keep one, so a topic is not counted twice for one word.
      const signature = `${JSON.stringify(parts)}\u0000${String(tag)}`;
      if (signatures.has(signature)) continue;
      signatures.add(signature);
      const compiled = { parts, phrase, tag };
      const first = parts[0]!;
      if (first.kind === 'stem') push(this.byStem, first.value, compiled);
      else if (first.kind === 'exact') push(this.byWord, first.value, compiled);
      else if (first.kind === 'prefix' && first.value.length >= PREFIX_KEY) push(this.byPrefix, first.value.slice(0, PREFIX_KEY), compiled);
      else this.open.push(compiled);
    }
  }

  /** Every phrase occurrence, at most one hit per phrase (its first). */
  match(tokens: readonly Token[]): PhraseHit<T>[] {
    const hits: PhraseHit<T>[] = [];
    const seen = new Set<Compiled<T>>();
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      for (const c of this.byStem.get(token.stem) ?? NONE) this.tryAt(c, tokens, i, hits, seen);
      if (this.byWord.size > 0) for (const c of this.byWord.get(token.word) ?? NONE) this.tryAt(c, tokens, i, hits, seen);
      if (this.byPrefix.size > 0 && token.word.length >= PREFIX_KEY)
        for (const c of this.byPrefix.get(token.word.slice(0, PREFIX_KEY)) ?? NONE) this.tryAt(c, tokens, i, hits, seen);
      for (const c of this.open) this.tryAt(c, tokens, i, hits, seen);
    }
    return hits;
  }

  private tryAt(c: Compiled<T>, tokens: readonly Token[], start: number, hits: PhraseHit<T>[], seen: Set<Compiled<T>>): void {
    if (seen.has(c) || !fits(c.parts[0]!, tokens[start]!)) return;
    let at = start;
    for (let p = 1; p < c.parts.length; p++) {
      const part = c.parts[p]!;
      let found = -1;
      for (let j = at + 1; j <= at + 1 + this.options.gap && j < tokens.length; j++) {
        if (fits(part, tokens[j]!)) {
          found = j;
          break;
        }
      }
      if (found < 0) return;
      at = found;
    }
    seen.add(c);
    hits.push({ tag: c.tag, phrase: c.phrase, start, end: at });
  }
}

function fits(part: Part, token: Token): boolean {
  if (part.kind === 'stem') return token.stem === part.value;
  if (part.kind === 'prefix') return token.word.startsWith(part.value);
  if (part.kind === 'exact') return token.word === part.value;
  return NUMBER.test(token.word);
}
