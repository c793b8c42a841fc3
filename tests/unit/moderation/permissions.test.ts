import { describe, expect, it } from 'vitest';
import type { ModeratorConfig } from '../../../src/config.js';
import { canActOn, findModerator, moderatorScope } from '../../../src/moderation/permissions.js';

const regional: ModeratorConfig = { platform: 'telegram', id: 1, name: 'Р', role: 'regional', municipalityId: null };
const municipal: ModeratorConfig = { platform: 'telegram', id: 2, name: 'М', role: 'municipal', municipalityId: 'zarechensk' };
const vk: ModeratorConfig = { platform: 'vk', id: 2, name: 'В', role: 'regional', municipalityId: null };

describe('moderator permissions', () => {
  it('should find a moderator by platform and id, never by id alone', () => {
    expect(findModerator([regional, municipal, vk], { platform: 'telegram', id: 2 })).toBe(municipal);
    expect(findModerator([regional, municipal, vk], { platform: 'vk', id: 2 })).toBe(vk);
    expect(findModerator([regional, municipal], { platform: 'vk', id: 1 })).toBeNull();
    expect(findModerator([regional], { platform: 'telegram', id: 3 })).toBeNull();
  });

  it('should let a regional moderator act on everything, the regional queue included', () => {
    expect(canActOn(regional, 'zarechensk')).toBe(true);
    expect(canActOn(regional, null)).toBe(true);
    expect(moderatorScope(regional)).toBeUndefined();
  });

  it('should limit a municipal moderator to their municipality', () => {
    expect(canActOn(municipal, 'zarechensk')).toBe(true);
    expect(canActOn(municipal, 'sosnovka')).toBe(false);
    expect(canActOn(municipal, null)).toBe(false);
    expect(moderatorScope(municipal)).toBe('zarechensk');
  });
});
