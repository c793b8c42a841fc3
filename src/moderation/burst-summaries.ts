/**
 * Bursts in the moderators' chat. Telegram takes 20 messages a minute in a group: an outage brings
 * hundreds of incidents, and their cards would need half an hour to go out. While more cards wait
 * than `burst.pendingCards`, every new incident joins the summary of its group (src/domain/
 * burst-group.ts) — one message per group that lists the numbers, with buttons to open each card
 * at once — and the cards follow as the chat's rate allows, urgent ones first (their priority).
 *
 * The summary goes out ahead of the cards (priority `summary`) and is rewritten while it waits, or
 * edited once delivered: at most one edit every `burst.editIntervalSeconds`, the waiting edit
 * taking every later change. Everything goes through the outbox, in the caller's transaction.
 */

import type { Config } from '../config.js';
import { burstGroup } from '../domain/burst-group.js';
import type { ButtonPress } from '../domain/inbound-message.js';
import { type ModeratorTemplateKey, modText } from '../domain/moderator-templates.js';
import { type ModeratorsRoom, roomMessage } from '../domain/moderators-room.js';
import { outboxKey, outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { BurstSummary } from '../store/burst-store.js';
import type { StoredIncident } from '../store/incident-store.js';
import type { OutboxItem } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { type BurstSummaryView, decodeBurstData, renderBurstSummary } from './burst-summary.js';
import { canActOn, findModerator } from './permissions.js';

export interface BurstSummariesDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'bursts'>;
  config: Pick<Config, 'telegram' | 'municipalities' | 'templates' | 'region' | 'burst' | 'moderators' | 'problems'>;
  clock: () => number;
  /**
   * The moderators' chat. Summaries are made only in a Telegram one: it is Telegram that lets a
   * bot post 20 messages a minute in a group; a MAX chat takes the cards as fast as they come.
   */
  room: ModeratorsRoom | null;
}

/** Answers a press (the callback toast), by template. */
export type PressAnswer = (key: ModeratorTemplateKey, values?: Record<string, string | number>, alert?: boolean) => void;

export class BurstSummaries {
  constructor(private readonly deps: BurstSummariesDeps) {}

  /** The Telegram moderators' chat, or null when the cards go elsewhere (or nowhere). */
  private get chat(): number | null {
    return this.deps.room?.platform === 'telegram' ? this.deps.room.chatId : null;
  }

  /**
   * A new incident's card was queued for the moderators' chat. During a burst (or while its
   * group's summary is still open) the incident joins the summary; the first incident of a burst
   * opens it together with the cards of its group already waiting.
   */
  cardQueued(incident: StoredIncident): void {
    const { stores, config, clock } = this.deps;
    const chatId = this.chat;
    if (chatId === null) return;
    const now = clock();
    const group = burstGroup(incident);
    let summary = stores.bursts.active(chatId, group.key, now - config.burst.quietMinutes * 60_000);
    if (!summary) {
      if (stores.outbox.pendingCount('telegram', 'card') < config.burst.pendingCards) return;
      summary = stores.bursts.open(chatId, group.key, now);
      const waiting = stores.outbox
        .pendingIncidents('telegram', outboxKeyPrefix('card'))
        .filter((id) => id !== incident.id)
        .filter((id) => {
          const other = stores.incidents.get(id);
          return other !== undefined && burstGroup(other).key === group.key;
        });
      stores.bursts.add(summary.id, waiting, now);
    }
    stores.bursts.add(summary.id, [incident.id], now);
    this.show(summary.id, now);
  }

  /**
   * What a summary row says when its turn to be sent comes (the outbox's preparation for purpose
   * `burst`): the summary as it is then. A burst of hundreds changes it with every incident, so it
   * is written once per send, not once per change. Null for a row that is not a summary's.
   */
  prepare(item: Pick<OutboxItem, 'idempotencyKey'>): { text: string; format: 'html'; buttons: BurstSummaryView['buttons'] } | null {
    const key = parseOutboxKey(item.idempotencyKey);
    if (key?.kind !== 'burst' && key?.kind !== 'burst-edit') return null;
    const summary = this.deps.stores.bursts.get(key.summaryId);
    if (!summary) return null;
    const view = this.view(summary);
    return { text: view.text, format: 'html', buttons: view.buttons };
  }

  /**
   * A summary message or an edit reached the chat (the outbox's effect for purpose `burst`): keep
   * the message id, and when incidents joined after it was written, edit it. True when an edit was queued.
   */
  delivered(item: Pick<OutboxItem, 'idempotencyKey' | 'externalId' | 'message'>): boolean {
    const key = parseOutboxKey(item.idempotencyKey);
    if (key?.kind !== 'burst' && key?.kind !== 'burst-edit') return false;
    const { stores, clock } = this.deps;
    if (key.kind === 'burst') {
      const messageId = Number(item.externalId);
      if (!Number.isSafeInteger(messageId) || messageId <= 0) return false;
      stores.bursts.setMessageId(key.summaryId, messageId);
    }
    const summary = stores.bursts.get(key.summaryId);
    if (!summary || this.view(summary).text === item.message.text) return false;
    return this.show(summary.id, clock());
  }

