import type { OutboundMessage } from '../domain/outbound.js';
import type { OutboxItem, OutboxPurpose } from '../store/outbox-store.js';
import type { Stores } from '../store/stores.js';
import { parseOutboxKey } from './outbox-key.js';

/**
 * What follows the delivery of a row of one purpose, after its commit. Returns true when it
 * queued more to deliver (the worker then delivers it at once).
 */
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

export function deliveryEffects(deps: { stores: Pick<Stores, 'incidents'>; cards: DeliveredCards; bursts: DeliveredBursts; clock: () => number }): DeliveryEffects {
  return {
    // The incident's first public reaction happened: its acknowledgement reached the citizen.
    ack: (item) => {
      if (item.incidentId !== null) deps.stores.incidents.markAcknowledged(item.incidentId, deps.clock());
    },
    // The card's message id is kept on its incident (edits and replies target it); a card that
    // changed while it was in flight is edited now.
    card: (item) => {
      const key = parseOutboxKey(item.idempotencyKey);
      const messageId = Number(item.externalId);
      if (key?.kind === 'card' && item.message.destination.kind === 'telegram' && Number.isSafeInteger(messageId) && messageId > 0) {
        deps.stores.incidents.setCardMessageId(key.incidentId, messageId);
      }
      return deps.cards.delivered(item);
    },
    burst: (item) => deps.bursts.delivered(item),
  };
}
