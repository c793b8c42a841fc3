import type { Config } from '../config.js';
import { hasEvidence, type MessageMedia } from '../domain/attachment.js';
import { CITIZEN_TEMPLATES, type CitizenTemplateKey, citizenText } from '../domain/citizen-templates.js';
import { clipText, MESSAGE_TEXT_MAX } from '../domain/clip-text.js';
import type { Detection, TopicId } from '../domain/detection.js';
import type { FaqEntry } from '../domain/faq.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import type { Actor, IncidentStatus } from '../domain/incident.js';
import { actorId } from '../domain/incident.js';
import { type Classification, classify, isEmergencyProblem } from '../domain/incident-classification.js';
import { type IncidentAction, planAction } from '../domain/incident-status.js';
import { modText } from '../domain/moderator-templates.js';
import { moderatorsRoom, roomMessage } from '../domain/moderators-room.js';
import { destinationPlatform, replyDestination } from '../domain/outbound.js';
import type { ProblemId } from '../domain/problem.js';
import { rejectCategory } from '../domain/reject-reason.js';
import { safeText } from '../domain/safe-text.js';
import { sameProblem } from '../domain/same-problem.js';
import type { SlaPolicy } from '../domain/sla.js';
import { findTemplate, renderTemplate } from '../domain/template.js';
import type { ThreadRef } from '../domain/thread-ref.js';
import { ConfigError } from '../errors.js';
import { noteWithMedia } from '../media-texts.js';
import { type CardEditReason, outboxKey } from '../outbox/outbox-key.js';
import type { IncidentStore, StoredIncident } from '../store/incident-store.js';
import type { StoredMessage } from '../store/message-store.js';
import type { OutboxStore } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { ACTION_NAMES, topicLabel } from '../texts.js';
import { placeOfLocation } from './location-place.js';
import { routeDepartment, routeMunicipality } from './routing.js';

export type DeadlinePolicy = (incident: { topic: TopicId; problem?: ProblemId | null; urgency: Detection['urgency']; createdAt: number }) => {
  acceptDueAt: number | null;
  answerDueAt: number | null;
};

export interface IncidentServiceDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'labels'>;
  config: Config;
  clock: () => number;
  deadlines?: DeadlinePolicy;
  /** Moves the answer deadline after an intermediate answer (SlaPolicy); without it /interim keeps the deadline. */
  sla?: Pick<SlaPolicy, 'interimAnswerDueAt'>;
  /** The moderators' cards (src/moderation/); without it incidents are worked by commands only. */
  cards?: IncidentCards;
}

/** The moderators' view of incidents, told of every new incident and every change. Runs in the caller's transaction. */
export interface IncidentCards {
  /** A new incident: post its card. */
  posted(incident: StoredIncident): void;
  /** The incident changed: show it as it is now. `reason` names the change, so each change updates the card once. */
  changed(incidentId: number, reason: CardEditReason, note: string | null): void;
  /** The citizen answered a moderator's question: tell the moderators what they wrote (once per event). */
  answered(incidentId: number, eventId: number, text: string): void;
  /** The citizen added to the incident: quote it under the card (once per event; additions arriving together share one note). */
  added(incidentId: number, eventId: number, text: string): void;
}

/** Where a message came from, as much as opening an incident needs (and what came with it). */
export type MessageOrigin = Pick<InboundMessage, 'thread' | 'text' | 'source'> & Partial<Pick<InboundMessage, 'attachments' | 'location'>>;

/** What came with the message besides words, as an event's details keep it (and the cards read it back); nothing when it had none. */
function mediaDetails(inbound: MessageOrigin): { media?: MessageMedia } {
  const attachments = inbound.attachments ?? [];
  const location = inbound.location ?? null;
  return attachments.length === 0 && location === null ? {} : { media: { attachments, location } };
}

/** The same citizen's open incident a doubtful message may belong to (src/domain/threading.ts). */
export interface ReviewRelation {
  incidentId: number;
  reason: 'other_problem' | 'maybe_addition';
}

