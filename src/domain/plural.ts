/**
 * Russian plural forms for counts shown to people («1 площадка», «2 площадки», «5 площадок»).
 * Pure. Uses the CLDR rules of Intl.PluralRules('ru'): `one` (1, 21, 101…), `few` (2–4, 22–24…),
 * `many` (0, 5–20, 25…); fractions (CLDR `other`) take the `few` form («1,5 часа»).
 */

/** The noun in the three forms: [one, few, many], e.g. ['обращение', 'обращения', 'обращений']. */
export type PluralForms = readonly [one: string, few: string, many: string];

const RULES = new Intl.PluralRules('ru');

/** The form of the noun that goes with `n`. */
export function plural(n: number, forms: PluralForms): string {
  switch (RULES.select(Math.abs(n))) {
    case 'one':
      return forms[0];
    case 'many':
      return forms[2];
    default:
      return forms[1];
  }
}

/** `n` and its noun: «3 обращения». */
export function countOf(n: number, forms: PluralForms): string {
  return `${n} ${plural(n, forms)}`;
}
