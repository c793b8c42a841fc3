import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDetectorConfig } from '../../../src/detector-loader.js';
import { crossValidate } from '../../../src/training/cross-validate.js';
import type { LabelledRow } from '../../../src/training/labelled-data.js';
import { binaryScore, formatConfusion, formatTopicScores, topicScores } from '../../../src/training/scores.js';
import { REPO_ROOT } from '../../helpers/index.js';

describe('binaryScore', () => {
  it('should count hits, false alarms and misses into precision, recall and F1', () => {
    const s = binaryScore([
      { gold: true, predicted: true },
      { gold: true, predicted: true },
      { gold: true, predicted: false },
      { gold: false, predicted: true },
      { gold: false, predicted: false },
    ]);
    expect(s).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(s.precision).toBeCloseTo(2 / 3);
    expect(s.recall).toBeCloseTo(2 / 3);
    expect(s.f1).toBeCloseTo(2 / 3);
  });

  it('should give zeros, not NaN, when nothing is predicted or present', () => {
    expect(binaryScore([{ gold: false, predicted: false }])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('topicScores', () => {
  it('should average F1 over the gold topics only, counting a topic never predicted as 0', () => {
    const s = topicScores([
      { gold: 'housing', predicted: 'housing' },
      { gold: 'housing', predicted: 'roads' },
      { gold: 'roads', predicted: 'roads' },
      { gold: 'transport', predicted: 'improvement' },
    ]);
    expect(s.perTopic.map((p) => p.topic)).toEqual(['housing', 'roads', 'transport']);
    const [housing, roads, transport] = s.perTopic;
    expect(housing).toMatchObject({ n: 2, precision: 1, recall: 0.5 });
    expect(roads).toMatchObject({ n: 1, precision: 0.5, recall: 1 });
    expect(transport!.f1).toBe(0);
    expect(s.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 0) / 3);
    expect(s.accuracy).toBe(0.5);
    expect(formatTopicScores(s, 2).join('\n')).toContain('macro-F1 over the 1 topics with at least 2 examples: 0.667');
    expect(formatConfusion(s, ['housing', 'roads', 'transport', 'improvement'])[0]).toMatch(/housing\s+roads\s+improve/);
  });
});

describe('crossValidate', () => {
  /** Rows written for this test: two clear topics, chatter, and threads of several rows. */
  const rows: LabelledRow[] = [];
  const housing = ['нет воды', 'нет горячей воды', 'батареи холодные', 'течет крыша', 'лифт сломан', 'прорвало трубу'];
  const roads = ['яма на дороге', 'разбит асфальт', 'нет разметки', 'светофор не работает', 'ямы на тротуаре', 'провал асфальта'];
  const chatter = ['всем привет', 'красивый закат', 'с праздником', 'хорошего дня', 'смешное видео', 'люблю котиков'];
  for (let i = 0; i < 60; i++) {
    rows.push({ id: `spb:${i}`, text: `${housing[i % 6]} в доме ${i}`, complaint: true, topic: 'housing', kind: 'test' });
    rows.push({ id: `spb-fu:${i}:0`, text: `${roads[i % 6]} у дома ${i}`, complaint: true, topic: 'roads', kind: 'test' });
    rows.push({ id: `vk:${i}`, text: `${chatter[i % 6]} ${i}`, complaint: false, topic: null, kind: 'test' });
  }
  const config = readDetectorConfig(join(REPO_ROOT, 'config'));

  it('should score every row once with a model that did not see its thread', () => {
    const result = crossValidate(rows, { config, folds: 3, train: { bits: 12, epochs: 8 } });
    expect(result.rows).toBe(rows.length);
    expect(result.appeal.tp + result.appeal.fn).toBe(120);
    expect(result.topics.examples).toBe(120);
    expect(result.appeal.f1).toBeGreaterThan(0.9);
    expect(result.topics.accuracy).toBeGreaterThan(0.9);
  });

  it('should never score a row with a model trained on it: random labels stay at chance', () => {
    // Made-up words with coin-toss labels: a model can only memorise them, so a fold that leaked
    // its own rows into training would score far above chance. The words are unknown to every rule.
    let seed = 7;
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const word = (): string => Array.from({ length: 8 }, () => 'бвгджзклмнпрстфхцчшщ'[Math.floor(random() * 20)]).join('');
    const noise: LabelledRow[] = Array.from({ length: 300 }, (_, i) => ({ id: `vk:${i}`, text: `${word()} ${word()} ${word()}`, complaint: random() < 0.5, topic: null, kind: 'test' }));
    const memorised = crossValidate([...noise, ...noise.map((r) => ({ ...r, id: `vk:${r.id}:copy` }))], { config, folds: 2, train: { bits: 16, epochs: 30 } });
    const held = crossValidate(noise, { config, folds: 5, train: { bits: 16, epochs: 30 } });
    const accuracy = (r: ReturnType<typeof crossValidate>): number => 1 - (r.appeal.fp + r.appeal.fn) / r.rows;
    // The same rows under two ids: where they fall in different folds (about half), the leak shows.
    expect(accuracy(memorised)).toBeGreaterThan(0.7);
    expect(accuracy(held)).toBeLessThan(0.62);
  });

  it('should refuse fewer than 2 folds', () => {
    expect(() => crossValidate(rows, { config, folds: 1 })).toThrow(/at least 2 folds/);
  });
});
