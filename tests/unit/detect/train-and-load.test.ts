import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Featurizer } from '../../../src/detect/featurizer.js';
import { LinearModel } from '../../../src/detect/linear-model.js';
import { loadComplaintDetector, loadDetector } from '../../../src/detector-loader.js';
import { readLabelled, splitOf, type LabelledRow } from '../../../src/training/labelled-data.js';
import { trainModel } from '../../../src/training/train-model.js';
import { REPO_ROOT } from '../../helpers/index.js';

/** Rows written for this test; no data set is needed, so `npm test` runs in any clone. */
const complaints = ['нет воды в доме', 'яма на дороге у школы', 'мусор не вывозят', 'не горят фонари во дворе', 'прорвало трубу в подвале', 'лифт не работает'];
const others = ['всем доброе утро', 'какой красивый закат', 'с днем рождения, мама', 'продаю велосипед недорого', 'отличные выходные были', 'смотрели кино вчера'];
const rows: LabelledRow[] = [
  ...complaints.map((text, i) => ({ id: `c${i}`, text, complaint: true, topic: i % 2 === 0 ? ('housing' as const) : ('roads' as const), kind: 'test' })),
  ...others.map((text, i) => ({ id: `o${i}`, text, complaint: false, topic: null, kind: 'test' })),
];

describe('trainModel', () => {
  it('should learn to separate complaints from chatter and be deterministic', () => {
    const model = trainModel(rows, { bits: 12, epochs: 30, keep: 0 });
    const scorer = new LinearModel(model);
    const featurizer = new Featurizer(model.bits);
    for (const row of rows) expect(scorer.complaintLogit(featurizer.view(row.text).features) > 0, row.text).toBe(row.complaint);
    expect(model.topic.classes).toEqual(['housing', 'roads']);
    expect(model.trainedIds).toHaveLength(rows.length);
    expect(JSON.stringify(trainModel(rows, { bits: 12, epochs: 30, keep: 0 }))).toBe(JSON.stringify(model));
  });
});

describe('labelled data', () => {
  it('should read good lines, skip broken ones with a reason and map topic names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-labelled-'));
    const file = join(dir, 'rows.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', text: 'нет воды', label: 'complaint', topic: 'ЖКХ' }),
        '{broken',
        JSON.stringify({ text: 'без метки' }),
        JSON.stringify({ id: 'b', text: 'привет', label: 'not_complaint' }),
        '',
      ].join('\n'),
    );
    const { rows: read, skipped } = readLabelled(file);
    expect(read.map((r) => [r.id, r.complaint, r.topic])).toEqual([
      ['a', true, 'housing'],
      ['b', false, null],
    ]);
    expect(skipped).toHaveLength(2);
  });

  it('should split deterministically and keep a portal thread in one split', () => {
    expect(splitOf('spb:3244261')).toBe(splitOf('spb-ans:3244261:0'));
    expect(splitOf('spb:3244261')).toBe(splitOf('spb-fu:3244261:2'));
    const counts = { train: 0, valid: 0, test: 0 };
    for (let i = 0; i < 5000; i++) counts[splitOf(`vk:${i}`)]++;
    expect(counts.test / 5000).toBeGreaterThan(0.17);
    expect(counts.test / 5000).toBeLessThan(0.23);
    expect(counts.valid / 5000).toBeGreaterThan(0.07);
  });
});

describe('loadDetector', () => {
  const copyConfig = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-detector-'));
    copyFileSync(join(REPO_ROOT, 'config', 'detector.json'), join(dir, 'detector.json'));
    return dir;
  };

  it('should work from rules alone when no model file is shipped', () => {
    const detector = loadDetector(copyConfig(), []);
    expect(detector.detect('Третий день нет воды, примите меры!').isAppeal).toBe(true);
    expect(detector.detect('Спасибо за оперативную работу!').isAppeal).toBe(false);
  });

  it('should refuse a broken detector.json or model with a message that names the file and field', () => {
    const dir = copyConfig();
    writeFileSync(join(dir, 'detector.json'), JSON.stringify({ thresholds: { reply: 0.3, review: 0.9 } }));
    expect(() => loadDetector(dir, [])).toThrow(/detector\.json.*thresholds/);
    const good = copyConfig();
    writeFileSync(join(good, 'complaint-model.json'), '{"version": 2}');
    expect(() => loadComplaintDetector(good, [])).toThrow(/Invalid model .*complaint-model\.json/);
    const model = { version: 1, bits: 8, complaint: { bias: 0, weights: [[0, 1], [3, 0.5]] }, topic: { classes: ['water'], biases: [0], weights: [[[1, 2]]] } };
    writeFileSync(join(good, 'complaint-model.json'), JSON.stringify(model));
    expect(loadComplaintDetector(good, []).detect('нет воды').score).toBeGreaterThanOrEqual(0);
    for (const pair of [[-1, 0.5], [1.5, 0.5], [1, '0.5'], [1], [1, 2, 3], 'pair']) {
      writeFileSync(join(good, 'complaint-model.json'), JSON.stringify({ ...model, topic: { ...model.topic, weights: [[[1, 2], pair]] } }));
      expect(() => loadComplaintDetector(good, [])).toThrow(/Invalid model .*complaint-model\.json: topic\.weights\.0: expected a list of \[index/);
    }
    writeFileSync(join(good, 'complaint-model.json'), 'not json');
    expect(() => loadComplaintDetector(good, [])).toThrow(/Cannot read/);
  });
});
