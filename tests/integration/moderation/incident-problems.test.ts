import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../src/domain/detection.js';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';
import type { Actor } from '../../../src/domain/incident.js';
import type { ProblemId } from '../../../src/domain/problem.js';
import { SlaPolicy } from '../../../src/domain/sla.js';
import { WorkingCalendar } from '../../../src/domain/working-calendar.js';
import { IncidentService } from '../../../src/incidents/incident-service.js';
import { IncidentCardPublisher } from '../../../src/moderation/incident-card-publisher.js';
import { createStores } from '../../../src/store/stores.js';
import { freshDb, ManualClock, testConfig } from '../../helpers/index.js';

/**
 * Incidents that carry a problem of the taxonomy (config/problems.json): duplicate linking,
 * routing, urgency and deadlines by problem, and a moderator's correction of topic and problem.
 */
const msk = (iso: string) => Date.parse(`${iso}+03:00`);
const HOUR = 3_600_000;
const moderator: Actor = { kind: 'moderator', id: 'tg:9002', name: 'Олег' };
const lenina = { municipalityId: 'zarechensk', street: 'Ленина' };

function setup(local: Record<string, unknown> = {}) {
  const db = freshDb();
  const config = testConfig(local);
  const clock = new ManualClock(msk('2026-11-23T10:00:00'));
  const sla = new SlaPolicy(config.sla, new WorkingCalendar({ timezone: config.region.timezone, ...config.workingCalendar }));
  const stores = createStores(db);
  const cards = new IncidentCardPublisher({ stores, config, clock: clock.now });
  const service = new IncidentService({ stores, config, clock: clock.now, deadlines: sla.deadlineFunction, sla, cards });
  let n = 0;
  /** A citizen's comment detected as a complaint of `topic` (and `problem`) on Ленина. */
  const report = (text: string, topic: Detection['topic'], problem: string | null, extra: Partial<Detection> = {}) => {
    n += 1;
    const detection: Detection = {
      isAppeal: true,
      kind: 'complaint',
      score: 0.9,
      verdict: 'reply',
      topic,
      problem: problem as ProblemId | null,
      urgency: 'normal',
      statesProblem: true,
      language: 'rus',
      place: lenina,
      reasons: [],
      ...extra,
    };
    const inbound: InboundMessage = {
      channel: 'vk_comment',
      externalId: `-210002_${n}`,
      thread: { channel: 'vk_comment', groupId: 210002, postId: 1, commentId: n, threadCommentId: n },
      author: { platform: 'vk', id: 600 + n, name: null, isBot: false },
      text,
      attachments: [],
      source: { platform: 'vk', groupId: 210002 },
      isPrivate: false,
      createdAt: clock.now(),
    };
    const id = stores.messages.insert(inbound, 'incident', detection, clock.now())!;
    return service.openFromMessage(stores.messages.get(id)!, inbound, detection);
  };
  return { db, stores, config, clock, service, report };
}

