import { beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { SpikeJob } from '../../../src/jobs/spike-job.js';
import { silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident } from './seed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A deterministic pseudo-random sequence, so "normal traffic" is the same on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

describe('SpikeJob', () => {
  let db: Db;
  let config: Config;
  let clock: ManualClock;
  let job: SpikeJob;

  beforeEach(() => {
    db = jobsDb();
    config = testConfig();
    clock = new ManualClock(msk('2026-11-23T14:00:00'));
    job = new SpikeJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });
  });

  /** Three weeks of ordinary traffic: every topic in both municipalities, more by day than at night. */
  function seedNormalTraffic(until: number): void {
    const random = prng(42);
    const topics = ['housing', 'roads', 'waste', 'improvement', 'transport'] as const;
    for (let t = until - 21 * DAY; t < until; t += HOUR) {
      const hour = new Date(t + 3 * HOUR).getUTCHours();
      const rate = hour >= 8 && hour < 22 ? 0.9 : 0.15;
      for (const municipalityId of ['zarechensk', 'sosnovka']) {
        for (const topic of topics) {
          if (random() < rate / topics.length)
            seedIncident(db, { createdAt: t + Math.floor(random() * HOUR), topic, municipalityId, text: 'Обычное обращение' });
        }
      }
    }
  }

  /** Run the job every 10 minutes for `hours`. */
  function runFor(hours: number): void {
    const end = clock.current + hours * HOUR;
    for (; clock.current <= end; clock.advance(10 * 60_000)) job.run();
  }

  it('should raise no alert on ordinary traffic', () => {
    seedNormalTraffic(msk('2026-11-23T14:00:00') + 6 * HOUR);
    clock.current = msk('2026-11-22T14:00:00');
    runFor(30);
    expect(outboxRows(db, 'alert')).toEqual([]);
  });

  it('should count a small spike in the right Russian form', () => {
    config = testConfig({ spikes: { minCount: 3 } });
    job = new SpikeJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });
    for (let i = 0; i < 3; i++) {
      seedIncident(db, {
        createdAt: msk('2026-11-23T13:00:00') + i * 60_000,
        topic: 'housing',
        municipalityId: 'zarechensk',
        text: `Нет воды на Мира ${i + 1}, @ivan_petrov <b>`,
      });
    }
    job.run();
    const [alert] = outboxRows(db, 'alert');
    expect(alert!.text).toContain(`3 обращения за ${config.spikes.windowHours} ч;`);
    // Citizens' words quoted in the alert mention nobody and inject no markup.
    expect(alert!.text).toContain('— «Нет воды на Мира 3, @\u2060ivan_petrov &lt;b&gt;»');
  });

  it('should word the alert from the config templates, the shipped ones reading as before', () => {
    config = testConfig({ spikes: { minCount: 3 } });
    job = new SpikeJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });
    const place = { municipalityId: 'zarechensk', settlement: 'Зареченск', street: 'Ленина' };
    const ids = [0, 1, 2].map((i) =>
      seedIncident(db, { createdAt: msk('2026-11-23T13:00:00') + i * 60_000, topic: 'housing', place, text: `Нет воды, дом ${i + 1}` }),
    );
    job.run();
    expect(outboxRows(db, 'alert')[0]!.text).toBe(
      [
        '⚠️ <b>Выявлен риск</b>: ЖКХ — Городской округ Зареченск, ул. Ленина (3 из 3)',
        '3 обращения за 3 ч; обычно в это время 0,1 (p = 5.8e-5).',
        `Обращения: ${ids.map((id) => `№${id}`).join(', ')}`,
        'Примеры:',
        '— «Нет воды, дом 1»',
        '— «Нет воды, дом 2»',
        '— «Нет воды, дом 3»',
        'Ответственные: <a href="tg://user?id=9002">Олег Зареченский</a>',
        'Подумайте об объявлении: /announce',
      ].join('\n'),
    );
  });

  it('should write a regional spike to the VK moderator in his VK dialog, not name him in the Telegram chat as if told', () => {
    config = testConfig({ spikes: { minCount: 3 } });
    job = new SpikeJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });
    for (let i = 0; i < 3; i++)
      seedIncident(db, { createdAt: msk('2026-11-23T13:00:00') + i * 60_000, topic: 'health', municipalityId: null, text: `Нет записи к врачу ${i + 1}` });
    job.run();
    const [alert] = outboxRows(db, 'alert');
    expect(alert!.text).toContain('Ответственные: <a href="tg://user?id=9001">Анна Региональная</a>');
    expect(alert!.text).not.toMatch(/Ответственные:.*Дмитрий/);
    expect(alert!.text).toContain('Написано лично (VK): Дмитрий (ЦУР, VK)');
    const [notice] = outboxRows(db, 'notice');
    expect(JSON.parse(notice!.destination_json)).toMatchObject({ kind: 'vk_message', peerId: 500001 });
    expect(notice!.text).toMatch(/^⚠️ Выявлен риск: здравоохранение — регион/);
    job.run();
    expect(outboxRows(db, 'notice')).toHaveLength(1);
  });

  it("should keep the alert for an outage of hundreds of reports within Telegram's message limit", () => {
    for (let i = 0; i < 700; i++) {
      seedIncident(db, {
        createdAt: msk('2026-11-23T12:00:00') + i * 10_000,
        topic: 'housing',
        municipalityId: 'zarechensk',
        text: `Нет света в доме ${i + 1}`,
      });
    }
    job.run();
    const [alert] = outboxRows(db, 'alert');
    expect(alert!.text).toContain('700 обращений за');
    expect(alert!.text).toMatch(/№\d+ и ещё \d+/);
    expect(alert!.text.length).toBeLessThan(4096);
  });

  it('should raise exactly one alert for a burst of «нет воды» in one municipality and link its incidents', () => {
    seedNormalTraffic(msk('2026-11-23T14:00:00'));
    const burst: number[] = [];
    for (let i = 0; i < 9; i++) {
      burst.push(
        seedIncident(db, {
          createdAt: msk('2026-11-23T14:05:00') + i * 12 * 60_000,
          topic: 'housing',
          urgency: 'emergency',
          municipalityId: 'zarechensk',
          place: { municipalityId: 'zarechensk', settlement: 'Зареченск', street: 'Ленина' },
          text: `Нет воды на Ленина ${i + 1}, с утра сухо`,
        }),
      );
    }
    clock.current = msk('2026-11-23T14:00:00');
    runFor(6);

    const alerts = outboxRows(db, 'alert');
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    expect(alert.idempotency_key).toMatch(/^spike:\d+$/);
    expect(alert.text).toContain('ЖКХ');
    expect(alert.text).toContain('Городской округ Зареченск');
    expect(alert.text).toContain('ул. Ленина');
    expect(alert.text).toContain('Нет воды на Ленина');
    expect(alert.text).toContain(`№${burst[0]}`);
    expect(alert.text).toMatch(/обычно в это время \d+,\d/);

    const spikes = db
      .prepare<[], { id: number; topic: string; municipality_id: string; count: number }>('SELECT id, topic, municipality_id, count FROM spikes')
      .all();
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ topic: 'housing', municipality_id: 'zarechensk' });
    const linked = db
      .prepare<[number], { incident_id: number }>('SELECT incident_id FROM incident_spikes WHERE spike_id = ?')
      .all(spikes[0]!.id)
      .map((r) => r.incident_id);
    expect(linked).toEqual(expect.arrayContaining(burst));
  });

  it('should alert once for a rise on one street that the municipality total hides', () => {
    // A busy municipality: about 7 housing incidents in these 3 hours every day, spread over many streets.
    const streets = ['Мира', 'Гагарина', 'Садовая', 'Школьная', 'Пушкина', 'Победы', 'Заводская'];
    for (let day = 1; day <= 14; day++) {
      streets.forEach((street, i) =>
        seedIncident(db, { createdAt: msk('2026-11-23T14:05:00') - day * DAY + i * 20 * 60_000, topic: 'housing', place: { street }, text: 'Протечка' }),
      );
    }
    // Today: the usual 7 elsewhere plus 6 on Ленина, where nothing usually happens: 13 vs λ ≈ 7 is not a municipal spike.
    streets.forEach((street, i) =>
      seedIncident(db, { createdAt: msk('2026-11-23T14:05:00') + i * 20 * 60_000, topic: 'housing', place: { street }, text: 'Протечка' }),
    );
    for (let i = 0; i < 6; i++)
      seedIncident(db, { createdAt: msk('2026-11-23T15:00:00') + i * 5 * 60_000, topic: 'housing', place: { street: 'Ленина' }, text: 'Нет воды' });
    clock.current = msk('2026-11-23T14:00:00');
    runFor(4);
    const alerts = outboxRows(db, 'alert');
    expect(alerts).toHaveLength(1);
    // Raised on the run that saw the fifth; the sixth is linked to the same spike without a second alert.
    expect(alerts[0]!.text).toContain('ул. Ленина (5 из 5)');
    expect(db.prepare('SELECT COUNT(*) AS n FROM incident_spikes').get()).toEqual({ n: 6 });
  });

  it('should open a new spike, with a new alert, only after the first one has calmed down for a window', () => {
    const burst = (start: number) => {
      for (let i = 0; i < 6; i++) seedIncident(db, { createdAt: start + i * 60_000, topic: 'roads', municipalityId: 'sosnovka', text: 'Яма' });
    };
    burst(msk('2026-11-23T14:00:00'));
    clock.current = msk('2026-11-23T14:10:00');
    runFor(2);
    expect(outboxRows(db, 'alert')).toHaveLength(1);
    burst(msk('2026-11-24T10:00:00'));
    clock.current = msk('2026-11-24T10:10:00');
    runFor(1);
    expect(outboxRows(db, 'alert')).toHaveLength(2);
  });

  it('should count by problem: the «нет воды» alert names the problem and lists neither a stairwell light nor a burst pipe', () => {
    const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };
    const at = (i: number) => msk('2026-11-23T13:00:00') + i * 60_000;
    const water = [0, 1, 2, 3, 4].map((i) =>
      seedIncident(db, { createdAt: at(i), topic: 'housing', problem: 'no_cold_water', place: lenina, text: `Нет воды, Ленина ${i + 1}` }),
    );
    const light = seedIncident(db, { createdAt: at(5), topic: 'housing', problem: 'electricity', place: lenina, text: 'В подъезде не горит свет' });
    const pipe = seedIncident(db, { createdAt: at(6), topic: 'housing', problem: 'pipe_burst_flooding', place: lenina, text: 'Прорвало трубу в подвале' });
    // Without problems they would be seven ЖКХ incidents of one street; with them, only the five are a spike.
    const untyped = seedIncident(db, { createdAt: at(7), topic: 'housing', place: lenina, text: 'Течёт крыша' });
    const findings = job.run();
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ topic: 'housing', problem: 'no_cold_water', incidentIds: water });
    const [alert] = outboxRows(db, 'alert');
    expect(alert!.text).toContain('ЖКХ · Нет холодной воды — Городской округ Зареченск, ул. Ленина (5 из 5)');
    for (const id of [light, pipe, untyped]) expect(alert!.text).not.toContain(`№${id}`);
    expect(db.prepare('SELECT scope_key, topic, problem FROM spikes').all()).toEqual([
      { scope_key: 'problem:no_cold_water|zarechensk', topic: 'housing', problem: 'no_cold_water' },
    ]);
  });
});
