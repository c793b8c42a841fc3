/**
 * The media part of an incident card in the moderators' Telegram chat: what the citizen sent with
 * the report goes with the card. One Telegram photo: the card is that photo, with the card as its
 * caption (fitted to Telegram's 1024 characters by cutting the quoted words), edited with
 * editMessageCaption. Several (an album, merged at ingest): the card is text and, once it is
 * delivered, the photos follow under it as albums of up to ten (`card-media:<incident>:<part>`).
 * VK photos and documents are links on the card, the location a map link (src/media-texts.ts).
 * A moderators' chat in MAX cannot show a Telegram file id: there the card and its notes count
 * the Telegram photos in words instead (the photos stay in the incident's history and console).
 */
import type { Config } from '../config.js';
import type { MessageMedia } from '../domain/attachment.js';
import { clipText, MESSAGE_TEXT_MAX } from '../domain/clip-text.js';
import type { PlaceMatch } from '../domain/detection.js';
import { modText } from '../domain/moderator-templates.js';
import type { ModeratorsRoom } from '../domain/moderators-room.js';
import { ALBUM_MAX, CAPTION_MAX, type Destination, type OutboundMedia } from '../domain/outbound.js';
import { escapeTelegramHtml, telegramHtmlToPlain } from '../domain/safe-text.js';
import { mediaLines, noteWithMedia, telegramPhotos } from '../media-texts.js';
import { outboxKey, parseOutboxKey } from '../outbox/outbox-key.js';
import type { IncidentStore, StoredIncident } from '../store/incident-store.js';
import type { OutboxItem, OutboxStore } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { CARD_QUOTE_MAX, type CardView } from './incident-card.js';

export interface CardMediaDeps {
  stores: Pick<Stores, 'incidents' | 'outbox'>;
  config: Pick<Config, 'telegram' | 'templates' | 'region' | 'location'>;
  clock: () => number;
  /** The moderators' chat the cards go to; Telegram photos go with them only in a Telegram one. */
  room: ModeratorsRoom | null;
}

/** A card rendered with the citizen's quoted words cut to at most `textLimit` characters (default: the card's own limit). */
export type CardRender = (textLimit?: number) => CardView;

/** The fewest characters of the citizen's words a caption card still quotes; below that the card goes as text. */
const MIN_QUOTE = 80;

const captionLength = (view: CardView): number => telegramHtmlToPlain(view.text).length;

export class CardMedia {
  private readonly store: IncidentStore;
  private readonly outbox: OutboxStore;

  constructor(private readonly deps: CardMediaDeps) {
    this.store = deps.stores.incidents;
    this.outbox = deps.stores.outbox;
  }

  /** Telegram photos can go with the cards: the moderators' chat is in Telegram. */
  private get photosGo(): boolean {
    return this.deps.room?.platform === 'telegram';
  }

  /** A note under the card (an addition, an answer): its photos with it in Telegram, counted in words elsewhere. */
  note(body: string, media: MessageMedia, place: PlaceMatch | null = null): { text: string; media?: OutboundMedia[] } {
    if (this.photosGo) return noteWithMedia(body, media, this.deps.config, place);
    return { text: clipText([body, ...mediaLines(media, this.deps.config, { format: 'plain', telegramPhotos: 'count', place })].join('\n'), MESSAGE_TEXT_MAX) };
  }

  /**
   * The card's lines about the report's media (HTML); a location sent later, kept on the incident,
   * counts too. `media` is the report's, when the caller has read it already.
   */
  lines(incident: StoredIncident, media: MessageMedia = this.store.openingMedia(incident.id)): string[] {
    const location = media.location ?? incident.location;
    return mediaLines({ ...media, location }, this.deps.config, {
      format: 'html',
      telegramPhotos: this.photosGo ? 'attached' : 'count',
      place: location ? incident.place : null,
    });
  }

