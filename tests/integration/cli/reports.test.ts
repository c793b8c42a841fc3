import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExport, runStats } from '../../../src/cli/reports.js';
import { ConfigError, MigrationError } from '../../../src/errors.js';
import { openDb } from '../../../src/store/db.js';
import { migrateToLatest } from '../../../src/store/migrator.js';
import { REPO_ROOT } from '../../helpers/index.js';
import { msk, seedIncident } from '../jobs/seed.js';

/** The report commands against a real SQLite file, as an operator runs them beside the bot. */
let dir: string;
let env: NodeJS.ProcessEnv;
const NOW = msk('2026-11-23T18:00:00');
const clock = () => NOW;

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out, text: () => text };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'otklik-reports-'));
  const dbPath = join(dir, 'otklik.sqlite');
  env = { OTKLIK_CONFIG_DIR: join(REPO_ROOT, 'config'), OTKLIK_CONFIG_LOCAL: join(dir, 'none.json'), OTKLIK_DB_PATH: dbPath };
  const db = openDb(dbPath);
  migrateToLatest(db);
  seedIncident(db, {
    createdAt: msk('2026-11-22T09:00:00'),
    topic: 'roads',
    status: 'closed',
    acknowledgedAt: msk('2026-11-22T09:01:00'),
    answeredAt: msk('2026-11-22T13:00:00'),
    closedAt: msk('2026-11-22T15:00:00'),
  });
  seedIncident(db, {
    createdAt: msk('2026-11-23T10:00:00'),
    topic: 'housing',
    problem: 'no_cold_water',
    urgency: 'emergency',
    text: 'Нет воды, "срочно"\nтретий день',
    acceptDueAt: msk('2026-11-23T11:00:00'),
    answerDueAt: msk('2026-11-23T14:00:00'),
  });
  seedIncident(db, { createdAt: msk('2026-11-23T11:00:00'), topic: 'housing', municipalityId: 'sosnovka', status: 'accepted', text: '=cmd|calc' });
  seedIncident(db, { createdAt: msk('2026-11-24T01:00:00'), topic: 'waste' });
  db.close();
});

describe('otklik stats', () => {
  it('should print counts by status, topic, municipality and source for the period', () => {
    const { out, text } = capture();
    runStats({ env, out, clock }, { period: 'today', json: false });
    expect(text()).toContain('Обращений: 2');
    expect(text()).toMatch(/новые\s+1/);
    expect(text()).toMatch(/в работе\s+1/);
    expect(text()).toMatch(/ЖКХ\s+2/);
    expect(text()).toMatch(/Городской округ Зареченск\s+1/);
    expect(text()).toMatch(/Сосновский район\s+1/);
    expect(text()).toMatch(/VK, комментарии\s+2/);
    expect(text()).toContain('Просрочено сейчас: 1 (№2)');
    expect(text()).toMatch(/По проблемам:\n\s+Нет холодной воды\s+1\n/);
    expect(text()).toMatch(/Детектор за неделю \(16\.11–23\.11\): сам не зарегистрировал ни одного обращения/);
  });

  it('should print JSON that matches the database with --json', () => {
    const { out, text } = capture();
    runStats({ env, out, clock }, { period: '2026-11-22..2026-11-23', json: true });
    const stats = JSON.parse(text()) as { total: number; byTopic: { topic: string; count: number }[] };
    expect(stats.total).toBe(3);
    expect(stats.byTopic).toEqual([
      { topic: 'housing', count: 2 },
      { topic: 'roads', count: 1 },
    ]);
  });

  it('should narrow the numbers to one municipality, and refuse an unknown one', () => {
    const { out, text } = capture();
    runStats({ env, out, clock }, { period: 'today', json: true, municipality: 'sosnovka' });
    expect(JSON.parse(text())).toMatchObject({ total: 1, byStatus: { accepted: 1 } });
    expect(() => runStats({ env, clock }, { period: 'today', json: false, municipality: 'atlantis' })).toThrow(
      /Unknown municipality "atlantis"; known: zarechensk, sosnovka/,
    );
  });

  it('should refuse an unknown period with the forms it accepts', () => {
    expect(() => runStats({ env, clock }, { period: 'someday', json: false })).toThrow(ConfigError);
    expect(() => runStats({ env, clock }, { period: 'someday', json: false })).toThrow(/Unknown period "someday".*--period/);
  });

  it('should say where the database is missing instead of creating an empty one', () => {
    expect(() => runStats({ env: { ...env, OTKLIK_DB_PATH: join(dir, 'nope.sqlite') }, clock }, { period: 'today', json: false })).toThrow(
      /No database at .*nope\.sqlite/,
    );
  });

  it('should ask for migrations on a database that is behind', () => {
    const path = join(dir, 'old.sqlite');
    openDb(path).close();
    expect(() => runStats({ env: { ...env, OTKLIK_DB_PATH: path }, clock }, { period: 'today', json: false })).toThrow(MigrationError);
  });
});

describe('otklik export', () => {
  it("should write the period's incidents as CSV for Russian Excel: a BOM, `;`, Russian headers and values, quoted texts and neutralised formulas", () => {
    const out = join(dir, 'export.csv');
    const result = runExport({ env, clock }, { from: '2026-11-22', to: '2026-11-23', out, text: true });
    expect(result).toEqual({ rows: 3, path: out });
    const csv = readFileSync(out, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Номер;Зарегистрировано;Канал;Источник;Муниципалитет;Ответственный;Исполнитель;Тема;Проблема;Срочность;Статус;Вид;Подтверждено жителю;Принято в работу;Дан ответ;Закрыто;Минут до подтверждения;Минут до ответа;Срок принятия;Срок ответа;Просрочено;Текст обращения;Ссылка',
    );
    expect(lines[1]).toMatch(/^1;22\.11\.2026 09:00:00;VK, комментарии;/);
    expect(lines[1]).toContain(';1;240;');
    expect(csv).toContain('"Нет воды, ""срочно""\r\nтретий день"'.replace('\r\n', '\n'));
    expect(csv).toContain(";'=cmd|calc;");
    expect(csv).not.toContain('24.11.2026 01:00:00');
    expect(csv).not.toMatch(/;(answered|emergency|new|complaint);/);
    // The emergency incident is past its accept deadline at 18:00: overdue.
    expect(csv).toMatch(/23\.11\.2026 11:00:00;23\.11\.2026 14:00:00;да;/);
  });

  it('should leave the texts out with --no-text and write to stdout with -', () => {
    const { out, text } = capture();
    expect(runExport({ env, out, clock }, { from: '2026-11-23', to: '2026-11-23', out: '-', text: false })).toEqual({ rows: 2, path: null });
    expect(text()).not.toContain('Нет воды');
    expect(text().split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('should refuse dates that are not dates, and a range that ends before it starts', () => {
    expect(() => runExport({ env, clock }, { from: '2026-02-30', to: '2026-03-01', out: '-', text: true })).toThrow(/--from must be a date/);
    expect(() => runExport({ env, clock }, { from: '23.11.2026', to: '2026-11-23', out: '-', text: true })).toThrow(/--from must be a date/);
    expect(() => runExport({ env, clock }, { from: '2026-11-23', to: '2026-11-01', out: '-', text: true })).toThrow(/before --from/);
  });
});
