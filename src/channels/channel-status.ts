import type { ChannelId } from '../domain/channel-id.js';

/**
 * What each channel (VK wall poller, VK long poll per community, Telegram updates, delivery
 * per platform) is doing right now, for logs and the health endpoint. Sources and the outbox
 * worker write it; nothing reads it to make decisions.
 */

export type ChannelState = 'starting' | 'running' | 'degraded' | 'stopped';

export interface ChannelStatusEntry {
  /** A stable name (domain/channel-id): `vk:wall`, `vk:lp:<groupId>`, `telegram:updates`, `delivery:<platform>`. */
  channel: ChannelId;
  state: ChannelState;
  /** Epoch ms of the last successful call, null until one succeeds. */
  lastSuccessAt: number | null;
  /** The last error's message (already free of tokens), null after a success. */
  lastError: string | null;
  /** Epoch ms of the last change of `state`. */
  since: number;
}

/**
 * A small in-memory registry. `degraded` means "failing and retrying"; `stopped` with an error
 * means a fatal problem (revoked token) that needs a person.
 */
export class ChannelStatus {
  private readonly entries = new Map<ChannelId, ChannelStatusEntry>();
  private readonly fatalListeners: ((channel: ChannelId, error: string) => void)[] = [];

  constructor(private readonly clock: () => number = Date.now) {}

  private entry(channel: ChannelId): ChannelStatusEntry {
    let entry = this.entries.get(channel);
    if (!entry) {
      entry = { channel, state: 'starting', lastSuccessAt: null, lastError: null, since: this.clock() };
      this.entries.set(channel, entry);
    }
    return entry;
  }

  private setState(entry: ChannelStatusEntry, state: ChannelState): void {
    if (entry.state !== state) {
      entry.state = state;
      entry.since = this.clock();
    }
  }

  starting(channel: ChannelId): void {
    this.setState(this.entry(channel), 'starting');
  }

  /** A call succeeded: the channel runs, and the last error is forgotten. */
  success(channel: ChannelId): void {
    const entry = this.entry(channel);
    entry.lastSuccessAt = this.clock();
    entry.lastError = null;
    this.setState(entry, 'running');
  }

  /** A call failed and will be retried. */
  failure(channel: ChannelId, error: string): void {
    const entry = this.entry(channel);
    entry.lastError = error;
    this.setState(entry, 'degraded');
  }

  /** The channel stopped: on shutdown (no error) or on a fatal error. */
  stopped(channel: ChannelId, error?: string): void {
    const entry = this.entry(channel);
    if (error !== undefined) entry.lastError = error;
    this.setState(entry, 'stopped');
    if (error !== undefined) for (const listener of this.fatalListeners) listener(channel, error);
  }

  /** Call `listener` whenever a channel stops on a fatal error (each time, the caller dedupes). Its errors are its own. */
  onFatalStop(listener: (channel: ChannelId, error: string) => void): void {
    this.fatalListeners.push(listener);
  }

  get(channel: ChannelId): ChannelStatusEntry | undefined {
    const entry = this.entries.get(channel);
    return entry ? { ...entry } : undefined;
  }

  list(): ChannelStatusEntry[] {
    return [...this.entries.values()].map((e) => ({ ...e })).sort((a, b) => a.channel.localeCompare(b.channel));
  }

  /** True when no channel is degraded or stopped with an error. */
  healthy(): boolean {
    return [...this.entries.values()].every((e) => e.state === 'running' || e.state === 'starting' || (e.state === 'stopped' && e.lastError === null));
  }
}
