import type { PlaceMatch } from '../domain/detection.js';

/** One municipality's names, as in config.municipalities[]. */
export interface GazetteerEntry {
  municipalityId: string;
  settlements: string[];
  streets: string[];
}

interface Name {
  canonical: string;
  stems: string[];
  municipalityId: string;
}

interface PlaceToken {
  lower: string;
  stem: string;
  capitalised: boolean;
  sentenceStart: boolean;
}

/** Words that say "a street follows" («ул. Ленина», «на улице Мира», «пр-т Победы»). */
const STREET_MARKERS = new Set([
  'ул',
  'улица',
  'улице',
  'улицу',
  'улицы',
  'улицей',
  'пр',
  'прт',
  'проспект',
  'проспекте',
  'пер',
  'переулок',
  'переулке',
  'бульвар',
  'бульваре',
  'шоссе',
  'наб',
  'пл',
  'площадь',
  'площади',
  'мкр',
  'микрорайон',
  'микрорайоне',
  'проезд',
  'тупик',
]);
/** Words that may stand between a street and its house number («Ленина, д. 5», «Пушкина от дома 10»). */
const HOUSE_FILLERS = new Set(['д', 'дом', 'дома', 'домом', 'доме', 'от', 'у', 'возле', 'около', 'напротив']);
/** Words that say "a settlement follows" when it is written in lower case («в зареченске»). */
const SETTLEMENT_MARKERS = new Set([
  'в',
  'во',
  'из',
  'до',
  'под',
  'между',
  'г',
  'город',
  'городе',
  'пос',
  'поселок',
  'поселке',
  'с',
  'село',
  'селе',
  'д',
  'деревня',
  'деревне',
  'п',
  'рп',
  'пгт',
]);
const HOUSE = /^\d{1,4}[а-я]?$/;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Matches settlements, streets and house numbers against the municipalities' gazetteer,
 * whatever the case ending («в Зареченске», «на Молодёжной 7», «ул. Ленина, д. 5»). A
 * street or settlement that is also an ordinary word («Мира», «Ключи», «Новая») counts only
 * with a marker, a house number, or a capital letter that does not open a sentence.
 */
export class PlaceFinder {
  private readonly settlements: Name[] = [];
  private readonly streets: Name[] = [];
  /** First two letters of every name's stems: a word starting otherwise is never stemmed here. */
  private readonly heads = new Set<string>();

  constructor(
    gazetteer: readonly GazetteerEntry[],
    private readonly stem: (word: string) => string,
  ) {
    for (const entry of gazetteer) {
      for (const s of entry.settlements) this.settlements.push(this.name(s, entry.municipalityId));
      for (const s of entry.streets) this.streets.push(this.name(s, entry.municipalityId));
    }
    for (const n of [...this.settlements, ...this.streets]) for (const stem of n.stems) this.heads.add(stem.slice(0, 2));
    // Longer names first, so «Красный Бор» wins over a street called «Бор».
    this.settlements.sort((a, b) => b.stems.length - a.stems.length);
    this.streets.sort((a, b) => b.stems.length - a.stems.length);
  }

  /** The place named in `original` (the message as written), or null when none is. */
  find(original: string, context?: { municipalityId?: string }): PlaceMatch | null {
    if (this.settlements.length + this.streets.length === 0) return null;
    const tokens = this.tokens(original);
    let settlement: Name | undefined;
    let street: Name | undefined;
    let house: string | undefined;
    for (let i = 0; i < tokens.length && !(settlement && street); i++) {
      if (!settlement) {
        const hit = this.matchAt(this.settlements, tokens, i);
        if (hit && (isProper(tokens, i) || SETTLEMENT_MARKERS.has(tokens[i - 1]?.lower ?? ''))) {
          settlement = hit;
          i += hit.stems.length - 1;
          continue;
        }
      }
      if (!street) {
        const candidates = this.streets.filter((s) => this.matchesAt(s, tokens, i));
        if (candidates.length === 0) continue;
        const end = i + candidates[0]!.stems.length;
        const number = houseAfter(tokens, end);
        if (number !== undefined || STREET_MARKERS.has(tokens[i - 1]?.lower ?? '') || isProper(tokens, i)) {
          street = prefer(candidates, settlement?.municipalityId ?? context?.municipalityId);
          house = number;
          i = end - 1;
        }
      }
    }
    if (!settlement && !street) return null;
    const municipalityId = this.municipalityOf(settlement, street, context?.municipalityId);
    const place: PlaceMatch = {};
    if (municipalityId) place.municipalityId = municipalityId;
    if (settlement) place.settlement = settlement.canonical;
    if (street) place.street = street.canonical;
    if (house) place.house = house;
    return place;
  }

  private municipalityOf(settlement: Name | undefined, street: Name | undefined, contextId: string | undefined): string | undefined {
    if (settlement) {
      const owners = new Set(this.settlements.filter((s) => s.canonical === settlement.canonical).map((s) => s.municipalityId));
      if (owners.size === 1) return settlement.municipalityId;
      if (contextId && owners.has(contextId)) return contextId;
      return undefined;
    }
    if (!street) return undefined;
    const owners = new Set(this.streets.filter((s) => s.canonical === street.canonical).map((s) => s.municipalityId));
    if (contextId && owners.has(contextId)) return contextId;
    // A street name shared by several municipalities says nothing about which one.
    return owners.size === 1 ? street.municipalityId : undefined;
  }

  private name(canonical: string, municipalityId: string): Name {
    const stems = (canonical.toLowerCase().replace(/ё/g, 'е').match(WORD) ?? []).map((w) => this.stem(w));
    return { canonical, stems, municipalityId };
  }

  private tokens(original: string): PlaceToken[] {
    const out: PlaceToken[] = [];
    for (const m of original.matchAll(WORD)) {
      const raw = m[0];
      const lower = raw.toLowerCase().replace(/ё/g, 'е');
      out.push({
        lower,
        stem: this.heads.has(lower.slice(0, 2)) ? this.stem(lower) : '',
        capitalised: raw[0] !== lower[0],
        sentenceStart: out.length === 0 || endsSentence(original, m.index ?? 0),
      });
      if (out.length >= 600) break;
    }
    return out;
  }

  private matchAt(names: Name[], tokens: PlaceToken[], i: number): Name | undefined {
    return names.find((n) => this.matchesAt(n, tokens, i));
  }

  private matchesAt(name: Name, tokens: PlaceToken[], i: number): boolean {
    if (name.stems.length === 0) return false;
    return name.stems.every((s, k) => tokens[i + k]?.stem === s);
  }
}

/** Whether the nearest non-space character before `index` ends a sentence. */
function endsSentence(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0 && i >= index - 4; i--) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t') continue;
    return ch === '.' || ch === '!' || ch === '?' || ch === '\n';
  }
  return false;
}

function isProper(tokens: PlaceToken[], i: number): boolean {
  const t = tokens[i]!;
  return t.capitalised && !t.sentenceStart;
}

function houseAfter(tokens: PlaceToken[], from: number): string | undefined {
  for (let j = from; j < tokens.length && j <= from + 2; j++) {
    const t = tokens[j]!;
    if (HOUSE.test(t.lower)) return t.lower;
    if (!HOUSE_FILLERS.has(t.lower)) return undefined;
  }
  return undefined;
}

function prefer(candidates: Name[], municipalityId: string | undefined): Name {
  return candidates.find((c) => c.municipalityId === municipalityId) ?? candidates[0]!;
}
