import { describe, expect, it } from 'vitest';
import { FaqMatcher } from '../../../src/domain/faq.js';

const entries = [
  { id: 'mfc_hours', words: ['мфц', 'многофункциональный центр'], problems: [], link: 'https://mfc.example.ru' },
  { id: 'bus_timetable', words: ['расписание автобус', 'расписание маршрут'], problems: ['transport_timetable'], link: null },
];

describe('FaqMatcher', () => {
  const faq = new FaqMatcher(entries);

  it('should match a phrase whatever the endings and the words around it', () => {
    expect(faq.match('Добрый день! Во сколько сегодня работает МФЦ?')?.id).toBe('mfc_hours');
    expect(faq.match('Подскажите расписание автобуса №3')?.id).toBe('bus_timetable');
    expect(faq.match('Где посмотреть расписание автобусов на выходные?')?.id).toBe('bus_timetable');
    expect(faq.match('Как работает многофункциональный центр в праздники?')?.id).toBe('mfc_hours');
  });

  it('should match by the detector problem', () => {
    expect(faq.match('Когда пойдёт первый утренний?', 'transport_timetable')?.id).toBe('bus_timetable');
  });

  it('should not match a word inside another word or words out of order', () => {
    expect(faq.match('Где получить справку о составе семьи?')).toBeNull();
    expect(faq.match('Автобус ходит не по расписанию?')).toBeNull();
    expect(faq.match('Камфцы?')).toBeNull();
  });
});
