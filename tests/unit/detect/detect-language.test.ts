import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE_OPTIONS, detectLanguage } from '../../../src/detect/detect-language.js';

const lang = (text: string) => detectLanguage(text.toLowerCase(), DEFAULT_LANGUAGE_OPTIONS);

describe('detectLanguage', () => {
  it('should call short Russian Russian, where franc says Macedonian or Ukrainian', () => {
    for (const text of ['Яма на дороге', 'опять нет воды', 'Где автобус?', 'Мусор']) expect(lang(text), text).toBe('rus');
  });

  it('should decide by distinctive letters', () => {
    expect(lang('Вибачте, де зупинка? Її немає')).toBe('ukr');
    expect(lang('Дякую за інформацію')).toBe('ukr');
    expect(lang('Дзякуй, усё добра, дзеці ўжо дома')).toBe('bel');
    expect(lang('Дзякуй вам вялікі за працу')).toBe('bel');
    expect(lang('Рахмет! Жақсы жаңалық.')).toBe('kaz');
    expect(lang('Сәлам, ничек хәлләр? Рәхмәт, җитә')).toBe('tat');
    expect(lang('Һаумыһығыҙ, рәхмәт ҙур')).toBe('bak');
  });

  it('should ask franc about Latin-script text and say und for text without letters', () => {
    expect(lang('Hello everyone, is there a good cafe near the station?')).toBe('eng');
    expect(lang('🤬🤬🤬 !!! 123')).toBe('und');
    expect(lang('ok')).toBe('und');
  });

  it('should answer only with allowed languages', () => {
    expect(detectLanguage('hello everyone, is there a good cafe near the station?', { allowed: ['rus'], francMinLetters: 12 })).toBe('und');
  });
});
