import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProblems } from '../../../src/detect/problem-schema.js';
import { TOPIC_IDS } from '../../../src/domain/detection.js';
import { incidentGroup, incidentGroupKey, type ProblemId } from '../../../src/domain/problem.js';
import { REPO_ROOT, testConfig } from '../../helpers/index.js';

const shipped = () => parseProblems(JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'problems.json'), 'utf8')), 'config/problems.json');

describe('the problem catalog', () => {
  it('should give every topic at least one problem in the shipped taxonomy', () => {
    const catalog = shipped();
    for (const topic of TOPIC_IDS) expect(catalog.ofTopic(topic).length, topic).toBeGreaterThan(0);
  });

  it('should find a problem by its centre fine topic whatever its star, case and ё', () => {
    const catalog = shipped();
    expect(catalog.byCentreTopic('★ Ямы во дворах')?.id).toBe('yard_roads');
    expect(catalog.byCentreTopic('  отсутствие ГОРЯЧЕЙ воды ')?.id).toBe('no_hot_water');
    expect(catalog.byCentreTopic('Погода на завтра')).toBeUndefined();
  });

  it('should find a problem a person names by id, label or alias', () => {
    const catalog = shipped();
    expect(catalog.find('no_hot_water')?.id).toBe('no_hot_water');
    expect(catalog.find('нет горячей воды')?.id).toBe('no_hot_water');
    expect(catalog.find('ГВС')?.id).toBe('no_hot_water');
    expect(catalog.find('лифты')?.id).toBe('lift');
  });

  it('should refuse a taxonomy where two problems claim one centre topic, naming both', () => {
    const twice = {
      problems: [
        { id: 'a', topic: 'housing', label: 'А', centreTopics: ['Лифты'] },
        { id: 'b', topic: 'housing', label: 'Б', centreTopics: ['★ лифты'] },
      ],
    };
    expect(() => parseProblems(twice, 'problems.json')).toThrow(/«★ лифты» is claimed by both "a" and "b"/);
  });

  it('should refuse an unknown topic or key, naming the field', () => {
    expect(() => parseProblems({ problems: [{ id: 'a', topic: 'weather', label: 'А' }] }, 'problems.json')).toThrow(/problems\.0\.topic/);
    expect(() => parseProblems({ problems: [{ id: 'a', topic: 'housing', label: 'А', word: [] }] }, 'problems.json')).toThrow(/word/);
  });

  it('should group an incident by its problem when it has one, else by its topic', () => {
    expect(incidentGroupKey(incidentGroup({ topic: 'housing', problem: 'lift' as ProblemId }))).toBe('problem:lift');
    expect(incidentGroupKey(incidentGroup({ topic: 'housing', problem: null }))).toBe('topic:housing');
  });

  it('should stop the start when config names a problem the taxonomy does not have', () => {
    expect(() => testConfig({ departments: [{ id: 'lifts', name: 'Лифтовая служба', problems: ['lifts'] }] })).toThrow(
      /departments\.0\.problems\.0 = "lifts": no problem with this id/,
    );
    expect(testConfig({ departments: [{ id: 'lifts', name: 'Лифтовая служба', problems: ['lift'] }] }).departments[0]!.problems).toEqual(['lift']);
  });
});