  /**
   * The card as first sent: with exactly one Telegram photo and a card that fits a caption, the
   * photo with the card as caption; otherwise the card as text (its photos follow on delivery).
   */
  first(incidentId: number, render: CardRender, opening: MessageMedia = this.store.openingMedia(incidentId)): { view: CardView; media?: OutboundMedia[] } {
    const photos = this.photosGo ? telegramPhotos(opening.attachments) : [];
    const caption = photos.length === 1 ? fitCaption(render) : null;
    return caption ? { view: caption, media: photos } : { view: render() };
  }

  /** The card as it is now: fitted to a caption when it went as a photo. */
  view(incidentId: number, render: CardRender): CardView {
    if (!this.isCaptionCard(incidentId)) return render();
    const fitted = fitCaption(render);
    if (fitted) return fitted;
    // Even the shortest quote leaves too long a card (a long department name, many lines): plain words, cut.
    const view = render(MIN_QUOTE);
    return { ...view, text: escapeTelegramHtml(clipText(telegramHtmlToPlain(view.text), CAPTION_MAX)) };
  }

  /** An edit of the card (`edit`, the room's edit of its message): of its caption when it went as a photo. */
  editDestination(incidentId: number, edit: Destination): Destination {
    return edit.kind === 'telegram_edit' && this.isCaptionCard(incidentId) ? { ...edit, caption: true } : edit;
  }

  /** The card's row carries a photo: it is (or will be) a photo with the card as its caption. */
  isCaptionCard(incidentId: number): boolean {
    return this.outbox.findByKey('telegram', outboxKey({ kind: 'card', incidentId }))?.message.media?.length === 1;
  }

  /**
   * A text card reached the chat (the outbox's card effect): queue the report's Telegram photos as
   * albums replying to it, once (the keys name the incident and the part). True when any was queued.
   */
  delivered(item: Pick<OutboxItem, 'idempotencyKey' | 'message' | 'externalId'>): boolean {
    const key = parseOutboxKey(item.idempotencyKey);
    const cardMessageId = Number(item.externalId);
    const room = this.deps.room;
    if (key?.kind !== 'card' || item.message.media?.length || room?.platform !== 'telegram' || !Number.isSafeInteger(cardMessageId) || cardMessageId <= 0)
      return false;
    const chatId = room.chatId;
    const photos = telegramPhotos(this.store.openingMedia(key.incidentId).attachments);
    let queued = false;
    for (let part = 0; part * ALBUM_MAX < photos.length; part += 1) {
      const chunk = photos.slice(part * ALBUM_MAX, (part + 1) * ALBUM_MAX);
      const id = this.outbox.enqueue(
        {
          idempotencyKey: outboxKey({ kind: 'card-media', incidentId: key.incidentId, part }),
          message: {
            destination: { kind: 'telegram', chatId, replyToMessageId: cardMessageId },
            text: modText(this.deps.config, 'card_photos_under', { number: key.incidentId, count: chunk.length }),
            format: 'plain',
            media: chunk,
          },
          purpose: 'card',
          incidentId: key.incidentId,
        },
        this.deps.clock(),
      );
      queued ||= id !== null;
    }
    return queued;
  }
}

/**
 * The card within a caption's 1024 characters, quoting as much of the citizen's words as fits (a
 * binary search over the quote's length, at least MIN_QUOTE); null when even that is too long.
 */
export function fitCaption(render: CardRender): CardView | null {
  const full = render();
  if (captionLength(full) <= CAPTION_MAX) return full;
  let [fits, tooLong] = [MIN_QUOTE, CARD_QUOTE_MAX + 1];
  if (captionLength(render(fits)) > CAPTION_MAX) return null;
  while (tooLong - fits > 1) {
    const mid = Math.floor((fits + tooLong) / 2);
    if (captionLength(render(mid)) <= CAPTION_MAX) fits = mid;
    else tooLong = mid;
  }
  return render(fits);
}
