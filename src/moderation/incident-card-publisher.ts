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
import { CardMedia } from './card-media.js';
import { outboxKey, outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import type { IncidentEvent } from '../store/incident-store.js';
import { type MessageMedia, readMedia } from '../domain/attachment.js';
import { ALBUM_MAX } from '../domain/outbound.js';
import { noteWithMedia } from '../media-texts.js';

export interface IncidentCardPublisherDeps {
  stores: Pick<Stores, 'incidents' | 'outbox'>;
  config: Pick<Config, 'telegram' | 'municipalities' | 'departments' | 'templates' | 'region' | 'location'>;
  clock: () => number;
  /** The card's photos, links and location (default: one built from the same deps). */
  media?: CardMedia;
}

/** What an addition (or an answer) event carried besides words: details.media, as attachFollowUp stores it. */
function eventMedia(event: IncidentEvent | undefined): MessageMedia {
  return readMedia(event?.details?.media);
}

export class IncidentCardPublisher implements IncidentCards {
  private readonly store: IncidentStore;
  private readonly outbox: OutboxStore;
  readonly media: CardMedia;

  constructor(private readonly deps: IncidentCardPublisherDeps) {
    this.store = deps.stores.incidents;
    this.outbox = deps.stores.outbox;
    this.media = deps.media ?? new CardMedia(deps);
  }

  /** The Telegram message id of the incident's card, once delivered; null before (or without a moderators' chat). */
  messageId(incidentId: number): number | null {
    return this.store.cardMessageId(incidentId);
  }

  posted(incident: StoredIncident): void {
    const chatId = this.deps.config.telegram.moderatorsChatId;
    if (chatId === null) return;
    const lines = this.media.lines(incident);
    const { view, media } = this.media.first(incident.id, (textLimit) => renderCard(incident, this.deps.config, { reporters: 1, media: lines, textLimit }));
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card', incidentId: incident.id }),
        message: { destination: { kind: 'telegram', chatId }, text: view.text, format: 'html', buttons: view.buttons, ...(media ? { media } : {}) },
        purpose: 'card',
        incidentId: incident.id,
      },
      this.deps.clock(),
    );
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
    const extra = { reporters: this.store.reporterCount(incident.id), lastNote: note, additions: this.store.additions(incident.id), media: this.media.lines(incident) };
    return this.media.view(incident.id, (textLimit) => renderCard(incident, this.deps.config, { ...extra, textLimit }));
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
        message: { destination: this.media.editDestination(incidentId, target), text: view.text, format: 'html', buttons: view.buttons },
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
    const events = this.store.events(incidentId);
    const media = eventMedia(events.find((e) => e.id === eventId));
    // Additions that arrive before the last note went out join it: one note quotes them all, with
    // their photos, as long as those still make one album.
    const waiting = this.outbox.findReplaceable('telegram', outboxKeyPrefix('card-added', incidentId), now);
    const waitingKey = waiting ? parseOutboxKey(waiting.idempotencyKey) : null;
    const joins = waitingKey?.kind === 'card-added' && (waiting?.message.media?.length ?? 0) + media.attachments.filter((a) => a.kind === 'photo').length <= ALBUM_MAX;
    const since = joins ? waitingKey.eventId : eventId;
    // Additions, and reports of the same problem by others that came with photos (a note of their own is how those reach the moderators).
    const folded = events.filter((e) => (e.action === 'followup' || (e.action === 'linked' && e.details?.media !== undefined)) && e.id >= since && e.id <= eventId);
    const quotes = folded
      .map((e) => (e.id === eventId ? text : typeof e.details?.text === 'string' ? e.details.text : ''))
      .filter((quote) => quote.trim() !== '');
    const all = folded.map(eventMedia);
    const body =
      quotes.length > 0
        ? modText(this.deps.config, 'card_citizen_added', { number: incidentId, text: quotes.map((q) => safeTelegramPlain(clipText(q, 1000))).join('»\n«') })
        : modText(this.deps.config, 'card_citizen_added_media', { number: incidentId });
    const location = all.findLast((m) => m.location)?.location ?? null;
    const note = noteWithMedia(body, { attachments: all.flatMap((m) => m.attachments), location }, this.deps.config, location ? (this.store.get(incidentId)?.place ?? null) : null);
    if (joins && waiting && this.outbox.replacePending('telegram', waiting.idempotencyKey, { text: note.text, format: 'plain', media: note.media }, now) > 0) return;
    const card = this.messageId(incidentId);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-added', incidentId, eventId }),
        message: { destination: card === null ? { kind: 'telegram', chatId } : { kind: 'telegram', chatId, replyToMessageId: card }, format: 'plain', ...note },
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
    const body = modText(this.deps.config, 'card_citizen_answered', { number: incidentId, text: safeTelegramPlain(quoted) });
    const note = noteWithMedia(body, eventMedia(this.store.events(incidentId).find((e) => e.id === eventId)), this.deps.config);
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-answered', incidentId, eventId }),
        message: {
          destination: card === null ? { kind: 'telegram', chatId } : { kind: 'telegram', chatId, replyToMessageId: card },
          format: 'plain',
          ...note,
        },
        purpose: 'card',
        incidentId,
      },
      this.deps.clock(),
    );
  }
}
