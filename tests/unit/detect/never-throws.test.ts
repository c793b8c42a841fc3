import { describe, expect, it } from 'vitest';
import { type Detection, TOPIC_IDS } from '../../../src/domain/detection.js';
import { shippedDetector } from './detector-fixture.js';

const detector = shippedDetector();

/** Small seeded PRNG (mulberry32): the same "random" inputs on every run, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOL = [
  'нет',
  'воды',
  'спасибо',
  'Ленина',
  '12',
  'ул.',
  'д.',
  'яма',
  '!!!',
  '😡',
  '\u0301',
  'ё',
  'i',
  'і',
  'ў',
  'қ',
  'http://x.ru',
  '@id1',
  '[id1|Имя]',
  '#',
  '*',
  '=',
  '\n',
  '\t',
  ' ',
];

function randomText(random: () => number): string {
  const parts: string[] = [];
  const n = Math.floor(random() * 40);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.4) parts.push(POOL[Math.floor(random() * POOL.length)]!);
    // Any UTF-16 code unit, lone surrogates and NUL included.
    else if (r < 0.8) parts.push(String.fromCharCode(Math.floor(random() * 0x10000)));
    else parts.push(String.fromCodePoint(Math.floor(random() * 0x10ffff)));
  }
  return parts.join(random() < 0.5 ? ' ' : '');
}

function expectWellFormed(d: Detection): void {
  expect(d.score).toBeGreaterThanOrEqual(0);
  expect(d.score).toBeLessThanOrEqual(1);
  expect(['reply', 'review', 'ignore']).toContain(d.verdict);
  expect(d.isAppeal).toBe(d.verdict !== 'ignore' && d.kind !== 'none');
  if (d.isAppeal) expect(TOPIC_IDS).toContain(d.topic);
  else expect(d.topic).toBeNull();
  expect(d.language).toMatch(/^[a-z]{3}$/);
  expect(Array.isArray(d.reasons)).toBe(true);
  expect(() => JSON.stringify(d)).not.toThrow();
}

describe('detector on any input', () => {
  it('should never throw and always return a well-formed detection on 3000 random texts', () => {
    const random = prng(20261124);
    for (let i = 0; i < 3000; i++) {
      const text = randomText(random);
      const d = detector.detect(text, i % 2 === 0 ? { municipalityId: 'zarechensk' } : undefined);
      expectWellFormed(d);
    }
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t '],
    ['lone high surrogate', '\uD83D'],
    ['lone low surrogate inside words', 'нет \uDE00 воды'],
    ['NUL and control bytes', 'нет\u0000воды\u0007\u001b[31m'],
    ['binary', String.fromCharCode(...Array.from({ length: 512 }, (_, i) => (i * 37) % 256))],
    ['a megabyte of complaint', 'нет воды на Ленина 12 '.repeat(50_000)],
    ['a megabyte without spaces', 'а'.repeat(1_000_000)],
    ['only emoji', '🤬'.repeat(1000)],
    ['combining marks', 'н\u0301\u0301\u0301е\u0308т в\u0336о\u0336д\u0336ы'],
    ['right-to-left and zero-width', '\u202Eнет воды\u200B\u200D\uFEFF'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a citizen's literal ${}, not a template
    ['regex specials', '.*+?^${}()|[]\\ ул. ( Ленина [12'],
    ['numbers only', '12 34 56 78 90'],
    ['a long Latin run before a Cyrillic-Latin pair', `${'a'.repeat(3990)} аx`],
    ['unclosed VK mentions', '[id1|'.repeat(800)],
    ['a thousand negations', 'не '.repeat(1300)],
  ])('should handle %s', (_, text) => {
    expectWellFormed(detector.detect(text));
  });

  it('should handle values that are not strings at all', () => {
    for (const value of [undefined, null, 42, {}, []] as unknown as string[]) expectWellFormed(detector.detect(value));
  });

  it('should still find the complaint at the start of a huge message', () => {
    const d = detector.detect(`Нет воды на Ленина 12! ${'бла '.repeat(200_000)}`);
    expect(d.isAppeal).toBe(true);
    expect(d.urgency).toBe('emergency');
  });
});
