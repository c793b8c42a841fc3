import type { OutboundMessage } from '../domain/outbound.js';
import type { OutboxItem, OutboxPurpose } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { parseOutboxKey } from './outbox-key.js';

/**
 * What follows the delivery of a row of one purpose, after its commit. Returns true when it
 * queued more to deliver (the worker then delivers it at once).
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an effect that queues nothing may simply return nothing
export type DeliveryEffect = (item: OutboxItem) => boolean | void;

/** The post-delivery rules, one per purpose; a purpose without one has none. */
export type DeliveryEffects = Partial<Record<OutboxPurpose, DeliveryEffect>>;

/**
 * What a row of one purpose says when it is about to be sent, written then rather than when it was
 * queued (a burst summary changes with every incident); null keeps what it says.
 */
export type DeliveryPreparation = (item: OutboxItem) => Pick<OutboundMessage, 'text' | 'format' | 'buttons'> | null;

/** The preparations, one per purpose; a purpose without one is sent as queued. */
export type DeliveryPreparations = Partial<Record<OutboxPurpose, DeliveryPreparation>>;

/** The moderators' cards (src/moderation/incident-card-publisher.ts): a delivered card is checked against its incident. */
export interface DeliveredCards {
  /** True when the card changed while in flight and an edit was queued. */
  delivered(item: OutboxItem): boolean;
}

/** The burst summaries (src/moderation/burst-summaries.ts): a delivered summary keeps its message id and catches up. */
export interface DeliveredBursts {
  /** True when the summary changed while in flight and an edit was queued. */
  delivered(item: OutboxItem): boolean;
}

export function deliveryEffects(deps: {
  stores: Pick<Stores, 'incidents'>;
  cards: DeliveredCards;
  /** The card's photos (src/moderation/card-media.ts): a text card's photos follow it once it is delivered. */
  cardMedia?: DeliveredCards;
  bursts: DeliveredBursts;
  clock: () => number;
}): DeliveryEffects {
  return {
    // The incident's first public reaction happened: its acknowledgement reached the citizen.
    ack: (item) => {
      if (item.incidentId !== null) deps.stores.incidents.markAcknowledged(item.incidentId, deps.clock());
    },
    // The card's message ref is kept on its incident (edits and replies target it); a card that
    // changed while it was in flight is edited now; the photos of a text card go under it.
    card: (item) => {
      const key = parseOutboxKey(item.idempotencyKey);
      const kind = item.message.destination.kind;
      if (key?.kind === 'card' && (kind === 'telegram' || kind === 'max_message') && item.externalId) {
        deps.stores.incidents.setCardMessageRef(key.incidentId, item.externalId);
      }
      const edited = deps.cards.delivered(item);
      const photos = deps.cardMedia?.delivered(item) ?? false;
      return edited || photos;
    },
    burst: (item) => deps.bursts.delivered(item),
  };
}
