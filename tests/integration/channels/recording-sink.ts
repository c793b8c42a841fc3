import type { ButtonPress, InboundMessage } from '../../../src/domain/inbound-message.js';
import type { CursorUpdate, InboundSink } from '../../../src/domain/inbound-sink.js';
import type { CursorStore } from '../../../src/store/cursor-store.js';
import type { Db } from '../../../src/store/db.js';
import { immediate } from '../../../src/store/db.js';
import type { MessageStore } from '../../../src/store/message-store.js';
import { createStores } from '../../../src/store/stores.js';

/**
 * A sink with the contract of the real pipeline and none of its logic: messages and cursors are
 * written to the real MessageStore / CursorStore in one transaction; `recorded` lists the messages
 * that were new (a duplicate externalId is a no-op, as in the pipeline).
 */
export class RecordingSink implements InboundSink {
  readonly recorded: InboundMessage[] = [];
  readonly presses: ButtonPress[] = [];
  batches = 0;
  private readonly messages: MessageStore;
  private readonly cursors: CursorStore;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    this.messages = createStores(db).messages;
    this.cursors = createStores(db).cursors;
  }

  ingestBatch(messages: readonly InboundMessage[], cursors: readonly CursorUpdate[] = []): void {
    const fresh = immediate(this.db, () => {
      const now = this.clock();
      const inserted = messages.filter((m) => this.messages.insert(m, 'ignored', null, now) !== null);
      for (const cursor of cursors) this.cursors.set(cursor.key, cursor.value, now);
      return inserted;
    });
    this.batches += 1;
    this.recorded.push(...fresh);
    this.check();
  }

  press(press: ButtonPress): void {
    this.presses.push(press);
    this.check();
  }

  /** A barrier: resolves once `count` messages and presses together have been recorded. */
  waitFor(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.check();
    });
  }

  private check(): void {
    const total = this.recorded.length + this.presses.length;
    this.waiters = this.waiters.filter((w) => {
      if (total < w.count) return true;
      w.resolve();
      return false;
    });
  }
}
