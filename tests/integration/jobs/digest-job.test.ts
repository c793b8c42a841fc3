import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DigestJob } from '../../../src/jobs/digest-job.js';
import { silentLogger } from '../../../src/logger.js';
import { handleReport } from '../../../src/moderation/commands/report.js';
import { collectDigestStats } from '../../../src/reports/digest-stats.js';
import { parsePeriod } from '../../../src/reports/period.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident } from './seed.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function seedDay() {
  const db = jobsDb();
  const day = (hh: string) => msk(`2026-11-22T${hh}:00`);
  const ids = {
    a: seedIncident(db, {
      createdAt: day('09:00'),
      topic: 'housing',
      channel: 'vk_comment',
      acknowledgedAt: day('09:00') + 1 * MIN,
      acceptedAt: day('09:00') + 30 * MIN,
      answeredAt: day('09:00') + 2 * HOUR,
      status: 'answered',
    }),
    b: seedIncident(db, {
      createdAt: day('10:00'),
      topic: 'housing',
      channel: 'telegram',
      acknowledgedAt: day('10:00') + 2 * MIN,
      acceptedAt: day('10:00') + 60 * MIN,
      answeredAt: day('10:00') + 5 * HOUR,
      status: 'closed',
      closedAt: day('16:00'),
    }),
    c: seedIncident(db, {
      createdAt: day('11:00'),
      topic: 'roads',
      municipalityId: 'sosnovka',
      acknowledgedAt: day('11:00') + 3 * MIN,
      acceptedAt: day('11:00') + 90 * MIN,
      status: 'accepted',
      answerDueAt: day('20:00'),
    }),
    d: seedIncident(db, {
      createdAt: day('12:00'),
      topic: 'health',
      municipalityId: null,
      acknowledgedAt: day('12:00') + 4 * MIN,
      status: 'new',
      acceptDueAt: day('14:00'),
    }),
    // Outside the period: the day before and the day after.
    before: seedIncident(db, { createdAt: msk('2026-11-21T23:59:00'), topic: 'waste', status: 'new', acceptDueAt: msk('2026-11-22T02:00:00') }),
    after: seedIncident(db, { createdAt: msk('2026-11-23T00:30:00'), topic: 'waste' }),
  };
  db.prepare(
    "INSERT INTO spikes (scope_key, topic, municipality_id, place, started_at, last_seen_at, window_hours, count, expected, p_value) VALUES ('housing|zarechensk', 'housing', 'zarechensk', 'ул. Ленина', ?, ?, 3, 7, 0.1, 1e-9)",
  ).run(day('15:00'), day('16:00'));
  db.prepare('INSERT INTO incident_spikes (spike_id, incident_id, linked_at) VALUES (1, ?, ?), (1, ?, ?)').run(ids.a, day('15:00'), ids.b, day('15:00'));
  db.prepare('INSERT INTO retention_runs (ran_at, messages_cleared, incidents_anonymised) VALUES (?, 12, 3)').run(day('03:30'));
  return { db, ids };
}

describe('digest numbers', () => {
  it('should match the database', () => {
    const { db, ids } = seedDay();
    const stats = collectDigestStats(
      createStores(db).stats,
      { from: msk('2026-11-22T00:00:00'), to: msk('2026-11-23T00:00:00') },
      { asOf: msk('2026-11-23T09:00:00') },
    );
    expect(stats.total).toBe(4);
    expect(stats.byStatus).toEqual({ answered: 1, closed: 1, accepted: 1, new: 1 });
    expect(stats.byTopic).toEqual([
      { topic: 'housing', count: 2 },
      { topic: 'health', count: 1 },
      { topic: 'roads', count: 1 },
    ]);
    expect(stats.byMunicipality).toEqual([
      { municipalityId: 'zarechensk', count: 2 },
      { municipalityId: null, count: 1 },
      { municipalityId: 'sosnovka', count: 1 },
    ]);
    expect(stats.bySource).toEqual([
      { channel: 'vk_comment', count: 3 },
      { channel: 'telegram', count: 1 },
    ]);
    expect(stats.municipalShare).toBe(0.75);
    expect(stats.timeToAck).toEqual({ n: 4, median: 2 * MIN, p90: 4 * MIN });
    expect(stats.timeToAccept).toEqual({ n: 3, median: 60 * MIN, p90: 90 * MIN });
    expect(stats.timeToAnswer).toEqual({ n: 2, median: 2 * HOUR, p90: 5 * HOUR });
    // Overdue now: c (answer due 20:00), d (accept due 14:00) and the incident from the day before.
    expect(stats.overdue).toEqual({ count: 3, ids: [ids.c, ids.d, ids.before].sort((x, y) => x - y) });
    expect(stats.spikes).toEqual([expect.objectContaining({ topic: 'housing', count: 7, place: 'ул. Ленина', incidentIds: [ids.a, ids.b] })]);
    expect(stats.retention).toEqual({ messagesCleared: 12, incidentsAnonymised: 3 });
  });
});

