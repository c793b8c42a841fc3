import { describe, expect, it } from 'vitest';
import {
  excelDateTime,
  INCIDENT_EXPORT_COLUMNS,
  INCIDENT_EXPORT_HEADER,
  incidentExportRow,
  localDateTime,
  sourceName,
} from '../../../src/reports/incident-export.js';
import type { ExportSourceRow } from '../../../src/store/stats-store.js';
import { testConfig } from '../../helpers/index.js';

const config = testConfig();
const msk = (iso: string): number => Date.parse(`${iso}+03:00`);
const col = (name: (typeof INCIDENT_EXPORT_COLUMNS)[number]) => INCIDENT_EXPORT_COLUMNS.indexOf(name);

const base: ExportSourceRow = {
  id: 17,
  created_at: msk('2026-11-23T10:00:00'),
  channel: 'vk_comment',
  source_key: 'vk:210002',
  municipality_id: 'zarechensk',
  department_id: 'zar-vodokanal',
  holder_name: 'Ирина (МЦУ Зареченск)',
  topic: 'housing',
  problem: 'no_cold_water',
  urgency: 'emergency',
  status: 'answered',
  kind: 'complaint',
  acknowledged_at: msk('2026-11-23T10:00:42'),
  accepted_at: msk('2026-11-23T10:30:00'),
  answered_at: msk('2026-11-23T12:15:00'),
  closed_at: null,
  accept_due_at: msk('2026-11-23T11:00:00'),
  answer_due_at: msk('2026-11-23T14:00:00'),
  overdue: 0,
  author_key: 'vk:100101',
  text: 'Нет воды на Ленина 20',
  thread_json: JSON.stringify({ channel: 'vk_comment', groupId: 210002, postId: 5, commentId: 77, threadCommentId: 77 }),
};

describe('incident export row', () => {
  it('should write Russian local times, Russian names instead of ids, minutes to ack and answer, and a link to the comment', () => {
    const row = incidentExportRow(base, config, { includeText: true });
    expect(row).toHaveLength(INCIDENT_EXPORT_COLUMNS.length);
    expect(INCIDENT_EXPORT_HEADER).toHaveLength(INCIDENT_EXPORT_COLUMNS.length);
    expect(INCIDENT_EXPORT_HEADER.slice(0, 3)).toEqual(['Номер', 'Зарегистрировано', 'Канал']);
    expect(row[col('number')]).toBe(17);
    expect(row[col('created')]).toBe('23.11.2026 10:00:00');
    expect([row[col('topic')], row[col('problem')]]).toEqual(['ЖКХ', 'Нет холодной воды']);
    expect(incidentExportRow({ ...base, problem: null }, config, { includeText: true })[col('problem')]).toBe('');
    expect(row[col('status')]).toBe('дан ответ');
    expect(row[col('kind')]).toBe('жалоба');
    expect(incidentExportRow({ ...base, kind: 'question' }, config, { includeText: true })[col('kind')]).toBe('вопрос');
    expect(row[col('urgency')]).toBe('срочное');
    expect(row[col('holder')]).toBe('Ирина (МЦУ Зареченск)');
    expect(row[col('source')]).toBe('Администрация Зареченска');
    expect(row[col('municipality')]).toBe('Городской округ Зареченск');
    expect(row[col('department')]).toBe('МУП «Зареченский водоканал»');
    expect(row[col('topic')]).toBe('ЖКХ');
    expect(row[col('minutes_to_ack')]).toBe(1);
    expect(row[col('minutes_to_answer')]).toBe(135);
    expect(row[col('closed')]).toBe('');
    expect(row[col('answer_due')]).toBe('23.11.2026 14:00:00');
    expect(row[col('overdue')]).toBe(false);
    expect(row[col('text')]).toBe('Нет воды на Ленина 20');
    expect(row[col('link')]).toBe('https://vk.com/wall-210002_5?reply=77');
  });

  it('should leave the text out on request, and text and link out for an anonymised incident', () => {
    expect(incidentExportRow(base, config, { includeText: false })[col('text')]).toBe('');
    const anonymised = incidentExportRow({ ...base, author_key: 'anonymised', text: null }, config, { includeText: true });
    expect(anonymised[col('text')]).toBe('');
    expect(anonymised[col('link')]).toBe('');
  });

  it('should survive a broken thread and unknown ids', () => {
    const row = incidentExportRow({ ...base, thread_json: '{not json', department_id: 'gone', municipality_id: null, source_key: 'tg:-100777' }, config, {
      includeText: true,
    });
    expect(row[col('link')]).toBe('');
    expect(row[col('department')]).toBe('gone');
    expect(row[col('municipality')]).toBe('регион (без МО)');
    expect(row[col('source')]).toBe('Telegram -100777');
    expect(sourceName(config, 'tg:100101')).toBe('Telegram, личный чат');
    expect(sourceName({ ...config, max: { ...config.max, chats: [{ chatId: -70, title: 'Дом Ленина 5', municipalityId: null }] } }, 'max:-70')).toBe(
      'Дом Ленина 5',
    );
    expect(sourceName(config, 'max:800001')).toBe('MAX 800001');
  });

  it('should format times in the region zone and leave null empty', () => {
    expect(localDateTime(Date.UTC(2026, 0, 1, 21, 5, 9), 'Europe/Moscow')).toBe('2026-01-02 00:05:09');
    expect(localDateTime(null, 'Europe/Moscow')).toBe('');
    expect(excelDateTime(Date.UTC(2026, 0, 1, 21, 5, 9), 'Europe/Moscow')).toBe('02.01.2026 00:05:09');
    expect(excelDateTime(null, 'Europe/Moscow')).toBe('');
  });
});
