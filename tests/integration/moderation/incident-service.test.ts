import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../src/domain/detection.js';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import type { Actor } from '../../../src/domain/incident.js';
import { SlaPolicy } from '../../../src/domain/sla.js';
import { WorkingCalendar } from '../../../src/domain/working-calendar.js';
import { IncidentService } from '../../../src/incidents/incident-service.js';
import { silentLogger } from '../../../src/logger.js';
import { QUERY_FEATURES } from '../../../src/moderation/commands/queries.js';
import { IncidentCardPublisher } from '../../../src/moderation/incident-card-publisher.js';
import { deliveryEffects } from '../../../src/outbox/delivery-effects.js';
import type { OutboxClaim } from '../../../src/store/outbox-store.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock, testConfig } from '../../helpers/index.js';

const msk = (iso: string) => Date.parse(`${iso}+03:00`);
const moderator: Actor = { kind: 'moderator', id: 'tg:9002', name: 'Олег' };

const detection: Detection = {
  isAppeal: true,
  kind: 'complaint',
  score: 0.9,
  verdict: 'reply',
  topic: 'roads',
  problem: null,
  urgency: 'normal',
  statesProblem: true,
  language: 'rus',
  place: { municipalityId: 'zarechensk', street: 'Мира' },
  reasons: [],
};

function setup() {
  const db = freshDb();
  const config = testConfig();
  const clock = new ManualClock(msk('2026-11-23T10:00:00'));
  const sla = new SlaPolicy(config.sla, new WorkingCalendar({ timezone: config.region.timezone, ...config.workingCalendar }));
  const stores = createStores(db);
  const cards = new IncidentCardPublisher({ stores, config, clock: clock.now });
  const service = new IncidentService({ stores, config, clock: clock.now, deadlines: sla.deadlineFunction, sla, cards });
  const messages = stores.messages;
  let n = 0;
  const open = (authorId: number, text = 'Яма на Мира') => {
    n += 1;
    const inbound: InboundMessage = {
      channel: 'vk_comment',
      externalId: `-210002_${n}`,
      thread: { channel: 'vk_comment', groupId: 210002, postId: 1, commentId: n, threadCommentId: n },
      author: { platform: 'vk', id: authorId, name: null, isBot: false },
      text,
      attachments: [],
      source: { platform: 'vk', groupId: 210002 },
      isPrivate: false,
      createdAt: clock.now(),
    };
    const id = messages.insert(inbound, 'incident', detection, clock.now())!;
    return { result: service.openFromMessage(messages.get(id)!, inbound, detection), stored: messages.get(id)!, inbound };
  };
  const rows = (purpose: string) =>
    db
      .prepare<[string], { idempotency_key: string; text: string; destination_json: string }>(
        'SELECT idempotency_key, text, destination_json FROM outbox WHERE purpose = ? ORDER BY id',
      )
      .all(purpose);
  // What the outbox worker does when a row reached the platform: commit it, then run its purpose's effect.
  const effects = deliveryEffects({ stores, cards, bursts: cards.bursts, clock: clock.now });
  const deliver = (claim: OutboxClaim, externalId: string): boolean => {
    stores.outbox.complete(claim, externalId, clock.now());
    return effects[claim.purpose]?.({ ...claim, state: 'sent', externalId, sentAt: clock.now() }) === true;
  };
  return { db, stores, config, clock, sla, service, open, rows, deliver };
}

