/**
 * Who may do what. Pure. A regional moderator sees and acts on every incident; a municipal one
 * only on incidents of their municipality; anyone else is not a moderator at all. Rights come
 * from config.moderators and the author's platform id, never from anything a message or a
 * button carries.
 */
import type { ModeratorConfig } from '../config.js';
import type { Platform } from '../domain/inbound-message.js';

/** The configured moderator with this platform id, or null. */
export function findModerator(moderators: readonly ModeratorConfig[], author: { platform: Platform; id: number }): ModeratorConfig | null {
  return moderators.find((m) => m.platform === author.platform && m.id === author.id) ?? null;
}

/** May this moderator see and act on an incident of `municipalityId` (null: the regional queue)? */
export function canActOn(moderator: ModeratorConfig, municipalityId: string | null): boolean {
  return moderator.role === 'regional' || (municipalityId !== null && moderator.municipalityId === municipalityId);
}

/**
 * The municipality a moderator's lists are limited to: undefined for a regional moderator (no
 * limit), the municipality id for a municipal one.
 */
export function moderatorScope(moderator: ModeratorConfig): string | undefined {
  return moderator.role === 'regional' ? undefined : (moderator.municipalityId ?? undefined);
}
