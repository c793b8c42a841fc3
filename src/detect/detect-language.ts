import { francAll } from 'franc';

/** Options for {@link detectLanguage}. */
export interface LanguageOptions {
  /** ISO 639-3 codes franc may answer with; default the languages a Russian region meets. */
  allowed: string[];
  /** franc is asked only when the letters decide nothing and the text has at least this many letters; default 12. */
  francMinLetters: number;
}

export const DEFAULT_LANGUAGE_OPTIONS: LanguageOptions = { allowed: ['rus', 'ukr', 'bel', 'kaz', 'tat', 'bak', 'eng'], francMinLetters: 12 };

/** franc reads at most this much: its answer is settled long before, and its cost grows with length. */
const FRANC_CHARS = 600;

const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0;

/**
 * Language of a message, by distinctive letters first (franc misreads short Russian as
 * Macedonian or Ukrainian), then 'rus' for other Cyrillic text, franc restricted to `allowed`
 * for Latin-script text and for Cyrillic whose only clue is «і», when
 * the text has at least `francMinLetters` letters; else 'und'. Expects lower-case text.
 */
export function detectLanguage(text: string, options: LanguageOptions = DEFAULT_LANGUAGE_OPTIONS): string {
  const russian = count(text, /[ыэъ]/g);
  // One scan for the letters of the other Cyrillic languages: most messages have none of them,
  // and then every one of their tests would be false.
  if (DISTINCTIVE.test(text)) {
    const other = byDistinctiveLetters(text, russian, options);
    if (other !== null) return other;
  }
  if (russian > 0) return 'rus';
  const cyrillic = count(text, /[а-я]/g);
  const latin = count(text, /[a-z]/g);
  if (cyrillic + latin === 0) return 'und';
  // Cyrillic without any distinctive letter is Russian: franc would only misread it (as
  // Macedonian, Bulgarian, Ukrainian), so it is asked about Latin-script text alone.
  if (cyrillic >= latin) return 'rus';
  if (latin >= options.francMinLetters) {
    const only = options.allowed.filter((code) => !CYRILLIC_LANGUAGES.has(code));
    const best = only.length > 0 ? francAll(text.slice(0, FRANC_CHARS), { only, minLength: 3 })[0] : undefined;
    if (best && best[0] !== 'und') return best[0];
  }
  return 'und';
}

const DISTINCTIVE = /[ҙҫҡҗұқғәөүңһўіїєґ]/;

/** The language the letters of Bashkir, Tatar, Kazakh, Belarusian or Ukrainian point to, or null. */
function byDistinctiveLetters(text: string, russian: number, options: LanguageOptions): string | null {
  if (count(text, /[ҙҫҡ]/g) > 0) return 'bak';
  if (count(text, /[җ]/g) > 0) return 'tat';
  if (count(text, /[ұқғ]/g) > 0) return 'kaz';
  const dotted = count(text, /[і]/g);
  if (count(text, /[әөүңһ]/g) > 0) return dotted > 0 ? 'kaz' : 'tat';
  if (count(text, /[ў]/g) > 0) return 'bel';
  const ukrainian = count(text, /[їєґ]/g);
  // Belarusian has і but never и; Ukrainian has both, and ї/є/ґ of its own.
  if (dotted > 0 && ukrainian === 0 && count(text, /и/g) === 0 && (russian > 0 || count(text, /дз|цьц|ясц/g) > 0)) return 'bel';
  if (ukrainian === 0 && dotted > russian && dotted + count(text, /[а-я]/g) >= options.francMinLetters) {
    // Only «і» to go on: Ukrainian, Belarusian or Kazakh; franc tells them apart on longer texts.
    const best = francAll(text.slice(0, FRANC_CHARS), { only: options.allowed.filter((c) => c === 'ukr' || c === 'bel' || c === 'kaz'), minLength: 3 })[0];
    if (best && best[0] !== 'und') return best[0];
  }
  return ukrainian + dotted > russian ? 'ukr' : null;
}

const CYRILLIC_LANGUAGES = new Set(['rus', 'ukr', 'bel', 'kaz', 'tat', 'bak', 'bul', 'mkd', 'srp', 'kir', 'tgk', 'uzb', 'mon', 'chv', 'sah']);
