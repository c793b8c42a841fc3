import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config.js';
import { SlaPolicy } from '../../../src/domain/sla.js';
import { WorkingCalendar } from '../../../src/domain/working-calendar.js';
import { DeadlineJob } from '../../../src/jobs/deadline-job.js';
import { silentLogger } from '../../../src/logger.js';
import type { Db } from '../../../src/store/db.js';
import { createStores } from '../../../src/store/stores.js';
import { ManualClock, REPO_ROOT, testConfig } from '../../helpers/index.js';
import { jobsDb, msk, outboxRows, seedIncident, seedMessage } from './seed.js';

const MINUTE = 60_000;
const VK_REGIONAL = 500001;

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

  /** The reminders given, from the audit log: `<deadline>:<stage>` and when. */
  const reminders = (id: number) =>
    db
      .prepare<[number], { what: string; at: number }>(
        "SELECT new_value AS what, at FROM incident_events WHERE incident_id = ? AND action IN ('reminder', 'escalated') ORDER BY id",
      )
      .all(id);
  /** The messages to the moderators' chat. */
  const chat = () => outboxRows(db).filter((r) => JSON.parse(r.destination_json).chatId === config.telegram.moderatorsChatId);

  it('should remind once when near, once when missed, and escalate once, across a weekend', () => {
    // Friday 16:00, an ordinary topic: accept by Monday 10:00, answer by Monday 16:00 (working hours).
    const createdAt = msk('2026-11-20T16:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', ...due });

    runEvery5Minutes('2026-11-20T16:00:00', '2026-11-23T23:55:00');

    // Nothing during the weekend: the first reminder (accept, near) comes on Monday at 09:15; the
    // escalation 2 working hours after the missed accept deadline; the answer: near at 6.75 of 9
    // working hours (2 h Friday + 4.75 h Monday), missed at 16:00, escalated at 18:00.
    expect(reminders(id)).toEqual([
      { what: 'accept:near', at: msk('2026-11-23T09:15:00') },
      { what: 'accept:missed', at: msk('2026-11-23T10:00:00') },
      { what: 'accept:escalated', at: msk('2026-11-23T12:00:00') },
      { what: 'answer:near', at: msk('2026-11-23T13:45:00') },
      { what: 'answer:missed', at: msk('2026-11-23T16:00:00') },
      { what: 'answer:escalated', at: msk('2026-11-23T18:00:00') },
    ]);
    // One message per run that had something due.
    expect(chat().map((r) => r.idempotency_key)).toEqual(
      ['09:15', '10:00', '12:00', '13:45', '16:00', '18:00'].map((t) => `remind-batch:${msk(`2026-11-23T${t}:00`)}:zarechensk`),
    );
  });

  it('should send one message per run and municipality, however many incidents are due, with the mentions once', () => {
    // A burst: 17 incidents created together in two municipalities reach their deadlines together.
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const ids = Array.from({ length: 17 }, (_, i) =>
      seedIncident(db, { createdAt, topic: 'roads', municipalityId: i < 12 ? 'zarechensk' : 'sosnovka', ...due }),
    );
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-24T12:00:00');
    // 17 incidents × (accept near, missed, escalated; answer near, missed, escalated) = 102 reminders …
    expect(ids.flatMap(reminders)).toHaveLength(102);
    // … in 6 runs × 2 municipalities = 12 messages, not one each.
    const messages = chat();
    expect(messages).toHaveLength(12);
    const first = messages.find((r) => r.idempotency_key.endsWith(':zarechensk'))!;
    expect(first.text.split('\n')[0]).toBe('<b>Сроки</b> — Городской округ Зареченск: 12 обращений');
    expect(first.text.match(/tg:\/\/user\?id=9002/g)).toHaveLength(1);
    expect(first.text.match(/Скоро срок: обращение №/g)).toHaveLength(12);
  });

  it('should list at most 20 reminders in a message and number the rest', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const ids = Array.from({ length: 25 }, () => seedIncident(db, { createdAt, topic: 'roads', ...due }));
    clock.current = msk('2026-11-23T11:15:00');
    expect(job.run()).toMatchObject({ near: 25, messages: 1 });
    const [message] = chat();
    expect(message!.text.match(/Скоро срок/g)).toHaveLength(20);
    expect(message!.text).toContain(
      `…и ещё 5: ${ids
        .slice(20)
        .map((id) => `№${id}`)
        .join(', ')}`,
    );
  });

  it('should address the municipality on reminders and the regional moderators on escalation, a VK moderator in his VK dialog', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const id = seedIncident(db, {
      createdAt,
      topic: 'housing',
      urgency: 'emergency',
      ...policy.deadlines({ topic: 'housing', urgency: 'emergency', createdAt }),
    });
    // The VK moderator gives the bot his commands in the dialog of community 210002.
    seedMessage(db, {
      receivedAt: createdAt - 60 * MINUTE,
      decision: 'command',
      text: '/list',
      thread: { channel: 'vk_message', groupId: 210002, peerId: VK_REGIONAL, messageId: 3 },
      threadKey: `vkdm:210002:${VK_REGIONAL}`,
      authorKey: `vk:${VK_REGIONAL}`,
    });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T12:00:00');
    const messages = chat();
    const missed = messages.find((r) => r.text.includes('Срок истёк') && !r.text.includes('Эскалация'))!;
    const escalated = messages.find((r) => r.text.includes('Эскалация'))!;
    expect(missed.text).toContain('tg://user?id=9002');
    expect(missed.text).not.toContain('tg://user?id=9001');
    expect(escalated.text).toContain('tg://user?id=9001');
    expect(escalated.purpose).toBe('alert');
    expect(JSON.parse(missed.destination_json)).toEqual({ kind: 'telegram', chatId: config.telegram.moderatorsChatId });
    // The VK moderator is not named in the Telegram chat as if that told him: he is written to where he works.
    expect(escalated.text).not.toMatch(/Региональные модераторы:.*Дмитрий/);
    expect(escalated.text).toContain('Написано лично (VK): Дмитрий (ЦУР, VK)');
    const notices = outboxRows(db, 'notice');
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]!.destination_json)).toEqual({ kind: 'vk_message', groupId: 210002, peerId: VK_REGIONAL });
    expect(notices[0]!.text).toContain(`Эскалация: обращение №${id}`);
    expect(notices[0]!.text).not.toMatch(/<[a-z]/);
  });

  it('should write to a VK moderator who never wrote through the first community that reads its messages', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    seedIncident(db, { createdAt, topic: 'housing', urgency: 'emergency', ...policy.deadlines({ topic: 'housing', urgency: 'emergency', createdAt }) });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T12:00:00');
    const [notice] = outboxRows(db, 'notice');
    expect(JSON.parse(notice!.destination_json)).toEqual({
      kind: 'vk_message',
      groupId: config.vk.communities.find((c) => c.watchMessages)!.groupId,
      peerId: VK_REGIONAL,
    });
  });

  it('should stop reminding about acceptance once accepted, and about anything once answered', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const accepted = seedIncident(db, { createdAt, topic: 'roads', status: 'accepted', acceptedAt: createdAt + MINUTE, ...due });
    const answered = seedIncident(db, { createdAt, topic: 'roads', status: 'answered', answeredAt: createdAt + MINUTE, ...due });
    const waiting = seedIncident(db, { createdAt, topic: 'roads', status: 'needs_info', ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-24T18:00:00');
    expect(reminders(accepted).map((r) => r.what)).toEqual(['answer:near', 'answer:missed', 'answer:escalated']);
    expect(reminders(answered)).toEqual([]);
    expect(reminders(waiting)).toEqual([]);
  });

  it('should send a missed reminder but no stale near reminder after downtime, and record each in the audit log', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const id = seedIncident(db, { createdAt, topic: 'roads', ...policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt }) });
    // The job was down from 09:00 to 16:00: the accept deadline (12:00) is missed and escalated (14:00);
    // its «near» reminder is stale and skipped; the answer deadline (18:00) is near (15:45).
    clock.current = msk('2026-11-23T16:00:00');
    expect(job.run()).toEqual({ near: 1, missed: 1, escalated: 1, messages: 1 });
    expect(job.run()).toEqual({ near: 0, missed: 0, escalated: 0, messages: 0 });
    const events = db.prepare<[number], { action: string; new_value: string }>('SELECT action, new_value FROM incident_events WHERE incident_id = ?').all(id);
    expect(events).toEqual([
      { action: 'escalated', new_value: 'accept:escalated' },
      { action: 'reminder', new_value: 'accept:missed' },
      { action: 'reminder', new_value: 'answer:near' },
    ]);
    // In the message the escalation comes first.
    expect(
      chat()[0]!
        .text.split('\n')
        .slice(1, 4)
        .map((l) => l.slice(0, 12)),
    ).toEqual(['🚨 Эскалация', '❗ Срок истёк', '⏰ Скоро срок']);
  });

  it('should remind again for a deadline moved by an interim answer', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', status: 'accepted', acceptedAt: createdAt, ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T19:00:00');
    const moved = policy.interimAnswerDueAt({ createdAt, answerDueAt: due.answerDueAt });
    db.prepare('UPDATE incidents SET answer_due_at = ? WHERE id = ?').run(moved, id);
    runEvery5Minutes('2026-11-23T19:00:00', '2026-12-03T12:00:00');
    const dueAts = db
      .prepare<[number], { what: string; dueAt: number }>(
        "SELECT new_value AS what, json_extract(details_json, '$.dueAt') AS dueAt FROM incident_events WHERE incident_id = ? ORDER BY id",
      )
      .all(id);
    expect(dueAts.filter((r) => r.dueAt === moved).map((r) => r.what)).toEqual(['answer:near', 'answer:missed', 'answer:escalated']);
    // Before the move: near and missed of the first deadline; its escalation (Tuesday 11:00) never comes.
    expect(dueAts).toHaveLength(5);
  });

  it('should not remind again what the reminders of an earlier version queued', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', ...due });
    // An earlier version queued one message per reminder and wrote the same audit event.
    db.prepare(
      "INSERT INTO incident_events (incident_id, at, actor_kind, actor_id, action, new_value, details_json) VALUES (?, ?, 'system', 'system', 'reminder', 'accept:near', ?)",
    ).run(id, msk('2026-11-23T11:15:00'), JSON.stringify({ dueAt: due.acceptDueAt }));
    clock.current = msk('2026-11-23T11:20:00');
    expect(job.run()).toMatchObject({ near: 0, messages: 0 });
  });

  it('should word reminders from the config templates, escaping the values and keeping the template markup', () => {
    const createdAt = msk('2026-11-23T09:00:00');
    const due = policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt });
    const id = seedIncident(db, { createdAt, topic: 'roads', ...due });
    runEvery5Minutes('2026-11-23T09:00:00', '2026-11-23T11:15:00');
    expect(chat()[0]!.text).toBe(
      `<b>Сроки</b> — Городской округ Зареченск: 1 обращение\n⏰ Скоро срок: обращение №${id} (дороги, Городской округ Зареченск) — принять в работу до 23.11 12:00 (осталось 45 мин).\nОтветственные: <a href="tg://user?id=9002">Олег Зареченский</a>`,
    );

    // The shipped municipalities as config/default.json writes them (the parsed config adds derived fields).
    const shipped = (JSON.parse(readFileSync(join(REPO_ROOT, 'config', 'default.json'), 'utf8')) as { municipalities: { id: string; name: string }[] })
      .municipalities;
    config = testConfig({
      municipalities: shipped.map((m) => (m.id === 'zarechensk' ? { ...m, name: 'Зареченск <ГО> & Co' } : m)),
      templates: { ru: { alert_deadline_missed: '<b>Просрочено</b> №{number} ({municipality}): {missed} к {due}', alert_responsible: 'Кому: {moderators}' } },
    });
    job = new DeadlineJob({ stores: createStores(db), config, clock: clock.now, policy, logger: silentLogger() });
    runEvery5Minutes('2026-11-23T12:00:00', '2026-11-23T12:00:00');
    expect(chat().at(-1)!.text).toBe(
      `<b>Сроки</b> — Зареченск &lt;ГО&gt; &amp; Co: 1 обращение\n<b>Просрочено</b> №${id} (Зареченск &lt;ГО&gt; &amp; Co): не принято в работу к 23.11 12:00\nКому: <a href="tg://user?id=9002">Олег Зареченский</a>`,
    );
  });
});
