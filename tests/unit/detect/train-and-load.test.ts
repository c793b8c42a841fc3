import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Featurizer } from '../../../src/detect/featurizer.js';
import { encodeRows, LinearHead, LinearModel } from '../../../src/detect/linear-model.js';
import { loadComplaintDetector, loadDetector } from '../../../src/detector-loader.js';
import { NO_PROBLEMS } from '../../../src/domain/problem.js';
import { type LabelledRow, letterSkeleton, readLabelled, splitOf } from '../../../src/training/labelled-data.js';
import { trainModel } from '../../../src/training/train-model.js';
import { REPO_ROOT } from '../../helpers/index.js';

/** Rows written for this test; no data set is needed, so `npm test` runs in any clone. */
const complaints = ['нет воды в доме', 'яма на дороге у школы', 'мусор не вывозят', 'не горят фонари во дворе', 'прорвало трубу в подвале', 'лифт не работает'];
const others = [
  'всем доброе утро',
  'какой красивый закат',
  'с днем рождения, мама',
  'продаю велосипед недорого',
  'отличные выходные были',
  'смотрели кино вчера',
];
/** Problems of the rows, as a labelled file names them by the centre's fine topics. */
const centreTopics = ['Отсутствие холодной воды', 'Ямы и выбоины на дороге'];
const rows: LabelledRow[] = [
  ...complaints.map((text, i) => ({
    id: `c${i}`,
    text,
    complaint: true,
    topic: i % 2 === 0 ? ('housing' as const) : ('roads' as const),
    kind: 'test',
    centreTopic: centreTopics[i % 2]!,
    problem: null,
  })),
  ...others.map((text, i) => ({ id: `o${i}`, text, complaint: false, topic: null, kind: 'test', centreTopic: null, problem: null })),
];
const small = { features: { bits: 12, charGrams: [3] }, headBits: { complaint: 12, topic: 12, problem: 10 }, epochs: 30, keep: 0, minProblemExamples: 2 };
const problemOf = (row: LabelledRow) => (row.centreTopic === 'Отсутствие холодной воды' ? 'no_cold_water' : row.centreTopic ? 'road_surface' : null);

describe('trainModel', () => {
  it('should learn to separate complaints from chatter, topics and problems, and be deterministic', () => {
    const model = trainModel(rows, problemOf, small);
    const scorer = new LinearModel(model);
    const featurizer = new Featurizer(scorer.features);
    for (const row of rows) expect(scorer.complaintLogit(featurizer.view(row.text).features) > 0, row.text).toBe(row.complaint);
    expect(model.topic.classes).toEqual(['housing', 'roads']);
    expect(model.problem?.classes).toEqual(['no_cold_water', 'road_surface']);
    const water = scorer.problem!.logits(featurizer.view('нет воды в доме').features);
    expect(water[0]).toBeGreaterThan(water[1]!);
    expect(model.trainedIds).toHaveLength(rows.length);
    expect(JSON.stringify(trainModel(rows, problemOf, small))).toBe(JSON.stringify(model));
  });

  it('should leave out the problem head when no row has a problem label', () => {
    expect(trainModel(rows, () => null, small).problem).toBeNull();
  });
});

