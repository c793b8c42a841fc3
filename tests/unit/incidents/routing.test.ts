import { describe, expect, it } from 'vitest';
import type { TopicId } from '../../../src/domain/detection.js';
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

  it("should give the topic to the municipality's own body before a provider, else a regional one", () => {
    const route = (topic: TopicId, municipalityId: string | null) => routeDepartment(config, { topic, problem: null, municipalityId });
    expect(route('housing', 'zarechensk')).toBe('zar-gkh');
    expect(route('roads', 'zarechensk')).toBe('zar-roads');
    expect(route('roads', null)).toBe('reg-transport');
    expect(route('health', 'sosnovka')).toBe('reg-health');
    expect(route('other', 'zarechensk')).toBeNull();
  });

  it("should prefer the body of the problem's kind among the owners of its topic", () => {
    const hotWater = config.problems.get('no_hot_water')!;
    expect(hotWater.departmentKind).toBe('resource');
    expect(routeDepartment(config, { topic: 'housing', problem: hotWater, municipalityId: 'zarechensk' })).toBe('zar-vodokanal');
    expect(routeDepartment(config, { topic: 'housing', problem: config.problems.get('lift')!, municipalityId: 'zarechensk' })).toBe('zar-gkh');
  });

  it("should give a problem to its owner before any owner of the topic, the municipality's own first", () => {
    const owners = testConfig({
      departments: [
        { id: 'zar-gkh', name: 'ЖКХ', municipalityId: 'zarechensk', topics: ['housing'] },
        { id: 'reg-lifts', name: 'Лифтовая служба региона', municipalityId: null, problems: ['lift'] },
        { id: 'zar-lifts', name: 'Лифты Зареченска', kind: 'uk', municipalityId: 'zarechensk', problems: ['lift'] },
      ],
    });
    const lift = owners.problems.get('lift')!;
    expect(routeDepartment(owners, { topic: 'housing', problem: lift, municipalityId: 'zarechensk' })).toBe('zar-lifts');
    expect(routeDepartment(owners, { topic: 'housing', problem: lift, municipalityId: 'sosnovka' })).toBe('reg-lifts');
    expect(routeDepartment(owners, { topic: 'housing', problem: owners.problems.get('heating')!, municipalityId: 'zarechensk' })).toBe('zar-gkh');
    expect(routeDepartment(owners, { topic: 'housing', problem: null, municipalityId: 'zarechensk' })).toBe('zar-gkh');
  });

  it("should offer only the municipality's and the regional departments for assignment", () => {
    const ids = assignableDepartments(config, 'zarechensk').map((d) => d.id);
    expect(ids).toContain('zar-vodokanal');
    expect(ids).toContain('reg-health');
    expect(ids).not.toContain('sos-admin');
  });
});
