import type { OutboundMessage } from '../domain/outbound.js';
import type { FailureClass } from '../errors.js';

/**
 * One platform's way of delivering an outbox row: a strategy (VkSender, TelegramSender).
 * `send` must pass `idempotencyKey` to the platform where it can (VK guid / random_id) and
 * returns the platform's id of what was sent. It throws on failure; `classify` tells the
 * worker, once, whether to retry, give the row up, or stop the platform.
 */
export interface Sender {
  send(message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }>;
  classify(error: unknown): FailureClass;
}

export type Platform = 'vk' | 'telegram';
export type Senders = Partial<Record<Platform, Sender>>;
