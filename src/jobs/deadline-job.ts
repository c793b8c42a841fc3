import type { Config } from '../config.js';
import { type AlertKey, alertText } from '../domain/alert-templates.js';
import { runningDeadline } from '../domain/deadline-running.js';
import { type ModeratorsRoom, moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import { countOf } from '../domain/plural.js';
import type { DeadlineKind, SlaPolicy } from '../domain/sla.js';
import type { Logger } from '../logger.js';
import { type DirectNotice, enqueueDirectNotices, noticeLines, planNotice } from '../moderation/moderator-notice.js';
import { outboxKey, type ReminderStage } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { DeadlineCandidate } from '../store/incident-store.js';
import type { Stores } from '../store/stores.js';
import {
  DEADLINE_NAMES,
  escapeHtml,
  formatDuration,
  formatLocal,
  INCIDENTS,
  listFirst,
  municipalityName,
  regionalModerators,
  responsibleModerators,
  topicLabel,
} from '../texts.js';

export type { ReminderStage } from '../outbox/outbox-key.js';

export interface DeadlineJobDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'transaction' | 'reminders' | 'messages'>;
  config: Config;
  clock: () => number;
  policy: SlaPolicy;
  logger: Logger;
}

export interface DeadlineRunResult {
  near: number;
  missed: number;
  escalated: number;
  /** Messages queued to the moderators' chat: one per municipality with something due. */
  messages: number;
}

type OpenRow = DeadlineCandidate;

/** One stage of one deadline of one incident, due in this run. */
interface Due {
  row: OpenRow;
  kind: DeadlineKind;
  stage: ReminderStage;
  dueAt: number;
}

const STAGE_TEMPLATES: Record<ReminderStage, AlertKey> = {
  near: 'alert_deadline_soon',
  missed: 'alert_deadline_missed',
  escalated: 'alert_deadline_escalated',
};

/** The most urgent first in a batch. */
const STAGE_ORDER: Record<ReminderStage, number> = { escalated: 0, missed: 1, near: 2 };

/** Reminder lines in one message; the rest are counted and numbered. A burst brings hundreds due at once. */
const MAX_LINES = 20;

/**
 * Reminds the responsible moderators when a deadline is near and when it is missed, and
 * escalates to the regional moderators when a missed deadline stays missed for
 * `sla.escalateAfterHours`. Each run sends ONE message per municipality to the moderators' chat
 * with everything due in it and the mentions; a moderator on another platform (VK) gets the run's
 * reminders where they work, once per run (src/moderation/moderator-notice.ts). Each reminder
 * happens once across runs and restarts: its audit event is the record (ReminderStore), written
 * in the same transaction as the messages.
 *
 * Which deadlines run is the domain's one rule (src/domain/deadline-running.ts), the same the
 * digest and the reports count overdue incidents by.
 */
export class DeadlineJob {
  constructor(private readonly deps: DeadlineJobDeps) {}

  run(): DeadlineRunResult {
    const { stores, config, clock, logger } = this.deps;
    const result: DeadlineRunResult = { near: 0, missed: 0, escalated: 0, messages: 0 };
    const room = moderatorsRoom(config);
    if (room === null) {
      logger.warn('no moderators chat (telegram.moderatorsChatId or max.moderatorsChatId): deadline reminders have nowhere to go');
      return result;
    }
    const now = clock();
    const rows = stores.incidents.withDeadlines();
    stores.transaction(() => {
      const due: Due[] = [];
      for (const row of rows) {
        for (const kind of ['accept', 'answer'] as const) {
          const dueAt = runningDeadline(row, kind);
          if (dueAt === null) continue;
          for (const stage of this.stages(row, dueAt, now))
            if (!stores.reminders.reminded(row.id, `${kind}:${stage}`, dueAt)) due.push({ row, kind, stage, dueAt });
        }
      }
      const byMunicipality = new Map<string | null, Due[]>();
      for (const d of due) byMunicipality.set(d.row.municipalityId, [...(byMunicipality.get(d.row.municipalityId) ?? []), d]);
      const direct = new Map<string, { notice: DirectNotice; parts: string[] }>();
      for (const [municipalityId, items] of byMunicipality) {
        this.batch(municipalityId, items, now, room, direct);
        for (const d of items) {
          result[d.stage] += 1;
          stores.incidents.appendEvent(
            d.row.id,
            { kind: 'system' },
            d.stage === 'escalated' ? 'escalated' : 'reminder',
            null,
            `${d.kind}:${d.stage}`,
            { dueAt: d.dueAt },
            now,
          );
        }
        result.messages += 1;
      }
      // A moderator written to elsewhere gets the run's reminders of every municipality in one message.
      for (const { notice, parts } of direct.values()) enqueueDirectNotices([notice], parts.join('\n\n'), `remind-${now}`, { config, stores, clock });
    });
    if (result.messages > 0) logger.info(result, 'deadline reminders queued');
    return result;
  }

