/**
 * The SQL form of domain/deadline-running.ts, for queries over `incidents`: the digest, /report,
 * `otklik stats`, the exports and the web console all judge "running", "overdue" and "next due"
 * through these expressions, and tests/integration/reports/overdue-rule.test.ts checks them
 * against the domain on every status.
 */
import { DEADLINE_STATUSES } from '../domain/deadline-running.js';
import type { DeadlineKind } from '../domain/sla.js';

const quoted = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/** `runningDeadline(incident, kind)`: the due time while that deadline runs, else NULL. */
export function runningDeadlineSql(kind: DeadlineKind): string {
  if (kind === 'accept') return `(CASE WHEN status IN (${quoted(DEADLINE_STATUSES.accept)}) THEN accept_due_at END)`;
  // A reopened incident runs its answer deadline only once it was renewed after the last answer.
  return `(CASE WHEN status IN (${quoted(DEADLINE_STATUSES.answer)}) AND (status != 'reopened' OR answered_at IS NULL OR answer_due_at > answered_at)
    THEN answer_due_at END)`;
}

/**
 * True while the deadline of `kind` runs and is before `at` (an SQL expression, e.g. `@now`).
 * Written out rather than through `runningDeadlineSql` so that SQLite can answer the status and
 * due-time terms from an index.
 */
export function deadlinePassedSql(kind: DeadlineKind, at: string): string {
  if (kind === 'accept') return `(status IN (${quoted(DEADLINE_STATUSES.accept)}) AND accept_due_at IS NOT NULL AND accept_due_at < ${at})`;
  return `(status IN (${quoted(DEADLINE_STATUSES.answer)}) AND answer_due_at IS NOT NULL AND answer_due_at < ${at}
    AND (status != 'reopened' OR answered_at IS NULL OR answer_due_at > answered_at))`;
}

/** Past a running deadline at `at`: `isOverdue`, 0 or 1. */
export function overdueSql(at: string): string {
  return `(${deadlinePassedSql('accept', at)} OR ${deadlinePassedSql('answer', at)})`;
}

/** The earliest running deadline, NULL when none runs: `nextDeadline`. */
export function nextDeadlineSql(): string {
  const accept = runningDeadlineSql('accept');
  const answer = runningDeadlineSql('answer');
  // SQLite's two-argument MIN is NULL when either is; COALESCE keeps the one that runs.
  return `MIN(COALESCE(${accept}, ${answer}), COALESCE(${answer}, ${accept}))`;
}

/** `deadlineOutcome(incident, kind, at)`: 'in_time', 'late', 'pending' or NULL. */
export function deadlineOutcomeSql(kind: DeadlineKind, at: string): string {
  const due = kind === 'accept' ? 'accept_due_at' : 'answer_due_at';
  const met = kind === 'accept' ? 'COALESCE(accepted_at, answered_at)' : 'answered_at';
  const judged = `CASE WHEN ${met} <= ${due} THEN 'in_time' ELSE 'late' END`;
  const running = `CASE WHEN ${due} < ${at} THEN 'late' ELSE 'pending' END`;
  if (kind === 'accept') {
    return `(CASE WHEN ${due} IS NULL THEN NULL WHEN ${met} IS NOT NULL THEN ${judged} WHEN ${runningDeadlineSql(kind)} IS NOT NULL THEN ${running} END)`;
  }
  return `(CASE WHEN ${due} IS NULL THEN NULL WHEN ${runningDeadlineSql(kind)} IS NOT NULL THEN ${running} WHEN ${met} IS NOT NULL THEN ${judged} END)`;
}
