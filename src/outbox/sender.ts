import type { OutboundMessage } from '../domain/outbound.js';
import type { FailureClass } from '../errors.js';

/**
 * One platform's way of delivering an outbox row: a strategy (VkSender, TelegramSender).
 * `send` must pass `idempotencyKey` to the platform where it can (VK guid / random_id) and
 * returns the platform's id of what was sent. It throws on failure; `classify` tells the
 * worker, once, whether to retry, give the row up, or stop the platform.
 */
export interface Sender {
  send(message: OutboundMessage, idempotencyKey: string, attempt?: SendAttempt): Promise<{ externalId: string | null }>;
  classify(error: unknown): FailureClass;
  /**
   * The platform takes no idempotency key (MAX): the worker records each attempt on the row before
   * sending and tells the next attempt when the last one started, so the sender can look for a
   * message that arrived although its sending was never recorded.
   */
  readonly recordsAttempts?: boolean;
  /** Sends one request can carry, so its lanes let that many wait at once (VK: execute's calls); default 1. */
  readonly sendsPerRequest?: number;
  /**
   * The platform's own bookkeeping of a delivered row, run in the transaction that records it as
   * sent (VK: the wall cursor counts the community's own comment, so the poller never reads it back).
   * `queuedAt`: when the row was queued (its first send came after).
   */
  recordDelivered?(message: OutboundMessage, externalId: string | null, now: number, queuedAt: number): void;
}

export type { Platform } from '../domain/inbound-message.js';

import type { Platform } from '../domain/inbound-message.js';
export type Senders = Partial<Record<Platform, Sender>>;

/** What the worker knows of earlier attempts at a row (senders with `recordsAttempts`). */
export interface SendAttempt {
  /** When the previous attempt started (epoch ms), or null: this is the first. */
  previousAttemptAt: number | null;
}
