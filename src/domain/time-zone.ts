/**
 * Checks an IANA time zone name the way the schedules, the working calendar and the dates in
 * messages will use it (Intl), so a bad one stops the start with the config instead of crashing a
 * job later. Pure.
 */
import { closestWord } from './closest-word.js';

/** True when Intl knows the zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `name` is not a time zone, with a hint (the closest known zone; a letter that only looks
 * Latin, such as a Cyrillic «с»); null when it is one.
 */
export function timeZoneProblem(name: string): string | null {
  if (isTimeZone(name)) return null;
  const foreign = [...new Set(name.match(/[^\x20-\x7e]/gu) ?? [])];
  const letters = foreign.map((c) => `«${c}» (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  const hint = closestWord(name, Intl.supportedValuesOf('timeZone'), 3);
  return [
    'not an IANA time zone',
    letters.length > 0 ? `; it has ${letters.length === 1 ? 'a character' : 'characters'} outside Latin letters: ${letters.join(', ')}` : '',
    hint ? `; did you mean "${hint}"?` : '; e.g. "Europe/Moscow"',
  ].join('');
}
