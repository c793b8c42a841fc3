import type { Config } from '../config.js';
import type { Detection, TopicId } from '../domain/detection.js';
import type { Actor } from '../domain/incident.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { replyDestination } from '../domain/outbound.js';
import type { Db } from '../store/db.js';
import type { StoredIncident } from '../store/incident-store.js';
import { IncidentStore } from '../store/incident-store.js';
import type { StoredMessage } from '../store/message-store.js';
import { OutboxStore } from '../store/outbox-store.js';

export type DeadlinePolicy = (incident: { topic: TopicId; urgency: Detection['urgency']; createdAt: number }) => {
  acceptDueAt: number | null;
  answerDueAt: number | null;
};

export interface IncidentServiceDeps {
  db: Db;
  config: Config;
  clock: () => number;
  deadlines?: DeadlinePolicy;
}

export interface OpenResult {
  incident: StoredIncident;
  /** 'created': a new incident; 'followup': attached to the author's open incident. */
  outcome: 'created' | 'followup';
}

const SYSTEM: Actor = { kind: 'system' };

/** Replace {name} placeholders; unknown placeholders are left visible so a template typo shows. */
function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

/**
 * Creates incidents from detected appeals and tells the citizen. Every call runs inside the
 * caller's transaction: the incident, its audit event and the acknowledgement commit together.
 */
export class IncidentService {
  readonly store: IncidentStore;
  readonly outbox: OutboxStore;

  constructor(private readonly deps: IncidentServiceDeps) {
    this.store = new IncidentStore(deps.db);
    this.outbox = new OutboxStore(deps.db);
  }

  /** The municipality a message's source belongs to (community or chat), or null for the regional queue. */
  municipalityOf(inbound: InboundMessage, detection: Detection): string | null {
    const { config } = this.deps;
    const source = inbound.source;
    const fromSource =
      source.platform === 'vk'
        ? config.vk.communities.find((c) => c.groupId === source.groupId)?.municipalityId
        : config.telegram.chats.find((c) => c.chatId === source.chatId)?.municipalityId;
    return fromSource ?? detection.place?.municipalityId ?? null;
  }

  /** The department owning the topic in the municipality, else a regional one, else none. */
  departmentFor(topic: TopicId, municipalityId: string | null): string | null {
    const departments = this.deps.config.departments.filter((d) => d.topics.includes(topic));
    return (
      departments.find((d) => municipalityId !== null && d.municipalityId === municipalityId)?.id ??
      departments.find((d) => d.municipalityId === null)?.id ??
      null
    );
  }

  template(key: string, values: Record<string, string | number>): string {
    const { config } = this.deps;
    const templates = config.templates[config.region.language] ?? config.templates.ru ?? {};
    const template = templates[key];
    if (!template) throw new Error(`No reply template "${key}" for language ${config.region.language} in config`);
    return fill(template, values);
  }

  openFromMessage(message: StoredMessage, inbound: InboundMessage, detection: Detection): OpenResult {
    const now = this.deps.clock();
    const topic: TopicId = detection.topic ?? 'other';
    const municipalityId = this.municipalityOf(inbound, detection);
    const departmentId = this.departmentFor(topic, municipalityId);
    const due = this.deps.deadlines?.({ topic, urgency: detection.urgency, createdAt: now }) ?? { acceptDueAt: null, answerDueAt: null };
    const incident = this.store.create(
      {
        messageId: message.id,
        channel: message.channel,
        thread: message.thread,
        threadKey: message.threadKey,
        sourceKey: message.sourceKey,
        authorKey: message.authorKey,
        authorName: message.authorName,
        text: inbound.text,
        detection: { ...detection, topic },
        municipalityId,
        departmentId,
        ...due,
      },
      SYSTEM,
      now,
    );
    const department = this.deps.config.departments.find((d) => d.id === departmentId)?.name ?? 'ответственным специалистам';
    this.outbox.enqueue(
      {
        idempotencyKey: `ack:${incident.id}`,
        message: { destination: replyDestination(inbound.thread), text: this.template('ack', { number: incident.id, department }), format: 'plain' },
        purpose: 'ack',
        incidentId: incident.id,
      },
      now,
    );
    return { incident, outcome: 'created' };
  }

  /**
   * A citizen's further message in the thread of their open incident (an address, more detail):
   * recorded on the incident, thanked once per incident, never a new incident.
   */
  attachFollowUp(incident: StoredIncident, message: StoredMessage, inbound: InboundMessage): void {
    const now = this.deps.clock();
    this.store.appendEvent(incident.id, { kind: 'citizen', id: message.authorKey }, 'followup', null, null, { messageId: message.id, text: inbound.text.slice(0, 1000) }, now);
    this.outbox.enqueue(
      {
        idempotencyKey: `followup-ack:${incident.id}:${message.authorKey}`,
        message: { destination: replyDestination(inbound.thread), text: this.template('ack_followup', { number: incident.id }), format: 'plain' },
        purpose: 'ack',
        incidentId: incident.id,
      },
      now,
    );
  }

  /**
   * A message that may be an appeal but scored below the reply threshold: moderators see it as
   * «проверить»; the citizen gets no public reply until a moderator registers it.
   */
  flagForReview(message: StoredMessage, inbound: InboundMessage, detection: Detection): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    if (chatId === null) return;
    const topic = detection.topic ?? 'other';
    const text = [
      `Проверить: возможно, обращение (оценка ${detection.score.toFixed(2)}, тема ${topic})`,
      `«${inbound.text.slice(0, 500)}»`,
      detection.reasons.length > 0 ? `Признаки: ${detection.reasons.slice(0, 5).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('\n');
    this.outbox.enqueue(
      { idempotencyKey: `review:${message.id}`, message: { destination: { kind: 'telegram', chatId }, text, format: 'plain' }, purpose: 'review' },
      this.deps.clock(),
    );
  }
}
