/**
 * Keeps each incident's card in the moderators' chat (Telegram or MAX: the moderators' room) true:
 * posts it when the incident is registered and, on every change, rewrites it if it has not gone
 * out yet or edits the delivered message. Everything goes through the outbox (`card:<incident>`,
 * `card-edit:<incident>:<reason>`).
 */
import type { Config } from '../config.js';
import { type MessageMedia, readMedia } from '../domain/attachment.js';
import { clipText } from '../domain/clip-text.js';
import { modText } from '../domain/moderator-templates.js';
import { type ModeratorsRoom, moderatorsRoom, roomEdit, roomMessage } from '../domain/moderators-room.js';
import type { Button } from '../domain/outbound.js';
import { ALBUM_MAX } from '../domain/outbound.js';
import { safeTelegramPlain } from '../domain/safe-text.js';
import type { IncidentCards } from '../incidents/incident-service.js';
import { type CardEditReason, outboxKey, outboxKeyPrefix, parseOutboxKey } from '../outbox/outbox-key.js';
import { OUTBOX_PRIORITY } from '../outbox/outbox-priority.js';
import type { IncidentEvent, IncidentStore, StoredIncident } from '../store/incident-store.js';
import type { OutboxItem, OutboxStore } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { BurstSummaries } from './burst-summaries.js';
import { CardMedia } from './card-media.js';
import { type CardView, renderCard } from './incident-card.js';

export interface IncidentCardPublisherDeps {
  stores: Pick<Stores, 'incidents' | 'outbox' | 'bursts'>;
  config: Pick<Config, 'telegram' | 'max' | 'municipalities' | 'departments' | 'templates' | 'region' | 'problems' | 'location' | 'burst' | 'moderators'>;
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
  private readonly room: ModeratorsRoom | null;
  readonly media: CardMedia;
  /** During a burst, new incidents are summarised per group as their cards wait (src/moderation/burst-summaries.ts). */
  readonly bursts: BurstSummaries;

  constructor(private readonly deps: IncidentCardPublisherDeps) {
    this.store = deps.stores.incidents;
    this.outbox = deps.stores.outbox;
    this.room = moderatorsRoom(deps.config);
    this.media = deps.media ?? new CardMedia({ ...deps, room: this.room });
    this.bursts = new BurstSummaries({ ...deps, room: this.room });
  }

  /** The ref of the incident's card message (Telegram message id as text, MAX mid), once delivered; null before (or without a moderators' chat). */
  messageRef(incidentId: number): string | null {
    return this.store.cardMessageRef(incidentId);
  }

