/**
 * Keeps each incident's card in the moderators' Telegram chat true: posts it when the incident is
 * registered and, on every change, rewrites it if it has not gone out yet or edits the delivered
 * message. Everything goes through the outbox (`card:<incident>`, `card-edit:<incident>:<reason>`).
 */
import type { Config } from '../config.js';
import type { IncidentCards } from '../incidents/incident-service.js';
import type { StoredIncident } from '../store/incident-store.js';
import type { IncidentStore } from '../store/incident-store.js';
import type { OutboxItem, OutboxStore } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { clipText, MESSAGE_TEXT_MAX } from '../domain/clip-text.js';
import { safeTelegramPlain } from '../domain/safe-text.js';
import { modText } from '../domain/moderator-templates.js';
import { type CardView, renderCard } from './incident-card.js';
import { outboxKey, outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import { BurstSummaries } from './burst-summaries.js';

export interface IncidentCardPublisherDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'bursts'>;
  config: Pick<Config, 'telegram' | 'municipalities' | 'departments' | 'templates' | 'region' | 'burst' | 'moderators'>;
  clock: () => number;
}

export class IncidentCardPublisher implements IncidentCards {
  private readonly store: IncidentStore;
  private readonly outbox: OutboxStore;
  /** During a burst, new incidents are summarised per group as their cards wait (src/moderation/burst-summaries.ts). */
  readonly bursts: BurstSummaries;

  constructor(private readonly deps: IncidentCardPublisherDeps) {
    this.store = deps.stores.incidents;
    this.outbox = deps.stores.outbox;
    this.bursts = new BurstSummaries(deps);
  }

  /** The Telegram message id of the incident's card, once delivered; null before (or without a moderators' chat). */
  messageId(incidentId: number): number | null {
    return this.store.cardMessageId(incidentId);
  }

  posted(incident: StoredIncident): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    if (chatId === null) return;
    const view = renderCard(incident, this.deps.config, { reporters: 1 });
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card', incidentId: incident.id }),
        message: { destination: { kind: 'telegram', chatId }, text: view.text, format: 'html', buttons: view.buttons },
        purpose: 'card',
        incidentId: incident.id,
        // When cards queue up, emergencies go first.
        priority: incident.urgency === 'emergency' ? OUTBOX_PRIORITY.emergency : OUTBOX_PRIORITY.normal,
      },
      this.deps.clock(),
    );
    this.bursts.cardQueued(incident);
  }

  changed(incidentId: number, reason: string, note: string | null = null): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    const incident = this.store.get(incidentId);
    if (chatId === null || !incident) return;
    const now = this.deps.clock();
    const view = this.view(incident, note);
    const content = { text: view.text, format: 'html' as const, buttons: view.buttons };
    if (this.outbox.replacePending('telegram', outboxKey({ kind: 'card', incidentId }), content, now) > 0) return;
    // An edit still waiting (not yet claimed, or a retry after a Telegram hiccup) now carries this
    // content and will show it; a second edit with the same text would be refused by Telegram as
    // "message is not modified".
    if (this.outbox.replacePending('telegram', { prefix: outboxKeyPrefix('card-edit', incidentId) }, content, now) > 0) return;
    const messageId = this.messageId(incidentId);
    // A card in flight right now cannot be edited yet; a press on it is refused as stale and refreshes it then.
    if (messageId === null) return;
    this.enqueueEdit(incidentId, reason, { chatId, messageId }, view, now);
  }

  /**
   * A card message reached the chat (the outbox worker's onDelivered). A change made while the
   * card was in flight could neither rewrite it (already claimed) nor edit it (no message id
   * yet); if the incident no longer looks as the card shows, edit the card now, once. True when
   * an edit was queued.
   */
  delivered(item: Pick<OutboxItem, 'idempotencyKey' | 'incidentId' | 'message'>): boolean {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    const key = parseOutboxKey(item.idempotencyKey);
    if (chatId === null || key?.kind !== 'card' || key.incidentId !== item.incidentId) return false;
    const incident = this.store.get(key.incidentId);
    const messageId = this.messageId(key.incidentId);
    if (!incident || messageId === null) return false;
    const view = this.view(incident, null);
    // The card as delivered may end with a «Последнее действие» line: the note is last, so the view without one is a prefix.
    const shown = item.message.text;
    if (shown === view.text || (shown.startsWith(`${view.text}\n`) && !shown.slice(view.text.length).trim().includes('\n'))) return false;
    return this.enqueueEdit(incident.id, 'delivered', { chatId, messageId }, view, this.deps.clock()) !== null;
  }

  /** The card as the incident is now: its reporters, the citizen's latest addition, and the change just made. */
  private view(incident: StoredIncident, note: string | null): CardView {
    return renderCard(incident, this.deps.config, { reporters: this.store.reporterCount(incident.id), lastNote: note, additions: this.store.additions(incident.id) });
  }

  /** Queues an edit of the delivered card, keyed by reason so each change edits at most once. */
  private enqueueEdit(
    incidentId: number,
    reason: string,
    target: { chatId: number; messageId: number },
    view: CardView,
    now: number,
  ): number | null {
    return this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-edit', incidentId, reason }),
        message: { destination: { kind: 'telegram_edit', ...target }, text: view.text, format: 'html', buttons: view.buttons },
        purpose: 'card',
        incidentId,
      },
      now,
    );
  }

  added(incidentId: number, eventId: number, text: string): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    if (chatId === null) return;
    const now = this.deps.clock();
    // Additions that arrive before the last note went out join it: one note quotes them all.
    const waiting = this.outbox.findReplaceable('telegram', outboxKeyPrefix('card-added', incidentId), now);
    const waitingKey = waiting ? parseOutboxKey(waiting.idempotencyKey) : null;
    const since = waitingKey?.kind === 'card-added' ? waitingKey.eventId : eventId;
    const quotes = this.store
      .events(incidentId)
      .filter((e) => e.action === 'followup' && e.id >= since && e.id <= eventId)
      .map((e) => (e.id === eventId ? text : typeof e.details?.text === 'string' ? e.details.text : ''))
      .filter((quote) => quote.trim() !== '');
    const body = clipText(modText(this.deps.config, 'card_citizen_added', { number: incidentId, text: quotes.map((q) => safeTelegramPlain(clipText(q, 1000))).join('»\n«') }), MESSAGE_TEXT_MAX);
    if (waiting && this.outbox.replacePending('telegram', waiting.idempotencyKey, { text: body, format: 'plain' }, now) > 0) return;
    const card = this.messageId(incidentId);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-added', incidentId, eventId }),
        message: { destination: card === null ? { kind: 'telegram', chatId } : { kind: 'telegram', chatId, replyToMessageId: card }, text: body, format: 'plain' },
        purpose: 'card',
        incidentId,
      },
      now,
    );
  }

  answered(incidentId: number, eventId: number, text: string): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    if (chatId === null) return;
    const card = this.messageId(incidentId);
    const quoted = clipText(text, 1000);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-answered', incidentId, eventId }),
        message: {
          destination: card === null ? { kind: 'telegram', chatId } : { kind: 'telegram', chatId, replyToMessageId: card },
          text: modText(this.deps.config, 'card_citizen_answered', { number: incidentId, text: safeTelegramPlain(quoted) }),
          format: 'plain',
        },
        purpose: 'card',
        incidentId,
      },
      this.deps.clock(),
    );
  }
}
