import { type ModeratorsRoom, moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import type { Config } from '../config.js';
import { type AlertKey, alertText } from '../domain/alert-templates.js';
import type { DeadlineKind, SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../logger.js';
import { runningDeadline } from '../domain/deadline-running.js';
import type { DeadlineCandidate } from '../store/incident-store.js';
import type { Stores } from '../store/stores.js';
import { DEADLINE_NAMES, escapeHtml, formatDuration, formatLocal, mention, municipalityName, regionalModerators, responsibleModerators, topicLabel } from '../texts.js';
import { type ReminderStage, outboxKey } from '../outbox/outbox-key.js';

export type { ReminderStage } from '../outbox/outbox-key.js';

export interface DeadlineJobDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'transaction'>;
  config: Config;
  clock: () => number;
  policy: SlaPolicy;
  logger: Logger;
}

export interface DeadlineRunResult {
  near: number;
  missed: number;
  escalated: number;
}

type OpenRow = DeadlineCandidate;

/**
 * The outbox key that makes a reminder happen once: one per incident, deadline, stage and due
 * time. A deadline moved by an intermediate answer is a new deadline and gets its own reminders.
 */
export function reminderKey(incidentId: number, kind: DeadlineKind, stage: ReminderStage, dueAt: number): string {
  return outboxKey({ kind: 'remind', incidentId, deadline: kind, stage, dueAt });
}

const STAGE_TEMPLATES: Record<ReminderStage, AlertKey> = {
  near: 'alert_deadline_soon',
  missed: 'alert_deadline_missed',
  escalated: 'alert_deadline_escalated',
};

/**
 * Reminds the responsible moderators when a deadline is near and when it is missed, and
 * escalates to the regional moderators when a missed deadline stays missed for
 * `sla.escalateAfterHours`. Everything goes through the outbox to the moderators' chat; the
 * outbox key makes each reminder happen once across runs and restarts.
 *
 * Which deadlines run is the domain's one rule (src/domain/deadline-running.ts), the same the
 * digest and the reports count overdue incidents by.
 */
export class DeadlineJob {
  constructor(private readonly deps: DeadlineJobDeps) {}

  run(): DeadlineRunResult {
    const { stores, config, clock, logger } = this.deps;
    const result: DeadlineRunResult = { near: 0, missed: 0, escalated: 0 };
    const room = moderatorsRoom(config);
    if (room === null) {
      logger.warn('no moderators chat (telegram.moderatorsChatId or max.moderatorsChatId): deadline reminders have nowhere to go');
      return result;
    }
    const now = clock();
    const rows = stores.incidents.withDeadlines();
    stores.transaction(() => {
      for (const row of rows) {
        for (const kind of ['accept', 'answer'] as const) {
          const dueAt = runningDeadline(row, kind);
          if (dueAt !== null) this.check(row, kind, dueAt, now, room, result);
        }
      }
    });
    if (result.near + result.missed + result.escalated > 0) logger.info(result, 'deadline reminders queued');
    return result;
  }

  private check(row: OpenRow, kind: DeadlineKind, dueAt: number, now: number, room: ModeratorsRoom, result: DeadlineRunResult): void {
    const subject = { topic: row.topic, problem: row.problem, urgency: row.urgency, createdAt: row.createdAt };
    const { policy } = this.deps;
    const stages: ReminderStage[] = [];
    if (now >= dueAt) {
      stages.push('missed');
      if (now >= policy.escalateAt(subject, dueAt)) stages.push('escalated');
    } else if (now >= policy.nearAt(subject, dueAt)) {
      stages.push('near');
    }
    for (const stage of stages) {
      const id = this.deps.stores.outbox.enqueue(
        {
          idempotencyKey: reminderKey(row.id, kind, stage, dueAt),
          message: { destination: roomMessage(room), text: this.text(row, kind, stage, dueAt, now), format: 'html' },
          purpose: stage === 'escalated' ? 'alert' : 'reminder',
          incidentId: row.id,
        },
        now,
      );
      if (id === null) continue;
      result[stage] += 1;
      this.deps.stores.incidents.appendEvent(row.id, { kind: 'system' }, stage === 'escalated' ? 'escalated' : 'reminder', null, `${kind}:${stage}`, { dueAt }, now);
    }
  }

  /** The reminder in Telegram HTML: config texts (`alert_deadline_*`), escaped values. */
  private text(row: OpenRow, kind: DeadlineKind, stage: ReminderStage, dueAt: number, now: number): string {
    const { config } = this.deps;
    const values = {
      number: row.id,
      topic: escapeHtml(topicLabel(row.topic)),
      municipality: escapeHtml(municipalityName(config, row.municipalityId)),
      action: DEADLINE_NAMES[kind].verb,
      missed: DEADLINE_NAMES[kind].missed,
      due: formatLocal(dueAt, config.region.timezone),
      left: formatDuration(dueAt - now),
      late: formatDuration(now - dueAt),
    };
    const lines = [alertText(config, STAGE_TEMPLATES[stage], values)];
    const people = (stage === 'escalated' ? regionalModerators(config) : responsibleModerators(config, row.municipalityId)).map(mention).join(', ');
    if (people) lines.push(alertText(config, stage === 'escalated' ? 'alert_regional' : 'alert_responsible', { moderators: people }));
    return lines.join('\n');
  }
}
