/**
 * Deadlines (SLA): which rule covers an incident, when it must be accepted and answered, when a
 * reminder goes out, when a miss escalates, and how an intermediate answer moves the final one.
 * Pure: the working calendar is passed in.
 */
import type { TopicId, Urgency } from './detection.js';
import type { ProblemId } from './problem.js';
import { MS_PER_HOUR, type WorkingCalendar } from './working-calendar.js';

export interface SlaRuleSpec {
  /** Topics the rule covers; empty with `problems` empty too: any topic. */
  topics: readonly TopicId[];
  /** Problems the rule covers (config/problems.json ids); a rule naming topics and problems covers either. Default none. */
  problems?: readonly string[];
  urgency: Urgency | 'any';
  /** First public reaction (acceptance), hours. */
  acceptHours: number;
  /** Official answer, hours. */
  answerHours: number;
  /** working: hours of the working calendar; plain: wall-clock hours (urgent topics). */
  clock: 'working' | 'plain';
}

export interface SlaSpec {
  /** The first matching rule wins. */
  rules: readonly SlaRuleSpec[];
  /** A «near» reminder goes out when this share of the time to a deadline has passed (0.75). */
  remindAtShare: number;
  /** A missed deadline escalates to the regional moderators after this many more hours, in the rule's clock (2). */
  escalateAfterHours: number;
  /** An intermediate answer moves the answer deadline to at most this many working days after registration (7). */
  interimMaxWorkingDays: number;
}

/** What the SLA needs to know about an incident. */
export interface SlaSubject {
  topic: TopicId;
  /** The incident's problem; absent or null: none, only topic rules apply. */
  problem?: ProblemId | null;
  urgency: Urgency;
  createdAt: number;
}

export interface Deadlines {
  acceptDueAt: number | null;
  answerDueAt: number | null;
}

/** The `deadlines` dependency of IncidentService. */
export type DeadlineFunction = (i: SlaSubject) => Deadlines;

export type DeadlineKind = 'accept' | 'answer';

/**
 * The rule for an incident: the first rule whose topics or problems (both empty = any) and
 * urgency ('any' = any) match, or null when no rule matches (the incident then has no deadline).
 */
export function pickRule(rules: readonly SlaRuleSpec[], subject: Pick<SlaSubject, 'topic' | 'problem' | 'urgency'>): SlaRuleSpec | null {
  const { topic, problem, urgency } = subject;
  const covers = (r: SlaRuleSpec) => {
    const problems = r.problems ?? [];
    return (r.topics.length === 0 && problems.length === 0) || r.topics.includes(topic) || (problem != null && problems.includes(problem));
  };
  return rules.find((r) => covers(r) && (r.urgency === 'any' || r.urgency === urgency)) ?? null;
}

/** Deadlines, reminders and escalations for one configuration. */
export class SlaPolicy {
  constructor(
    readonly spec: SlaSpec,
    readonly calendar: WorkingCalendar,
  ) {}

  rule(i: Pick<SlaSubject, 'topic' | 'problem' | 'urgency'>): SlaRuleSpec | null {
    return pickRule(this.spec.rules, i);
  }

  /** `from` plus `hours` in the rule's clock. */
  private add(clock: SlaRuleSpec['clock'], from: number, hours: number): number {
    return clock === 'plain' ? from + hours * MS_PER_HOUR : this.calendar.addWorkingHours(from, hours);
  }

  /** Due times counted from `createdAt`. Both null when no rule covers the incident. */
  deadlines(i: SlaSubject): Deadlines {
    const rule = this.rule(i);
    if (!rule) return { acceptDueAt: null, answerDueAt: null };
    return { acceptDueAt: this.add(rule.clock, i.createdAt, rule.acceptHours), answerDueAt: this.add(rule.clock, i.createdAt, rule.answerHours) };
  }

  /** The function IncidentService takes as `deadlines`. */
  readonly deadlineFunction: DeadlineFunction = (i) => this.deadlines(i);

  /**
   * When the «deadline is near» reminder is due: `remindAtShare` of the time from registration to
   * `dueAt` has passed, measured in the rule's clock (so a working-hours deadline is never
   * reminded about on a Sunday).
   */
  nearAt(i: SlaSubject, dueAt: number): number {
    const clock = this.rule(i)?.clock ?? 'plain';
    const share = this.spec.remindAtShare;
    if (clock === 'plain') return i.createdAt + Math.round(share * (dueAt - i.createdAt));
    return this.calendar.addWorkingMs(i.createdAt, Math.round(share * this.calendar.workingMsBetween(i.createdAt, dueAt)));
  }

  /** When a missed deadline escalates to the regional moderators. */
  escalateAt(i: SlaSubject, dueAt: number): number {
    return this.add(this.rule(i)?.clock ?? 'plain', dueAt, this.spec.escalateAfterHours);
  }

  /**
   * The answer deadline after an intermediate answer («промежуточный ответ»): the date the
   * moderator promised, or the limit when none was given, never later than `interimMaxWorkingDays`
   * working days after registration and never earlier than the current deadline.
   */
  interimAnswerDueAt(i: { createdAt: number; answerDueAt: number | null }, promisedAt?: number | null): number {
    const limit = this.calendar.addWorkingHours(i.createdAt, this.spec.interimMaxWorkingDays * this.calendar.hoursPerDay);
    const target = promisedAt == null ? limit : Math.min(promisedAt, limit);
    return i.answerDueAt === null ? target : Math.max(target, i.answerDueAt);
  }
}