describe('incidents with a problem', () => {
  it('should link reports of one problem and place whatever their words, and never two problems however alike their words', () => {
    const { report } = setup();
    const water = report('Нет воды на Ленина', 'housing', 'no_cold_water').incident;
    expect(report('Ленина 12: из крана ничего не течёт с утра', 'housing', 'no_cold_water')).toMatchObject({ outcome: 'linked', incident: { id: water.id } });
    // Shares «воды» with the first report, but a burst pipe is another problem.
    expect(report('На Ленина прорвало трубу, вода хлещет в подвал', 'housing', 'pipe_burst_flooding').outcome).toBe('created');
    // Without a problem on the new report, the shared-word test of one topic and place still links it.
    expect(report('Опять нет воды, Ленина', 'housing', null)).toMatchObject({ outcome: 'linked', incident: { id: water.id } });
  });

  it('should keep the problem on the incident, and drop one that is not under the topic or not in the taxonomy', () => {
    const { report, stores } = setup();
    expect(report('Нет горячей воды', 'housing', 'no_hot_water').incident.problem).toBe('no_hot_water');
    expect(report('Яма у остановки', 'roads', 'ambulance').incident.problem).toBeNull();
    expect(report('Не работает банкомат', 'other', 'atm').incident.problem).toBeNull();
    const created = stores.incidents.events(1).find((e) => e.action === 'created')!;
    expect(created.details).toMatchObject({ topic: 'housing', problem: 'no_hot_water' });
  });

  it('should route by the problem: a water utility for hot water, the owner of «лифты» for a lift', () => {
    const { report } = setup();
    expect(report('Нет горячей воды', 'housing', 'no_hot_water').incident.departmentId).toBe('zar-vodokanal');
    expect(report('Течёт крыша', 'housing', null).incident.departmentId).toBe('zar-gkh');
    const owners = setup({
      departments: [
        { id: 'zar-gkh', name: 'Отдел ЖКХ', municipalityId: 'zarechensk', topics: ['housing'] },
        { id: 'lifts', name: 'Лифтовая служба', kind: 'uk', municipalityId: null, problems: ['lift'] },
      ],
    });
    expect(owners.report('Лифт стоит неделю', 'housing', 'lift').incident.departmentId).toBe('lifts');
  });

  it('should make an incident of an emergency problem urgent, with the emergency deadlines', () => {
    const { report, clock } = setup();
    const ambulance = report('Скорую ждали два часа', 'health', 'ambulance').incident;
    expect(ambulance.urgency).toBe('emergency');
    // The shipped first rule: emergencies are accepted within 1 h and answered within 4 h, by the clock.
    expect(ambulance.acceptDueAt).toBe(clock.now() + HOUR);
    expect(ambulance.answerDueAt).toBe(clock.now() + 4 * HOUR);
    expect(report('Не могу записаться к врачу', 'health', 'doctor_appointment').incident.urgency).toBe('normal');
  });

  it('should take deadlines from an SLA rule that names the problem', () => {
    const { report, clock } = setup({
      sla: {
        rules: [
          { problems: ['lift'], acceptHours: 2, answerHours: 5, clock: 'plain' },
          { acceptHours: 3, answerHours: 9, clock: 'plain' },
        ],
      },
    });
    expect(report('Лифт стоит', 'housing', 'lift').incident.answerDueAt).toBe(clock.now() + 5 * HOUR);
    expect(report('Подъезд не убирают', 'housing', 'management_company').incident.answerDueAt).toBe(clock.now() + 9 * HOUR);
  });

  it('should correct topic and problem: a problem sets its topic, a topic of another topic clears the problem, routing follows', () => {
    const { report, service, stores } = setup();
    const id = report('Во дворе нет горячей воды', 'improvement', null).incident.id;
    expect(stores.incidents.get(id)!.departmentId).toBe('zar-blago');
    const outcome = service.act(id, { action: 'topic', actor: moderator, topic: 'housing', problem: 'no_hot_water' as ProblemId });
    expect(outcome).toMatchObject({ ok: true, changed: true, incident: { topic: 'housing', problem: 'no_hot_water', departmentId: 'zar-vodokanal' } });
    const topicEvent = stores.incidents.events(id).find((e) => e.action === 'topic')!;
    expect(topicEvent).toMatchObject({ oldValue: 'improvement', newValue: 'housing', details: { fromProblem: null, toProblem: 'no_hot_water' } });
    // The same topic keeps the problem: nothing to change.
    expect(service.act(id, { action: 'topic', actor: moderator, topic: 'housing' })).toMatchObject({ changed: false });
    expect(service.act(id, { action: 'topic', actor: moderator, topic: 'roads' }).incident).toMatchObject({
      topic: 'roads',
      problem: null,
      departmentId: 'zar-roads',
    });
  });

  it('should leave a department a moderator chose when the topic is corrected, and make an emergency problem urgent', () => {
    const { report, service, stores } = setup();
    const id = report('Нет воды в доме', 'housing', null).incident.id;
    expect(stores.incidents.get(id)!.departmentId).toBe('zar-gkh');
    service.act(id, { action: 'assign', actor: moderator, departmentId: 'reg-social' });
    const corrected = service.act(id, { action: 'topic', actor: moderator, topic: 'housing', problem: 'no_cold_water' as ProblemId }).incident;
    // Routing alone would now pick the water utility; the moderator's choice stands.
    expect(corrected).toMatchObject({ problem: 'no_cold_water', departmentId: 'reg-social', urgency: 'emergency' });
    expect(stores.incidents.events(id).filter((e) => e.action === 'assign')).toHaveLength(1);
  });
});