/** A moderator's request to change an incident. */
export interface ActionRequest {
  action: IncidentAction;
  actor: Actor;
  /** The words for the citizen (ask, interim, answer, reject) or the internal note. */
  text?: string;
  /** A department for accept or assign, already checked to exist. */
  departmentId?: string;
  /** The corrected topic (topic), already checked to exist. */
  topic?: TopicId;
  /**
   * The corrected problem (topic), one of `topic`'s; null: none. Undefined: the incident's own
   * problem stays when the topic stays, and goes when the topic changes (it belonged to the old one).
   */
  problem?: ProblemId | null;
  /** Who takes it (take): a moderator already checked to have rights on it; default the actor. */
  holder?: { key: string; name: string };
}

export type ActionOutcome =
  | { ok: true; incident: StoredIncident; from: IncidentStatus; to: IncidentStatus | null; changed: boolean }
  | { ok: false; incident: StoredIncident; allowed: IncidentAction[] };

/** The citizen-facing template of each action, sent to every reporter's thread. */
const STATUS_TEMPLATES: Partial<Record<IncidentAction, CitizenTemplateKey>> = {
  accept: 'status_accepted',
  ask: 'status_needs_info',
  interim: 'status_interim',
  answer: 'status_answered',
  close: 'status_closed',
  reject: 'status_rejected',
  reopen: 'status_reopened',
};

/** Every template the bot may send a citizen; checked at start so a missing one fails there, not mid-conversation. */
export const REQUIRED_TEMPLATES = Object.keys(CITIZEN_TEMPLATES) as CitizenTemplateKey[];

export interface OpenResult {
  incident: StoredIncident;
  /** 'created': a new incident; 'followup': attached to the author's open incident; 'linked': the same problem someone else reported. */
  outcome: 'created' | 'followup' | 'linked';
}

const SYSTEM: Actor = { kind: 'system' };

/**
 * Creates incidents from detected appeals and tells the citizen. Every call runs inside the
 * caller's transaction: the incident, its audit event and the acknowledgement commit together.
 */
export class IncidentService {
  private readonly store: IncidentStore;
  private readonly outbox: OutboxStore;

  /** Throws ConfigError when config lacks a reply template (templates.<language> or templates.ru). */
  constructor(private readonly deps: IncidentServiceDeps) {
    this.store = deps.stores.incidents;
    this.outbox = deps.stores.outbox;
    const { templates, region } = deps.config;
    const missing = REQUIRED_TEMPLATES.filter((key) => !findTemplate(templates, region.language, key));
    if (missing.length > 0) throw new ConfigError(`Missing reply templates in config templates.${region.language}: ${missing.join(', ')}`);
  }

  /** The municipality a message's source belongs to (community or chat), else of a place in the text, else null (the regional queue). */
  municipalityOf(inbound: Pick<InboundMessage, 'source'>, detection: Pick<Detection, 'place'>): string | null {
    return routeMunicipality(this.deps.config, inbound.source, detection.place);
  }

  /** The department owning the problem or topic in the municipality, else a regional one, else none (routing.ts). */
  departmentFor(what: Pick<Classification, 'topic' | 'problem'>, municipalityId: string | null): string | null {
    const problem = what.problem === null ? null : (this.deps.config.problems.get(what.problem) ?? null);
    return routeDepartment(this.deps.config, { topic: what.topic, problem, municipalityId });
  }

  /** A citizen-facing template filled with `values`; throws when the config lacks it (a deployment error, caught at first use). */
  template(key: CitizenTemplateKey, values: Record<string, string | number>): string {
    return citizenText(this.deps.config, key, values);
  }

  // === Opening

