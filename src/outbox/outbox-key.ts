/**
 * The outbox's idempotency keys, built and read in this one module. A key names what a row says
 * (one card per incident, one acknowledgement, one reminder per stage and due time, …) so the
 * same thing is never queued twice; a few are read back (a reply to a prompt, `/incident` in
 * reply to a review note). Fields are joined with `:`; the one free-text field of a key (a
 * reason, an author key, a subject, an announcement target) is the last but at most one, so the
 * parser gives it every `:` it contains.
 */
import type { DeadlineKind } from '../domain/sla.js';

export type ReminderStage = 'near' | 'missed' | 'escalated';

/**
 * Why a delivered card is edited, the last field of its `card-edit` key: an event of the
 * incident (`e<eventId>`), a button press on it (`press:<pressId>`), a keyboard shown on it (`pick:<pressId>`), or the card's own delivery
 * when the incident changed while it was in flight (`delivered`). Each reason edits at most once.
 */
export type CardEditReason =
  | { kind: 'event'; eventId: number }
  | { kind: 'press'; pressId: string }
  | { kind: 'pick'; pressId: string }
  | { kind: 'delivered' };

export type OutboxKey =
  | { kind: 'card'; incidentId: number }
  | { kind: 'card-edit'; incidentId: number; reason: CardEditReason }
  | { kind: 'card-answered'; incidentId: number; eventId: number }
  | { kind: 'card-added'; incidentId: number; eventId: number }
  /** The citizen's photos under a text card, in albums of at most ten (`part` counts them from 0). */
  | { kind: 'card-media'; incidentId: number; part: number }
  | { kind: 'ack'; incidentId: number }
  | { kind: 'ack-linked'; incidentId: number; messageId: number }
  | { kind: 'followup-ack'; incidentId: number; authorKey: string }
  | { kind: 'status'; incidentId: number; eventId: number; messageId: number }
  | { kind: 'review'; messageId: number }
  | { kind: 'reply'; messageId: number }
  | { kind: 'faq'; messageId: number }
  | { kind: 'private-help'; authorKey: string; day: string }
  | { kind: 'press'; pressId: string }
  | { kind: 'prompt'; incidentId: number; action: string; pressId: string }
  | { kind: 'remind'; incidentId: number; deadline: DeadlineKind; stage: ReminderStage; dueAt: number }
  | { kind: 'spike'; spikeId: number }
  | { kind: 'digest'; date: string }
  | { kind: 'digest-chart'; date: string }
  | { kind: 'announce'; announcementId: number; target: string }
  | { kind: 'alert-fatal'; subject: string; day: string }
  /** One run's deadline reminders and escalations for one municipality (null: the regional queue). */
  | { kind: 'remind-batch'; at: number; municipalityId: string | null }
  /** A notice to one moderator where they work (a VK moderator's community dialog); `subject` has no `:`. */
  | { kind: 'notice'; subject: string; moderator: string }
  /** A burst summary in the moderators' chat, and an edit of it at a version. */
  | { kind: 'burst'; summaryId: number }
  | { kind: 'burst-edit'; summaryId: number; version: number }
  /** What a press on a summary's «№N» button posts (a pointer to a card already in the chat). */
  | { kind: 'burst-open'; pressId: string };

export type OutboxKeyKind = OutboxKey['kind'];

/** The key's text; `outboxKey` of a parsed key gives the key back. */
export function outboxKey(key: OutboxKey): string {
  switch (key.kind) {
    case 'card':
    case 'ack':
      return `${key.kind}:${key.incidentId}`;
    case 'card-edit':
      return `card-edit:${key.incidentId}:${cardEditReasonText(key.reason)}`;
    case 'card-answered':
    case 'card-added':
      return `${key.kind}:${key.incidentId}:${key.eventId}`;
    case 'ack-linked':
      return `ack-linked:${key.incidentId}:${key.messageId}`;
    case 'card-media':
      return `card-media:${key.incidentId}:${key.part}`;
    case 'private-help':
      return `private-help:${key.authorKey}:${key.day}`;
    case 'followup-ack':
      return `followup-ack:${key.incidentId}:${key.authorKey}`;
    case 'status':
      return `status:${key.incidentId}:${key.eventId}:${key.messageId}`;
    case 'review':
    case 'reply':
    case 'faq':
      return `${key.kind}:${key.messageId}`;
    case 'press':
      return `press:${key.pressId}`;
    case 'prompt':
      return `prompt:${key.incidentId}:${key.action}:${key.pressId}`;
    case 'remind':
      return `remind:${key.incidentId}:${key.deadline}:${key.stage}:${key.dueAt}`;
    case 'spike':
      return `spike:${key.spikeId}`;
    case 'digest':
    case 'digest-chart':
      return `${key.kind}:${key.date}`;
    case 'announce':
      return `announce:${key.announcementId}:${key.target}`;
    case 'alert-fatal':
      return `alert:fatal:${key.subject}:${key.day}`;
    case 'remind-batch':
      return `remind-batch:${key.at}:${key.municipalityId ?? REGION}`;
    case 'notice':
      return `notice:${key.subject}:${key.moderator}`;
    case 'burst':
      return `burst:${key.summaryId}`;
    case 'burst-edit':
      return `burst-edit:${key.summaryId}:${key.version}`;
    case 'burst-open':
      return `burst-open:${key.pressId}`;
  }
}

