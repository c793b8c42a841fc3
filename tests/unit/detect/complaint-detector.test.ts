import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComplaintDetector } from '../../../src/detect/complaint-detector.js';
import { type DetectorConfig, DetectorConfigSchema } from '../../../src/detect/detector-config.js';
import { emptyModel } from '../../../src/detect/linear-model.js';
import { RussianStemmer } from '../../../src/detect/russian-stemmer.js';
import { REPO_ROOT } from '../../helpers/index.js';

const shipped = (): DetectorConfig => DetectorConfigSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'detector.json'), 'utf8')));
const rulesOnly = (config: DetectorConfig) => new ComplaintDetector({ config, model: emptyModel(), gazetteer: [] });

describe('ComplaintDetector with config changes', () => {
  it('should move a verdict with the thresholds and nothing else', () => {
    const text = 'Яма на дороге у дома';
    const base = shipped();
    const strict = rulesOnly({ ...base, thresholds: { reply: 0.99, review: 0.5 } }).detect(text);
    const lax = rulesOnly({ ...base, thresholds: { reply: 0.5, review: 0.3 } }).detect(text);
    expect(strict.score).toBe(lax.score);
    expect(strict.verdict).toBe('review');
    expect(lax.verdict).toBe('reply');
  });

  it('should let a region add its own words to a rule and a topic', () => {
    const base = shipped();
    const text = 'Опять шабашка у гаражей, дым коромыслом';
    expect(rulesOnly(base).detect(text).topic).not.toBe('safety');
    const tuned = {
      ...base,
      rules: [
        ...base.rules,
        { id: 'local', role: 'problem' as const, label: 'местное', weight: 3, phrases: ['шабашка'], unlessNegated: false, overridesThanks: true },
      ],
      topics: { ...base.topics, safety: { label: 'Безопасность', words: [...(base.topics.safety?.words ?? []), 'шабашка', 'гаражи'] } },
    };
    const d = rulesOnly(tuned).detect(text);
    expect(d.isAppeal).toBe(true);
    expect(d.topic).toBe('safety');
    expect(d.reasons.join(' ')).toContain('местное: «шабашка»');
  });

  it('should not count a "resolved" phrase that is negated', () => {
    const d = rulesOnly(shipped()).detect('Проблема не решена, мусор так и лежит');
    expect(d.isAppeal).toBe(true);
    expect(d.reasons.join(' ')).not.toContain('проблема решена');
  });

  it('should refuse a config with an unknown topic or crossed thresholds', () => {
    const base = JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'detector.json'), 'utf8')) as Record<string, unknown>;
    expect(DetectorConfigSchema.safeParse({ ...base, topics: { potholes: { label: 'Ямы', words: [] } } }).success).toBe(false);
    expect(DetectorConfigSchema.safeParse({ ...base, thresholds: { reply: 0.4, review: 0.6 } }).success).toBe(false);
    expect(DetectorConfigSchema.safeParse(base).success).toBe(true);
  });
});

describe('shipped topic words', () => {
  it('should not hold a single word the stemmer cuts to a common short stem (прием → при, запах → зап)', () => {
    // A one-word entry is matched by stem: «прием» would match every «при». Such words must be
    // written as a prefix («прием*») or an exact word («=вонь»).
    const stemmer = new RussianStemmer();
    const risky = Object.entries(shipped().topics).flatMap(([id, t]) =>
      t.words
        .filter((w) => /^[\p{L}]+$/u.test(w))
        .filter((w) => {
          const stem = stemmer.stem(w.toLowerCase().replace(/ё/g, 'е'));
          return stem.length <= 3 && w.length - stem.length >= 2;
        })
        .map((w) => `${id}: ${w}`),
    );
    expect(risky).toEqual([]);
  });
});