  posted(incident: StoredIncident): void {
    const room = this.room;
    if (room === null) return;
    // The report's media are read once, for the card's lines and for the photo it may go with.
    const opening = this.store.openingMedia(incident.id);
    const lines = this.media.lines(incident, opening);
    const { view, media } = this.media.first(
      incident.id,
      (textLimit) => renderCard(incident, this.deps.config, { reporters: 1, media: lines, textLimit }),
      opening,
    );
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card', incidentId: incident.id }),
        message: { destination: roomMessage(room), text: view.text, format: 'html', buttons: view.buttons, ...(media ? { media } : {}) },
        purpose: 'card',
        incidentId: incident.id,
        // When cards queue up, emergencies go first.
        priority: incident.urgency === 'emergency' ? OUTBOX_PRIORITY.emergency : OUTBOX_PRIORITY.normal,
      },
      this.deps.clock(),
    );
    this.bursts.cardQueued(incident);
  }

  changed(incidentId: number, reason: CardEditReason, note: string | null = null): void {
    const room = this.room;
    const incident = this.store.get(incidentId);
    if (room === null || !incident) return;
    const now = this.deps.clock();
    const view = this.view(incident, note);
    const content = { text: view.text, format: 'html' as const, buttons: view.buttons };
    if (this.outbox.replacePending(room.platform, outboxKey({ kind: 'card', incidentId }), content, now) > 0) return;
    // An edit still waiting (not yet claimed, or a retry after a hiccup) now carries this content
    // and will show it; a second edit with the same text would be refused by Telegram as
    // "message is not modified".
    if (this.outbox.replacePending(room.platform, { prefix: outboxKeyPrefix('card-edit', incidentId) }, content, now) > 0) return;
    const ref = this.messageRef(incidentId);
    // A card in flight right now cannot be edited yet; a press on it is refused as stale and refreshes it then.
    if (ref === null) return;
    this.enqueueEdit(incidentId, reason, room, ref, view, now);
  }

  /**
   * A card message reached the chat (the outbox worker's onDelivered). A change made while the
   * card was in flight could neither rewrite it (already claimed) nor edit it (no message id
   * yet); if the incident no longer looks as the card shows, edit the card now, once. True when
   * an edit was queued.
   */
  delivered(item: Pick<OutboxItem, 'idempotencyKey' | 'incidentId' | 'message'>): boolean {
    const room = this.room;
    const key = parseOutboxKey(item.idempotencyKey);
    if (room === null || key?.kind !== 'card' || key.incidentId !== item.incidentId) return false;
    const incident = this.store.get(key.incidentId);
    const ref = this.messageRef(key.incidentId);
    if (!incident || ref === null) return false;
    const view = this.view(incident, null);
    // The card as delivered may end with a «Последнее действие» line: the note is last, so the view without one is a prefix.
    const shown = item.message.text;
    if (shown === view.text || (shown.startsWith(`${view.text}\n`) && !shown.slice(view.text.length).trim().includes('\n'))) return false;
    return this.enqueueEdit(incident.id, { kind: 'delivered' }, room, ref, view, this.deps.clock()) !== null;
  }

  /**
   * Other buttons under the delivered card, its text as the incident is now (the «Изменить тему»
   * keyboard); the next change of the incident brings its own buttons back. False before the card
   * is delivered (nothing to edit yet).
   */
  showButtons(incidentId: number, reason: CardEditReason, buttons: Button[][]): boolean {
    const room = this.room;
    const incident = this.store.get(incidentId);
    const ref = this.messageRef(incidentId);
    if (room === null || !incident || ref === null) return false;
    return this.enqueueEdit(incidentId, reason, room, ref, { ...this.view(incident, null), buttons }, this.deps.clock()) !== null;
  }

  /** The card as the incident is now: its reporters, the citizen's latest addition, and the change just made. */
  private view(incident: StoredIncident, note: string | null): CardView {
    const extra = {
      reporters: this.store.reporterCount(incident.id),
      lastNote: note,
      additions: this.store.additions(incident.id),
      media: this.media.lines(incident),
    };
    return this.media.view(incident.id, (textLimit) => renderCard(incident, this.deps.config, { ...extra, textLimit }));
  }

  /** Queues an edit of the delivered card, keyed by reason so each change edits at most once. */
  private enqueueEdit(incidentId: number, reason: CardEditReason, room: ModeratorsRoom, ref: string, view: CardView, now: number): number | null {
    const destination = roomEdit(room, ref);
    if (destination === null) return null;
    return this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-edit', incidentId, reason }),
        message: { destination: this.media.editDestination(incidentId, destination), text: view.text, format: 'html', buttons: view.buttons },
        purpose: 'card',
        incidentId,
      },
      now,
    );
  }

  added(incidentId: number, eventId: number, text: string): void {
    const room = this.room;
    if (room === null) return;
    const now = this.deps.clock();
    const events = this.store.events(incidentId);
    const media = eventMedia(events.find((e) => e.id === eventId));
    // Additions that arrive before the last note went out join it: one note quotes them all, with
    // their photos, as long as those still make one album.
    const waiting = this.outbox.findReplaceable(room.platform, outboxKeyPrefix('card-added', incidentId), now);
    const waitingKey = waiting ? parseOutboxKey(waiting.idempotencyKey) : null;
    const joins =
      waitingKey?.kind === 'card-added' && (waiting?.message.media?.length ?? 0) + media.attachments.filter((a) => a.kind === 'photo').length <= ALBUM_MAX;
    const since = joins ? waitingKey.eventId : eventId;
    // Additions, and reports of the same problem by others that came with photos (a note of their own is how those reach the moderators).
    const folded = events.filter(
      (e) => (e.action === 'followup' || (e.action === 'linked' && e.details?.media !== undefined)) && e.id >= since && e.id <= eventId,
    );
    const quotes = folded
      .map((e) => (e.id === eventId ? text : typeof e.details?.text === 'string' ? e.details.text : ''))
      .filter((quote) => quote.trim() !== '');
    const all = folded.map(eventMedia);
    const body =
      quotes.length > 0
        ? modText(this.deps.config, 'card_citizen_added', { number: incidentId, text: quotes.map((q) => safeTelegramPlain(clipText(q, 1000))).join('»\n«') })
        : modText(this.deps.config, 'card_citizen_added_media', { number: incidentId });
    const location = all.findLast((m) => m.location)?.location ?? null;
    const note = this.media.note(
      body,
      { attachments: all.flatMap((m) => m.attachments), location },
      location ? (this.store.get(incidentId)?.place ?? null) : null,
    );
    if (joins && waiting && this.outbox.replacePending(room.platform, waiting.idempotencyKey, { text: note.text, format: 'plain', media: note.media }, now) > 0)
      return;
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-added', incidentId, eventId }),
        message: { destination: roomMessage(room, this.messageRef(incidentId)), format: 'plain', ...note },
        purpose: 'card',
        incidentId,
      },
      now,
    );
  }

  answered(incidentId: number, eventId: number, text: string): void {
    const room = this.room;
    if (room === null) return;
    const quoted = clipText(text, 1000);
    const body = modText(this.deps.config, 'card_citizen_answered', { number: incidentId, text: safeTelegramPlain(quoted) });
    const note = this.media.note(body, eventMedia(this.store.events(incidentId).find((e) => e.id === eventId)));
    this.outbox.enqueue(
      {
        idempotencyKey: outboxKey({ kind: 'card-answered', incidentId, eventId }),
        message: {
          destination: roomMessage(room, this.messageRef(incidentId)),
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