  /** A press on a summary's button: open an incident's card, or turn the page of buttons. */
  press(press: ButtonPress, answer: PressAnswer): void {
    const { stores, config, clock } = this.deps;
    const data = decodeBurstData(press.data);
    const chatId = this.chat;
    if (press.platform !== 'telegram' || press.chatId !== chatId || !data) return answer('mod_press_unknown');
    const moderator = findModerator(config.moderators, press.from);
    if (!moderator) return answer('mod_press_not_moderator', {}, true);
    const now = clock();
    if (data.action === 'page') {
      const summary = stores.bursts.get(data.summaryId);
      if (!summary || summary.chatId !== chatId || String(summary.messageId) !== press.messageRef) return answer('mod_press_wrong_card', {}, true);
      stores.bursts.setPage(summary.id, data.page);
      // The moderator is looking at it: this edit goes out now, not after the spacing of edits.
      this.show(summary.id, now, { now: true });
      const view = this.view(stores.bursts.get(summary.id)!);
      return answer('mod_press_burst_page', { page: view.page + 1, pages: view.pages });
    }
    const incident = stores.incidents.get(data.incidentId);
    if (!incident) return answer('mod_press_unknown');
    if (!canActOn(moderator, incident.municipalityId)) return answer('mod_press_other_municipality', { number: incident.id }, true);
    const card = stores.incidents.cardMessageRef(incident.id);
    if (card === null) {
      // Not in the chat yet: the card goes next, ahead of the others still waiting.
      stores.outbox.promote('telegram', outboxKey({ kind: 'card', incidentId: incident.id }), OUTBOX_PRIORITY.moderatorWaits, now);
      return answer('mod_press_burst_next', { number: incident.id });
    }
    // Already in the chat, somewhere above: a reply to it takes the moderator there in one tap.
    stores.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'burst-open', pressId: press.pressId }),
        message: {
          destination: roomMessage({ platform: 'telegram', chatId }, card),
          text: modText(config, 'burst_open_here', { number: incident.id }),
          format: 'plain',
        },
        purpose: 'reply',
        incidentId: incident.id,
        priority: OUTBOX_PRIORITY.moderatorWaits,
      },
      now,
    );
    return answer('mod_press_burst_here', { number: incident.id });
  }

  /** The summary as it is now. Rendered on every change of a burst of hundreds: its incidents come in one read. */
  private view(summary: BurstSummary): BurstSummaryView {
    const { stores, config } = this.deps;
    const incidents = stores.bursts.members(summary.id);
    // Every incident of a summary shares its group: the first one names it.
    const first = incidents[0] ? stores.incidents.get(incidents[0].id) : undefined;
    const group = first ? burstGroup(first) : { key: summary.groupKey, topic: 'other' as const, problem: null, municipalityId: null };
    return renderBurstSummary({ summaryId: summary.id, group, incidents, page: summary.page }, config);
  }

  /**
   * Put the summary on its way after a change: its message, or an edit of it, spaced by
   * `burst.editIntervalSeconds` unless `now` is asked. A row of it still waiting (claimed or not)
   * takes the change as it is: it is written when sent (prepare()). True when a row was queued.
   */
  private show(summaryId: number, now: number, options: { now?: boolean } = {}): boolean {
    const { stores, config } = this.deps;
    const summary = stores.bursts.get(summaryId);
    const chatId = this.chat;
    if (!summary || chatId === null) return false;
    const priority = options.now ? OUTBOX_PRIORITY.moderatorWaits : OUTBOX_PRIORITY.summary;
    const content = () => {
      const view = this.view(summary);
      return { text: view.text, format: 'html' as const, buttons: view.buttons };
    };
    if (summary.messageId === null) {
      const key = outboxKey({ kind: 'burst', summaryId });
      if (stores.outbox.findByKey('telegram', key)) return false;
      return (
        stores.outbox.enqueue(
          { idempotencyKey: key, message: { destination: { kind: 'telegram', chatId }, ...content() }, purpose: 'burst', priority },
          now,
        ) !== null
      );
    }
    const waiting = stores.outbox.pendingUnder('telegram', outboxKeyPrefix('burst-edit', summaryId));
    if (waiting) {
      if (options.now) stores.outbox.promote('telegram', waiting.idempotencyKey, priority, now);
      return false;
    }
    const due = options.now ? now : Math.max(now, summary.editDueAt ?? now);
    const queued = stores.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'burst-edit', summaryId, version: summary.version }),
        message: { destination: { kind: 'telegram_edit', chatId, messageId: summary.messageId }, ...content() },
        purpose: 'burst',
        priority,
        notBefore: due,
      },
      now,
    );
    if (queued !== null) stores.bursts.setEditDueAt(summaryId, due + config.burst.editIntervalSeconds * 1000);
    return queued !== null;
  }
}
