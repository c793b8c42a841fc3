import { describe, expect, it } from 'vitest';
import { parseCommand, takeIncidentNumber } from '../../../src/moderation/parse-command.js';

describe('parseCommand', () => {
  it('should read a slash command with its arguments, across lines', () => {
    expect(parseCommand('/answer 12 Отремонтируем\nдо пятницы')).toEqual({ name: 'answer', args: '12 Отремонтируем\nдо пятницы', phrase: false });
    expect(parseCommand('  /LIST  ')).toEqual({ name: 'list', args: '', phrase: false });
  });

  it('should read the @bot suffix Telegram adds in groups apart from the name', () => {
    expect(parseCommand('/accept@otklik_bot 5')).toEqual({ name: 'accept', args: '5', phrase: false, bot: 'otklik_bot' });
  });

  it("should read the citizens' phrases", () => {
    expect(parseCommand('статус 123')).toEqual({ name: 'status', args: '123', phrase: true });
    expect(parseCommand('Статус №45')).toEqual({ name: 'status', args: '45', phrase: true });
    expect(parseCommand('статус обращения 7?')).toEqual({ name: 'status', args: '7', phrase: true });
    expect(parseCommand('Мои обращения')).toEqual({ name: 'mine', args: '', phrase: true });
  });

  it('should not take ordinary text for a command', () => {
    for (const text of ['', 'Нет воды', 'какой статус у моей заявки 12, скажите', '/', '/ответ 5', '//x', 'статус', '/12'])
      expect(parseCommand(text), text).toBeNull();
  });
});

describe('takeIncidentNumber', () => {
  it('should take 12, №12 and #12 and the rest', () => {
    expect(takeIncidentNumber('12 текст ответа')).toEqual({ ok: true, id: 12, rest: 'текст ответа' });
    expect(takeIncidentNumber('№12')).toEqual({ ok: true, id: 12, rest: '' });
    expect(takeIncidentNumber('#7 zar-gkh')).toEqual({ ok: true, id: 7, rest: 'zar-gkh' });
  });

  it('should say what is wrong with a missing or bad number', () => {
    expect(takeIncidentNumber('')).toEqual({ ok: false, reason: 'missing', given: '' });
    expect(takeIncidentNumber('двенадцать')).toEqual({ ok: false, reason: 'invalid', given: 'двенадцать' });
    expect(takeIncidentNumber('0')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(takeIncidentNumber('-3')).toMatchObject({ ok: false, reason: 'invalid' });
    expect(takeIncidentNumber('1234567890123')).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
