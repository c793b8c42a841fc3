import { AnnouncementStore } from './announcement-store.js';
import { BurstStore } from './burst-store.js';
import { ConsoleQueryStore } from './console-query-store.js';
import { ConsoleSessionStore } from './console-session-store.js';
import { CursorStore } from './cursor-store.js';
import { type Db, immediate } from './db.js';
import { IncidentStore } from './incident-store.js';
import { LabelStore } from './label-store.js';
import { MediaFileStore } from './media-file-store.js';
import { MessageStore } from './message-store.js';
import { OutboxStore } from './outbox-store.js';
import { ReminderStore } from './reminder-store.js';
import { RetentionStore } from './retention-store.js';
import { SpikeStore } from './spike-store.js';
import { StatsStore } from './stats-store.js';
import { ThreadStore } from './thread-store.js';

/**
 * Every repository over one database connection, built once by the composition root (or a test)
 * and passed down: no part constructs a store of its own.
 */
export interface Stores {
  readonly messages: MessageStore;
  readonly incidents: IncidentStore;
  readonly outbox: OutboxStore;
  readonly cursors: CursorStore;
  readonly spikes: SpikeStore;
  readonly retention: RetentionStore;
  readonly stats: StatsStore;
  readonly announcements: AnnouncementStore;
  /** The web console's sign-in links and sessions, and its reads. */
  readonly consoleSessions: ConsoleSessionStore;
  readonly consoleQueries: ConsoleQueryStore;
  /** A citizen's open incidents in one conversation, for threading (new problem or addition). */
  readonly threads: ThreadStore;
  /** Moderators' corrections kept as labels for the detector. */
  readonly labels: LabelStore;
  /** Downloaded copies of citizens' files (media.download). */
  readonly mediaFiles: MediaFileStore;
  /** Burst summaries in the moderators' chat. */
  readonly bursts: BurstStore;
  /** Which deadline reminders were given (the audit log's record). */
  readonly reminders: ReminderStore;
  /** Run `fn` in a transaction; inside another one it is a savepoint, so a failure rolls back `fn` only. */
  transaction<T>(fn: () => T): T;
  /** Run `fn` in a BEGIN IMMEDIATE transaction (the write lock taken up front). */
  immediate<T>(fn: () => T): T;
}

export function createStores(db: Db): Stores {
  return {
    messages: new MessageStore(db),
    incidents: new IncidentStore(db),
    outbox: new OutboxStore(db),
    cursors: new CursorStore(db),
    spikes: new SpikeStore(db),
    retention: new RetentionStore(db),
    stats: new StatsStore(db),
    announcements: new AnnouncementStore(db),
    consoleSessions: new ConsoleSessionStore(db),
    consoleQueries: new ConsoleQueryStore(db),
    threads: new ThreadStore(db),
    labels: new LabelStore(db),
    mediaFiles: new MediaFileStore(db),
    bursts: new BurstStore(db),
    reminders: new ReminderStore(db),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    immediate: <T>(fn: () => T): T => immediate(db, fn),
  };
}
