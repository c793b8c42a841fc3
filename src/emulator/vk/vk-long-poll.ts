import type { Prng } from '../prng.js';

export interface VkLongPollEvent {
  type: string;
  object: Record<string, unknown>;
  group_id: number;
  event_id: string;
  v: string;
}

interface GroupQueue {
  /** Sequence number of events[0]; `ts` on the wire is the sequence number of the next event to read. */
  firstSeq: number;
  events: VkLongPollEvent[];
  keys: Set<string>;
  waiters: Set<() => void>;
}

export type LongPollAnswer = { ts: string; updates: VkLongPollEvent[] } | { failed: 1; ts: string } | { failed: 2 | 3 };

/** Longest wait VK accepts for a_check (seconds). */
const MAX_WAIT_SECONDS = 90;

/**
 * The Bots Long Poll server: one event queue per community. Keeps the last
 * `keep` events; a `ts` older than that answers `{failed: 1, ts}` as VK does,
 * an unknown key `{failed: 2}`.
 */
export class VkLongPoll {
  private readonly groups = new Map<number, GroupQueue>();

  constructor(
    private readonly prng: Prng,
    private readonly keep = 1000,
  ) {}

  private queue(groupId: number): GroupQueue {
    let q = this.groups.get(groupId);
    if (!q) {
      q = { firstSeq: 1, events: [], keys: new Set(), waiters: new Set() };
      this.groups.set(groupId, q);
    }
    return q;
  }

  private nextTs(q: GroupQueue): number {
    return q.firstSeq + q.events.length;
  }

  emit(groupId: number, type: string, object: Record<string, unknown>): void {
    const q = this.queue(groupId);
    q.events.push({ type, object, group_id: groupId, event_id: this.prng.hex(40), v: '5.199' });
    if (q.events.length > this.keep) {
      q.events.shift();
      q.firstSeq += 1;
    }
    for (const wake of q.waiters) wake();
  }

  issueKey(groupId: number): { key: string; ts: string } {
    const q = this.queue(groupId);
    const key = this.prng.hex(40);
    q.keys.add(key);
    return { key, ts: String(this.nextTs(q)) };
  }

  /** Invalidates every key of the community, so the next a_check answers `{failed: 2}`. */
  expireKeys(groupId: number): void {
    this.queue(groupId).keys.clear();
  }

  /**
   * A `longPollFailed` fault: the community's history so far is lost (events not yet read can never
   * be read: an old ts answers `{failed: 1}` from now on); 2 and 3 also invalidate its keys.
   */
  loseHistory(groupId: number, failed: 1 | 2 | 3): LongPollAnswer {
    const q = this.queue(groupId);
    q.firstSeq = this.nextTs(q);
    q.events = [];
    if (failed !== 1) q.keys.clear();
    return failed === 1 ? { failed: 1, ts: String(q.firstSeq) } : { failed };
  }

  /** Answers at once when events are ready, otherwise holds until one arrives, `wait` passes or `signal` aborts. */
  async check(
    groupId: number,
    key: string,
    ts: number,
    waitSeconds: number,
    signal: AbortSignal,
    onHold: (held: boolean) => void = () => undefined,
  ): Promise<LongPollAnswer> {
    const q = this.queue(groupId);
    if (!q.keys.has(key)) return { failed: 2 };
    if (!Number.isInteger(ts) || ts < q.firstSeq || ts > this.nextTs(q)) return { failed: 1, ts: String(this.nextTs(q)) };
    if (ts === this.nextTs(q) && waitSeconds > 0 && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          q.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(waitSeconds, MAX_WAIT_SECONDS) * 1000);
        q.waiters.add(done);
        signal.addEventListener('abort', done, { once: true });
        onHold(true);
      });
      onHold(false);
    }
    if (ts < q.firstSeq) return { failed: 1, ts: String(this.nextTs(q)) };
    return { ts: String(this.nextTs(q)), updates: q.events.slice(ts - q.firstSeq) };
  }
}