describe('IncidentService working an incident', () => {
  it('should refuse to start when a reply template is missing from config', () => {
    const config = testConfig();
    const ru = { ...config.templates.ru };
    delete ru.status_answered;
    expect(() => new IncidentService({ stores: createStores(freshDb()), config: { ...config, templates: { ru } }, clock: Date.now })).toThrow(
      'status_answered',
    );
  });

  it('should move the answer deadline on an intermediate answer, with an event', () => {
    const { stores, service, open, clock, sla } = setup();
    const { incident } = open(501).result;
    // 9 working hours from Monday 10:00 end on Tuesday 10:00.
    expect(incident.answerDueAt).toBe(msk('2026-11-24T10:00:00'));
    service.act(incident.id, { action: 'accept', actor: moderator });
    clock.advance(3_600_000);
    expect(service.act(incident.id, { action: 'interim', actor: moderator, text: 'Подрядчик выйдет в среду' })).toMatchObject({ ok: true, changed: true });
    const after = stores.incidents.get(incident.id)!;
    expect(after.answerDueAt).toBe(sla.interimAnswerDueAt(incident));
    expect(after.answerDueAt).toBeGreaterThan(incident.answerDueAt!);
    expect(after.status).toBe('accepted');
    expect(stores.incidents.events(incident.id).map((e) => e.action)).toEqual(['created', 'transition', 'interim', 'answer_due']);
  });

  it('should give a reopened incident a fresh answer deadline, so the deadline job reminds about it again', () => {
    const { stores, service, open, clock } = setup();
    const { incident } = open(501).result;
    service.act(incident.id, { action: 'answer', actor: moderator, text: 'Яму заделали' });
    // The citizen says it was not fixed; a moderator reopens it on Wednesday 11:00.
    clock.current = msk('2026-11-25T11:00:00');
    service.act(incident.id, { action: 'reopen', actor: moderator });
    const reopened = stores.incidents.get(incident.id)!;
    // 9 working hours from Wednesday 11:00 end on Thursday 11:00.
    expect(reopened.answerDueAt).toBe(msk('2026-11-26T11:00:00'));
    expect(reopened.answerDueAt).toBeGreaterThan(reopened.answeredAt!);
    expect(
      stores.incidents
        .events(incident.id)
        .map((e) => e.action)
        .slice(-2),
    ).toEqual(['transition', 'answer_due']);
  });

  it('should bring a card up to date that changed while it was being sent', () => {
    const { db, service, open, clock, rows, deliver } = setup();
    const { incident } = open(501).result;
    const outbox = createStores(db).outbox;
    // The worker has claimed the card and is sending it when a moderator accepts the incident by command.
    const [claim] = outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.idempotencyKey === `card:${incident.id}`);
    service.act(incident.id, { action: 'accept', actor: moderator });
    expect(rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'))).toEqual([]);
    deliver(claim!, '555');
    deliver(claim!, '555');
    const edits = rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'));
    expect(edits).toHaveLength(1);
    expect(JSON.parse(edits[0]!.destination_json)).toMatchObject({ kind: 'telegram_edit', messageId: 555 });
    expect(edits[0]!.text).toContain('— в работе');
  });

  it('should not edit a card delivered as it is', () => {
    const { db, open, clock, rows, deliver } = setup();
    const { incident } = open(501).result;
    const outbox = createStores(db).outbox;
    const [claim] = outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.idempotencyKey === `card:${incident.id}`);
    deliver(claim!, '556');
    expect(rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'))).toEqual([]);
  });

  it('should not edit a card that was rewritten before it went out and is current', () => {
    const { db, service, open, clock, rows, deliver } = setup();
    const { incident } = open(501).result;
    service.act(incident.id, { action: 'assign', actor: moderator, departmentId: 'zar-blago' });
    const outbox = createStores(db).outbox;
    const [claim] = outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.idempotencyKey === `card:${incident.id}`);
    expect(claim!.message.text).toContain('Последнее действие: назначен ответственный — Олег');
    expect(deliver(claim!, '557')).toBe(false);
    expect(rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'))).toEqual([]);
  });

  it('should fold changes into the card edit still waiting, so no edit repeats the text Telegram already shows', () => {
    const { db, service, open, clock, rows, deliver } = setup();
    const { incident } = open(501).result;
    const outbox = createStores(db).outbox;
    const [card] = outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.idempotencyKey === `card:${incident.id}`);
    deliver(card!, '558');
    // Two more residents report the same pothole before the first edit goes out (Telegram was down, say).
    open(502);
    const editsAfterFirst = rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'));
    expect(editsAfterFirst).toHaveLength(1);
    open(503);
    const edits = rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'));
    expect(edits).toHaveLength(1);
    expect(edits[0]!.text).toContain('Сообщили: 3 чел.');
    // Once that edit is in flight, a new change needs an edit of its own, with the newer text.
    const [edit] = outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.idempotencyKey.startsWith('card-edit:'));
    service.act(incident.id, { action: 'accept', actor: moderator });
    const after = rows('card').filter((r) => r.idempotency_key.startsWith('card-edit:'));
    expect(after).toHaveLength(2);
    expect(after[1]!.text).not.toBe(edit!.message.text);
    expect(after[1]!.text).toContain('— в работе');
  });

  it('should send one status message per event and reporter, and none for a refused repeat', () => {
    const { service, open, rows } = setup();
    const { incident } = open(501).result;
    service.act(incident.id, { action: 'accept', actor: moderator });
    expect(service.act(incident.id, { action: 'accept', actor: moderator })).toMatchObject({ ok: false, allowed: expect.arrayContaining(['ask', 'answer']) });
    service.act(incident.id, { action: 'answer', actor: moderator, text: 'Готово' });
    service.act(incident.id, { action: 'reopen', actor: moderator });
    service.act(incident.id, { action: 'accept', actor: moderator });
    const texts = rows('status').map((r) => r.text);
    expect(texts).toEqual([
      expect.stringContaining('принято в работу'),
      `Ответ по обращению №${incident.id}: Готово`,
      expect.stringContaining('снова в работе'),
      expect.stringContaining('принято в работу'),
    ]);
    expect(new Set(rows('status').map((r) => r.idempotency_key)).size).toBe(4);
  });

  it('should link a second report of the same problem, from another thread too, and notify every thread', () => {
    const { service, open, rows } = setup();
    const first = open(501).result.incident;
    expect(open(502, 'И у нас на Мира яма').result).toMatchObject({ outcome: 'linked', incident: { id: first.id } });
    // The same author under another post: the same problem, one incident, both threads told.
    expect(open(501, 'Ещё раз: яма на Мира').result).toMatchObject({ outcome: 'linked', incident: { id: first.id } });
    service.act(first.id, { action: 'accept', actor: moderator });
    expect(rows('status').map((r) => JSON.parse(r.destination_json).replyToCommentId)).toEqual([1, 2, 3]);
  });

  it('should count people, not messages, in /show «Сообщили», as the card does', () => {
    const { db, config, clock, service, open } = setup();
    const first = open(501).result.incident;
    open(501, 'Ещё раз: яма на Мира');
    const show = QUERY_FEATURES.find((f) => f.names.includes('show'))!;
    const moderatorConfig = config.moderators.find((m) => m.role === 'regional')!;
    const deps = {
      stores: createStores(db),
      config,
      clock: clock.now,
      logger: silentLogger(),
      incidents: service,
      cards: new IncidentCardPublisher({ stores: createStores(db), config, clock: clock.now }),
    };
    const request = {
      message: {} as InboundMessage,
      messageId: 0,
      command: { name: 'show', args: String(first.id), phrase: false },
      platform: 'telegram' as const,
      moderator: moderatorConfig,
    };
    expect(show.run(request, deps).text).not.toContain('Сообщили');
    open(502, 'И у нас на Мира яма');
    expect(show.run(request, deps).text).toContain('Сообщили: 2 чел.');
  });

  it('should find the open incident of a street among hundreds of open incidents of other streets', () => {
    const { stores, db, open } = setup();
    const seed = open(600).result.incident;
    db.prepare(`UPDATE incidents SET place_json = '{"street":"Садовая"}', place_key = 'street:садовая' WHERE id = ?`).run(seed.id);
    const clone = db.prepare(
      `INSERT INTO incidents (message_id, channel, thread_key, thread_json, source_key, author_key, topic, urgency, place_json, place_key, score, municipality_id, status, created_at, updated_at)
       SELECT message_id, channel, thread_key, thread_json, source_key, author_key, topic, urgency, place_json, place_key, score, municipality_id, status, created_at, updated_at FROM incidents WHERE id = ?`,
    );
    for (let i = 0; i < 250; i += 1) clone.run(seed.id);
    const mira = open(501).result.incident;
    expect(mira.id).toBeGreaterThan(seed.id + 250);
    expect(
      stores.incidents.findSamePlace({ topic: 'roads', problem: null, municipalityId: 'zarechensk', place: { street: 'Мира' }, since: 0 }).map((i) => i.id),
    ).toEqual([mira.id]);
  });

  it('should find candidates only with a known place, of the same topic, street and window', () => {
    const { stores, open } = setup();
    const first = open(501).result.incident;
    const store = stores.incidents;
    expect(store.findSamePlace({ topic: 'roads', problem: null, municipalityId: 'zarechensk', place: null, since: 0 })).toEqual([]);
    expect(store.findSamePlace({ topic: 'housing', problem: null, municipalityId: 'zarechensk', place: { street: 'Мира' }, since: 0 })).toEqual([]);
    expect(store.findSamePlace({ topic: 'roads', problem: null, municipalityId: 'sosnovka', place: { street: 'Мира' }, since: 0 })).toEqual([]);
    expect(store.findSamePlace({ topic: 'roads', problem: null, municipalityId: 'zarechensk', place: { street: 'мира' }, since: 0 }).map((i) => i.id)).toEqual([
      first.id,
    ]);
    expect(store.findSamePlace({ topic: 'roads', problem: null, municipalityId: 'zarechensk', place: { street: 'Мира' }, since: first.createdAt + 1 })).toEqual(
      [],
    );
  });

  it('should not read incidents of another problem as candidates, and read those without a problem', () => {
    const { stores, db, open } = setup();
    const first = open(501).result.incident;
    const store = stores.incidents;
    const find = (problem: string | null) =>
      store.findSamePlace({ topic: 'roads', problem: problem as never, municipalityId: 'zarechensk', place: { street: 'Мира' }, since: 0 }).map((i) => i.id);
    // Without a problem the incident is a candidate for any report of its topic and place (the shared-word test decides).
    db.prepare('UPDATE incidents SET problem = NULL WHERE id = ?').run(first.id);
    expect(find('road_surface')).toEqual([first.id]);
    db.prepare("UPDATE incidents SET problem = 'road_surface' WHERE id = ?").run(first.id);
    expect(find('road_surface')).toEqual([first.id]);
    expect(find('traffic_safety')).toEqual([]);
    expect(find(null)).toEqual([first.id]);
  });

  it('should keep two different problems of one topic on one street apart', () => {
    const { open } = setup();
    const pothole = open(501, 'Яма на Мира').result.incident;
    expect(open(502, 'На Мира не убирают снег во дворе').result.outcome).toBe('created');
    expect(open(503, 'На Мира ямы по всей дороге').result.incident.id).toBe(pothole.id);
  });

  it('should put a needs_info incident back in work when its author adds the details', () => {
    const { stores, service, open } = setup();
    const { result, stored, inbound } = open(501);
    service.act(result.incident.id, { action: 'ask', actor: moderator, text: 'Какой дом?' });
    service.attachFollowUp(stores.incidents.get(result.incident.id)!, stored, { ...inbound, text: 'Дом 5' });
    expect(stores.incidents.get(result.incident.id)!.status).toBe('accepted');
  });

  it('should rewrite a card that has not gone out yet instead of editing it', () => {
    const { service, open, rows } = setup();
    const { incident } = open(501).result;
    service.act(incident.id, { action: 'accept', actor: moderator });
    const cards = rows('card');
    expect(cards).toHaveLength(1);
    expect(cards[0]!.text).toContain('— в работе');
  });

  it('should edit a delivered card, and bring the edit still waiting up to date instead of queueing a second one', () => {
    const { stores, service, open, rows, clock, deliver } = setup();
    const { incident } = open(501).result;
    const [card] = stores.outbox.claimDue(clock.now(), 10, 60_000, 'telegram').filter((c) => c.purpose === 'card');
    deliver(card!, '555');
    service.act(incident.id, { action: 'accept', actor: moderator });
    service.act(incident.id, { action: 'answer', actor: moderator, text: 'Готово' });
    // A second edit with the same text would be refused by Telegram as "message is not modified".
    const edits = rows('card').slice(1);
    expect(edits.map((e) => JSON.parse(e.destination_json))).toEqual([{ kind: 'telegram_edit', chatId: -1001000000099, messageId: 555 }]);
    expect(edits[0]!.text).toContain('— дан ответ');
  });
});
