import type { Logger } from 'pino';
import type { OutboundMessage } from '../domain/outbound.js';
import type { FailureClass } from '../errors.js';

/**
 * One platform's way of delivering an outbox row: a strategy (VkSender, TelegramSender, NoopSender).
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

/**
 * A sender for dry runs: logs what would have been sent and reports it delivered, so the whole
 * pipeline runs without touching a platform. The external id is `noop:<key>`.
 */
export class NoopSender implements Sender {
  readonly sent: { message: OutboundMessage; idempotencyKey: string }[] = [];

  constructor(private readonly logger: Logger) {}

  async send(message: OutboundMessage, idempotencyKey: string): Promise<{ externalId: string | null }> {
    this.sent.push({ message, idempotencyKey });
    this.logger.info({ destination: message.destination, idempotencyKey, chars: message.text.length }, 'dry run: not sent');
    return { externalId: `noop:${idempotencyKey}` };
  }

  classify(): FailureClass {
    return { kind: 'retry' };
  }
}
