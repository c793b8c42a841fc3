import { beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { SlaPolicy } from '../../../src/domain/sla.js';
import { WorkingCalendar } from '../../../src/domain/working-calendar.js';
import { DeadlineJob } from '../../../src/jobs/deadline-job.js';
import { silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/store/db.js';
import { ManualClock, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident } from './seed.js';
import { createStores } from '../../../src/store/stores.js';

const MINUTE = 60_000;

describe('DeadlineJob', () => {
  let db: Db;
  let config: Config;
  let clock: ManualClock;
  let policy: SlaPolicy;
  let job: DeadlineJob;

  beforeEach(() => {
    db = jobsDb();
    config = testConfig();
    clock = new ManualClock();
    policy = new SlaPolicy(config.sla, new WorkingCalendar({ timezone: config.region.timezone, ...config.workingCalendar }));
    job = new DeadlineJob({ stores: createStores(db), config, clock: clock.now, policy, logger: silentLogger() });
  });

  /** Run the job every 5 minutes from `fromIso` to `toIso`, as its schedule would. */
  function runEvery5Minutes(fromIso: string, toIso: string): void {
    for (clock.current = msk(fromIso); clock.current <= msk(toIso); clock.advance(5 * MINUTE)) job.run();
  }

  it('should remind once when near, once when missed, and escalate once, across a weekend', () => {
    // Friday 16:00, an ordinary topic: accept by Monday 10:00, answer by Monday 16:00 (working hours).
    const createdAt = msk('2026-11-20T16:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', ...due });

    runEvery5Minutes('2026-11-20T16:00:00', '2026-11-23T23:55:00');

    const keys = outboxRows(db).map((r) => r.idempotency_key);
    expect(keys).toEqual([
      `remind:${id}:accept:near:${due.acceptDueAt}`,
      `remind:${id}:accept:missed:${due.acceptDueAt}`,
      `remind:${id}:accept:escalated:${due.acceptDueAt}`,
      `remind:${id}:answer:near:${due.answerDueAt}`,
      `remind:${id}:answer:missed:${due.answerDueAt}`,
      `remind:${id}:answer:escalated:${due.answerDueAt}`,
    ]);
    // Nothing during the weekend: the first reminder (accept, near) comes on Monday at 09:15.
    const created = db.prepare<[], { created_at: number; idempotency_key: string }>('SELECT created_at, idempotency_key FROM outbox ORDER BY id').all();
    expect(created[0]!.created_at).toBe(msk('2026-11-23T09:15:00'));
    expect(created[1]!.created_at).toBe(msk('2026-11-23T10:00:00'));
    // Escalation: 2 working hours after the missed accept deadline.
    expect(created[2]!.created_at).toBe(msk('2026-11-23T12:00:00'));
    // Answer: near at 6.75 of 9 working hours (2 h Friday + 4.75 h Monday), missed at 16:00, escalated at 18:00.
    expect(created.slice(3).map((r) => r.created_at)).toEqual([msk('2026-11-23T13:45:00'), msk('2026-11-23T16:00:00'), msk('2026-11-23T18:00:00')]);
  });

  it('should address the municipality on reminders and the regional moderators on escalation', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    seedIncident(db, { createdAt, topic: 'housing', urgency: 'emergency', ...policy.deadlines({ topic: 'housing', urgency: 'emergency', createdAt }) });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T12:00:00');
    const rows = outboxRows(db);
    const missed = rows.find((r) => r.idempotency_key.includes(':accept:missed:'))!;
    const escalated = rows.find((r) => r.idempotency_key.includes(':accept:escalated:'))!;
    expect(missed.text).toContain('tg://user?id=9002');
    expect(missed.text).not.toContain('tg://user?id=9001');
    expect(escalated.text).toContain('tg://user?id=9001');
    expect(escalated.purpose).toBe('alert');
    expect(JSON.parse(missed.destination_json)).toEqual({ kind: 'telegram', chatId: config.telegram.moderatorsChatId });
  });

  it('should stop reminding about acceptance once accepted, and about anything once answered', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const accepted = seedIncident(db, { createdAt, topic: 'roads', status: 'accepted', acceptedAt: createdAt + MINUTE, ...due });
    seedIncident(db, { createdAt, topic: 'roads', status: 'answered', answeredAt: createdAt + MINUTE, ...due });
    seedIncident(db, { createdAt, topic: 'roads', status: 'needs_info', ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-24T18:00:00');
    expect(outboxRows(db).map((r) => r.idempotency_key)).toEqual([
      `remind:${accepted}:answer:near:${due.answerDueAt}`,
      `remind:${accepted}:answer:missed:${due.answerDueAt}`,
      `remind:${accepted}:answer:escalated:${due.answerDueAt}`,
    ]);
  });

  it('should send a missed reminder but no stale near reminder after downtime, and record each in the audit log', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const id = seedIncident(db, { createdAt, topic: 'roads', ...policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt }) });
    // The job was down from 09:00 to 16:00: the accept deadline (12:00) is missed and escalated (14:00);
    // its «near» reminder is stale and skipped; the answer deadline (18:00) is near (15:45).
    clock.current = msk('2026-11-23T16:00:00');
    expect(job.run()).toEqual({ near: 1, missed: 1, escalated: 1 });
    expect(job.run()).toEqual({ near: 0, missed: 0, escalated: 0 });
    const events = db.prepare<[number], { action: string; new_value: string }>('SELECT action, new_value FROM incident_events WHERE incident_id = ?').all(id);
    expect(events).toEqual([
      { action: 'reminder', new_value: 'accept:missed' },
      { action: 'escalated', new_value: 'accept:escalated' },
      { action: 'reminder', new_value: 'answer:near' },
    ]);
  });

  it('should remind again for a deadline moved by an interim answer', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', status: 'accepted', acceptedAt: createdAt, ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T19:00:00');
    const moved = policy.interimAnswerDueAt({ createdAt, answerDueAt: due.answerDueAt });
    db.prepare('UPDATE incidents SET answer_due_at = ? WHERE id = ?').run(moved, id);
    runEvery5Minutes('2026-11-23T19:00:00', '2026-12-03T12:00:00');
    const keys = outboxRows(db).map((r) => r.idempotency_key);
    expect(keys.filter((k) => k.endsWith(`:${moved}`))).toEqual([
      `remind:${id}:answer:near:${moved}`,
      `remind:${id}:answer:missed:${moved}`,
      `remind:${id}:answer:escalated:${moved}`,
    ]);
    // Before the move: near and missed of the first deadline; its escalation (Tuesday 11:00) never comes.
    expect(keys).toHaveLength(5);
  });

  it('should word reminders from the config templates, escaping the values and keeping the template markup', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T11:15:00');
    // The shipped texts, as they were before they moved into config/default.json.
    expect(outboxRows(db)[0]!.text).toBe(
      `⏰ Скоро срок: обращение №${id} (дороги, Городской округ Зареченск) — принять в работу до 23.11 12:00 (осталось 45 мин).\nОтветственные: <a href="tg://user?id=9002">Олег Зареченский</a>`,
    );

    const base = testConfig();
    config = testConfig({
      municipalities: base.municipalities.map((m) => (m.id === 'zarechensk' ? { ...m, name: 'Зареченск <ГО> & Co' } : m)),
      templates: { ru: { alert_deadline_missed: '<b>Просрочено</b> №{number} ({municipality}): {missed} к {due}', alert_responsible: 'Кому: {moderators}' } },
    });
    job = new DeadlineJob({ stores: createStores(db), config, clock: clock.now, policy, logger: silentLogger() });
    runEvery5Minutes('2026-11-23T12:00:00', '2026-11-23T12:00:00');
    expect(outboxRows(db).find((r) => r.idempotency_key.includes(':accept:missed:'))!.text).toBe(
      `<b>Просрочено</b> №${id} (Зареченск &lt;ГО&gt; &amp; Co): не принято в работу к 23.11 12:00\nКому: <a href="tg://user?id=9002">Олег Зареченский</a>`,
    );
  });
});
