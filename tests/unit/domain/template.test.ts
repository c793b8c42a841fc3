import { describe, expect, it } from 'vitest';
import { alertTemplateProblems, alertText } from '../../../src/domain/alert-templates.js';
import { fillTemplate, findTemplate, placeholdersOf } from '../../../src/domain/template.js';

const templates = {
  ru: { ack: 'Обращение №{number}', alert_spike_hint: 'Подумайте об объявлении: /announce', alert_responsible: 'Ответственные: {moderators}' },
  en: { ack: 'Appeal #{number}' },
};

describe('templates', () => {
  it('should take the region language first and ru for what it lacks, with the path it came from', () => {
    expect(findTemplate(templates, 'en', 'ack')).toEqual({ path: 'templates.en.ack', text: 'Appeal #{number}' });
    expect(findTemplate(templates, 'en', 'alert_spike_hint')?.path).toBe('templates.ru.alert_spike_hint');
    expect(findTemplate(templates, 'de', 'ack')?.path).toBe('templates.ru.ack');
    expect(findTemplate(templates, 'ru', 'nothing')).toBeUndefined();
  });

  it('should fill placeholders once, leave an unknown one visible, and not read placeholders inside values', () => {
    expect(fillTemplate('№{number}: {text} {typo}', { number: 7, text: '{number} <b>' })).toBe('№7: {number} <b> {typo}');
    expect(placeholdersOf('{a} {b} {a} {not-one}')).toEqual(['a', 'b']);
  });

  it('should render an alert from config and name the key when the config lacks it', () => {
    const config = { region: { language: 'ru' }, templates };
    expect(alertText(config, 'alert_responsible', { moderators: '<a href="tg://user?id=1">Анна</a>' })).toBe(
      'Ответственные: <a href="tg://user?id=1">Анна</a>',
    );
    expect(() => alertText(config, 'alert_regional', { moderators: 'x' })).toThrow('No alert template "alert_regional" for language ru in config');
  });

  it('should list every absent alert template of a config that has none', () => {
    const problems = alertTemplateProblems({ region: { language: 'ru' }, templates });
    expect(problems.some((p) => p.startsWith('  - templates.ru.alert_deadline_soon = missing'))).toBe(true);
    expect(problems.some((p) => p.includes('alert_spike_hint'))).toBe(false);
  });
});
