/**
 * The region's ready answers to frequent questions (config `faq`): which entry, if any, answers a
 * question. Pure. An entry matches when the question names one of its phrases (each word of the
 * phrase at the start of a word of the text, in order, endings free: «расписание автобус» matches
 * «расписание автобусов») or when the detector's problem is one of its problems.
 */

export interface FaqEntry {
  /** The entry's id; its answer is the template `faq_<id>`. */
  id: string;
  /** Phrases, lower-case; any one matches. */
  words: readonly string[];
  /** Problem ids of the detector (config taxonomy) this entry answers. */
  problems: readonly string[];
  /** Filled into the answer's {link}. */
  link: string | null;
}

function normal(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A phrase as a pattern: each word at a word's start, the words in order with only other letters of the same word, spaces or punctuation between. */
function phrasePattern(phrase: string): RegExp {
  const words = normal(phrase)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map(escapeRegExp);
  return new RegExp(`(?:^|[^\\p{L}\\p{N}])${words.join('[\\p{L}\\p{N}]*[^\\p{L}\\p{N}]+')}`, 'u');
}

/** Compiles the entries once; `match` then answers a question in one pass per phrase. */
export class FaqMatcher {
  private readonly compiled: { entry: FaqEntry; patterns: RegExp[] }[];

  constructor(entries: readonly FaqEntry[]) {
    this.compiled = entries.map((entry) => ({ entry, patterns: entry.words.filter((w) => /[\p{L}\p{N}]/u.test(w)).map(phrasePattern) }));
  }

  /** The first entry (in config order) that answers the question, or null. */
  match(text: string, problem: string | null = null): FaqEntry | null {
    const t = normal(text);
    for (const { entry, patterns } of this.compiled) {
      if (problem !== null && entry.problems.includes(problem)) return entry;
      if (patterns.some((p) => p.test(t))) return entry;
    }
    return null;
  }
}