describe('DigestJob', () => {
  it('should queue the previous day once and write a chart', async () => {
    const { db } = seedDay();
    const dir = mkdtempSync(join(tmpdir(), 'otklik-digest-'));
    const config = testConfig({ digest: { chartDir: dir } });
    const clock = new ManualClock(msk('2026-11-23T09:00:00'));
    const job = new DigestJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });

    const result = await job.run();
    expect(result.date).toBe('2026-11-22');
    expect(result.outboxId).not.toBeNull();
    const [row, chart] = outboxRows(db, 'digest');
    expect(row!.idempotency_key).toBe('digest:2026-11-22');
    expect(row!.text).toContain('Сводка за 22.11.2026');
    expect(row!.text).toContain('Обращений: <b>4</b>');
    expect(row!.text).toContain('Просрочено сейчас: <b>3</b>');
    expect(row!.text).toContain('ул. Ленина');
    expect(row!.text).toContain('удалены тексты 12 сообщений');

    const png = readFileSync(join(dir, 'digest-2026-11-22.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // The job queues its own photo, after the text.
    expect(chart!.idempotency_key).toBe('digest-chart:2026-11-22');
    expect(result.chart!.width).toBe(1000);

    clock.advance(HOUR);
    expect((await job.run()).outboxId).toBeNull();
    expect(outboxRows(db, 'digest')).toHaveLength(2);
  });
});

describe('/report', () => {
  it('should parse periods in the region time zone', () => {
    const now = msk('2026-11-23T15:00:00');
    expect(parsePeriod('', now, 'Europe/Moscow')!.period).toEqual({ from: msk('2026-11-23T00:00:00'), to: now });
    expect(parsePeriod('вчера', now, 'Europe/Moscow')!.period).toEqual({ from: msk('2026-11-22T00:00:00'), to: msk('2026-11-23T00:00:00') });
    expect(parsePeriod('7d', now, 'Europe/Moscow')!.period.from).toBe(msk('2026-11-17T00:00:00'));
    expect(parsePeriod('2026-11-01..2026-11-10', now, 'Europe/Moscow')!.period).toEqual({ from: msk('2026-11-01T00:00:00'), to: msk('2026-11-11T00:00:00') });
    expect(parsePeriod('завтра', now, 'Europe/Moscow')).toBeNull();
  });

  it('should show a municipal moderator only their municipality', () => {
    const { db } = seedDay();
    const config = testConfig();
    const clock = new ManualClock(msk('2026-11-23T09:00:00'));
    const municipal = config.moderators.find((m) => m.municipalityId === 'sosnovka')!;
    const regional = config.moderators.find((m) => m.role === 'regional')!;
    expect(handleReport('вчера', { stores: createStores(db), config, clock: clock.now, moderator: regional }).text).toContain('Обращений: <b>4</b>');
    expect(handleReport('вчера', { stores: createStores(db), config, clock: clock.now, moderator: municipal }).text).toContain('Обращений: <b>1</b>');
    expect(handleReport('когда-нибудь', { stores: createStores(db), config, clock: clock.now, moderator: regional }).text).toContain('Использование');
  });
});
