import { describe, expect, it } from 'vitest';
import { assignableDepartments, routeDepartment, routeMunicipality } from '../../../src/incidents/routing.js';
import { testConfig } from '../../helpers/index.js';

const config = testConfig();
const tg = (chatId: number) => ({ platform: 'telegram' as const, chatId, chatType: 'supergroup' as const, title: null, username: null });

describe('routing', () => {
  it('should take the municipality from the source community or chat first', () => {
    expect(routeMunicipality(config, { platform: 'vk', groupId: 210002 }, { municipalityId: 'sosnovka' })).toBe('zarechensk');
    expect(routeMunicipality(config, tg(-1001000000001), null)).toBe('zarechensk');
  });

  it('should fall back to a place named in the text, then to the regional queue', () => {
    expect(routeMunicipality(config, { platform: 'vk', groupId: 210001 }, { municipalityId: 'sosnovka', settlement: 'Ключи' })).toBe('sosnovka');
    expect(routeMunicipality(config, { platform: 'vk', groupId: 210001 }, { street: 'Ленина' })).toBeNull();
    expect(routeMunicipality(config, tg(-5), null)).toBeNull();
  });

  it('should give the topic to the municipality\'s own body before a provider, else a regional one', () => {
    expect(routeDepartment(config, 'housing', 'zarechensk')).toBe('zar-gkh');
    expect(routeDepartment(config, 'roads', 'zarechensk')).toBe('zar-roads');
    expect(routeDepartment(config, 'roads', null)).toBe('reg-transport');
    expect(routeDepartment(config, 'health', 'sosnovka')).toBe('reg-health');
    expect(routeDepartment(config, 'other', 'zarechensk')).toBeNull();
  });

  it('should offer only the municipality\'s and the regional departments for assignment', () => {
    const ids = assignableDepartments(config, 'zarechensk').map((d) => d.id);
    expect(ids).toContain('zar-vodokanal');
    expect(ids).toContain('reg-health');
    expect(ids).not.toContain('sos-admin');
  });
});