function cardEditReasonText(reason: CardEditReason): string {
  switch (reason.kind) {
    case 'event':
      return `e${reason.eventId}`;
    case 'press':
      return `press:${reason.pressId}`;
    case 'pick':
      return `pick:${reason.pressId}`;
    case 'delivered':
      return 'delivered';
  }
}

function parseCardEditReason(text: string): CardEditReason | null {
  if (text === 'delivered') return { kind: 'delivered' };
  for (const kind of ['press', 'pick'] as const) {
    if (text.startsWith(`${kind}:`)) return text.length > kind.length + 1 ? { kind, pressId: text.slice(kind.length + 1) } : null;
  }
  const eventId = text.startsWith('e') ? id(text.slice(1)) : null;
  return eventId === null ? null : { kind: 'event', eventId };
}
/** The municipality field of a regional `remind-batch` key: no municipality id can be «~». */
const REGION = '~';

/** Where an announcement goes, the last field of its `announce` key (and how its targets are deduplicated). */
export type AnnounceTarget =
  | { kind: 'vk-wall'; groupId: number }
  | { kind: 'telegram-chat'; chatId: number }
  | { kind: 'max-chat'; chatId: number }
  | { kind: 'reply'; incidentId: number; messageId: number };

export function announceTargetKey(target: AnnounceTarget): string {
  switch (target.kind) {
    case 'vk-wall':
      return `post:vk:${target.groupId}`;
    case 'telegram-chat':
      return `post:tg:${target.chatId}`;
    case 'max-chat':
      return `post:max:${target.chatId}`;
    case 'reply':
      return `reply:${target.incidentId}:${target.messageId}`;
  }
}

/** The prefix every key of this kind (and, given, this incident or summary) starts with: for prefix lookups in the store. */
export function outboxKeyPrefix(kind: 'card-edit' | 'card-added' | 'burst-edit', id: number): string;
export function outboxKeyPrefix(kind: 'card' | 'card-edit' | 'faq' | 'prompt' | 'review'): string;
export function outboxKeyPrefix(kind: 'card' | 'card-edit' | 'card-added' | 'burst-edit' | 'faq' | 'prompt' | 'review', id?: number): string {
  return id === undefined ? `${kind}:` : `${kind}:${id}:`;
}

const ID = /^(?:0|[1-9]\d{0,15})$/;
const SIGNED_ID = /^-?(?:0|[1-9]\d{0,15})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DEADLINES: readonly string[] = ['accept', 'answer'] satisfies DeadlineKind[];
const STAGES: readonly string[] = ['near', 'missed', 'escalated'] satisfies ReminderStage[];