  /** The stages of a deadline due now: near, or missed (and escalated once late enough). */
  private stages(row: OpenRow, dueAt: number, now: number): ReminderStage[] {
    const subject = { topic: row.topic, problem: row.problem, urgency: row.urgency, createdAt: row.createdAt };
    const { policy } = this.deps;
    if (now >= dueAt) return now >= policy.escalateAt(subject, dueAt) ? ['missed', 'escalated'] : ['missed'];
    return now >= policy.nearAt(subject, dueAt) ? ['near'] : [];
  }

  /** One municipality's message to the chat: the lines, most urgent first, and who is told. */
  private batch(
    municipalityId: string | null,
    items: Due[],
    now: number,
    room: ModeratorsRoom,
    direct: Map<string, { notice: DirectNotice; parts: string[] }>,
  ): void {
    const { config, stores, clock } = this.deps;
    items.sort((a, b) => STAGE_ORDER[a.stage] - STAGE_ORDER[b.stage] || a.row.id - b.row.id);
    const title = alertText(config, 'alert_deadlines_title', {
      municipality: escapeHtml(municipalityName(config, municipalityId)),
      count: countOf(new Set(items.map((d) => d.row.id)).size, INCIDENTS),
    });
    const lines = items.slice(0, MAX_LINES).map((d) => this.line(d, now));
    const rest = items.slice(MAX_LINES);
    if (rest.length > 0)
      lines.push(
        alertText(config, 'alert_deadlines_more', { count: rest.length, list: listFirst([...new Set(rest.map((d) => d.row.id))], (id) => `№${id}`, 60) }),
      );
    const body = [title, ...lines].join('\n');
    const responsible = items.some((d) => d.stage !== 'escalated') ? planNotice(responsibleModerators(config, municipalityId), { config, stores }) : null;
    const regional = items.some((d) => d.stage === 'escalated') ? planNotice(regionalModerators(config), { config, stores }) : null;
    const mentions = [
      ...(responsible ? noticeLines(responsible, config, 'alert_responsible') : []),
      ...(regional ? noticeLines(regional, config, 'alert_regional') : []),
    ];
    stores.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'remind-batch', at: now, municipalityId }),
        message: { destination: roomMessage(room), text: [body, ...mentions].join('\n'), format: 'html' },
        purpose: items.some((d) => d.stage === 'escalated') ? 'alert' : 'reminder',
        incidentId: new Set(items.map((d) => d.row.id)).size === 1 ? items[0]!.row.id : null,
        priority: OUTBOX_PRIORITY.alert,
      },
      clock(),
    );
    for (const notice of [...(responsible?.direct ?? []), ...(regional?.direct ?? [])]) {
      const key = `${notice.moderator.platform}:${notice.moderator.id}`;
      const entry = direct.get(key) ?? { notice, parts: [] };
      if (!entry.parts.includes(body)) entry.parts.push(body);
      direct.set(key, entry);
    }
  }

  /** A reminder's line in Telegram HTML: config texts (`alert_deadline_*`), escaped values. */
  private line(d: Due, now: number): string {
    const { config } = this.deps;
    return alertText(config, STAGE_TEMPLATES[d.stage], {
      number: d.row.id,
      topic: escapeHtml(topicLabel(d.row.topic)),
      municipality: escapeHtml(municipalityName(config, d.row.municipalityId)),
      action: DEADLINE_NAMES[d.kind].verb,
      missed: DEADLINE_NAMES[d.kind].missed,
      due: formatLocal(d.dueAt, config.region.timezone),
      left: formatDuration(d.dueAt - now),
      late: formatDuration(now - d.dueAt),
    });
  }
}