describe('the packed weight rows', () => {
  it('should give back every kept weight within the quantisation step, and drop rows below keep', () => {
    const k = 3;
    const weights = new Float64Array(256 * k);
    weights[5 * k + 1] = 2.5;
    weights[5 * k + 2] = -0.75;
    weights[200 * k] = -4;
    weights[201 * k] = 0.001;
    const { rows: packed, scale } = encodeRows(weights, k, 0.01);
    const head = new LinearHead({ classes: ['a', 'b', 'c'], counts: [1, 1, 1], biases: [0, 0, 0], bits: 8, scale, precision: 16, rows: packed });
    const at = (f: number) => Array.from(head.logits({ indices: Int32Array.of(f), value: 1 }));
    expect(at(5).map((v) => Math.round(v * 100) / 100)).toEqual([0, 2.5, -0.75]);
    expect(at(200)[0]).toBeCloseTo(-4, 3);
    expect(at(201)).toEqual([0, 0, 0]);
    const eight = encodeRows(weights, k, 0.01, 8);
    const small = new LinearHead({
      classes: ['a', 'b', 'c'],
      counts: [1, 1, 1],
      biases: [0, 0, 0],
      bits: 8,
      scale: eight.scale,
      precision: 8,
      rows: eight.rows,
    });
    expect(small.logits({ indices: Int32Array.of(5), value: 1 })[1]).toBeCloseTo(2.5, 1);
    expect(eight.rows.length).toBeLessThan(packed.length);
  });

  it('should refuse a truncated or foreign block with a reason', () => {
    const { rows: packed, scale } = encodeRows(Float64Array.of(0, 1, 0, 2), 2, 0);
    const head = (rows: string, bits = 8) => new LinearHead({ classes: ['a', 'b'], counts: [1, 1], biases: [0, 0], bits, scale, precision: 16, rows });
    expect(() => head(packed.slice(0, 4))).toThrow(/end inside a row/);
    expect(() => head('not base64!')).toThrow(/not base64/);
    expect(() => head(encodeRows(new Float64Array(600).fill(1), 2, 0).rows)).toThrow(/outside 2\^8/);
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
    const at = (id: string, text = 'нет воды') => splitOf({ id, text });
    expect(at('spb:3244261')).toBe(at('spb-ans:3244261:0', 'Уважаемый пользователь! Работы выполнены.'));
    expect(at('spb:3244261')).toBe(at('spb-fu:3244261:2', 'До сих пор не устранено'));
    const counts = { train: 0, valid: 0, test: 0 };
    for (let i = 0; i < 5000; i++) counts[at(`vk:${i}`)]++;
    expect(counts.test / 5000).toBeGreaterThan(0.17);
    expect(counts.test / 5000).toBeLessThan(0.23);
    expect(counts.valid / 5000).toBeGreaterThan(0.07);
  });

  it('should keep near-copies of a spam template in one split, whatever look-alike letters they use', () => {
    expect(letterSkeleton('Тρе6γются ρабσтники на удалёнку!')).toBe(letterSkeleton('Требуются работники на удаленку'));
    const ids = Array.from({ length: 40 }, (_, i) => `tgspam:${i}`);
    const splits = new Set(
      ids.map((id, i) => splitOf({ id, text: i % 2 ? 'Тρе6γются ρабσтники на удалёнку, пиши в лс' : 'Требуются работники на удаленку! Пиши в ЛС' })),
    );
    expect(splits.size).toBe(1);
  });
});

describe('loadDetector', () => {
  const copyConfig = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'otklik-detector-'));
    copyFileSync(join(REPO_ROOT, 'config', 'detector.json'), join(dir, 'detector.json'));
    return dir;
  };

  it('should work from rules alone when no model file is shipped', () => {
    const detector = loadDetector(copyConfig(), [], NO_PROBLEMS);
    expect(detector.detect('Третий день нет воды, примите меры!').isAppeal).toBe(true);
    expect(detector.detect('Спасибо за оперативную работу!').isAppeal).toBe(false);
  });

  it('should refuse a broken detector.json or model with a message that names the file and field', () => {
    const dir = copyConfig();
    writeFileSync(join(dir, 'detector.json'), JSON.stringify({ thresholds: { reply: 0.3, review: 0.9 } }));
    expect(() => loadDetector(dir, [], NO_PROBLEMS)).toThrow(/detector\.json.*thresholds/);
    const good = copyConfig();
    const load = () => loadComplaintDetector(good, [], NO_PROBLEMS);
    writeFileSync(join(good, 'complaint-model.json'), '{"version": 2}');
    expect(load).toThrow(/Invalid model .*complaint-model\.json/);
    writeFileSync(join(good, 'complaint-model.json'), JSON.stringify({ version: 1, bits: 8, complaint: { bias: 0, weights: [] } }));
    expect(load).toThrow(/Invalid model .*complaint-model\.json: version/);
    const model = trainModel(rows, problemOf, small);
    writeFileSync(join(good, 'complaint-model.json'), JSON.stringify(model));
    expect(load().detect('нет воды в доме').score).toBeGreaterThanOrEqual(0);
    writeFileSync(join(good, 'complaint-model.json'), JSON.stringify({ ...model, topic: { ...model.topic, biases: [0] } }));
    expect(load).toThrow(/one bias and one count per class/);
    writeFileSync(join(good, 'complaint-model.json'), JSON.stringify({ ...model, topic: { ...model.topic, rows: model.topic.rows.slice(0, 10) } }));
    expect(load).toThrow(/end inside/);
    writeFileSync(join(good, 'complaint-model.json'), 'not json');
    expect(load).toThrow(/Cannot read/);
  });
});