  /**
   * Register a detected appeal: a new incident with its acknowledgement and card, or — when an
   * open incident about the same problem (topic, municipality, street or settlement, within
   * incidents.duplicateWindowHours, and the same taxonomy problem or, without one on either side,
   * a shared word about the problem: see same-problem.ts) exists — link the citizen to it with
   * the ack_linked reply. Registered by a moderator (/incident), it is also a label for the detector.
   */
  openFromMessage(message: StoredMessage, inbound: MessageOrigin, detection: Detection, actor: Actor = SYSTEM): OpenResult {
    const result = this.open(message, inbound, detection, actor);
    if (actor.kind === 'moderator') {
      const { topic, problem } = classify(detection, this.deps.config.problems);
      this.deps.stores.labels.record(
        { messageId: message.id, incidentId: result.incident.id, label: 'complaint', topic, problem, action: 'incident', moderatorKey: actor.id },
        this.deps.clock(),
      );
    }
    return result;
  }

  private open(message: StoredMessage, inbound: MessageOrigin, detection: Detection, actor: Actor): OpenResult {
    const { config } = this.deps;
    const now = this.deps.clock();
    const classification = classify(detection, config.problems);
    const { topic, problem, urgency } = classification;
    const municipalityId = this.municipalityOf(inbound, detection);

    const question = detection.kind === 'question';
    // A question is answered for the one who asked; it is never the same problem as someone's complaint.
    const same = question
      ? undefined
      : this.store
          .findSamePlace({ topic, problem, municipalityId, place: detection.place, since: now - config.incidents.duplicateWindowHours * 3_600_000 })
          .find((candidate) => sameProblem(candidate, { text: inbound.text, place: detection.place, problem }));
    if (same) {
      this.store.addReporter({
        incidentId: same.id,
        messageId: message.id,
        threadKey: message.threadKey,
        thread: message.thread,
        authorKey: message.authorKey,
        linkedAt: now,
      });
      const details = { text: clipText(inbound.text, 1000), ...mediaDetails(inbound) };
      const eventId = this.store.appendEvent(same.id, { kind: 'citizen', id: message.authorKey }, 'linked', null, String(message.id), details, now);
      this.acknowledge(
        inbound.thread,
        outboxKey({ kind: 'ack-linked', incidentId: same.id, messageId: message.id }),
        this.template('ack_linked', { number: same.id }),
        same.id,
        now,
      );
      this.deps.cards?.changed(same.id, { kind: 'event', eventId }, modText(config, 'card_note_linked'));
      // Another citizen's photo of the same problem reaches the moderators too, as a note under the card.
      if (details.media && hasEvidence(details.media)) this.deps.cards?.added(same.id, eventId, inbound.text);
      return { incident: same, outcome: 'linked' };
    }

    const departmentId = this.departmentFor(classification, municipalityId);
    const due = this.deps.deadlines?.({ topic, problem, urgency, createdAt: now }) ?? { acceptDueAt: null, answerDueAt: null };
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
        kind: question ? 'question' : 'complaint',
        detection: { ...detection, topic, problem, urgency },
        municipalityId,
        departmentId,
        ...due,
        location: inbound.location ?? null,
      },
      actor,
      now,
    );
    const department = config.departments.find((d) => d.id === departmentId)?.name ?? this.template('citizen_no_department', {});
    const ack = question ? this.template('ack_question', { number: incident.id }) : this.template('ack', { number: incident.id, department });
    this.acknowledge(inbound.thread, outboxKey({ kind: 'ack', incidentId: incident.id }), ack, incident.id, now);
    this.deps.cards?.posted(incident);
    return { incident, outcome: 'created' };
  }

  /** A question the region's FAQ answers: the entry's answer in the asker's thread at once, once per message. No incident. */
  answerFromFaq(message: StoredMessage, inbound: MessageOrigin, entry: Pick<FaqEntry, 'id' | 'link'>): void {
    const platform = destinationPlatform(replyDestination(inbound.thread));
    const text = renderTemplate(this.deps.config, 'FAQ answer', `faq_${entry.id}`, { link: entry.link ? safeText(entry.link, platform) : '' });
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'faq', messageId: message.id }),
        message: { destination: replyDestination(inbound.thread), text: clipText(text, MESSAGE_TEXT_MAX), format: 'plain' },
        purpose: 'reply',
      },
      this.deps.clock(),
    );
  }

  /**
   * A private message that is neither an appeal nor a question («Привет, бот!»): a short help on
   * what the bot does and how to report, at most once per calendar day (region time) per citizen.
   */
  privateHelp(message: StoredMessage, inbound: MessageOrigin): void {
    const now = this.deps.clock();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: this.deps.config.region.timezone }).format(now);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'private-help', authorKey: message.authorKey, day }),
        message: { destination: replyDestination(inbound.thread), text: this.template('citizen_private_help', {}), format: 'plain' },
        purpose: 'reply',
      },
      now,
    );
  }

  /** Queue an acknowledgement (purpose 'ack') in the citizen's own thread, once per key. */
  private acknowledge(thread: ThreadRef, idempotencyKey: string, text: string, incidentId: number, now: number): void {
    this.outbox.enqueue({ idempotencyKey, message: { destination: replyDestination(thread), text, format: 'plain' }, purpose: 'ack', incidentId }, now);
  }

  /**
   * A citizen's further message on their open incident (an address, more detail; threading decided
   * it belongs): recorded on the incident, shown on its card and quoted under it, thanked once per
   * incident. An answer to a moderator's question (status needs_info) puts the incident back in work.
   */
  attachFollowUp(incident: StoredIncident, message: StoredMessage, inbound: InboundMessage, options: { quiet?: boolean } = {}): void {
    const now = this.deps.clock();
    const citizen: Actor = { kind: 'citizen', id: message.authorKey };
    const eventId = this.store.appendEvent(
      incident.id,
      citizen,
      'followup',
      null,
      null,
      { messageId: message.id, text: clipText(inbound.text, 1000), ...mediaDetails(inbound) },
      now,
    );
    // A location sent afterwards («вот где это») gives an incident without one its point, and its place when the text named no street.
    if (inbound.location) {
      const place = placeOfLocation(this.deps.config, inbound.location);
      // An incident of the regional queue (a private chat names no municipality) goes to the municipality the point is in.
      const route =
        incident.municipalityId === null && place?.municipalityId
          ? { municipalityId: place.municipalityId, departmentId: incident.departmentId ?? this.departmentFor(incident, place.municipalityId) }
          : null;
      this.store.setLocation(incident.id, inbound.location, place, citizen, now, route);
    }
    // The details a moderator asked for arrived: the incident is back in work (needs_info → accepted), and its card says so.
    if (incident.status === 'needs_info' && this.store.transition(incident.id, 'needs_info', 'accepted', citizen, now, { messageId: message.id }) !== null) {
      this.deps.cards?.changed(incident.id, { kind: 'event', eventId }, modText(this.deps.config, 'card_note_citizen_answered'));
      this.deps.cards?.answered(incident.id, eventId, inbound.text);
    } else {
      this.deps.cards?.changed(incident.id, { kind: 'event', eventId }, modText(this.deps.config, 'card_note_addition'));
      this.deps.cards?.added(incident.id, eventId, inbound.text);
    }
    // A late photo of an album the citizen already sent is not news to them: no second thanks.
    if (options.quiet) return;
    this.acknowledge(
      inbound.thread,
      outboxKey({ kind: 'followup-ack', incidentId: incident.id, authorKey: message.authorKey }),
      this.template('ack_followup', { number: incident.id }),
      incident.id,
      now,
    );
  }

  /**
   * A message that may be an appeal but scored below the reply threshold, or a doubtful message
   * next to the same citizen's open incident (`related`): moderators see it as «проверить»; the
   * citizen gets no public reply until a moderator registers it (/incident).
   */
  flagForReview(message: StoredMessage, inbound: InboundMessage, detection: Detection, related?: ReviewRelation): void {
    const { config } = this.deps;
    const room = moderatorsRoom(config);
    if (room === null) return;
    const wordless = !/[\p{L}\p{N}]/u.test(inbound.text);
    const body = [
      wordless && inbound.attachments.some((a) => a.kind === 'photo')
        ? modText(config, 'card_review_media')
        : modText(config, 'card_review', {
            score: detection.score.toFixed(2),
            topic: topicLabel(detection.topic ?? 'other'),
            text: safeText(clipText(inbound.text, 500), room.platform),
          }),
      related
        ? modText(config, related.reason === 'other_problem' ? 'card_review_other_problem' : 'card_review_maybe_addition', { number: related.incidentId })
        : '',
      detection.reasons.length > 0
        ? modText(config, 'card_review_reasons', { reasons: safeText(detection.reasons.slice(0, 5).join(', '), room.platform) })
        : '',
      modText(config, 'card_review_hint'),
    ]
      .filter(Boolean)
      .join('\n');
    // The photo goes with the note (a caption), VK photos and files as links, the location as a map link.
    const note = noteWithMedia(body, { attachments: inbound.attachments, location: inbound.location ?? null }, config);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'review', messageId: message.id }),
        message: { destination: roomMessage(room), format: 'plain', ...note },
        purpose: 'review',
      },
      this.deps.clock(),
    );
  }

  // === Working an incident

  /**
   * Carry out a moderator's action: check it against the transition table, change the incident,
   * append the event, tell every reporter's thread (once per event: the outbox key names the
   * event and the reporter's message) and update the card. Permissions and argument checks are
   * the caller's; an illegal action changes nothing and says which actions are allowed.
   */
  act(incidentId: number, request: ActionRequest): ActionOutcome {
    const current = this.store.get(incidentId);
    if (!current) throw new Error(`incident ${incidentId} does not exist`);
    const plan = planAction(current.status, request.action);
    if (!plan.ok) return { ok: false, incident: current, allowed: plan.allowed };
    const now = this.deps.clock();
    const { actor, text } = request;
    const details = text ? { text } : undefined;
    let eventId: number | null = null;

    if (plan.to !== null) {
      eventId = this.store.transition(incidentId, plan.from, plan.to, actor, now, details);
      if (eventId === null) {
        // Another change won the race; the caller reports the status as it is now.
        const fresh = this.store.get(incidentId)!;
        const again = planAction(fresh.status, request.action);
        return { ok: false, incident: fresh, allowed: again.ok ? [] : again.allowed };
      }
      // A reopened incident is work again: without a fresh answer deadline no reminder would ever come (the old one predates the answer).
      const renewed =
        plan.to === 'reopened'
          ? this.deps.deadlines?.({ topic: current.topic, problem: current.problem, urgency: current.urgency, createdAt: now }).answerDueAt
          : null;
      if (renewed) this.store.setAnswerDue(incidentId, renewed, actor, now);
      if (actor.kind === 'moderator') this.labelTransition(current, plan.to, text ?? '', actor, now);
    } else if (request.action === 'interim') {
      eventId = this.store.appendEvent(incidentId, actor, 'interim', null, null, details ?? null, now);
      if (this.deps.sla) this.store.setAnswerDue(incidentId, this.deps.sla.interimAnswerDueAt(current), actor, now);
    } else if (request.action === 'note') {
      eventId = this.store.appendEvent(incidentId, actor, 'note', null, null, details ?? null, now);
    } else if (request.action === 'take') {
      const holder = request.holder ?? (actor.kind === 'moderator' ? { key: actor.id, name: actor.name ?? actor.id } : null);
      if (holder) eventId = this.store.hold(incidentId, holder, actor, now);
    } else if (request.action === 'topic' && request.topic) {
      eventId = this.correctTopic(current, request.topic, request.problem, actor, now);
    }
    if (request.departmentId && (request.action === 'assign' || request.action === 'accept')) {
      eventId = this.store.assign(incidentId, request.departmentId, actor, now) ?? eventId;
    }
    const incident = this.store.get(incidentId)!;
    if (eventId === null) return { ok: true, incident, from: plan.from, to: plan.to, changed: false };

    const templateKey = request.action === 'answer' && incident.kind === 'question' ? 'question_answered' : STATUS_TEMPLATES[request.action];
    if (templateKey) this.notifyReporters(incident, templateKey, eventId, text ?? '');
    if (request.action !== 'note')
      this.deps.cards?.changed(
        incidentId,
        { kind: 'event', eventId },
        `${ACTION_NAMES[request.action]}${actor.kind === 'moderator' && actor.name ? ` — ${actor.name}` : ''}`,
      );
    return { ok: true, incident, from: plan.from, to: plan.to, changed: true };
  }

  /**
   * A moderator's correction of the topic or problem: recorded with an event and as a label, and —
   * unless a moderator chose the department — routed anew (routing.ts) by a system 'assign'.
   */
  private correctTopic(current: StoredIncident, topic: TopicId, chosen: ProblemId | null | undefined, actor: Actor, now: number): number | null {
    const { config } = this.deps;
    const problem = chosen !== undefined ? chosen : current.topic === topic ? current.problem : null;
    const urgent = problem !== current.problem && isEmergencyProblem(config.problems, problem);
    const eventId = this.store.setTopic(current.id, topic, problem, actor, now, urgent);
    if (eventId === null) return null;
    if (actor.kind === 'moderator') {
      this.deps.stores.labels.record(
        { messageId: current.messageId, incidentId: current.id, label: 'complaint', topic, problem, action: 'topic', moderatorKey: actorId(actor) },
        now,
      );
    }
    if (!this.store.assignedByModerator(current.id)) {
      const departmentId = this.departmentFor({ topic, problem }, current.municipalityId);
      if (departmentId !== null) this.store.assign(current.id, departmentId, SYSTEM, now);
    }
    return eventId;
  }

  /**
   * Labels a status change makes: a rejection whose reason says «not an appeal» (reject-reason.ts)
   * labels the message `not_complaint`; reopening after such a rejection takes it back.
   */
  private labelTransition(current: StoredIncident, to: IncidentStatus, reason: string, actor: Actor & { kind: 'moderator' }, now: number): void {
    const labels = this.deps.stores.labels;
    const base = { messageId: current.messageId, incidentId: current.id, moderatorKey: actor.id };
    if (to === 'rejected' && rejectCategory(reason) === 'not_appeal') {
      labels.record({ ...base, label: 'not_complaint', topic: null, problem: null, action: 'reject' }, now);
    } else if (to === 'reopened' && labels.latestOfIncident(current.id)?.label === 'not_complaint') {
      labels.record({ ...base, label: 'complaint', topic: current.topic, problem: current.problem, action: 'reopen' }, now);
    }
  }

  /** One status message to each reporter's thread; the key makes a repeat of the same event a no-op. */
  private notifyReporters(incident: StoredIncident, templateKey: CitizenTemplateKey, eventId: number, text: string): void {
    const now = this.deps.clock();
    const department = this.deps.config.departments.find((d) => d.id === incident.departmentId)?.name ?? this.template('citizen_no_department', {});
    for (const reporter of this.store.reporters(incident.id)) {
      const destination = replyDestination(reporter.thread);
      const platform = destinationPlatform(destination);
      const body = this.template(templateKey, {
        number: incident.id,
        text: safeText(text, platform),
        department: safeText(department, platform),
      });
      this.outbox.enqueue(
        {
          idempotencyKey: outboxKey({ kind: 'status', incidentId: incident.id, eventId, messageId: reporter.messageId }),
          message: { destination, text: clipText(body, MESSAGE_TEXT_MAX), format: 'plain' },
          purpose: 'status',
          incidentId: incident.id,
        },
        now,
      );
    }
  }
}
