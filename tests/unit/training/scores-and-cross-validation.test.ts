import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDetectorConfig, readProblemsIfAny } from '../../../src/detector-loader.js';
import { crossValidate, type FileRow } from '../../../src/training/cross-validate.js';
import type { Scored } from '../../../src/training/evaluation.js';
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
  const rows: FileRow[] = [];
  const housing = ['нет воды', 'нет горячей воды', 'батареи холодные', 'течет крыша', 'лифт сломан', 'прорвало трубу'];
  const roads = ['яма на дороге', 'разбит асфальт', 'нет разметки', 'светофор не работает', 'ямы на тротуаре', 'провал асфальта'];
  const chatter = ['всем привет', 'красивый закат', 'с праздником', 'хорошего дня', 'смешное видео', 'люблю котиков'];
  const row = (id: string, text: string, complaint: boolean, topic: LabelledRow['topic'], centreTopic: string | null = null): FileRow => ({
    row: { id, text, complaint, topic, kind: 'test', centreTopic, problem: null },
    file: 'own.jsonl',
  });
  for (let i = 0; i < 60; i++) {
    rows.push(row(`spb:${i}`, `${housing[i % 6]} в доме ${i}`, true, 'housing', i % 6 < 2 ? 'Отсутствие холодной воды' : null));
    rows.push(row(`spb-fu:${i}:0`, `${roads[i % 6]} у дома ${i}`, true, 'roads'));
    rows.push(row(`vk:${i}`, `${chatter[i % 6]} ${i}`, false, null));
  }
  const config = readDetectorConfig(join(REPO_ROOT, 'config'));
  const problems = readProblemsIfAny(join(REPO_ROOT, 'config'));
  const train = { features: { bits: 12, charGrams: [3] }, headBits: { complaint: 12, topic: 12, problem: 10 }, epochs: 8 };
  const accuracy = (scored: Scored[]): number => scored.filter((s) => s.analysis.detection.isAppeal === s.row.complaint).length / scored.length;

  it('should score every row once with a model that did not see its thread, problems included', () => {
    const scored = crossValidate(rows, { config, problems, folds: 3, train });
    expect(scored.map((s) => s.row.id).sort()).toEqual(rows.map((r) => r.row.id).sort());
    expect(accuracy(scored)).toBeGreaterThan(0.9);
    const topical = scored.filter((s) => s.row.topic);
    expect(topical.filter((s) => s.analysis.topicIfAppeal === s.row.topic).length / topical.length).toBeGreaterThan(0.9);
    expect(scored.filter((s) => s.goldProblem === 'no_cold_water')).toHaveLength(20);
  });

  it('should never score a row with a model trained on it: random labels stay at chance', () => {
    // Made-up words with coin-toss labels: a model can only memorise them, so a fold that leaked
    // its own rows into training would score far above chance. The words are unknown to every rule,
    // and short enough (16 letters) that each row is its own thread, so copies under another id leak.
    let seed = 7;
    const random = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const word = (): string => Array.from({ length: 8 }, () => 'бвгджзклмнпрстфхцчшщ'[Math.floor(random() * 20)]).join('');
    const noise: FileRow[] = Array.from({ length: 300 }, (_, i) => row(`vk:${i}`, `${word()} ${word()}`, random() < 0.5, null));
    const noisy = { ...train, features: { bits: 16, charGrams: [3] }, headBits: { complaint: 16, topic: 12, problem: 10 }, epochs: 30 };
    const memorised = crossValidate([...noise, ...noise.map((r) => ({ ...r, row: { ...r.row, id: `${r.row.id}:copy` } }))], {
      config,
      problems,
      folds: 2,
      train: noisy,
    });
    const held = crossValidate(noise, { config, problems, folds: 5, train: noisy });
    // The same rows under two ids: where they fall in different folds (about half), the leak shows.
    expect(accuracy(memorised)).toBeGreaterThan(0.7);
    expect(accuracy(held)).toBeLessThan(0.62);
  });

  it('should refuse fewer than 2 folds', () => {
    expect(() => crossValidate(rows, { config, problems, folds: 1 })).toThrow(/at least 2 folds/);
  });
});
