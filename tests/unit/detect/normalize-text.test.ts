import { describe, expect, it } from 'vitest';
import { MAX_DETECT_CHARS, normalizeText } from '../../../src/detect/normalize-text.js';

describe('normalizeText', () => {
  it('should remove HTML markup (tags, closed script and style elements, entities) and keep the words around it', () => {
    expect(normalizeText('<script>alert(document.cookie)</script> Нет отопления').text.trim()).toBe('нет отопления');
    expect(normalizeText('<b>Яма</b> на <a href="javascript:alert(1)">Мира</a> &amp; 5').text.replace(/\s+/g, ' ').trim()).toBe('яма на мира 5');
    // A lone «<» or «a < b» is not markup.
    expect(normalizeText('температура < 15 градусов').text).toBe('температура < 15 градусов');
  });

  it('should lower-case and turn ё into е', () => {
    expect(normalizeText('ЁЛКИ Зелёные').text).toBe('елки зеленые');
  });

  it('should replace Latin look-alikes inside Cyrillic words only', () => {
    // "с", "о", "р", "а" below are Latin letters typed into Russian words.
    expect(normalizeText('сkолько мoжно, пpивет зaвод').text).toBe('сколько можно, привет завод');
    expect(normalizeText('hello world').text).toBe('hello world');
    expect(normalizeText('дом30 кв12а с0бака').text).toBe('дом30 кв12а собака');
  });

  it('should read Greek look-alikes and digits inside Russian words as the letters they imitate, and count such words', () => {
    const n = normalizeText('Тρе6γются ρабσтники на дом 16');
    expect(n.text).toBe('требуются работники на дом 16');
    expect(n.lookAlikeWords).toBe(2);
    expect(normalizeText('нет воды').lookAlikeWords).toBe(0);
  });

  it('should collapse letters repeated three times or more', () => {
    expect(normalizeText('нееет водыыыы, ооочень плохо').text).toBe('нет воды, очень плохо');
    expect(normalizeText('ванна касса').text).toBe('ванна касса');
  });

  it('should turn URLs and mentions into placeholder words and count them', () => {
    const n = normalizeText('Смотрите https://example.com/a?b=1 и vk.ru/club1, пишите @ivan и [id123|Иван]');
    expect(n.text).toBe('смотрите  url  и  url  пишите  mention  и  mention ');
    expect(n.urls).toBe(2);
    expect(n.mentions).toBe(2);
  });

  it('should remove and count emoji', () => {
    const n = normalizeText('нет воды 😡😡 👍');
    expect(n.emoji).toBe(3);
    expect(n.text.trim()).toBe('нет воды');
  });

  it('should repair broken UTF-16 and control characters and cut huge texts', () => {
    expect(normalizeText('а\uD800б\u0000в').text).toBe('а б в');
    expect(normalizeText('я'.repeat(MAX_DETECT_CHARS * 3)).original.length).toBe(MAX_DETECT_CHARS);
  });

  it('should keep the original casing for place matching', () => {
    expect(normalizeText('В Зареченске').original).toBe('В Зареченске');
  });
});
