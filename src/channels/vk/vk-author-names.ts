/**
 * Authors' display names from VK answers: the `profiles` and `groups` arrays of an extended
 * answer (`wall.getComments` with `extended: 1`) and the array `users.get` returns. Pure and
 * defensive: input is `unknown`, anything malformed is left out (its author keeps name null),
 * nothing here throws. Keys are VK owner ids: a person's id, or minus a community's id,
 * the same sign convention as `from_id`.
 */
export type VkAuthorNames = ReadonlyMap<number, string>;

/** Longer than any real VK name (first and last ≤ 32 characters, community names ≤ 48): cut, never trusted whole. */
export const MAX_NAME_LENGTH = 120;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** A name part as shown: repaired UTF-16, whitespace collapsed; '' for anything that is not a string. */
function part(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.slice(0, MAX_NAME_LENGTH).toWellFormed().replace(/\s+/g, ' ').trim();
}

/** "Имя Фамилия" of one VK user object, or null for a deleted profile or one without a name. */
export function vkUserName(raw: unknown): string | null {
  if (!isObj(raw)) return null;
  // VK shows a deleted profile as first_name "DELETED": that is no one's name.
  if (raw.deactivated === 'deleted') return null;
  const name = [part(raw.first_name), part(raw.last_name)].filter((p) => p !== '').join(' ');
  return name === '' ? null : name.slice(0, MAX_NAME_LENGTH);
}

/** Names of an array of VK user objects (`profiles`, or the answer of `users.get`), by user id. */
export function vkProfileNames(profiles: unknown): Map<number, string> {
  const names = new Map<number, string>();
  if (!Array.isArray(profiles)) return names;
  for (const profile of profiles) {
    if (!isObj(profile) || !isPositiveId(profile.id)) continue;
    const name = vkUserName(profile);
    if (name !== null) names.set(profile.id, name);
  }
  return names;
}

/** Names of an extended answer's `profiles` and `groups` together; a community under minus its id. */
export function vkExtendedNames(answer: unknown): Map<number, string> {
  if (!isObj(answer)) return new Map();
  const names = vkProfileNames(answer.profiles);
  if (Array.isArray(answer.groups)) {
    for (const group of answer.groups) {
      if (!isObj(group) || !isPositiveId(group.id)) continue;
      const name = part(group.name);
      if (name !== '') names.set(-group.id, name);
    }
  }
  return names;
}
