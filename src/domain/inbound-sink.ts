import type { ButtonPress, InboundMessage } from './inbound-message.js';

/** A poll cursor to persist together with the messages it covers. */
export interface CursorUpdate {
  key: string;
  value: unknown;
}

/**
 * Where channel sources hand over what they received. Both calls are synchronous and durable:
 * when `ingestBatch` returns, the messages, everything they caused (incidents, outbox rows)
 * and the cursors are committed in one SQLite transaction, so a source may advance its
 * remote cursor (Telegram offset, long poll ts) only after the call returns.
 * A message seen before (same channel + externalId) is a no-op.
 */
export interface InboundSink {
  ingestBatch(messages: readonly InboundMessage[], cursors?: readonly CursorUpdate[]): void;
  press(press: ButtonPress): void;
}
