import { describe, expect, it } from 'vitest';
import type { ProblemId } from '../../../src/domain/problem.js';
import { pickRule, SlaPolicy, type SlaSpec } from '../../../src/domain/sla.js';
import { WorkingCalendar } from '../../../src/domain/working-calendar.js';
import type { DeadlinePolicy } from '../../../src/incidents/incident-service.js';
import { testConfig } from '../../helpers/index.js';

const msk = (iso: string) => Date.parse(`${iso}+03:00`);

function shippedPolicy(): SlaPolicy {
  const config = testConfig();
  return new SlaPolicy(config.sla, new WorkingCalendar({ timezone: config.region.timezone, ...config.workingCalendar }));
}

describe('SlaPolicy with the shipped rules', () => {
  const policy = shippedPolicy();

  it('should count urgent topics in plain hours, even on a Saturday night', () => {
    const createdAt = msk('2026-11-21T23:00:00');
    expect(policy.deadlines({ topic: 'housing', urgency: 'emergency', createdAt })).toEqual({
      acceptDueAt: msk('2026-11-22T00:00:00'),
      answerDueAt: msk('2026-11-22T03:00:00'),
    });
  });

  it('should count ordinary topics in working hours across a weekend', () => {
    const createdAt = msk('2026-11-20T16:00:00');
    expect(policy.deadlines({ topic: 'roads', urgency: 'normal', createdAt })).toEqual({
      acceptDueAt: msk('2026-11-23T10:00:00'),
      answerDueAt: msk('2026-11-23T16:00:00'),
    });
  });

  it('should give important topics 4 working hours to answer', () => {
    const createdAt = msk('2026-11-23T15:00:00');
    expect(policy.deadlines({ topic: 'health', urgency: 'normal', createdAt })).toEqual({
      acceptDueAt: msk('2026-11-23T17:00:00'),
      answerDueAt: msk('2026-11-24T10:00:00'),
    });
  });

  it('should remind when three quarters of the working time has passed, never on a weekend', () => {
    const subject = { topic: 'roads' as const, urgency: 'normal' as const, createdAt: msk('2026-11-20T16:00:00') };
    // 3 working hours to accept; 2.25 h pass: 2 h on Friday and 15 min on Monday.
    expect(policy.nearAt(subject, msk('2026-11-23T10:00:00'))).toBe(msk('2026-11-23T09:15:00'));
  });

  it('should escalate a missed deadline after two more hours of its clock', () => {
    const urgent = { topic: 'housing' as const, urgency: 'emergency' as const, createdAt: msk('2026-11-21T10:00:00') };
    expect(policy.escalateAt(urgent, msk('2026-11-21T11:00:00'))).toBe(msk('2026-11-21T13:00:00'));
    const ordinary = { topic: 'roads' as const, urgency: 'normal' as const, createdAt: msk('2026-11-20T12:00:00') };
    expect(policy.escalateAt(ordinary, msk('2026-11-20T17:00:00'))).toBe(msk('2026-11-23T10:00:00'));
  });

  it('should move the answer deadline after an interim answer to at most 7 working days', () => {
    const incident = { createdAt: msk('2026-11-23T10:00:00'), answerDueAt: msk('2026-11-24T10:00:00') };
    const limit = msk('2026-12-02T10:00:00');
    expect(policy.interimAnswerDueAt(incident)).toBe(limit);
    expect(policy.interimAnswerDueAt(incident, msk('2026-11-27T12:00:00'))).toBe(msk('2026-11-27T12:00:00'));
    expect(policy.interimAnswerDueAt(incident, msk('2026-12-20T12:00:00'))).toBe(limit);
    expect(policy.interimAnswerDueAt(incident, msk('2026-11-23T12:00:00'))).toBe(incident.answerDueAt);
  });

  it('should have the shape IncidentService takes as its deadlines dependency', () => {
    const deadlines: DeadlinePolicy = policy.deadlineFunction;
    expect(deadlines({ topic: 'waste', urgency: 'normal', createdAt: msk('2026-11-23T09:00:00') }).answerDueAt).toBe(msk('2026-11-23T18:00:00'));
  });
});

describe('pickRule', () => {
  const rules: SlaSpec['rules'] = [
    { topics: ['roads'], urgency: 'normal', acceptHours: 1, answerHours: 2, clock: 'plain' },
    { topics: [], urgency: 'emergency', acceptHours: 3, answerHours: 4, clock: 'plain' },
  ];

  it('should take the first rule that matches topic and urgency', () => {
    expect(pickRule(rules, { topic: 'roads', problem: null, urgency: 'normal' })?.acceptHours).toBe(1);
    expect(pickRule(rules, { topic: 'roads', problem: null, urgency: 'emergency' })?.acceptHours).toBe(3);
  });

  it('should match a rule by the problem as well as by the topic, and a rule of problems only by them', () => {
    const byProblem: SlaSpec['rules'] = [
      { topics: [], problems: ['ambulance'], urgency: 'any', acceptHours: 1, answerHours: 2, clock: 'plain' },
      { topics: ['roads'], problems: ['lift'], urgency: 'any', acceptHours: 3, answerHours: 4, clock: 'plain' },
      { topics: [], urgency: 'any', acceptHours: 5, answerHours: 6, clock: 'plain' },
    ];
    const pick = (topic: 'health' | 'housing' | 'roads', problem: string | null) =>
      pickRule(byProblem, { topic, problem: problem as ProblemId | null, urgency: 'normal' })?.acceptHours;
    expect(pick('health', 'ambulance')).toBe(1);
    expect(pick('health', 'doctor_appointment')).toBe(5);
    expect(pick('health', null)).toBe(5);
    expect(pick('housing', 'lift')).toBe(3);
    expect(pick('roads', null)).toBe(3);
  });

  it('should give no deadlines when no rule matches', () => {
    const policy = new SlaPolicy(
      { rules, remindAtShare: 0.75, escalateAfterHours: 2, interimMaxWorkingDays: 7 },
      new WorkingCalendar({ timezone: 'Europe/Moscow', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '18:00', holidays: [], extraWorkingDays: [] }),
    );
    expect(policy.deadlines({ topic: 'waste', urgency: 'normal', createdAt: 0 })).toEqual({ acceptDueAt: null, answerDueAt: null });
  });
});