function id(text: string | undefined, pattern = ID): number | null {
  if (text === undefined || !pattern.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

function text(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** The key read back into its fields; null for anything this module did not build (never throws). */
export function parseOutboxKey(key: string): OutboxKey | null {
  if (typeof key !== 'string' || key.length > 1024) return null;
  const parsed = parseFields(key);
  // Only a key that is exactly what its fields build counts: no leading zeros, no stray parts.
  return parsed !== null && outboxKey(parsed) === key ? parsed : null;
}

function parseFields(key: string): OutboxKey | null {
  const colon = key.indexOf(':');
  if (colon < 0) return null;
  const head = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const parts = rest.split(':');
  /** The first `n` fields, and everything after them as one free-text field. */
  const tail = (n: number): string | null => text(parts.length > n ? parts.slice(n).join(':') : undefined);
  switch (head) {
    case 'card':
    case 'ack': {
      const incidentId = id(rest);
      return incidentId === null ? null : { kind: head, incidentId };
    }
    case 'card-edit':
    case 'followup-ack': {
      const incidentId = id(parts[0]);
      const free = tail(1);
      if (incidentId === null || free === null) return null;
      if (head === 'followup-ack') return { kind: head, incidentId, authorKey: free };
      const reason = parseCardEditReason(free);
      return reason === null ? null : { kind: head, incidentId, reason };
    }
    case 'card-answered':
    case 'card-added': {
      const incidentId = id(parts[0]);
      const eventId = id(parts[1]);
      return incidentId === null || eventId === null || parts.length !== 2 ? null : { kind: head, incidentId, eventId };
    }
    case 'card-media': {
      const incidentId = id(parts[0]);
      const part = id(parts[1]);
      return incidentId === null || part === null || parts.length !== 2 ? null : { kind: head, incidentId, part };
    }
    case 'ack-linked': {
      const incidentId = id(parts[0]);
      const messageId = id(parts[1]);
      return incidentId === null || messageId === null || parts.length !== 2 ? null : { kind: head, incidentId, messageId };
    }
    case 'private-help': {
      const day = parts.at(-1) ?? '';
      const authorKey = text(parts.slice(0, -1).join(':'));
      return !DATE.test(day) || authorKey === null ? null : { kind: head, authorKey, day };
    }
    case 'status': {
      const [incidentId, eventId, messageId] = [id(parts[0]), id(parts[1]), id(parts[2])];
      return incidentId === null || eventId === null || messageId === null || parts.length !== 3 ? null : { kind: head, incidentId, eventId, messageId };
    }
    case 'review':
    case 'reply':
    case 'faq': {
      const messageId = id(rest);
      return messageId === null ? null : { kind: head, messageId };
    }
    case 'press': {
      const pressId = text(rest);
      return pressId === null ? null : { kind: head, pressId };
    }
    case 'prompt': {
      const incidentId = id(parts[0]);
      const action = text(parts[1]);
      const pressId = tail(2);
      return incidentId === null || action === null || pressId === null ? null : { kind: head, incidentId, action, pressId };
    }
    case 'remind': {
      const incidentId = id(parts[0]);
      const dueAt = id(parts[3], SIGNED_ID);
      const [deadline, stage] = [parts[1] ?? '', parts[2] ?? ''];
      if (incidentId === null || dueAt === null || parts.length !== 4 || !DEADLINES.includes(deadline) || !STAGES.includes(stage)) return null;
      return { kind: head, incidentId, deadline: deadline as DeadlineKind, stage: stage as ReminderStage, dueAt };
    }
    case 'spike': {
      const spikeId = id(rest);
      return spikeId === null ? null : { kind: head, spikeId };
    }
    case 'digest':
    case 'digest-chart':
      return DATE.test(rest) ? { kind: head, date: rest } : null;
    case 'announce': {
      const announcementId = id(parts[0]);
      const target = tail(1);
      return announcementId === null || target === null ? null : { kind: head, announcementId, target };
    }
    case 'remind-batch': {
      const at = id(parts[0]);
      const scope = parts[1];
      if (at === null || parts.length !== 2 || scope === undefined || scope === '') return null;
      return { kind: head, at, municipalityId: scope === REGION ? null : scope };
    }
    case 'notice': {
      const subject = text(parts[0]);
      const moderator = tail(1);
      return subject === null || moderator === null ? null : { kind: head, subject, moderator };
    }
    case 'burst': {
      const summaryId = id(rest);
      return summaryId === null ? null : { kind: head, summaryId };
    }
    case 'burst-edit': {
      const [summaryId, version] = [id(parts[0]), id(parts[1])];
      return summaryId === null || version === null || parts.length !== 2 ? null : { kind: head, summaryId, version };
    }
    case 'burst-open': {
      const pressId = text(rest);
      return pressId === null ? null : { kind: head, pressId };
    }
    case 'alert': {
      const day = parts.at(-1) ?? '';
      const subject = text(parts.slice(1, -1).join(':'));
      return parts[0] !== 'fatal' || !DATE.test(day) || subject === null ? null : { kind: 'alert-fatal', subject, day };
    }
    default:
      return null;
  }
}
