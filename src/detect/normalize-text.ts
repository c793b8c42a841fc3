/**
 * Text normalisation for detection: one canonical form, so that «ЁЛКИ», «елки» and «eлки»
 * (a Latin "e") all become «елки». Pure; never throws on any string, including lone surrogates.
 */

/** Longest text the detector reads; the rest of a huge message adds nothing but cost. */
export const MAX_DETECT_CHARS = 4000;

/**
 * Latin and Greek letters that look like Cyrillic ones; replaced only inside words that also hold
 * Cyrillic. Spam writes them on purpose («Тρе6γются ρабσтники») to slip past word filters.
 */
const LOOK_ALIKES: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
  u: 'и',
  r: 'г',
  n: 'п',
  α: 'а',
  β: 'в',
  γ: 'у',
  ε: 'е',
  η: 'п',
  κ: 'к',
  μ: 'м',
  ο: 'о',
  ρ: 'р',
  σ: 'о',
  ς: 'с',
  τ: 'т',
  υ: 'у',
  χ: 'х',
  '3': 'з',
  '0': 'о',
  '6': 'б',
};
/** Digits replaced only between two letters («с0бака», «тре6уются»), never in «дом30» or «12а». */
const DIGIT_LOOK_ALIKES = new Set(['0', '3', '6']);

const URL = /\b(?:https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(?:ru|рф|com|org|net|su|me|io)(?:\/\S*)?/giu;
// The bounded name keeps a text full of unclosed «[id1|» linear.
const MENTION = /\[(?:id|club|public)\d+\|[^\]]{0,100}\]|@[\p{L}\p{N}_.]+/giu;
const EMOJI = /\p{Extended_Pictographic}/gu;
// HTML: a script or style element whole (when closed), any other tag, an entity. Bounded
// quantifiers keep it linear on a hostile text of unclosed tags.
// biome-ignore lint/correctness/noEmptyCharacterClassInRegex: [^] is "any character, newlines too" on purpose
const MARKUP = /<(script|style)\b[^<>]{0,500}>[^]{0,5000}?<\/\1\s*>|<\/?[a-z][^<>]{0,500}>|&(?:[a-z]{2,10}|#\d{1,7}|#x[0-9a-f]{1,6});/giu;
const MAYBE_MARKUP = /<\/?[a-z]|&#?[a-z0-9]+;/i;
// Plain words, checked in the callback: a pattern like /\w*[а-я]\w*/ backtracks quadratically on long Latin runs.
const WORD = /[\p{L}\p{N}]+/gu;
const REPEATS = /(\p{L})\1{2,}/gu;
const MAYBE_URL = /https?:|www\.|\.(?:ru|рф|com|org|net|su|me|io)\b/i;
const MAYBE_MENTION = /[[@]/;
const MAYBE_EMOJI = /[\u2190-\u2BFF\u3030\u303D\u3297\u3299\uD83C-\uD83E]/;
const MAYBE_LOOK_ALIKE = /[а-я][a-z036α-ω]|[a-z036α-ω][а-я]/;
const LOOK_ALIKE_CHAR = /[a-z036α-ω]/;
const MAYBE_REPEAT = /(.)\1\1/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern removes
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/g;

/** What normalisation removed but detection may still want to know. */
export interface NormalizedText {
  /** Lower case, ё→е, look-alikes fixed, runs of 3+ letters collapsed, HTML markup removed, URLs → «url», mentions → «mention». */
  text: string;
  /** The original with only the safety fixes (length cut, broken UTF-16, control characters): for capitalisation and numbers. */
  original: string;
  urls: number;
  mentions: number;
  emoji: number;
  /** Words that mixed Cyrillic with Latin or Greek look-alikes: a mark of spam that dodges filters. */
  lookAlikeWords: number;
}

/**
 * Normalise a message. URLs and mentions stay as the placeholder words «url» and «mention» so
 * rules can use them (advertising links); emoji are counted and removed; HTML markup is removed.
 */
export function normalizeText(raw: string): NormalizedText {
  const safe = (typeof raw === 'string' ? raw : String(raw ?? '')).slice(0, MAX_DETECT_CHARS).replace(LONE_SURROGATE, ' ').replace(CONTROL, ' ');
  let urls = 0;
  let mentions = 0;
  let emoji = 0;
  let lookAlikeWords = 0;
  // Each pass runs only when a cheap test says it can change something: most messages need none.
  let text = safe;
  // Markup is code pasted or injected around the writer's words: its Latin letters must not decide
  // the language (a «<script>…» before a Russian complaint read as English), nor count as words.
  if (MAYBE_MARKUP.test(text)) text = text.replace(MARKUP, ' ');
  if (MAYBE_URL.test(text)) {
    text = text.replace(URL, () => {
      urls++;
      return ' url ';
    });
  }
  if (MAYBE_MENTION.test(text)) {
    text = text.replace(MENTION, () => {
      mentions++;
      return ' mention ';
    });
  }
  if (MAYBE_EMOJI.test(text)) {
    text = text.replace(EMOJI, () => {
      emoji++;
      return ' ';
    });
  }
  text = text.toLowerCase().replace(/ё/g, 'е');
  if (MAYBE_LOOK_ALIKE.test(text)) {
    text = text.replace(WORD, (word) => {
      if (!/[а-я]/.test(word) || !LOOK_ALIKE_CHAR.test(word)) return word;
      const fixed = fixLookAlikes(word);
      if (fixed !== word) lookAlikeWords++;
      return fixed;
    });
  }
  if (MAYBE_REPEAT.test(text)) text = text.replace(REPEATS, '$1');
  return { text, original: safe, urls, mentions, emoji, lookAlikeWords };
}

function fixLookAlikes(word: string): string {
  // A digit counts as a letter only between two letters («с0бака»); «дом30» and «12а» keep their digits.
  const chars = [...word];
  return chars
    .map((ch, i) => {
      if (/[a-zα-ω]/.test(ch)) return LOOK_ALIKES[ch] ?? ch;
      if (DIGIT_LOOK_ALIKES.has(ch) && /\p{L}/u.test(chars[i - 1] ?? '') && /\p{L}/u.test(chars[i + 1] ?? '')) return LOOK_ALIKES[ch]!;
      return ch;
    })
    .join('');
}
