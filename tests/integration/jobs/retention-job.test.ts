import { describe, expect, it } from 'vitest';
import { RetentionJob } from '../../../src/jobs/retention-job.js';
import { silentLogger } from '../../../src/logger.js';
import { ANONYMISED } from '../../../src/store/retention-store.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, seedIncident, seedMessage } from './seed.js';

const DAY = 24 * 3_600_000;

describe('RetentionJob', () => {
  it('should delete what it should and nothing else', async () => {
    const db = jobsDb();
    const config = testConfig({ retention: { nonAppealDays: 30, closedIncidentDays: 365 } });
    const now = msk('2026-11-23T03:30:00');
    const clock = new ManualClock(now);

    const oldChatter = seedMessage(db, { receivedAt: now - 31 * DAY, decision: 'ignored', text: 'Всем привет' });
    const oldReview = seedMessage(db, { receivedAt: now - 40 * DAY, decision: 'review', text: 'Может быть жалоба' });
    const freshChatter = seedMessage(db, { receivedAt: now - 29 * DAY, decision: 'ignored', text: 'Спасибо' });
    const oldClosed = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 366 * DAY, text: 'Нет света' });
    const oldRejected = seedIncident(db, { createdAt: now - 400 * DAY, status: 'rejected', closedAt: now - 380 * DAY, text: 'Спам' });
    const recentClosed = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 300 * DAY, text: 'Яма' });
    const oldOpen = seedIncident(db, { createdAt: now - 400 * DAY, status: 'accepted', text: 'Долгая история' });
    const followup = seedMessage(db, { receivedAt: now - 390 * DAY, decision: 'followup', text: 'Дополнение', incidentId: oldClosed });

    createStores(db).outbox.enqueue(
      {
        idempotencyKey: `review:${oldReview}`,
        message: { destination: { kind: 'telegram', chatId: -1 }, text: 'Проверить', format: 'plain', media: [{ kind: 'photo', fileId: 'AgACcitizen' }] },
        purpose: 'review',
      },
      now - 40 * DAY,
    );
    const job = new RetentionJob({ stores: createStores(db), config, clock: clock.now, logger: silentLogger() });
    expect(await job.run()).toEqual({ messagesCleared: 2, incidentsAnonymised: 2, filesDeleted: 0 });
    // The photo the «Проверить» note carried is the citizen's too.
    expect(db.prepare('SELECT media_json FROM outbox WHERE idempotency_key = ?').get(`review:${oldReview}`)).toEqual({ media_json: null });

    const message = (id: number) =>
      db
        .prepare<[number], { text: string | null; author_name: string | null; author_key: string }>(
          'SELECT text, author_name, author_key FROM messages WHERE id = ?',
        )
        .get(id)!;
    const incident = (id: number) =>
      db
        .prepare<[number], { text: string | null; author_name: string | null; author_key: string; topic: string; created_at: number }>(
          'SELECT text, author_name, author_key, topic, created_at FROM incidents WHERE id = ?',
        )
        .get(id)!;

    expect(message(oldChatter)).toMatchObject({ text: null, author_name: null });
    expect(message(oldReview)).toMatchObject({ text: null, author_name: null });
    expect(message(freshChatter)).toMatchObject({ text: 'Спасибо', author_name: 'Иван Петров' });
    expect(message(followup)).toEqual({ text: null, author_name: null, author_key: ANONYMISED });
    for (const id of [oldClosed, oldRejected]) {
      expect(incident(id)).toMatchObject({ text: null, author_name: null, author_key: ANONYMISED, topic: 'housing', created_at: now - 400 * DAY });
    }
    expect(incident(recentClosed)).toMatchObject({ text: 'Яма', author_name: 'Мария Иванова' });
    expect(incident(oldOpen)).toMatchObject({ text: 'Долгая история', author_name: 'Мария Иванова' });
    const openSource = db
      .prepare<[number], { text: string | null }>('SELECT m.text FROM messages m JOIN incidents i ON i.message_id = m.id WHERE i.id = ?')
      .get(oldOpen)!;
    expect(openSource.text).toBe('Долгая история');
    const reporterKeys = db.prepare<[number], { author_key: string }>('SELECT author_key FROM incident_reporters WHERE incident_id = ?').all(oldClosed);
    expect(reporterKeys).toEqual([{ author_key: ANONYMISED }]);

    // A second run finds nothing more, and both runs are recorded for the digest.
    expect(await job.run()).toEqual({ messagesCleared: 0, incidentsAnonymised: 0, filesDeleted: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM retention_runs').get()).toEqual({ n: 2 });
  });

  it("should keep an incident closed again recently, and clear the citizen's words and name from the cards of an anonymised one", async () => {
    const db = jobsDb();
    const config = testConfig({ retention: { nonAppealDays: 30, closedIncidentDays: 365 } });
    const now = msk('2026-11-23T03:30:00');
    const oldClosed = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 366 * DAY, text: 'Нет света на Мира 5' });
    // Closed first a year ago, then reopened and closed again ten days ago: closed_at keeps the first closure.
    const closedAgain = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 380 * DAY, text: 'Яма у школы' });
    db.prepare('UPDATE incidents SET updated_at = ? WHERE id = ?').run(now - 10 * DAY, closedAgain);
    const outbox = createStores(db).outbox;
    for (const id of [oldClosed, closedAgain]) {
      outbox.enqueue(
        {
          idempotencyKey: `card:${id}`,
          message: {
            destination: { kind: 'telegram', chatId: -1 },
            text: `Обращение №${id}, Мария Иванова «${id === oldClosed ? 'Нет света на Мира 5' : 'Яма у школы'}»`,
            format: 'html',
          },
          purpose: 'card',
          incidentId: id,
        },
        now - 399 * DAY,
      );
    }
    db.prepare("UPDATE outbox SET state = 'sent'").run();

    expect(await new RetentionJob({ stores: createStores(db), config, clock: () => now, logger: silentLogger() }).run()).toEqual({
      messagesCleared: 0,
      incidentsAnonymised: 1,
      filesDeleted: 0,
    });
    const text = (id: number) => db.prepare<[number], { text: string | null }>('SELECT text FROM incidents WHERE id = ?').get(id)!.text;
    expect(text(oldClosed)).toBeNull();
    expect(text(closedAgain)).toBe('Яма у школы');
    const cards = db
      .prepare<[], { incident_id: number; text: string }>("SELECT incident_id, text FROM outbox WHERE purpose = 'card' ORDER BY incident_id")
      .all();
    expect(cards[0]!.text).not.toMatch(/Нет света|Мария/);
    expect(cards[1]!.text).toContain('Яма у школы');
  });

  it("should clear the citizen's words and id from the events of an anonymised incident and keep the rest of the log", async () => {
    const db = jobsDb();
    const config = testConfig({ retention: { nonAppealDays: 30, closedIncidentDays: 365 } });
    const now = msk('2026-11-23T03:30:00');
    const id = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 366 * DAY, text: 'Нет света' });
    const store = createStores(db).incidents;
    store.appendEvent(
      id,
      { kind: 'citizen', id: 'vk:7001' },
      'followup',
      null,
      null,
      { messageId: 1, text: 'Мира 5, кв. 3, телефон 8-900-000-00-00' },
      now - 399 * DAY,
    );
    store.appendEvent(id, { kind: 'moderator', id: 'tg:9001', name: 'Анна' }, 'note', null, null, { text: 'Передано в УК' }, now - 398 * DAY);
    await new RetentionJob({ stores: createStores(db), config, clock: () => now, logger: silentLogger() }).run();
    const events = db
      .prepare<[number], { actor_id: string; action: string; details_json: string | null }>(
        'SELECT actor_id, action, details_json FROM incident_events WHERE incident_id = ? ORDER BY id',
      )
      .all(id);
    expect(events).toEqual([
      { actor_id: ANONYMISED, action: 'followup', details_json: null },
      { actor_id: 'tg:9001', action: 'note', details_json: '{"text":"Передано в УК"}' },
    ]);
  });

  it("should keep an anonymised incident's point only as a place, rounded to about 100 m", async () => {
    const db = jobsDb();
    const config = testConfig({ retention: { nonAppealDays: 30, closedIncidentDays: 365 } });
    const now = msk('2026-11-23T03:30:00');
    const id = seedIncident(db, { createdAt: now - 400 * DAY, status: 'closed', closedAt: now - 366 * DAY, text: 'Нет отопления в квартире' });
    db.prepare('UPDATE incidents SET lat = 56.903417, lon = 40.507163 WHERE id = ?').run(id);
    await new RetentionJob({ stores: createStores(db), config, clock: () => now, logger: silentLogger() }).run();
    expect(db.prepare('SELECT lat, lon FROM incidents WHERE id = ?').get(id)).toEqual({ lat: 56.903, lon: 40.507 });
  });
});
